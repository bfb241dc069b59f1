//! Colour-blind-safe palettes and class breaks.

use plotters::style::RGBColor;

/// ColorBrewer YlGnBu, 5 classes: sequential, colour-blind safe, prints in greyscale in order.
pub const SEQUENTIAL: [RGBColor; 5] = [
    RGBColor(255, 255, 204),
    RGBColor(161, 218, 180),
    RGBColor(65, 182, 196),
    RGBColor(44, 127, 184),
    RGBColor(37, 52, 148),
];

/// Fill for "no data" (no office reports here): light grey, distinct from every class.
pub const NO_DATA: RGBColor = RGBColor(224, 224, 224);
/// Boundaries and text.
pub const INK: RGBColor = RGBColor(33, 37, 41);
pub const WHITE: RGBColor = RGBColor(255, 255, 255);
/// Bars in single-series charts (the darkest class, contrast over 7:1 on white).
pub const BAR: RGBColor = RGBColor(37, 52, 148);
/// Bars of the selected category (cross-filter highlight): Okabe–Ito orange, told apart by a label too.
pub const HIGHLIGHT: RGBColor = RGBColor(213, 94, 0);
/// Series colours for categories (Okabe–Ito: safe for every common colour-vision deficiency).
pub const SERIES: [RGBColor; 3] = [RGBColor(0, 114, 178), RGBColor(230, 159, 0), RGBColor(102, 102, 102)];
/// Secondary lines (previous year) and target lines.
pub const MUTED: RGBColor = RGBColor(110, 110, 110);

/// The fills whose text is dark: those with a relative luminance over about 0.35 (`relative_luminance`). The map's
/// fills are this file's constants, so the choice is a lookup and the wasm carries no `powf`; a test checks the
/// list against the formula for every fill.
const DARK_TEXT_FILLS: [RGBColor; 5] = [SEQUENTIAL[0], SEQUENTIAL[1], SEQUENTIAL[2], NO_DATA, WHITE];

/// Whether dark text is readable on one of the map's fills (`SEQUENTIAL`, `NO_DATA`, `WHITE`).
pub fn needs_dark_text(fill: RGBColor) -> bool {
    DARK_TEXT_FILLS.contains(&fill)
}

/// WCAG's relative luminance of a colour, from 0 (black) to 1 (white).
pub fn relative_luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.039_28 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Class breaks (quantiles or natural breaks): `upper[i]` is the inclusive upper bound of class `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    pub lower: f64,
    pub upper: Vec<f64>,
    /// The least value in each class: the legend says the range of values a class holds, not the gap before it.
    pub lows: Vec<f64>,
}

impl Classes {
    /// Up to 5 quantile classes over the finite values; fewer when there are fewer distinct values.
    pub fn quantiles(values: &[f64]) -> Option<Self> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        shared::sort_with(&mut v, &f64::total_cmp);
        let n = SEQUENTIAL.len().min(v.len());
        let mut upper: Vec<f64> = (1..=n).map(|i| v[(i * v.len()).div_ceil(n) - 1]).collect();
        upper.dedup();
        Some(Self::with_lows(&v, upper))
    }

    /// Up to 5 classes by natural breaks (Jenks; Fisher's exact optimum): the bounds that make the classes as
    /// tight as possible (least squared deviation from their means), so that an outlier such as the capital gets a
    /// class of its own instead of stretching a quantile class over values three times apart. Fewer classes when
    /// there are fewer distinct values.
    pub fn natural_breaks(values: &[f64]) -> Option<Self> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        shared::sort_with(&mut sorted, &f64::total_cmp);
        let mut distinct = sorted.clone();
        distinct.dedup();
        let classes = SEQUENTIAL.len().min(distinct.len());
        let len = sorted.len();
        // Prefix sums: the squared deviation of sorted[i..=j] from its mean is Σx² − (Σx)² / count.
        let (mut sums, mut squares) = (vec![0.0; len + 1], vec![0.0; len + 1]);
        for (i, x) in sorted.iter().enumerate() {
            sums[i + 1] = sums[i] + x;
            squares[i + 1] = squares[i] + x * x;
        }
        let cost = |first: usize, last: usize| {
            let sum = sums[last + 1] - sums[first];
            squares[last + 1] - squares[first] - sum * sum / (last + 1 - first) as f64
        };
        // best[c][j]: the least cost of sorted[..=j] in c + 1 classes; start[c][j]: where its last class starts.
        let mut best = vec![vec![f64::INFINITY; len]; classes];
        let mut start = vec![vec![0_usize; len]; classes];
        for (last, one_class) in best[0].iter_mut().enumerate() {
            *one_class = cost(0, last);
        }
        for c in 1..classes {
            for last in c..len {
                for first in c..=last {
                    let total = best[c - 1][first - 1] + cost(first, last);
                    if total < best[c][last] {
                        best[c][last] = total;
                        start[c][last] = first;
                    }
                }
            }
        }
        let mut upper = Vec::with_capacity(classes);
        let mut last = len - 1;
        for c in (0..classes).rev() {
            upper.push(sorted[last]);
            if c > 0 {
                last = start[c][last] - 1;
            }
        }
        upper.reverse();
        upper.dedup();
        Some(Self::with_lows(&sorted, upper))
    }

    /// Classes of sorted values `v` with these upper bounds, each with the least value it holds.
    fn with_lows(v: &[f64], upper: Vec<f64>) -> Self {
        let lows = upper
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let above = if i == 0 { f64::NEG_INFINITY } else { upper[i - 1] };
                v.iter().copied().find(|x| *x > above).unwrap_or(upper[i])
            })
            .collect();
        Self { lower: v[0], upper, lows }
    }

    pub fn class_of(&self, x: f64) -> usize {
        self.upper.iter().position(|&u| x <= u).unwrap_or(self.upper.len().saturating_sub(1))
    }

    /// The colour of class `i`, spread over the palette when there are fewer classes than colours.
    pub fn colour(&self, i: usize) -> RGBColor {
        let n = self.upper.len().max(1);
        let index = if n == 1 { SEQUENTIAL.len() - 1 } else { i * (SEQUENTIAL.len() - 1) / (n - 1) };
        SEQUENTIAL[index.min(SEQUENTIAL.len() - 1)]
    }

    /// The values class `i` holds: its least and its greatest.
    pub fn range(&self, i: usize) -> (f64, f64) {
        (self.lows.get(i).copied().unwrap_or(self.lower), self.upper[i])
    }
}
