//! The roadmap's Gantt timeline: interventions grouped by strategy, the planned bar (light, outlined) with the
//! actual bar inside it (dark), milestones as markers whose shape and colour both tell their status, a line at the
//! snapshot date and a dashed one at a key date. A replanned milestone also shows its baseline: a hollow grey
//! diamond joined to its marker by a dotted line. Wide canvases put the label left of the bar; narrow ones (phones)
//! put it above, so labels keep a readable size. [`Layout::line_at`] maps a click back to a line.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use shared::dashboard::Light;
use shared::date::Day;

use super::font;
use super::palette::{INK, MUTED, WHITE};

/// How a milestone is drawn: every status has its own shape, so colour is never the only cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Filled circle.
    Done,
    /// Filled triangle.
    DoneLate,
    /// Hollow circle.
    Pending,
    /// Thick cross.
    Missed,
    /// Short grey dash.
    Cancelled,
}

impl Marker {
    pub fn of_status(status: &str) -> Self {
        match status {
            "cumplido" => Self::Done,
            "cumplido_con_retraso" => Self::DoneLate,
            "no_cumplido" => Self::Missed,
            "cancelado" => Self::Cancelled,
            _ => Self::Pending,
        }
    }

    /// Okabe–Ito colours (safe for common colour-vision deficiencies).
    pub const fn colour(self) -> RGBColor {
        match self {
            Self::Done => RGBColor(0, 114, 178),
            Self::DoneLate => RGBColor(230, 159, 0),
            Self::Pending => INK,
            Self::Missed => RGBColor(213, 94, 0),
            Self::Cancelled => MUTED,
        }
    }
}

/// The traffic light's badge colour (the letter inside it says the same).
pub const fn light_colour(light: Light) -> RGBColor {
    match light {
        Light::Green => RGBColor(26, 127, 55),
        Light::Amber => RGBColor(240, 180, 0),
        Light::Red => RGBColor(180, 35, 24),
        Light::Grey => RGBColor(108, 117, 125),
    }
}

/// One intervention's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub code: String,
    pub label: String,
    pub planned: (Day, Day),
    /// Actual start and end; an unfinished intervention's actual bar runs to the snapshot date.
    pub actual: Option<(Day, Day)>,
    pub milestones: Vec<(Day, Marker)>,
    /// Replanned milestones: baseline and current date.
    pub baselines: Vec<(Day, Day)>,
    pub light: Light,
    /// The light's letter (V, A, R, —), printed in its badge.
    pub light_letter: &'static str,
    /// Drawn with a heavy outline (keyboard focus or open detail).
    pub focused: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// A strategy's heading.
    Group(String),
    Item(Item),
}

/// Pixel geometry, shared by drawing and hit-testing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub width: i32,
    /// Left column for labels; 0 when labels sit above the bars.
    pub label_width: i32,
    pub axis_height: i32,
    pub group_height: i32,
    pub item_height: i32,
}

impl Layout {
    /// Labels beside bars from 760 px wide; above them below that.
    pub fn for_width(width: u32) -> Self {
        let width = width.max(240) as i32;
        let stacked = width < 760;
        Self {
            width,
            label_width: if stacked { 0 } else { (width * 38 / 100).min(520) },
            axis_height: 66,
            group_height: 34,
            item_height: if stacked { 48 } else { 32 },
        }
    }

    pub const fn stacked(&self) -> bool {
        self.label_width == 0
    }

    fn line_height(&self, line: &Line) -> i32 {
        match line {
            Line::Group(_) => self.group_height,
            Line::Item(_) => self.item_height,
        }
    }

    pub fn height(&self, lines: &[Line]) -> u32 {
        (self.axis_height + lines.iter().map(|l| self.line_height(l)).sum::<i32>() + 8) as u32
    }

    /// The index of the line at a vertical pixel position.
    pub fn line_at(&self, lines: &[Line], y: f64) -> Option<usize> {
        let mut top = f64::from(self.axis_height);
        for (i, line) in lines.iter().enumerate() {
            let bottom = top + f64::from(self.line_height(line));
            if y >= top && y < bottom {
                return Some(i);
            }
            top = bottom;
        }
        None
    }

