//! Map and chart drawing over plotters' `DrawingBackend`: no Leptos here, so the same code draws on a
//! canvas in the browser and on a bitmap or SVG in tests.

pub mod bars;
pub mod gantt;
pub mod map;
pub mod palette;
pub mod scaled;
pub mod series;

use plotters::style::{FontDesc, FontFamily, FontStyle};

/// The font of every chart at `size` pixels: the page's own sans-serif stack, so canvas text matches the HTML.
/// Named as `FontFamily::SansSerif` rather than `"sans-serif"`: plotters reads a family's name through
/// `str::to_lowercase`, whose Unicode case tables the wasm would otherwise carry for this one word.
pub fn font(size: u32) -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, f64::from(size), FontStyle::Normal)
}
