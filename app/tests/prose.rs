//! The coverage view's sentences (`model::prose`), written from the numbers of a breakdown, in wasm32.

use std::sync::Arc;

use app::model::{self, Resolved, prose};
use shared::Lang;
use shared::aggregate::Sum;
use shared::codebook::{CodeBook, Names, TerritoryEntry};
use shared::dashboard::{Breakdown, Place};
use shared::view::View;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn sum(value: f64) -> Sum {
    Sum { value, reported: 1, ..Sum::default() }
}

/// A book with one office in Gracias a Dios and one placed nowhere, and a breakdown over both.
fn setup() -> (Resolved, Breakdown) {
    let mut book = CodeBook::builtin();
    book.territories.push(TerritoryEntry {
        code: "T18".into(),
        name: Names { es: "Puerto Lempira".into(), en: String::new() },
        department: shared::codebook::department("09"),
        municipality: None,
        lon_lat: None,
    });
    let book = Arc::new(book);
    let by_territory = vec![("T01".to_owned(), sum(100.0)), ("T18".to_owned(), sum(20.0)), ("ZZ".to_owned(), sum(5.0))];
    let (by_department, unplaced) = shared::aggregate::by_department(&book, &by_territory);
    let b = Breakdown {
        indicator: "COB-01".into(),
        unit: shared::catalog::Unit::Count,
        total: sum(125.0),
        by_department,
        unplaced,
        by_territory,
        by_service: Vec::new(),
        by_population: Vec::new(),
        by_population_sex: Vec::new(),
        by_age: Vec::new(),
        by_month: Vec::new(),
    };
    let months = vec!["2026-10".to_owned()];
    let indicators = vec!["COB-01".to_owned()];
    let headlines = book.headlines(&indicators);
    (Resolved::new(&View::default(), &indicators, &months, None, &headlines, &book), b)
}

#[wasm_bindgen_test]
fn the_summary_names_what_no_department_holds_and_keeps_it_in_the_total() {
    let (r, b) = setup();
    let es = prose::overall_summary(&r, Some(&b), Lang::Es);
    assert!(es.starts_with("Personas atendidas (únicas): 125 en octubre de 2026 (Todo el país)."), "{es}");
    assert!(es.contains("Sin departamento conocido (cuentan en el total): ZZ."), "{es}");
    assert!(!es.contains("Gracias a Dios,"), "Gracias a Dios has an office: {es}");
    let en = prose::overall_summary(&r, Some(&b), Lang::En);
    assert!(en.contains("No known department (counted in the total): ZZ."), "{en}");
}

#[wasm_bindgen_test]
fn the_map_tooltip_names_an_office_or_a_department() {
    let (r, b) = setup();
    let offices = model::offices(&r.book, &b);
    assert_eq!(offices.len(), 2, "the two listed offices, not the unplaced code");
    let departments = model::department_values(&b, false);
    let unit = shared::catalog::Unit::Count;
    assert_eq!(
        prose::map_tooltip("T18", &offices, &departments, unit, false, Lang::Es),
        "SI EMPLEO Puerto Lempira: 20"
    );
    assert_eq!(prose::map_tooltip("HN-GD", &offices, &departments, unit, false, Lang::En), "Gracias a Dios: 20");
    assert_eq!(
        prose::map_tooltip("HN-IB", &offices, &departments, unit, false, Lang::Es),
        "Islas de la Bahía: sin datos"
    );
    assert_eq!(r.place, Place::National);
}

