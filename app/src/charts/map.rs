//! The choropleth of departments: natural-break classes (Jenks), a legend that says so, labels, and a distinct
//! "no data" style.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use shared::geo::{Projection, Regions};

use super::font;
use super::palette::{Classes, INK, NO_DATA, WHITE, needs_dark_text};

/// Texts drawn into the map, in the interface language.
#[derive(Debug, Clone)]
pub struct MapText {
    pub legend_title: String,
    /// How the classes are made, under the legend's title ("natural breaks (Jenks)").
    pub classes: String,
    pub no_data: String,
    pub zero: String,
    pub suppressed: String,
    pub office: String,
    /// Decimals of the legend's numbers (0 for counts, 1 for rates).
    pub decimals: usize,
    /// Whether to write each region's label on it (not where the map is shown at a phone's width).
    pub labels: bool,
    /// Whether to draw the legend into the map (not at a phone's width, where it would read at 5 px: the page
    /// writes the same rows, [`legend_rows`], under the map instead).
    pub legend: bool,
    /// Whether the legend has a column of its own on the right (a department's municipalities fill their box).
    pub legend_aside: bool,
}

/// The width of the legend's column when it is aside.
const LEGEND_PX: u32 = 260;

/// The projection of a map of `size`, as [`draw`] and [`hit`] use it.
fn projection(geo: &Regions, size: (u32, u32), legend_aside: bool) -> Projection {
    if legend_aside { Projection::beside_legend(geo, size, LEGEND_PX) } else { Projection::for_map(geo, size) }
}

/// One region's value; `None` is "no data", never zero.
#[derive(Debug, Clone, Copy)]
pub struct RegionValue<'a> {
    pub id: &'a str,
    /// Short label drawn on the region.
    pub label: &'a str,
    pub value: Option<f64>,
    /// No value because every contributing cell was suppressed (small sensitive counts).
    pub suppressed: bool,
}

/// A SI EMPLEO office.
#[derive(Debug, Clone, Copy)]
pub struct Marker {
    pub lon_lat: (f64, f64),
    pub selected: bool,
}

/// Marker radius in pixels, and the distance within which a pointer hits it.
pub const MARKER_RADIUS: i32 = 6;

/// What lies under a point of the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit<'a> {
    /// An office marker: its index in the offices given.
    Office(usize),
    /// A department: its region id.
    Region(&'a str),
}

/// What lies under `at` (layout pixels) on a map of `size` drawn by [`draw`], with the same projection: an
/// office marker within reach of the pointer first (offices without a position are never hit), then the region.
pub fn hit<'a>(
    geo: &'a Regions,
    size: (u32, u32),
    legend_aside: bool,
    offices: &[Option<(f64, f64)>],
    at: (f64, f64),
) -> Option<Hit<'a>> {
    let projection = projection(geo, size, legend_aside);
    let reach = f64::from(MARKER_RADIUS + 4);
    let near = offices.iter().position(|o| {
        o.is_some_and(|lon_lat| {
            let (px, py) = projection.px(lon_lat);
            (f64::from(px) - at.0).hypot(f64::from(py) - at.1) <= reach
        })
    });
    match near {
        Some(i) => Some(Hit::Office(i)),
        None => geo.at(projection.lon_lat(at)).map(|r| Hit::Region(r.id.as_str())),
    }
}

