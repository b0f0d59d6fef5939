//! A grid as a PNG picture for slides, rendered from its SVG with `resvg` in the built-in
//! face (see [`super::fonts::picture_fonts`]); no browser.

use resvg::{tiny_skia, usvg};

use super::{picture, GridSummary};
use crate::error::{Error, Result};

/// The grid as PNG bytes, at `scale` times the picture's size (1200 × 880).
pub fn to_png(grid: &GridSummary, scale: f32, fonts: &std::sync::Arc<usvg::fontdb::Database>) -> Result<Vec<u8>> {
    let svg = picture::to_svg(grid, true);
    let options = usvg::Options { fontdb: fonts.clone(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(&svg, &options)
        .map_err(|e| Error::internal(format!("The picture could not be drawn: {e}")))?;
    let size = tree.size().to_int_size().scale_by(scale).ok_or_else(|| Error::internal("The picture is too large."))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| Error::internal("The picture is too large."))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| Error::internal(format!("The picture could not be encoded: {e}")))
}