    fn plot_left(&self) -> i32 {
        self.label_width + 12
    }

    fn plot_right(&self) -> i32 {
        self.width - 16
    }
}

/// Time ticks of a window: months when it spans at most 16 months (labelled every 1, 2 or 3), else quarters.
/// Quarters are named in `lang` (`T1 2025`, `Q1 2025`).
pub fn ticks(window: (Day, Day), short_month: impl Fn(i32, u32) -> String, lang: shared::Lang) -> Vec<(Day, String)> {
    let (from, to) = window;
    let (y0, m0, _) = from.ymd();
    let months = ((to.0 - from.0) as f64 / 30.44).ceil() as i32;
    let step = match months {
        0..=6 => 1,
        7..=16 => 2,
        _ => 3,
    };
    let (mut y, mut m) = (y0, m0);
    if step == 3 {
        m = (m - 1) / 3 * 3 + 1;
    }
    let mut out = Vec::new();
    loop {
        let day = Day::from_ymd(y, m, 1);
        if day > to {
            break;
        }
        if day >= from {
            let label = if step == 3 { shared::format::quarter(y, (m - 1) / 3 + 1, lang) } else { short_month(y, m) };
            out.push((day, label));
        }
        m += step as u32;
        if m > 12 {
            m -= 12;
            y += 1;
        }
    }
    out
}

/// Words the chart prints, in the page's language.
#[derive(Debug, Clone)]
pub struct Words {
    pub today: String,
    pub key_date: Option<String>,
    /// The language of the axis' quarters (`T1 2025`, `Q1 2025`).
    pub lang: shared::Lang,
}

/// The dates a timeline shows: its window, the snapshot date, and a marked key date (e.g. elections).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    pub window: (Day, Day),
    pub today: Day,
    pub key_date: Option<Day>,
}

