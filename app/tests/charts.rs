//! The app's drawing and decoding, compiled to wasm32 and run in headless Chromium (wasm-bindgen-test).

use app::charts::{bars, map};
use app::model::Overview;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let canvas: HtmlCanvasElement = document.create_element("canvas").expect("canvas").dyn_into().expect("is a canvas");
    canvas.set_width(width);
    canvas.set_height(height);
    document.body().expect("body").append_child(&canvas).expect("attached");
    canvas
}

fn pixel(canvas: &HtmlCanvasElement, x: f64, y: f64) -> [u8; 3] {
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().expect("2d context").dyn_into().expect("2d");
    let d = ctx.get_image_data(x, y, 1.0, 1.0).expect("pixel").data();
    [d[0], d[1], d[2]]
}

fn overview() -> Overview {
    // The same path as the page: Arrow IPC bytes decoded in wasm, then aggregated over the columns.
    let batch = shared::demo::facts(&shared::demo::DemoConfig::default());
    let bytes = shared::ipc::write_stream(&batch).expect("encode");
    let facts = app::api::decode_facts(&bytes).expect("decode in wasm");
    Overview::compute(&facts).expect("demo has monthly COB-01")
}

#[wasm_bindgen_test]
fn map_colours_departments_and_marks_no_data_grey() {
    let model = overview();
    let geo = shared::geo::departments().expect("geometry");
    let values: Vec<map::RegionValue> =
        model.departments.iter().map(|d| map::RegionValue { id: d.iso, label: "", value: d.value() }).collect();
    let c = canvas(960, 560);
    let text = map::MapText { legend_title: "Personas".into(), no_data: "Sin datos".into() };
    let backend = CanvasBackend::with_canvas_object(c.clone()).expect("backend");
    let classes = map::draw(&backend.into_drawing_area(), &geo, &values, &text).expect("drawn").expect("classes");
    assert_eq!(classes.upper.len(), 5);
    // Gracias a Dios (no office) sits at the east end: its interior is the no-data grey.
    assert_eq!(pixel(&c, 745.0, 200.0), [224, 224, 224]);
    assert_ne!(pixel(&c, 5.0, 5.0), [224, 224, 224], "the background is not painted as no data");
}

#[wasm_bindgen_test]
fn bars_start_at_zero_and_are_ordered() {
    let model = overview();
    let ranked = model.ranked();
    assert_eq!(ranked.len(), 16, "16 departments have an office");
    assert!(ranked.windows(2).all(|w| w[0].value() >= w[1].value()));
    let data: Vec<bars::Bar> =
        ranked.iter().map(|d| bars::Bar { label: d.name.into(), value: d.value().unwrap_or(0.0) }).collect();
    let c = canvas(640, 488);
    let backend = CanvasBackend::with_canvas_object(c.clone()).expect("backend");
    bars::draw(&backend.into_drawing_area(), &data, shared::format::count).expect("drawn");
    // The first bar begins right after the label column.
    assert_eq!(pixel(&c, 192.0, 4.0 + 15.0), [37, 52, 148]);
}

#[wasm_bindgen_test]
fn quantiles_split_values_evenly_and_cover_them() {
    use app::charts::palette::Classes;
    let values: Vec<f64> = (1..=10).map(f64::from).collect();
    let c = Classes::quantiles(&values).expect("classes");
    assert_eq!(c.upper, vec![2.0, 4.0, 6.0, 8.0, 10.0]);
    assert_eq!(c.class_of(1.0), 0);
    assert_eq!(c.class_of(10.0), 4);
    assert_eq!(c.range(1), (3.0, 4.0));
    let single = Classes::quantiles(&[5.0, 5.0, 5.0]).expect("classes");
    assert_eq!(single.upper, vec![5.0]);
    assert!(Classes::quantiles(&[f64::NAN]).is_none());
}

#[wasm_bindgen_test]
fn text_colour_follows_fill() {
    use app::charts::palette::{SEQUENTIAL, needs_dark_text};
    assert!(needs_dark_text(SEQUENTIAL[0]));
    assert!(!needs_dark_text(SEQUENTIAL[4]));
}