/// Draws the map, its labels, the office markers and the legend. Returns the classes used.
/// Zero, no data and suppressed each have their own style; classes are computed over positive values.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    geo: &Regions,
    values: &[RegionValue<'_>],
    markers: &[Marker],
    selected: Option<&str>,
    text: &MapText,
) -> Result<Option<Classes>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let size = area.dim_in_pixel();
    let projection = projection(geo, size, text.legend_aside);
    let classes = classes_of(values);
    let value_of = |id: &str| values.iter().find(|v| v.id == id);
    let fill_of = |id: &str| match value_of(id) {
        Some(RegionValue { value: Some(x), .. }) if *x > 0.0 => {
            classes.as_ref().map_or(NO_DATA, |c| c.colour(c.class_of(*x)))
        }
        Some(RegionValue { value: Some(_), .. }) => WHITE,
        _ => NO_DATA,
    };
    for region in &geo.regions {
        let fill = fill_of(&region.id);
        let hatched = value_of(&region.id).is_some_and(|v| v.value.is_none() && v.suppressed);
        for polygon in &region.polygons {
            for (i, ring) in polygon.iter().enumerate() {
                let points: Vec<(i32, i32)> = ring.iter().map(|&p| projection.px(p)).collect();
                // Holes (lagoons) are water: paint them back to the background.
                let style = if i == 0 { fill.filled() } else { WHITE.filled() };
                area.draw(&Polygon::new(points.clone(), style))?;
                if hatched && i == 0 {
                    hatch(area, &points)?;
                }
                area.draw(&PathElement::new(points, INK.stroke_width(1)))?;
            }
        }
    }
    // The selected department on top, with a heavy outline.
    if let Some(region) = selected.and_then(|id| geo.regions.iter().find(|r| r.id == id)) {
        for ring in region.polygons.iter().filter_map(|p| p.first()) {
            let points: Vec<(i32, i32)> = ring.iter().map(|&p| projection.px(p)).collect();
            area.draw(&PathElement::new(points, INK.stroke_width(4)))?;
        }
    }
    let marker_points: Vec<(i32, i32)> = markers.iter().map(|m| projection.px(m.lon_lat)).collect();
    // Shrunk to a phone's width, two-letter labels would read at 5 px: the table beside the map names the
    // departments there instead.
    let labelled = text.labels;
    for region in geo.regions.iter().filter(|_| labelled) {
        let Some(v) = value_of(&region.id).filter(|v| !v.label.is_empty()) else { continue };
        let colour = if needs_dark_text(fill_of(&region.id)) { INK } else { WHITE };
        let style = font(14).color(&colour).pos(Pos::new(HPos::Center, VPos::Center));
        let spot = label_spot(projection.px(region.label_point()), &marker_points);
        area.draw(&Text::new(v.label.to_owned(), spot, style))?;
    }
    for m in markers {
        let at = projection.px(m.lon_lat);
        let r = if m.selected { MARKER_RADIUS + 3 } else { MARKER_RADIUS };
        area.draw(&Circle::new(at, r, WHITE.filled()))?;
        area.draw(&Circle::new(at, r, INK.stroke_width(2)))?;
        area.draw(&Circle::new(at, if m.selected { r - 3 } else { 2 }, INK.filled()))?;
    }
    if text.legend {
        draw_legend(area, &legend_rows(classes.as_ref(), values, !markers.is_empty(), text), text)?;
    }
    Ok(classes)
}

/// The classes of the positive values (zero and no data have styles of their own).
pub fn classes_of(values: &[RegionValue<'_>]) -> Option<Classes> {
    let positive: Vec<f64> = values.iter().filter_map(|v| v.value).filter(|&x| x > 0.0).collect();
    Classes::natural_breaks(&positive)
}

/// What a legend row shows beside its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Fill(RGBColor),
    /// Suppressed: the no-data grey, hatched.
    Hatched,
    Office,
}

