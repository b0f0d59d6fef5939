//! A grid as a PNG picture for slides, rendered with `resvg` from its SVG with the text as
//! glyph outlines, set as the PDF sets it (see [`super::outlines`]); no browser.

use resvg::{tiny_skia, usvg};

use super::shaping::Unprintable;
use super::{drawing, picture, GridSummary};
use crate::error::{Error, Result};
use crate::i18n::Said;

/// The grid as PNG bytes, at `scale` times the picture's size (1200 × 880).
pub fn to_png(grid: &GridSummary, scale: f32) -> Result<Vec<u8>> {
    Ok(to_png_noting(grid, scale)?.0)
}

/// The grid as PNG bytes, and the characters no face could draw (left out, not boxes).
pub fn to_png_noting(grid: &GridSummary, scale: f32) -> Result<(Vec<u8>, Vec<Unprintable>)> {
    let missing = drawing::unprintable(&drawing::draw(grid));
    // The text is already outlines: the renderer needs no fonts.
    let svg = picture::to_outlined_svg(grid);
    let tree = usvg::Tree::from_str(&svg, &usvg::Options::default())
        .map_err(|e| Error::internal(Said::new("error.internal.picture-not-drawn").text("detail", e)))?;
    let size =
        tree.size().to_int_size().scale_by(scale).ok_or_else(|| Error::internal("error.internal.picture-too-large"))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| Error::internal("error.internal.picture-too-large"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let png = pixmap
        .encode_png()
        .map_err(|e| Error::internal(Said::new("error.internal.picture-not-encoded").text("detail", e)))?;
    Ok((png, missing))
}
