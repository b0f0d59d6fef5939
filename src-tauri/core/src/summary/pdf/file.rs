//! The laid-out pages written as a PDF file, with the subset of each face they use.

use pdf_writer::types::{CidFontType, FontFlags, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref};

use super::super::fonts::FaceId;
use super::layout::{resource, Layout, IDENTITY};
use crate::error::{Error, Result};
use crate::i18n::Said;

/// Compressed with zlib's deflate, as PDF's `FlateDecode` reads it.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6)
}

/// Writes the laid-out pages, and the subset of each face they use, as a PDF file.
pub(super) fn finish(layout: Layout, title: &str) -> Result<Vec<u8>> {
    let mut pdf = Pdf::new();
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let tree = next.bump();
    let info = next.bump();
    let faces: Vec<(FaceId, Ref)> = layout.glyphs.keys().map(|id| (*id, next.bump())).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.document_info(info).title(pdf_writer::TextStr(title)).creator(pdf_writer::TextStr("Powermap"));

    for (glyphs, (_, type0)) in layout.glyphs.values().zip(&faces) {
        let face = glyphs.face;
        let (cid, descriptor, unicode, file) = (next.bump(), next.bump(), next.bump(), next.bump());
        // A subset's name starts with six capitals of its own.
        let base = format!("{}+{}", subset_tag(face.id), face.name);
        let base = Name(base.as_bytes());
        pdf.type0_font(*type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(unicode);
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(if face.cff { CidFontType::Type0 } else { CidFontType::Type2 })
            .base_font(base)
            .system_info(IDENTITY)
            .font_descriptor(descriptor)
            .default_width(0.0);
        if !face.cff {
            cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
        }
        cid_font.widths().consecutive(0, glyphs.remapper.remapped_gids().map(|g| face.advance(g) * 1000.0));
        cid_font.finish();
        let mut flags = FontFlags::NON_SYMBOLIC;
        if face.italic_angle != 0.0 {
            flags |= FontFlags::ITALIC;
        }
        let (left, bottom, right, top) = face.bounds;
        let mut described = pdf.font_descriptor(descriptor);
        described
            .name(base)
            .flags(flags)
            .bbox(Rect::new(left * 1000.0, bottom * 1000.0, right * 1000.0, top * 1000.0))
            .italic_angle(face.italic_angle)
            .ascent(face.ascent * 1000.0)
            .descent(face.descent * 1000.0)
            .cap_height(face.cap_height * 1000.0)
            .stem_v(if face.name.contains("Bold") { 120.0 } else { 80.0 });
        if face.cff {
            described.font_file3(file);
        } else {
            described.font_file2(file);
        }
        described.finish();
        let mut cmap = UnicodeCmap::new(Name(b"Powermap-UTF16"), IDENTITY);
        for (number, chars) in &glyphs.chars {
            cmap.pair_with_multiple(*number, chars.chars());
        }
        pdf.cmap(unicode, &cmap.finish());
        let subset = subsetter::subset(face.data, face.index, &glyphs.remapper).map_err(|e| {
            Error::internal(
                Said::new("error.internal.font-not-embedded").text("font", &face.name).text("detail", format!("{e:?}")),
            )
        })?;
        let compressed = deflate(&subset);
        let mut stream = pdf.stream(file, &compressed);
        stream.filter(Filter::FlateDecode);
        if face.cff {
            stream.pair(Name(b"Subtype"), Name(b"OpenType"));
        }
    }

    let page_refs: Vec<Ref> = layout.pages.iter().map(|_| next.bump()).collect();
    pdf.pages(tree).kids(page_refs.iter().copied()).count(page_refs.len() as i32);
    for (content, page_ref) in layout.pages.into_iter().zip(&page_refs) {
        let content_ref = next.bump();
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, layout.paper.0, layout.paper.1));
        page.parent(tree);
        page.contents(content_ref);
        let mut resources = page.resources();
        let mut font_dict = resources.fonts();
        for (id, face) in &faces {
            let name = resource(*id);
            font_dict.pair(Name(name.as_bytes()), *face);
        }
        font_dict.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_ref, &deflate(&content.finish())).filter(Filter::FlateDecode);
    }
    Ok(pdf.finish())
}

/// The six capitals a subset's name starts with, its own for each face.
fn subset_tag(face: FaceId) -> String {
    let mut n = u32::from(face.0);
    let mut tag = String::from("PWM");
    let mut letters = [b'A'; 3];
    for letter in letters.iter_mut().rev() {
        *letter = b'A' + (n % 26) as u8;
        n /= 26;
    }
    tag.extend(letters.iter().map(|b| char::from(*b)));
    tag
}
