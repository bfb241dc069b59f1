//! A horizontal bar chart: one bar per category, sorted by the caller, value printed at the bar's end.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::FONT;
use super::palette::{BAR, INK, WHITE};

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// Draws bars from zero (bars always start at zero: lengths never mislead).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[Bar],
    format: impl Fn(f64) -> String,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    if bars.is_empty() {
        return Ok(());
    }
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let label_width = 190;
    let value_width = 80;
    let top = 4;
    let row = ((h - top * 2) / bars.len() as i32).max(8);
    let bar_height = (row * 7 / 10).max(4);
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let span = f64::from(w - label_width - value_width - 8);
    let right = |size: u32| (FONT, size).into_font().color(&INK).pos(Pos::new(HPos::Right, VPos::Center));
    let left = |size: u32| (FONT, size).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
    let font_size = (row * 6 / 10).clamp(10, 16) as u32;
    for (i, bar) in bars.iter().enumerate() {
        let y = top + i as i32 * row;
        let mid = y + row / 2;
        let length = if max > 0.0 { (bar.value.max(0.0) / max * span).round() as i32 } else { 0 };
        area.draw(&Text::new(bar.label.clone(), (label_width - 8, mid), right(font_size)))?;
        area.draw(&Rectangle::new(
            [(label_width, mid - bar_height / 2), (label_width + length.max(1), mid + bar_height / 2)],
            BAR.filled(),
        ))?;
        area.draw(&Text::new(format(bar.value), (label_width + length + 6, mid), left(font_size)))?;
    }
    // The zero line.
    area.draw(&PathElement::new(
        vec![(label_width, top), (label_width, top + row * bars.len() as i32)],
        INK.stroke_width(1),
    ))?;
    Ok(())
}
