//! Horizontal bar charts: one bar per category (or one group of bars per category), values printed at the bars'
//! ends. Bars always start at zero, so lengths never mislead; a missing value is said in words, never drawn as 0.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font;
use super::palette::{BAR, HIGHLIGHT, INK, WHITE};

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    /// `None`: no value (the reason goes in `note`).
    pub value: Option<f64>,
    /// The selected category (cross-filtering): drawn in the highlight colour and marked with "◀".
    pub highlight: bool,
    /// Shown instead of a value when there is none (e.g. "suprimido").
    pub note: String,
    /// The value adds up an estimate: marked "e" after it (the figure's legend says what "e" means).
    pub estimated: bool,
}

/// Pixel height of one bar row; callers size canvases with it.
pub const ROW: u32 = 34;

/// Approximate width of a label in pixels at the chart's font size (canvas text cannot be measured here).
fn label_width(labels: impl Iterator<Item = usize>) -> i32 {
    (labels.max().unwrap_or(4) as i32 * 8 + 16).clamp(60, 300)
}

/// Draws one bar per category.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[Bar],
    format: impl Fn(f64) -> String,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    if bars.is_empty() {
        return Ok(());
    }
    let (w, _) = area.dim_in_pixel();
    let w = w as i32;
    let value_width = 110;
    // Labels beside the bars; on a narrow chart (a phone), where they would leave the bars no room, above them.
    let beside = label_width(bars.iter().map(|b| b.label.chars().count()));
    let stacked = w - beside - value_width < w / 3;
    let label_width = if stacked { 4 } else { beside };
    let row = ROW as i32;
    let bar_height = if stacked { row * 3 / 10 } else { row * 6 / 10 };
    let max = bars.iter().filter_map(|b| b.value).fold(0.0_f64, f64::max);
    let span = f64::from(w - label_width - value_width);
    let text = |colour: &RGBColor, h: HPos| font(15).color(colour).pos(Pos::new(h, VPos::Center));
    for (i, bar) in bars.iter().enumerate() {
        let top = 4 + i as i32 * row;
        // Stacked: the label in the row's upper half, the bar and its value in the lower.
        let (label_at, mid) = if stacked {
            ((label_width, top + 9), top + row * 3 / 4)
        } else {
            ((beside - 8, top + row / 2), top + row / 2)
        };
        let colour = if bar.highlight { HIGHLIGHT } else { BAR };
        let anchor = if stacked { HPos::Left } else { HPos::Right };
        area.draw(&Text::new(bar.label.clone(), label_at, text(&INK, anchor)))?;
        let Some(value) = bar.value else {
            area.draw(&Text::new(bar.note.clone(), (label_width + 6, mid), text(&INK, HPos::Left)))?;
            continue;
        };
        let length = if max > 0.0 { (value.max(0.0) / max * span).round() as i32 } else { 0 };
        area.draw(&Rectangle::new(
            [(label_width, mid - bar_height / 2), (label_width + length.max(1), mid + bar_height / 2)],
            colour.filled(),
        ))?;
        let estimate = if bar.estimated { " e" } else { "" };
        let mark = if bar.highlight { " ◀" } else { "" };
        area.draw(&Text::new(
            format!("{}{estimate}{mark}", format(value)),
            (label_width + length + 6, mid),
            text(&INK, HPos::Left),
        ))?;
    }
    // Stacked bars start at the labels' edge: a zero line would cross the labels.
    if stacked {
        return Ok(());
    }
    zero_line(area, label_width, 4, 4 + row * bars.len() as i32)
}

fn zero_line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x: i32,
    top: i32,
    bottom: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.draw(&PathElement::new(vec![(x, top), (x, bottom)], INK.stroke_width(1)))
}

/// A category with one value per series (e.g. a population type split by sex).
#[derive(Debug, Clone)]
pub struct Group {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// Height of a group of `series` bars.
pub fn group_height(series: usize) -> u32 {
    24 + 22 * series as u32 + 8
}

/// Draws grouped bars: the category label above its bars, each bar labelled with its value and series name, so
/// nothing is told by colour alone. A missing value says `missing`.
pub fn draw_grouped<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    groups: &[Group],
    series: &[(String, RGBColor)],
    missing: &str,
    format: impl Fn(f64) -> String,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    if groups.is_empty() {
        return Ok(());
    }
    let (w, _) = area.dim_in_pixel();
    let w = w as i32;
    let left = 12;
    let value_width = 230;
    let max = groups.iter().flat_map(|g| g.values.iter().flatten()).fold(0.0_f64, |a, &b| a.max(b));
    let span = f64::from(w - left - value_width);
    let text = |size: u32, h: HPos| font(size).color(&INK).pos(Pos::new(h, VPos::Center));
    let mut y = 4;
    for g in groups {
        area.draw(&Text::new(g.label.clone(), (left, y + 12), text(16, HPos::Left)))?;
        y += 24;
        for (s, value) in g.values.iter().enumerate() {
            let Some((name, colour)) = series.get(s) else { continue };
            let mid = y + 11;
            let label = match value {
                Some(v) => {
                    let length = if max > 0.0 { (v.max(0.0) / max * span).round() as i32 } else { 0 };
                    area.draw(&Rectangle::new([(left, mid - 8), (left + length.max(1), mid + 8)], colour.filled()))?;
                    (left + length + 6, format!("{} · {name}", format(*v)))
                }
                None => (left + 6, format!("{missing} · {name}")),
            };
            area.draw(&Text::new(label.1, (label.0, mid), text(14, HPos::Left)))?;
            y += 22;
        }
        y += 8;
    }
    zero_line(area, left, 4, y - 8)
}