#[wasm_bindgen_test]
fn a_rates_change_reads_in_points_and_a_counts_in_per_cent() {
    let tile = |unit, value, previous| shared::dashboard::Tile {
        indicator: "X".into(),
        population: "_T".into(),
        unit,
        value: Some(value),
        not_combinable: false,
        estimated: false,
        previous: Some(previous),
        no_change: None,
        year_to_date: None,
        annual_target: None,
        progress: None,
        expected: 100.0,
        light: shared::dashboard::Light::Grey,
        spark: Vec::new(),
        projection: None,
    };
    let rate = tile(shared::catalog::Unit::Percent, 66.0, 60.0);
    assert_eq!(prose::tile_change(&rate, Lang::Es).as_deref(), Some("▲ 6.0 pp más que el periodo anterior"));
    let count = tile(shared::catalog::Unit::Count, 66.0, 60.0);
    assert_eq!(prose::tile_change(&count, Lang::En).as_deref(), Some("▲ 10.0 % more than the previous period"));
    let falling = tile(shared::catalog::Unit::Percent, 55.5, 60.0);
    assert_eq!(prose::tile_change(&falling, Lang::En).as_deref(), Some("▼ 4.5 pp less than the previous period"));
}

#[wasm_bindgen_test]
fn a_tile_without_comparable_periods_says_why_it_has_no_change() {
    use shared::dashboard::NoChange;
    let tile = |no_change| shared::dashboard::Tile {
        indicator: "DER-01".into(),
        population: "_T".into(),
        unit: shared::catalog::Unit::Count,
        value: Some(300.0),
        not_combinable: false,
        estimated: false,
        previous: Some(198.0),
        no_change: Some(no_change),
        year_to_date: None,
        annual_target: None,
        progress: None,
        expected: 100.0,
        light: shared::dashboard::Light::Grey,
        spark: Vec::new(),
        projection: None,
    };
    let months = |m: &[&str]| m.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let gap = tile(NoChange::Incomplete { current: vec![], previous: months(&["2024-11", "2024-12", "2025-01"]) });
    assert_eq!(prose::tile_change(&gap, Lang::Es), None, "no ▲ 51.5 % against a period missing three months");
    assert_eq!(
        prose::tile_no_change(&gap, Lang::Es).as_deref(),
        Some("Sin variación comparable: al periodo anterior le faltan datos de nov. 2024 a ene. 2025.")
    );
    let both = tile(NoChange::Incomplete { current: months(&["2026-03"]), previous: months(&["2024-11", "2025-02"]) });
    assert_eq!(
        prose::tile_no_change(&both, Lang::En).as_deref(),
        Some(
            "No comparable change: the previous period lacks data for Nov 2024, Feb 2025; this period lacks data for Mar 2026."
        )
    );
    assert_eq!(
        prose::tile_no_change(&tile(NoChange::NoPrevious), Lang::En).as_deref(),
        Some("No comparable change: there is no data for the previous period.")
    );
}

#[wasm_bindgen_test]
fn a_tiles_progress_says_which_months_it_counts() {
    let tile = shared::dashboard::Tile {
        indicator: "DER-01".into(),
        population: "_T".into(),
        unit: shared::catalog::Unit::Count,
        value: Some(2_685.0),
        not_combinable: false,
        estimated: false,
        previous: None,
        no_change: None,
        year_to_date: Some(2_203.0),
        annual_target: Some(2_619.0),
        progress: Some(84.1),
        expected: 83.3,
        light: shared::dashboard::Light::Green,
        spark: Vec::new(),
        projection: None,
    };
    assert_eq!(
        prose::tile_progress(&tile, "2026-10", Lang::Es).as_deref(),
        Some("84 % de la meta anual de 2,619 (2,203 de ene. 2026 a oct. 2026)")
    );
    assert_eq!(
        prose::tile_progress(&tile, "2026-01", Lang::En).as_deref(),
        Some("84 % of the annual target of 2,619 (2,203 Jan 2026)")
    );
}

#[wasm_bindgen_test]
fn the_revisions_sentence_counts_in_the_singular_and_the_plural() {
    assert_eq!(
        prose::revisions("Personas", 1, 17, 0, Lang::Es),
        "Personas: 1 valor revisado, 17 valores nuevos (meses que la publicación anterior no tenía), 0 retirados. Mayores revisiones:"
    );
    assert_eq!(
        prose::revisions("People", 1, 1, 2, Lang::En),
        "People: 1 value revised, 1 new value (months the earlier snapshot did not have), 2 removed. Largest revisions:"
    );
}
