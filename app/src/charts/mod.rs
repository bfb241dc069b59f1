//! Map and chart drawing over plotters' `DrawingBackend`: no Leptos here, so the same code draws on a
//! canvas in the browser and on a bitmap or SVG in tests.

pub mod bars;
pub mod gantt;
pub mod map;
pub mod palette;
pub mod scaled;
pub mod series;

/// Font family for every chart: the page's own stack, so canvas text matches the HTML.
pub const FONT: &str = "sans-serif";
