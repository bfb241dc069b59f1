//! A monthly time series: the selected months, the same months a year earlier, and the target's monthly pace.
//! The y axis starts at zero; a month without data breaks the line instead of dropping to zero. The target's pace
//! is given per month (each year has its own target), and drawn only over the months that have one.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font;
use super::palette::{BAR, HIGHLIGHT, INK, MUTED, WHITE};

/// Legend texts in the interface language.
#[derive(Debug, Clone)]
pub struct SeriesText {
    pub current: String,
    pub previous: String,
    pub target: String,
    pub projected: String,
}

/// The chart's values, one per slot: the period's, the year before's, the target's pace, and a projected month's
/// band (low, central, high) after the period's months.
pub struct Lines<'a> {
    pub current: &'a [Option<f64>],
    pub previous: &'a [Option<f64>],
    pub target: &'a [Option<f64>],
    pub band: &'a [Option<(f64, f64, f64)>],
}

/// A "nice" axis maximum and step: 1, 2 or 5 times a power of ten, about 4 steps.
pub fn nice_axis(max: f64) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 0.25);
    }
    let raw = max / 4.0;
    // `powi`, not `powf`: an integer power is a few multiplications, and the wasm carries no general `pow`.
    #[allow(clippy::cast_possible_truncation)] // a finite f64's decimal exponent is within ±324
    let power = 10f64.powi(raw.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power);
    ((max / step).ceil() * step, step)
}

