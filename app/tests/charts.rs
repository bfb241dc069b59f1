//! The app's drawing and decoding, compiled to wasm32 and run in headless Chromium (wasm-bindgen-test).

use app::charts::{bars, map};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use shared::dashboard::{Breakdown, Dims, Place};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod common;

use common::{canvas, pixel};

wasm_bindgen_test_configure!(run_in_browser);

fn breakdown() -> Breakdown {
    // The same path as the page: Arrow IPC bytes decoded in wasm, then aggregated over the columns.
    let batch = shared::demo::facts(&shared::demo::DemoConfig::default());
    let bytes = shared::ipc::write_stream(&batch).expect("encode");
    let facts = app::api::decode_facts(bytes).expect("decode in wasm");
    Breakdown::compute(
        &facts,
        &shared::codebook::CodeBook::builtin(),
        "COB-01",
        "2026-01",
        "2026-10",
        &Place::National,
        &Dims::default(),
    )
    .expect("COB-01")
}

fn text() -> map::MapText {
    map::MapText {
        legend_title: "Personas".into(),
        classes: "Clases: cortes naturales (Jenks)".into(),
        no_data: "Sin datos".into(),
        zero: "Cero".into(),
        suppressed: "Suprimido".into(),
        office: "Oficina".into(),
        decimals: 0,
        labels: true,
        legend: true,
        legend_aside: false,
    }
}

#[wasm_bindgen_test]
fn the_pointer_hits_the_marker_drawn_there_before_its_department() {
    let geo = shared::geo::departments().expect("geometry");
    let size = (960, 600);
    let projection = shared::geo::Projection::for_map(&geo, size);
    let juticalpa = shared::codes::DEMO_TERRITORIES[13].lon_lat;
    // An office without a position comes first and is never hit; Juticalpa is, at its marker and just beside it.
    let offices = [None, Some(juticalpa)];
    let (x, y) = projection.px(juticalpa);
    let at = |dx: i32| (f64::from(x + dx), f64::from(y));
    assert_eq!(map::hit(&geo, size, false, &offices, at(0)), Some(map::Hit::Office(1)));
    assert_eq!(map::hit(&geo, size, false, &offices, at(map::MARKER_RADIUS + 3)), Some(map::Hit::Office(1)));
    // Farther away, Olancho itself; off the country, nothing.
    assert_eq!(map::hit(&geo, size, false, &offices, at(40)), Some(map::Hit::Region("HN-OL")));
    assert_eq!(map::hit(&geo, size, false, &[], (2.0, 2.0)), None);
}

#[wasm_bindgen_test]
fn map_colours_departments_and_marks_no_data_grey() {
    let b = breakdown();
    let geo = shared::geo::departments().expect("geometry");
    let values: Vec<map::RegionValue> = b
        .by_department
        .iter()
        .map(|(d, s)| map::RegionValue { id: d.iso, label: "", value: s.and_then(|s| s.value()), suppressed: false })
        .collect();
    let markers: Vec<map::Marker> =
        shared::codes::DEMO_TERRITORIES.iter().map(|t| map::Marker { lon_lat: t.lon_lat, selected: false }).collect();
    let c = canvas(960, 560);
    let backend = CanvasBackend::with_canvas_object(c.clone()).expect("backend");
    let classes =
        map::draw(&backend.into_drawing_area(), &geo, &values, &markers, Some("HN-CR"), &text()).expect("drawn");
    assert_eq!(classes.expect("classes").upper.len(), 5);
    // Gracias a Dios (no office) sits at the east end: its interior is the no-data grey.
    assert_eq!(pixel(&c, 745.0, 200.0), [224, 224, 224]);
    assert_ne!(pixel(&c, 5.0, 5.0), [224, 224, 224], "the background is not painted as no data");
    // Each office is a white disc with a dark centre.
    let projection = shared::geo::Projection::for_map(&geo, (960, 560));
    let (x, y) = projection.px(shared::codes::DEMO_TERRITORIES[13].lon_lat);
    assert_eq!(pixel(&c, f64::from(x), f64::from(y)), [33, 37, 41], "Juticalpa's marker centre");
    let disc = pixel(&c, f64::from(x + 4), f64::from(y));
    assert!(disc.iter().all(|&v| v > 200), "Juticalpa's marker disc is light (anti-aliased): {disc:?}");
}

