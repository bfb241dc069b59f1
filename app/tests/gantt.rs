//! The roadmap timeline's geometry and drawing, compiled to wasm32 and run in headless Chromium.

use app::charts::gantt::{self, Item, Layout, Line, Marker, fit, ticks};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use shared::Lang;
use shared::dashboard::Light;
use shared::date::Day;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod common;

use common::{canvas, pixel};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn clicks_map_back_to_lines() {
    let layout = Layout::for_width(1200);
    let item = Item {
        code: "X".into(),
        label: "x".into(),
        planned: (Day(0), Day(10)),
        actual: None,
        milestones: vec![],
        baselines: vec![],
        light: Light::Grey,
        light_letter: "—",
        focused: false,
    };
    let lines = vec![Line::Group("INT".into()), Line::Item(item.clone()), Line::Item(item)];
    let top = f64::from(layout.axis_height);
    assert_eq!(layout.line_at(&lines, top - 1.0), None);
    assert_eq!(layout.line_at(&lines, top + 1.0), Some(0));
    assert_eq!(layout.line_at(&lines, top + f64::from(layout.group_height) + 1.0), Some(1));
    let end = top + f64::from(layout.group_height + 2 * layout.item_height);
    assert_eq!(layout.line_at(&lines, end - 1.0), Some(2));
    assert_eq!(layout.line_at(&lines, end + 1.0), None);
    assert!(Layout::for_width(390).stacked() && !layout.stacked());
}

#[wasm_bindgen_test]
fn long_labels_are_cut_with_an_ellipsis() {
    assert_eq!(fit("corto", 100, 8.0), "corto");
    assert_eq!(fit("una etiqueta bastante larga", 80, 8.0), "una etiqu…");
}

#[wasm_bindgen_test]
fn ticks_are_months_or_quarters() {
    let month = |y: i32, m: u32| format!("{m}/{y}");
    let year = ticks((Day::from_ymd(2026, 1, 1), Day::from_ymd(2026, 12, 31)), month, Lang::Es);
    assert_eq!(year.len(), 6, "every second month over a year: {year:?}");
    assert_eq!(year[0].1, "1/2026");
    let plan = ticks((Day::from_ymd(2025, 1, 1), Day::from_ymd(2027, 6, 30)), month, Lang::Es);
    assert_eq!(plan.first().map(|t| t.1.as_str()), Some("T1 2025"));
    let plan_en = ticks((Day::from_ymd(2025, 1, 1), Day::from_ymd(2027, 6, 30)), month, Lang::En);
    assert_eq!(plan_en.first().map(|t| t.1.as_str()), Some("Q1 2025"), "quarters in English");
    assert_eq!(plan.len(), 10);
    let quarter = ticks((Day::from_ymd(2026, 10, 1), Day::from_ymd(2026, 12, 31)), month, Lang::Es);
    assert_eq!(quarter.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["10/2026", "11/2026", "12/2026"]);
}

#[wasm_bindgen_test]
fn bars_markers_and_the_cut_off_line_land_on_their_dates() {
    let window = (Day::from_ymd(2026, 1, 1), Day::from_ymd(2026, 12, 31));
    let item = Item {
        code: "HR-INT-001".into(),
        label: "Ventanilla".into(),
        planned: (Day::from_ymd(2026, 2, 1), Day::from_ymd(2026, 11, 30)),
        actual: Some((Day::from_ymd(2026, 3, 1), Day::from_ymd(2026, 6, 30))),
        milestones: vec![(Day::from_ymd(2026, 4, 15), Marker::Done), (Day::from_ymd(2026, 9, 15), Marker::Missed)],
        baselines: vec![],
        light: Light::Red,
        light_letter: "R",
        focused: false,
    };
    let lines = vec![Line::Group("Intervención".into()), Line::Item(item)];
    let layout = Layout::for_width(1200);
    let c = canvas(1200, layout.height(&lines));
    let backend = CanvasBackend::with_canvas_object(c.clone()).expect("backend");
    let words = gantt::Words { today: "Corte 30/06/2026".into(), key_date: None, lang: shared::Lang::Es };
    gantt::draw(
        &backend.into_drawing_area(),
        &layout,
        &lines,
        gantt::Dates { window, today: Day::from_ymd(2026, 6, 30), key_date: None },
        &words,
        |y, m| format!("{m}/{y}"),
    )
    .expect("draws");
    let left = f64::from(layout.label_width + 12);
    let right = f64::from(layout.width - 16);
    let x_of = |d: Day| left + (d.0 - window.0.0) as f64 / (window.1.0 - window.0.0) as f64 * (right - left);
    let mid = f64::from(layout.axis_height + layout.group_height + layout.item_height / 2);
    // Planned only (light), actual inside it (dark), nothing before the plan.
    assert_eq!(pixel(&c, x_of(Day::from_ymd(2026, 2, 15)), mid - 8.0), [214, 222, 235], "planned bar");
    assert_eq!(pixel(&c, x_of(Day::from_ymd(2026, 5, 10)), mid), [37, 52, 148], "actual bar");
    assert_eq!(pixel(&c, x_of(Day::from_ymd(2026, 1, 10)), mid), [255, 255, 255], "before the plan");
    // The done milestone is a blue disc; the missed one a vermillion cross.
    assert_eq!(pixel(&c, x_of(Day::from_ymd(2026, 4, 15)).round(), mid), [0, 114, 178], "done marker");
    let cross = x_of(Day::from_ymd(2026, 9, 15)).round();
    let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 40);
    assert!(near(pixel(&c, cross, mid.round()), [213, 94, 0]), "missed marker: {:?}", pixel(&c, cross, mid));
    // The red light's badge.
    assert_eq!(pixel(&c, 8.0, mid - 6.0), [180, 35, 24]);
}
