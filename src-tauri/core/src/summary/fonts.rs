//! The typeface of every drawn export: DejaVu Sans, built into the program (see
//! `assets/fonts/LICENSE`), so a PDF or PNG looks the same on every machine and names in
//! Latin, Greek or Cyrillic scripts print as they were typed. Its metrics place text in the
//! pictures and wrap it on the PDF's pages.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The three faces the summary uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Regular,
    Bold,
    Italic,
}

impl Style {
    pub const ALL: [Style; 3] = [Style::Regular, Style::Bold, Style::Italic];

    pub fn of(bold: bool) -> Style {
        if bold {
            Style::Bold
        } else {
            Style::Regular
        }
    }
}

/// One face: its file and the metrics read from it, in ems.
#[derive(Debug)]
pub struct Face {
    /// The font file.
    pub data: &'static [u8],
    /// The PostScript name.
    pub name: &'static str,
    /// The glyph of each character the face has.
    glyphs: HashMap<char, u16>,
    /// The advance of each glyph, by glyph id, in ems.
    advances: Vec<f32>,
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub italic_angle: f32,
    /// Left, bottom, right, top, in ems.
    pub bounds: (f32, f32, f32, f32),
}

/// What a missing face measures text with, so a damaged build still lays out pages.
const FALLBACK_ADVANCE: f32 = 0.6;

impl Face {
    fn read(data: &'static [u8], name: &'static str) -> Face {
        let mut face = Face {
            data,
            name,
            glyphs: HashMap::new(),
            advances: Vec::new(),
            ascent: 0.93,
            descent: -0.24,
            cap_height: 0.73,
            italic_angle: 0.0,
            bounds: (-1.0, -0.4, 2.0, 1.2),
        };
        let Ok(font) = FontRef::new(data) else {
            return face;
        };
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let em = f32::from(metrics.units_per_em.max(1));
        let glyph_metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        face.advances = (0..metrics.glyph_count)
            .map(|id| glyph_metrics.advance_width(skrifa::GlyphId::new(u32::from(id))).unwrap_or(0.0) / em)
            .collect();
        face.glyphs = font
            .charmap()
            .mappings()
            .filter_map(|(code, glyph)| Some((char::from_u32(code)?, u16::try_from(glyph.to_u32()).ok()?)))
            .collect();
        face.ascent = metrics.ascent / em;
        face.descent = metrics.descent / em;
        face.cap_height = metrics.cap_height.unwrap_or(metrics.ascent * 0.75) / em;
        face.italic_angle = metrics.italic_angle;
        if let Some(b) = metrics.bounds {
            face.bounds = (b.x_min / em, b.y_min / em, b.x_max / em, b.y_max / em);
        }
        face
    }

    /// The glyph that draws `c` (0, the missing-glyph box, where the face has none).
    pub fn glyph(&self, c: char) -> u16 {
        self.glyphs.get(&c).copied().unwrap_or(0)
    }

    /// The advance of a glyph, in ems.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.advances.get(usize::from(glyph)).copied().unwrap_or(FALLBACK_ADVANCE)
    }

    /// How many glyphs the face has.
    pub fn glyph_count(&self) -> usize {
        self.advances.len()
    }

    /// The width of `text` set in this face at size 1.
    pub fn width(&self, text: &str) -> f64 {
        text.chars().map(|c| f64::from(self.advance(self.glyph(shown(c))))).sum()
    }
}

/// The character drawn for `c`: line breaks and tabs inside a line are set as spaces.
pub fn shown(c: char) -> char {
    if c.is_control() {
        ' '
    } else {
        c
    }
}

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Oblique.ttf");

/// The face of `style`, read on first use.
pub fn face(style: Style) -> &'static Face {
    static FACES: [OnceLock<Face>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    match style {
        Style::Regular => FACES[0].get_or_init(|| Face::read(REGULAR, "DejaVuSans")),
        Style::Bold => FACES[1].get_or_init(|| Face::read(BOLD, "DejaVuSans-Bold")),
        Style::Italic => FACES[2].get_or_init(|| Face::read(ITALIC, "DejaVuSans-Oblique")),
    }
}

/// The fonts the PNG pictures are drawn with: the built-in faces first, then the system's
/// for scripts they lack. Gathered once; later exports reuse them.
pub fn picture_fonts() -> Arc<resvg::usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut fonts = resvg::usvg::fontdb::Database::new();
            for data in [REGULAR, BOLD, ITALIC] {
                fonts.load_font_source(resvg::usvg::fontdb::Source::Binary(Arc::new(data)));
            }
            fonts.load_system_fonts();
            fonts.set_sans_serif_family("DejaVu Sans");
            Arc::new(fonts)
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_face_is_read_with_its_glyphs_and_metrics() {
        for style in Style::ALL {
            let face = face(style);
            assert!(face.glyph_count() > 3000, "{style:?} has {} glyphs", face.glyph_count());
            for c in ['A', 'é', 'ł', 'Ж', 'Ω', '★', '→', '—'] {
                assert_ne!(face.glyph(c), 0, "{style:?} draws {c}");
            }
            assert!(face.ascent > 0.7 && face.descent < -0.1, "{style:?} ascent and descent");
        }
        assert!(face(Style::Italic).italic_angle < 0.0, "the oblique face leans right");
    }

    #[test]
    fn bold_text_is_wider_and_widths_add_up() {
        let regular = face(Style::Regular);
        assert!(face(Style::Bold).width("Tenants Union") > regular.width("Tenants Union"));
        assert!((regular.width("ab") - regular.width("a") - regular.width("b")).abs() < 1e-9);
        assert!((regular.width("a\nb") - regular.width("a b")).abs() < 1e-9, "a line break is set as a space");
    }
}