#[wasm_bindgen_test]
fn suppressed_departments_are_hatched_and_zero_is_white() {
    let geo = shared::geo::departments().expect("geometry");
    let values = [
        map::RegionValue { id: "HN-OL", label: "", value: None, suppressed: true },
        map::RegionValue { id: "HN-GD", label: "", value: Some(0.0), suppressed: false },
        map::RegionValue { id: "HN-FM", label: "", value: Some(10.0), suppressed: false },
    ];
    let c = canvas(960, 560);
    let backend = CanvasBackend::with_canvas_object(c.clone()).expect("backend");
    map::draw(&backend.into_drawing_area(), &geo, &values, &[], None, &text()).expect("drawn");
    assert_eq!(pixel(&c, 745.0, 200.0), [255, 255, 255], "zero is white, not the no-data grey");
    // Olancho: grey with dark hatching lines somewhere along a row through it.
    let projection = shared::geo::Projection::for_map(&geo, (960, 560));
    let (x, y) = projection.px(geo.regions.iter().find(|r| r.id == "HN-OL").expect("Olancho").label_point());
    let row: Vec<[u8; 3]> = (0..40).map(|dx| pixel(&c, f64::from(x - 20 + dx), f64::from(y))).collect();
    assert!(row.contains(&[224, 224, 224]) && row.iter().any(|p| p[0] < 120), "{row:?}");
}

#[wasm_bindgen_test]
fn bars_start_at_zero_and_say_missing_values_in_words() {
    let b = breakdown();
    let mut data: Vec<bars::Bar> = b
        .by_department
        .iter()
        .filter_map(|(d, s)| s.map(|s| (d, s)))
        .map(|(d, s)| bars::Bar {
            label: d.name.into(),
            value: s.value(),
            highlight: d.iso == "HN-CR",
            note: String::new(),
            estimated: false,
        })
        .collect();
    assert_eq!(data.len(), 16, "16 departments have an office");
    data.push(bars::Bar {
        label: "Sin oficina".into(),
        value: None,
        highlight: false,
        note: "sin datos".into(),
        estimated: false,
    });
    let c = canvas(760, 17 * bars::ROW + 8);
    let backend = CanvasBackend::with_canvas_object(c.clone()).expect("backend");
    bars::draw(&backend.into_drawing_area(), &data, shared::format::count).expect("drawn");
    // The first bar (Atlántida) begins right after the label column ("Francisco Morazán": 17 characters).
    let label_width = 17.0 * 8.0 + 16.0;
    assert_eq!(pixel(&c, label_width + 1.0, 4.0 + f64::from(bars::ROW) / 2.0), [37, 52, 148]);
    // Cortés (5th) is highlighted.
    assert_eq!(pixel(&c, label_width + 1.0, 4.0 + 4.5 * f64::from(bars::ROW)), [213, 94, 0]);
    // The missing value has no bar.
    assert_ne!(pixel(&c, label_width + 1.0, 4.0 + 16.5 * f64::from(bars::ROW)), [37, 52, 148]);
}

#[wasm_bindgen_test]
fn series_draws_the_period_and_breaks_at_missing_months() {
    let labels: Vec<String> = (1..=6).map(|m| format!("m{m}")).collect();
    let current = [Some(10.0), Some(20.0), None, Some(30.0), Some(40.0), Some(50.0)];
    let previous = [Some(5.0); 6];
    let c = canvas(760, 360);
    let backend = CanvasBackend::with_canvas_object(c.clone()).expect("backend");
    let text = app::charts::series::SeriesText {
        current: "Periodo".into(),
        previous: "Anterior".into(),
        target: "Meta".into(),
        projected: "Proyección".into(),
    };
    let lines = app::charts::series::Lines {
        current: &current,
        previous: &previous,
        // The target's pace of the months' years: months 4 to 6 are of a year with a target, 1 to 3 of one without.
        target: &[None, None, None, Some(25.0), Some(25.0), Some(25.0)],
        band: &[None; 6],
    };
    app::charts::series::draw(&backend.into_drawing_area(), &labels, &lines, shared::format::count, &text, &[false; 6])
        .expect("drawn");
    // A nice axis 0..60 (steps of 20) over the plot's height (top 44, bottom 40): month 5 (40) at two thirds.
    assert_eq!(app::charts::series::nice_axis(50.0), (60.0, 20.0));
    let x: f64 = 90.0 + (760.0 - 110.0) * 4.5 / 6.0;
    let y: f64 = 44.0 + (360.0 - 84.0) * (1.0 - 40.0 / 60.0);
    assert_eq!(pixel(&c, x.round(), y.round()), [37, 52, 148], "a marker of the current line");
    // The target's pace is drawn over its year's months only (not over months 1 to 3, which had no target).
    let pace_y = (44.0 + (360.0 - 84.0) * (1.0 - 25.0 / 60.0_f64)).round();
    let slot = (760.0 - 110.0) / 6.0;
    let orange_in =
        |from: f64, to: f64| (from as i32..to as i32).any(|x| pixel(&c, f64::from(x), pace_y) == [213, 94, 0]);
    assert!(!orange_in(95.0, 90.0 + 3.0 * slot - 5.0), "no target pace over the months without a target");
    assert!(orange_in(90.0 + 3.0 * slot + 5.0, 90.0 + 6.0 * slot - 5.0), "the target pace over its year's months");
}