#[allow(clippy::too_many_arguments, clippy::many_single_char_names)] // w, h, n, x, y: the geometry's usual names
#[allow(clippy::too_many_lines)] // one chart drawn top to bottom: axes, target, lines, marks, legend
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[String],
    lines: &Lines,
    format: impl Fn(f64) -> String,
    text: &SeriesText,
    estimated: &[bool],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let Lines { current, previous, target, band } = *lines;
    area.fill(&WHITE)?;
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    // The legend's items (0 the period, 1 the year before, 2 the target) and where each goes: in a row from the
    // left, the next line when a row is full. The plot starts below the legend.
    let mut legend = vec![(0, text.current.clone()), (1, text.previous.clone())];
    if target.iter().any(Option::is_some) {
        legend.push((2, text.target.clone()));
    }
    if band.iter().any(Option::is_some) {
        legend.push((3, text.projected.clone()));
    }
    let (left, right, bottom) = (90, 20, 40);
    let mut places = Vec::with_capacity(legend.len());
    let (mut x, mut y) = (left, 16);
    for (_, words) in &legend {
        let width = 38 + words.chars().count() as i32 * 8;
        if x > left && x + width > w - right {
            (x, y) = (left, y + 22);
        }
        places.push((x, y));
        x += width + 24;
    }
    let top = y + 28;
    let n = labels.len().max(1);
    let max = current
        .iter()
        .chain(previous)
        .flatten()
        .copied()
        .chain(target.iter().flatten().copied())
        .chain(band.iter().flatten().map(|b| b.2))
        .fold(0.0_f64, f64::max);
    let (y_max, step) = nice_axis(max);
    let x_of = |i: usize| left + (f64::from(w - left - right) * (i as f64 + 0.5) / n as f64) as i32;
    let y_of = |v: f64| top + (f64::from(h - top - bottom) * (1.0 - v / y_max)).round() as i32;
    let ink = |size: u32, hpos: HPos| font(size).color(&INK).pos(Pos::new(hpos, VPos::Center));
    // Grid and y labels.
    let mut v = 0.0;
    while v <= y_max + step / 2.0 {
        let y = y_of(v);
        area.draw(&PathElement::new(vec![(left, y), (w - right, y)], RGBColor(222, 226, 230).stroke_width(1)))?;
        area.draw(&Text::new(format(v), (left - 8, y), ink(14, HPos::Right)))?;
        v += step;
    }
    // Month labels: every label when they fit, otherwise every second or third.
    let every = (n * 76 / (w - left - right).max(1) as usize + 1).max(1);
    for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        area.draw(&Text::new(label.clone(), (x_of(i), h - bottom + 18), ink(13, HPos::Center)))?;
    }
    // The target's pace: one level per run of months with the same pace (a year), across those months' slots only.
    let slot = f64::from(w - left - right) / n as f64;
    let mut i = 0;
    while i < target.len() {
        let Some(t) = target[i] else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < target.len() && target[j + 1] == Some(t) {
            j += 1;
        }
        let (x0, x1) = (left + (slot * i as f64) as i32, left + (slot * (j + 1) as f64) as i32);
        let y = y_of(t);
        area.draw(&DashedPathElement::new(vec![(x0, y), (x1, y)], 10, 6, HIGHLIGHT.stroke_width(2)))?;
        i = j + 1;
    }
    let segments = |values: &[Option<f64>]| -> Vec<Vec<(i32, i32)>> {
        let mut out: Vec<Vec<(i32, i32)>> = vec![Vec::new()];
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(x) => out.last_mut().map_or((), |s| s.push((x_of(i), y_of(*x)))),
                None => out.push(Vec::new()),
            }
        }
        out.into_iter().filter(|s| !s.is_empty()).collect()
    };
    for s in segments(previous) {
        area.draw(&DashedPathElement::new(s.clone(), 6, 4, MUTED.stroke_width(2)))?;
        for p in s {
            area.draw(&Rectangle::new([(p.0 - 3, p.1 - 3), (p.0 + 3, p.1 + 3)], MUTED.filled()))?;
        }
    }
    for s in segments(current) {
        area.draw(&PathElement::new(s.clone(), BAR.stroke_width(3)))?;
        for p in s {
            area.draw(&Circle::new(p, 5, BAR.filled()))?;
        }
    }
    // A projected month: its band as a bar, its central value a hollow point.
    for (i, b) in band.iter().enumerate() {
        if let Some((low, mid, high)) = *b {
            area.draw(&PathElement::new(vec![(x_of(i), y_of(low)), (x_of(i), y_of(high))], BAR.stroke_width(2)))?;
            area.draw(&Circle::new((x_of(i), y_of(mid)), 5, WHITE.filled()))?;
            area.draw(&Circle::new((x_of(i), y_of(mid)), 5, BAR.stroke_width(2)))?;
        }
    }
    // An estimated month: an "e" above its point (the figure's legend says what it means).
    for (i, v) in current.iter().enumerate() {
        if let (Some(v), true) = (v, estimated.get(i).copied().unwrap_or(false)) {
            area.draw(&Text::new("e".to_owned(), (x_of(i), y_of(*v) - 16), ink(15, HPos::Center)))?;
        }
    }
    // Legend, top left: line samples with words, so colour is never the only cue; it wraps on a narrow chart.
    for (item, (x, y)) in legend.iter().zip(&places) {
        let (x, y) = (*x, *y);
        match item.0 {
            0 => {
                area.draw(&PathElement::new(vec![(x, y), (x + 30, y)], BAR.stroke_width(3)))?;
                area.draw(&Circle::new((x + 15, y), 5, BAR.filled()))?;
            }
            1 => area.draw(&DashedPathElement::new(vec![(x, y), (x + 30, y)], 6, 4, MUTED.stroke_width(2)))?,
            3 => {
                area.draw(&PathElement::new(vec![(x + 15, y - 8), (x + 15, y + 8)], BAR.stroke_width(2)))?;
                area.draw(&Circle::new((x + 15, y), 5, WHITE.filled()))?;
                area.draw(&Circle::new((x + 15, y), 5, BAR.stroke_width(2)))?;
            }
            _ => area.draw(&DashedPathElement::new(vec![(x, y), (x + 30, y)], 10, 6, HIGHLIGHT.stroke_width(2)))?,
        }
        area.draw(&Text::new(item.1.clone(), (x + 38, y), ink(14, HPos::Left)))?;
    }
    Ok(())
}