/// Draws the timeline.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    lines: &[Line],
    dates: Dates,
    words: &Words,
    short_month: impl Fn(i32, u32) -> String,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let Dates { window, today, key_date } = dates;
    area.fill(&WHITE)?;
    let (left, right) = (layout.plot_left(), layout.plot_right());
    let span = (window.1.0 - window.0.0).max(1) as f64;
    let x_of = |d: Day| left + (((d.0 - window.0.0) as f64 / span) * f64::from(right - left)).round() as i32;
    let clamp = |d: Day| d.clamp(window.0, window.1);
    let bottom = layout.height(lines) as i32 - 8;
    let text = |size: u32, colour: RGBColor, h: HPos| font(size).color(&colour).pos(Pos::new(h, VPos::Center));

    // Time axis: ticks across every line; labels on top, thinned so that they never touch (about 8 px a
    // character at 14 px).
    let all = ticks(window, &short_month, words.lang);
    let widest = all.iter().map(|(_, l)| l.chars().count()).max().unwrap_or(4) as i32 * 8 + 12;
    let gap = if all.len() > 1 { (right - left) / (all.len() as i32 - 1).max(1) } else { right - left };
    let every = usize::try_from((widest + gap - 1) / gap.max(1)).unwrap_or(1).max(1);
    for (n, (day, label)) in all.into_iter().enumerate() {
        let x = x_of(day);
        area.draw(&PathElement::new(
            vec![(x, layout.axis_height - 6), (x, bottom)],
            RGBColor(222, 226, 230).stroke_width(1),
        ))?;
        if n % every == 0 {
            area.draw(&Text::new(label, (x + 4, layout.axis_height - 16), text(14, INK, HPos::Left)))?;
        }
    }
    // The snapshot date and the key date, each labelled on its own row above the axis (on the side with room).
    let marks: Vec<(i32, &String, RGBColor, bool, i32)> = [
        (window.0..=window.1).contains(&today).then(|| (x_of(today), &words.today, INK, false, 10)),
        key_date
            .filter(|d| (window.0..=window.1).contains(d))
            .zip(words.key_date.as_ref())
            .map(|(d, label)| (x_of(d), label, RGBColor(150, 60, 0), true, 28)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mark_line = |x: i32, dashed: bool, from: i32, to: i32| -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        if dashed {
            area.draw(&DashedPathElement::new(vec![(x, from), (x, to)], 8, 5, Marker::Missed.colour().stroke_width(2)))
        } else {
            area.draw(&PathElement::new(vec![(x, from), (x, to)], INK.stroke_width(2)))
        }
    };
    for &(x, label, colour, _, y) in &marks {
        let (h, dx) = if x > layout.width / 2 { (HPos::Right, -4) } else { (HPos::Left, 4) };
        area.draw(&Text::new(label.clone(), (x + dx, y), text(14, colour, h)))?;
    }
    // On narrow canvases the labels sit above the bars: the date lines go under the labels and over the bars.
    if layout.stacked() {
        for &(x, _, _, dashed, _) in &marks {
            mark_line(x, dashed, layout.axis_height - 8, bottom)?;
        }
    }

    let mut top = layout.axis_height;
    let mut bands = Vec::new();
    for line in lines {
        match line {
            Line::Group(name) => {
                area.draw(&Rectangle::new(
                    [(0, top + 4), (layout.width, top + layout.group_height - 2)],
                    RGBColor(241, 243, 245).filled(),
                ))?;
                area.draw(&Text::new(
                    name.clone(),
                    (8, top + layout.group_height / 2 + 1),
                    font(16).style(FontStyle::Bold).color(&INK).pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
                top += layout.group_height;
            }
            Line::Item(item) => {
                bands.push(draw_item(area, layout, item, top, window, &x_of, &clamp, &text)?);
                top += layout.item_height;
            }
        }
    }
    for &(x, _, _, dashed, _) in &marks {
        if layout.stacked() {
            for &(a, b) in &bands {
                mark_line(x, dashed, a, b)?;
            }
        } else {
            mark_line(x, dashed, layout.axis_height - 8, bottom)?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn draw_item<DB: DrawingBackend, T: Fn(u32, RGBColor, HPos) -> TextStyle<'static>>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    item: &Item,
    top: i32,
    window: (Day, Day),
    x_of: &impl Fn(Day) -> i32,
    clamp: &impl Fn(Day) -> Day,
    text: &T,
) -> Result<(i32, i32), DrawingAreaErrorKind<DB::ErrorType>> {
    let h = layout.item_height;
    // Label (with the light's badge) beside the bar, or above it on narrow canvases.
    let (label_mid, bar_mid) = if layout.stacked() { (top + 12, top + 33) } else { (top + h / 2, top + h / 2) };
    let badge = light_colour(item.light);
    area.draw(&Rectangle::new([(6, label_mid - 9), (24, label_mid + 9)], badge.filled()))?;
    let badge_ink = if matches!(item.light, Light::Amber) { INK } else { WHITE };
    area.draw(&Text::new(item.light_letter, (15, label_mid + 1), text(13, badge_ink, HPos::Center)))?;
    let room = if layout.stacked() { layout.width - 36 } else { layout.label_width - 36 };
    let label = fit(&format!("{} · {}", item.code, item.label), room, 7.6);
    if layout.stacked() {
        let w = (label.chars().count() as f64 * 7.6) as i32 + 8;
        area.draw(&Rectangle::new([(26, label_mid - 10), (30 + w, label_mid + 10)], WHITE.filled()))?;
    }
    area.draw(&Text::new(label, (30, label_mid), text(15, INK, HPos::Left)))?;
    if item.focused {
        area.draw(&Rectangle::new([(2, top + 1), (layout.width - 2, top + h - 1)], INK.stroke_width(3)))?;
    }
    let overlaps = |(a, b): (Day, Day)| b >= window.0 && a <= window.1;
    let (ps, pe) = item.planned;
    if overlaps(item.planned) {
        let (x0, x1) = (x_of(clamp(ps)), x_of(clamp(pe)).max(x_of(clamp(ps)) + 2));
        area.draw(&Rectangle::new([(x0, bar_mid - 10), (x1, bar_mid + 10)], RGBColor(214, 222, 235).filled()))?;
        area.draw(&Rectangle::new([(x0, bar_mid - 10), (x1, bar_mid + 10)], RGBColor(90, 100, 120).stroke_width(1)))?;
    }
    if let Some(actual) = item.actual.filter(|a| overlaps(*a)) {
        let (x0, x1) = (x_of(clamp(actual.0)), x_of(clamp(actual.1)).max(x_of(clamp(actual.0)) + 2));
        area.draw(&Rectangle::new([(x0, bar_mid - 4), (x1, bar_mid + 4)], RGBColor(37, 52, 148).filled()))?;
    }
    for &(baseline, planned) in item.baselines.iter().filter(|(d, _)| (window.0..=window.1).contains(d)) {
        let (x, to) = (x_of(baseline), x_of(clamp(planned)));
        area.draw(&DashedPathElement::new(vec![(x, bar_mid), (to, bar_mid)], 2, 3, BASELINE.stroke_width(2)))?;
        draw_baseline(area, (x, bar_mid))?;
    }
    for &(day, marker) in item.milestones.iter().filter(|(d, _)| (window.0..=window.1).contains(d)) {
        draw_marker(area, (x_of(day), bar_mid), marker)?;
    }
    Ok((bar_mid - 12, bar_mid + 12))
}

/// The colour of a replanned milestone's baseline (a grey dark enough on the planned bar's blue).
pub const BASELINE: RGBColor = RGBColor(73, 80, 87);

/// A replanned milestone's baseline: a hollow diamond.
fn draw_baseline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let points = vec![(x, y - 7), (x + 7, y), (x, y + 7), (x - 7, y)];
    area.draw(&Polygon::new(points.clone(), WHITE.filled()))?;
    area.draw(&PathElement::new(vec![points[0], points[1], points[2], points[3], points[0]], BASELINE.stroke_width(2)))
}

fn draw_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    marker: Marker,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let c = marker.colour();
    match marker {
        Marker::Done => {
            area.draw(&Circle::new((x, y), 7, WHITE.filled()))?;
            area.draw(&Circle::new((x, y), 6, c.filled()))?;
        }
        Marker::DoneLate => {
            let points = vec![(x, y - 8), (x + 8, y + 6), (x - 8, y + 6)];
            area.draw(&Polygon::new(points.clone(), c.filled()))?;
            area.draw(&PathElement::new(vec![points[0], points[1], points[2], points[0]], INK.stroke_width(1)))?;
        }
        Marker::Pending => {
            area.draw(&Circle::new((x, y), 6, WHITE.filled()))?;
            area.draw(&Circle::new((x, y), 6, c.stroke_width(2)))?;
        }
        Marker::Missed => {
            area.draw(&Circle::new((x, y), 8, WHITE.filled()))?;
            area.draw(&PathElement::new(vec![(x - 6, y - 6), (x + 6, y + 6)], c.stroke_width(3)))?;
            area.draw(&PathElement::new(vec![(x - 6, y + 6), (x + 6, y - 6)], c.stroke_width(3)))?;
        }
        Marker::Cancelled => {
            area.draw(&PathElement::new(vec![(x - 6, y), (x + 6, y)], c.stroke_width(3)))?;
        }
    }
    Ok(())
}

/// Cuts a label to about `room` pixels at `px_per_char`, ending it with "…" when cut.
pub fn fit(label: &str, room: i32, px_per_char: f64) -> String {
    let max = (f64::from(room.max(0)) / px_per_char).floor() as usize;
    if label.chars().count() <= max {
        return label.to_owned();
    }
    let mut out: String = label.chars().take(max.saturating_sub(1)).collect();
    out = out.trim_end().to_owned();
    out.push('…');
    out
}