/// The demo's people served by department (Nov 2025 – Oct 2026): with quantiles the top class spanned 3,269 to
/// 13,445, so Atlántida (3,408) looked like Francisco Morazán (13,445).
#[wasm_bindgen_test]
fn natural_breaks_give_the_capital_and_san_pedro_sula_a_class_apart_from_atlantida() {
    use app::charts::palette::Classes;
    let values = [
        3408.0, 2265.0, 3268.0, 2158.0, 12730.0, 3109.0, 1975.0, 13445.0, 2915.0, 2851.0, 1697.0, 2694.0, 1564.0,
        2596.0, 1464.0, 2379.0,
    ];
    let c = Classes::natural_breaks(&values).expect("classes");
    assert_eq!(c.upper.len(), 5);
    assert_eq!(c.class_of(13445.0), 4, "the capital in the top class");
    assert!(c.class_of(3408.0) < 4, "Atlántida not with them: {c:?}");
    assert_eq!(c.range(4), (12730.0, 13445.0), "the legend gives the values the top class holds: {c:?}");
    assert!(c.upper.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(c.class_of(1464.0), 0);
    let single = Classes::natural_breaks(&[5.0, 5.0, 5.0]).expect("classes");
    assert_eq!(single.upper, vec![5.0]);
    let two = Classes::natural_breaks(&[1.0, 2.0]).expect("classes");
    assert_eq!(two.upper, vec![1.0, 2.0]);
    assert!(Classes::natural_breaks(&[f64::NAN]).is_none());
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

/// No department's label hides under an office marker, on either map size the page draws, with every demo office.
#[wasm_bindgen_test]
fn department_labels_stay_clear_of_office_markers() {
    let geo = shared::geo::departments().expect("shipped boundaries");
    for size in [(960, 600), (1040, 460)] {
        let projection = shared::geo::Projection::for_map(&geo, size);
        let markers: Vec<(i32, i32)> =
            shared::codes::DEMO_TERRITORIES.iter().map(|t| projection.px(t.lon_lat)).collect();
        for region in &geo.regions {
            let (x, y) = map::label_spot(projection.px(region.label_point()), &markers);
            for &(mx, my) in &markers {
                let covered =
                    (mx - x).abs() <= 12 + map::MARKER_RADIUS + 3 && (my - y).abs() <= 8 + map::MARKER_RADIUS + 3;
                assert!(
                    !covered,
                    "{}'s label at {:?} under the marker at {:?} ({size:?})",
                    region.id,
                    (x, y),
                    (mx, my)
                );
            }
        }
    }
}

#[wasm_bindgen_test]
fn text_colour_follows_fill() {
    use app::charts::palette::{NO_DATA, SEQUENTIAL, WHITE, needs_dark_text, relative_luminance};
    assert!(needs_dark_text(SEQUENTIAL[0]));
    assert!(!needs_dark_text(SEQUENTIAL[4]));
    for fill in SEQUENTIAL.into_iter().chain([NO_DATA, WHITE]) {
        assert_eq!(needs_dark_text(fill), relative_luminance(fill) > 0.35, "{fill:?}");
    }
}

fn two_shapes<DB: DrawingBackend>(area: &DrawingArea<DB, plotters::coord::Shift>) {
    area.fill(&WHITE).expect("fill");
    area.draw(&Rectangle::new([(10, 10), (30, 20)], RGBColor(0, 90, 180).filled())).expect("rectangle");
    area.draw(&Circle::new((70, 30), 8, RGBColor(200, 0, 0).filled())).expect("circle");
}

/// The 2× backend: a chart laid out at 100 × 60 lands on a 200 × 120 canvas with every shape doubled.
#[wasm_bindgen_test]
fn a_scaled_canvas_draws_everything_twice_as_large() {
    let one = canvas(100, 60);
    let two = canvas(200, 120);
    two_shapes(&CanvasBackend::with_canvas_object(one.clone()).expect("backend").into_drawing_area());
    let scaled = app::charts::scaled::Scaled::new(CanvasBackend::with_canvas_object(two.clone()).expect("backend"), 2);
    assert_eq!(scaled.get_size(), (100, 60), "the chart sees the logical size");
    two_shapes(&scaled.into_drawing_area());
    for (x, y) in [(20.0, 15.0), (70.0, 30.0), (5.0, 5.0), (90.0, 50.0), (76.0, 30.0)] {
        assert_eq!(pixel(&one, x, y), pixel(&two, x * 2.0, y * 2.0), "at {x},{y}");
    }
    assert_eq!(pixel(&two, 140.0, 60.0), [200, 0, 0], "the circle's centre, doubled");
    assert_eq!(pixel(&two, 152.0, 60.0), [200, 0, 0], "its radius doubled: 16 px (an 8 px one ends at 148)");
    assert_eq!(pixel(&two, 160.0, 60.0), [255, 255, 255], "and no more");
}

/// Cortés' municipalities as shipped (the file the page fetches when the map drills into Cortés).
fn cortes() -> shared::geo::Regions {
    let bytes = include_bytes!(concat!(
        "../../shared/data/municipios/HN-CR.",
        include_str!("../../shared/data/municipios.tag"),
        ".rgeo"
    ));
    shared::geo::decode(bytes).expect("Cortés' municipalities")
}

#[wasm_bindgen_test]
fn a_departments_municipalities_keep_the_legend_aside_and_are_hit_where_drawn() {
    let geo = cortes();
    let size = (960, 600);
    let projection = shared::geo::Projection::beside_legend(&geo, size, 260);
    let sps = shared::codes::DEMO_TERRITORIES[1].lon_lat;
    // San Pedro Sula's office marker is hit where it is drawn; the legend's column is nobody's.
    let (x, y) = projection.px(sps);
    assert_eq!(map::hit(&geo, size, true, &[Some(sps)], (f64::from(x), f64::from(y))), Some(map::Hit::Office(0)));
    assert_eq!(map::hit(&geo, size, true, &[], (900.0, 300.0)), None);
    // Drawn so: San Pedro Sula coloured, Omoa without an office in the no-data grey, the legend right of the map.
    let values = [map::RegionValue { id: "0501", label: "San Pedro Sula", value: Some(10.0), suppressed: false }];
    let c = canvas(960, 600);
    let backend = CanvasBackend::with_canvas_object(c.clone()).expect("backend");
    let text = map::MapText { legend_aside: true, labels: false, ..text() };
    let classes = map::draw(&backend.into_drawing_area(), &geo, &values, &[], None, &text).expect("drawn");
    assert!(classes.is_some());
    // A pixel well inside a municipality (its neighbours 6 px around in it too).
    let inside = |code: &str| {
        (0..600).step_by(3).flat_map(|y| (0..700).step_by(3).map(move |x| (x, y))).find(|&(x, y)| {
            [(0, 0), (-6, 0), (6, 0), (0, -6), (0, 6)].iter().all(|(dx, dy)| {
                geo.at(projection.lon_lat((f64::from(x + dx), f64::from(y + dy)))).is_some_and(|r| r.id == code)
            })
        })
    };
    let (ix, iy) = inside("0503").expect("inside Omoa");
    assert_eq!(map::hit(&geo, size, true, &[], (f64::from(ix), f64::from(iy))), Some(map::Hit::Region("0503")));
    assert_eq!(pixel(&c, f64::from(ix), f64::from(iy)), [224, 224, 224], "Omoa: no office, no data");
    let (sx, sy) = inside("0501").expect("inside San Pedro Sula");
    assert_ne!(pixel(&c, f64::from(sx), f64::from(sy)), [224, 224, 224], "San Pedro Sula is coloured");
    assert!(
        geo.regions.iter().all(|r| r.polygons.iter().flatten().flatten().all(|&p| projection.px(p).0 < 960 - 260 + 8))
    );
}