/// The legend's rows under its title and its classes' note: each class's range of values, then zero, suppressed
/// and no data where the map has them, and the office marker. One list for the map's own legend and the one a phone
/// shows under it.
pub fn legend_rows(
    classes: Option<&Classes>,
    values: &[RegionValue<'_>],
    markers: bool,
    text: &MapText,
) -> Vec<(Key, String)> {
    let mut rows = Vec::new();
    if let Some(c) = classes {
        for i in 0..c.upper.len() {
            let (lo, hi) = c.range(i);
            let n = |x: f64| shared::format::number(x, text.decimals);
            rows.push((Key::Fill(c.colour(i)), if lo >= hi { n(hi) } else { format!("{} – {}", n(lo), n(hi)) }));
        }
    }
    if values.iter().any(|v| v.value == Some(0.0)) {
        rows.push((Key::Fill(WHITE), text.zero.clone()));
    }
    if values.iter().any(|v| v.value.is_none() && v.suppressed) {
        rows.push((Key::Hatched, text.suppressed.clone()));
    }
    rows.push((Key::Fill(NO_DATA), text.no_data.clone()));
    if markers {
        rows.push((Key::Office, text.office.clone()));
    }
    rows
}

/// Diagonal lines over a polygon's bounding box, clipped by drawing only the segments inside it (suppressed cells).
fn hatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    ring: &[(i32, i32)],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let inside = |x: f64, y: f64| {
        let mut c = false;
        for w in ring.windows(2) {
            let ((x0, y0), (x1, y1)) = ((f64::from(w[0].0), f64::from(w[0].1)), (f64::from(w[1].0), f64::from(w[1].1)));
            if (y0 > y) != (y1 > y) && x < x0 + (y - y0) / (y1 - y0) * (x1 - x0) {
                c = !c;
            }
        }
        c
    };
    let (x0, x1) = ring.iter().fold((i32::MAX, i32::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (y0, y1) = ring.iter().fold((i32::MAX, i32::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let mut k = x0 - (y1 - y0);
    while k < x1 {
        // The line x - y = k - y0, sampled every 2 px: runs of inside points become segments.
        let mut run: Option<(i32, i32)> = None;
        for y in (y0..=y1).step_by(2) {
            let x = k + (y - y0);
            let is_in = inside(f64::from(x), f64::from(y));
            match (is_in, run) {
                (true, None) => run = Some((x, y)),
                (false, Some(start)) => {
                    area.draw(&PathElement::new(vec![start, (x - 2, y - 2)], INK.stroke_width(1)))?;
                    run = None;
                }
                _ => {}
            }
        }
        if let Some(start) = run {
            area.draw(&PathElement::new(vec![start, (k + (y1 - y0), y1)], INK.stroke_width(1)))?;
        }
        k += 10;
    }
    Ok(())
}

/// Where a department's label (two letters, centred) goes: just under its label point, unless an office marker
/// would cover it there; then the first spot around the point that no marker covers (markers are drawn last).
pub fn label_spot((x, y): (i32, i32), markers: &[(i32, i32)]) -> (i32, i32) {
    // Half the label's width and height at 14 px, plus the largest marker's radius.
    let (half_w, half_h) = (12 + MARKER_RADIUS + 3, 8 + MARKER_RADIUS + 3);
    let clear =
        |(lx, ly): (i32, i32)| markers.iter().all(|&(mx, my)| (mx - lx).abs() > half_w || (my - ly).abs() > half_h);
    let below = (x, y + 12);
    [below, (x, y - 12), (x, y + 32), (x + 30, y + 12), (x - 30, y + 12)]
        .into_iter()
        .find(|&p| clear(p))
        .unwrap_or(below)
}

/// The legend, in the empty lower-right corner of the bounding box (Nicaragua's side).
#[allow(clippy::many_single_char_names)] // w, h, x, y: the geometry's usual names
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[(Key, String)],
    text: &MapText,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let line = 24;
    let x = w - 250;
    let mut y = h - 16 - line * (rows.len() as i32 + 2);
    let left = |size: u32| font(size).color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw(&Text::new(text.legend_title.clone(), (x, y + line / 2), left(15)))?;
    y += line;
    area.draw(&Text::new(text.classes.clone(), (x, y + line / 2), left(13)))?;
    y += line;
    for (key, label) in rows {
        let swatch = [(x, y + 3), (x + 28, y + line - 3)];
        match *key {
            Key::Fill(fill) => {
                area.draw(&Rectangle::new(swatch, fill.filled()))?;
                area.draw(&Rectangle::new(swatch, INK.stroke_width(1)))?;
            }
            Key::Hatched => {
                area.draw(&Rectangle::new(swatch, NO_DATA.filled()))?;
                area.draw(&Rectangle::new(swatch, INK.stroke_width(1)))?;
                hatch(area, &[(x, y + 3), (x + 28, y + 3), (x + 28, y + line - 3), (x, y + line - 3), (x, y + 3)])?;
            }
            Key::Office => {
                let at = (x + 14, y + line / 2);
                area.draw(&Circle::new(at, MARKER_RADIUS, WHITE.filled()))?;
                area.draw(&Circle::new(at, MARKER_RADIUS, INK.stroke_width(2)))?;
                area.draw(&Circle::new(at, 2, INK.filled()))?;
            }
        }
        area.draw(&Text::new(label.clone(), (x + 38, y + line / 2), left(14)))?;
        y += line;
    }
    Ok(())
}
