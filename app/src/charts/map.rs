//! The choropleth of departments: quantile classes, a legend, labels, and a distinct "no data" style.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use shared::geo::Regions;

use super::FONT;
use super::palette::{Classes, INK, NO_DATA, WHITE, needs_dark_text};

/// Texts drawn into the map, in the interface language.
#[derive(Debug, Clone)]
pub struct MapText {
    pub legend_title: String,
    pub no_data: String,
}

/// One region's value; `None` is "no data", never zero.
#[derive(Debug, Clone, Copy)]
pub struct RegionValue<'a> {
    pub id: &'a str,
    /// Short label drawn on the region.
    pub label: &'a str,
    pub value: Option<f64>,
}

/// Fits lon/lat into the area, keeping shape (equirectangular, scaled by cos of the mid latitude).
struct Projection {
    lon0: f64,
    lat1: f64,
    kx: f64,
    scale: f64,
    dx: f64,
    dy: f64,
}

impl Projection {
    fn fit(bbox: [f64; 4], (w, h): (u32, u32), margin: f64) -> Self {
        let kx = f64::midpoint(bbox[1], bbox[3]).to_radians().cos();
        let (gw, gh) = ((bbox[2] - bbox[0]) * kx, bbox[3] - bbox[1]);
        let (aw, ah) = (f64::from(w) - 2.0 * margin, f64::from(h) - 2.0 * margin);
        let scale = (aw / gw).min(ah / gh);
        Self {
            lon0: bbox[0],
            lat1: bbox[3],
            kx,
            scale,
            dx: margin + (aw - gw * scale) / 2.0,
            dy: margin + (ah - gh * scale) / 2.0,
        }
    }

    fn px(&self, (lon, lat): (f64, f64)) -> (i32, i32) {
        let x = self.dx + (lon - self.lon0) * self.kx * self.scale;
        let y = self.dy + (self.lat1 - lat) * self.scale;
        (x.round() as i32, y.round() as i32)
    }
}

/// Draws the map, its labels and legend. Returns the classes used, for the legend in HTML and tests.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    geo: &Regions,
    values: &[RegionValue<'_>],
    text: &MapText,
) -> Result<Option<Classes>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let size = area.dim_in_pixel();
    let projection = Projection::fit(geo.bbox, size, 8.0);
    let finite: Vec<f64> = values.iter().filter_map(|v| v.value).collect();
    let classes = Classes::quantiles(&finite);
    let fill_of = |id: &str| {
        let value = values.iter().find(|v| v.id == id).and_then(|v| v.value);
        match (value, &classes) {
            (Some(x), Some(c)) => c.colour(c.class_of(x)),
            _ => NO_DATA,
        }
    };
    for region in &geo.regions {
        let fill = fill_of(&region.id);
        for polygon in &region.polygons {
            for (i, ring) in polygon.iter().enumerate() {
                let points: Vec<(i32, i32)> = ring.iter().map(|&p| projection.px(p)).collect();
                // Holes (lagoons) are water: paint them back to the background.
                let style = if i == 0 { fill.filled() } else { WHITE.filled() };
                area.draw(&Polygon::new(points.clone(), style))?;
                area.draw(&PathElement::new(points, INK.stroke_width(1)))?;
            }
        }
    }
    let font = |size: u32| (FONT, size).into_font();
    for region in &geo.regions {
        let Some(v) = values.iter().find(|v| v.id == region.id) else { continue };
        let colour = if needs_dark_text(fill_of(&region.id)) { INK } else { WHITE };
        let style = font(14).color(&colour).pos(Pos::new(HPos::Center, VPos::Center));
        area.draw(&Text::new(v.label.to_owned(), projection.px(region.label_point()), style))?;
    }
    draw_legend(area, classes.as_ref(), text)?;
    Ok(classes)
}

/// The legend, in the empty lower-right corner of the bounding box (Nicaragua's side).
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    classes: Option<&Classes>,
    text: &MapText,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let rows = classes.map_or(0, |c| c.upper.len()) as i32 + 1;
    let line = 24;
    let x = w - 250;
    let mut y = h - 16 - line * (rows + 1);
    let left = |size: u32| (FONT, size).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
    area.draw(&Text::new(text.legend_title.clone(), (x, y + line / 2), left(15)))?;
    y += line;
    let entry = |fill: RGBColor, label: String, y: i32| -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        area.draw(&Rectangle::new([(x, y + 3), (x + 28, y + line - 3)], fill.filled()))?;
        area.draw(&Rectangle::new([(x, y + 3), (x + 28, y + line - 3)], INK.stroke_width(1)))?;
        area.draw(&Text::new(label, (x + 38, y + line / 2), left(14)))
    };
    if let Some(c) = classes {
        for i in 0..c.upper.len() {
            let (lo, hi) = c.range(i);
            let label = if lo >= hi {
                shared::format::count(hi)
            } else {
                format!("{} – {}", shared::format::count(lo), shared::format::count(hi))
            };
            entry(c.colour(i), label, y)?;
            y += line;
        }
    }
    entry(NO_DATA, text.no_data.clone(), y)
}
