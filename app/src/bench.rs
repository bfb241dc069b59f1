//! The wasm side of the side-by-side browser benchmark (`cargo xtask bench-app`, `tests/tests/app_bench.rs`):
//! what the coverage page computes from a `facts` table on its first load, timed step by step. The page's own
//! JavaScript calls it as `wasmBindings.bench_first_view(bytes)`, beside apache-arrow JS doing the same work.

use serde::Serialize;
use shared::aggregate::Sum;
use shared::catalog::{Combine, Unit};
use shared::codebook::CodeBook;
use shared::dashboard::{self, Breakdown};
use shared::facts::Facts;
use shared::view::View;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::api::{self, now_ms};
use crate::model::{self, Resolved};

/// A sum as the benchmark's JavaScript reads it: `[value, reported, suppressed, missing]`.
#[derive(Serialize)]
struct Cell(f64, u32, u32, u32);

fn cell(s: &Sum) -> Cell {
    Cell(s.value, s.reported, s.suppressed, s.missing)
}

fn cells<K: AsRef<str>>(list: &[(K, Sum)]) -> Vec<(&str, Cell)> {
    list.iter().map(|(k, s)| (k.as_ref(), cell(s))).collect()
}

/// What the JavaScript paths need to do the same work: the resolved view, the stored periods it reads
/// ([`dashboard::periods_read`]: the months of the view, or for distinct people the one period covering them), the
/// territories the place counts, and each tile's rows and periods.
#[derive(Serialize)]
struct Params<'a> {
    indicator: &'a str,
    from: &'a str,
    to: &'a str,
    periods: Vec<&'a str>,
    place: Vec<&'a str>,
    tiles: Vec<TileParams<'a>>,
}

/// A tile's work: the indicator whose rows it adds (for a ratio, its numerator's) and, for a ratio, its
/// denominator's; how its value shows (`count`: the sum; `percent`/`rate`: the ratio of sums, or one row's value);
/// and the stored periods of its three windows (the view, the span before it, the year to date).
#[derive(Serialize)]
struct TileParams<'a> {
    indicator: &'a str,
    population: &'a str,
    numerator: &'a str,
    denominator: Option<&'a str>,
    count: bool,
    percent: bool,
    current: Vec<&'a str>,
    previous: Vec<&'a str>,
    year_to_date: Vec<&'a str>,
}

/// The codes of the stored periods the months `[from, to]` of an indicator read.
fn read<'a>(facts: &'a Facts, book: &CodeBook, indicator: &str, from: &str, to: &str) -> Vec<&'a str> {
    let keys = dashboard::periods_read(facts, book, indicator, from, to);
    (0..keys.len()).filter(|&k| keys[k]).map(|k| facts.period.code_of_key(k as i16)).collect()
}

fn tile_params<'a>(
    facts: &'a Facts,
    book: &'a CodeBook,
    t: &'a dashboard::Tile,
    from: &str,
    to: &str,
) -> TileParams<'a> {
    let (numerator, denominator) = match book.combine(&t.indicator) {
        Combine::Ratio { numerator, denominator } => (numerator, Some(denominator)),
        _ => (t.indicator.as_str(), None),
    };
    let span = dashboard::months_between(from, to).max(1);
    let previous = match (dashboard::shift_month(from, -span), dashboard::shift_month(from, -1)) {
        (Some(a), Some(b)) => read(facts, book, &t.indicator, &a, &b),
        _ => Vec::new(),
    };
    TileParams {
        indicator: &t.indicator,
        population: &t.population,
        numerator,
        denominator,
        count: t.unit == Unit::Count,
        percent: t.unit == Unit::Percent,
        current: read(facts, book, &t.indicator, from, to),
        previous,
        year_to_date: read(facts, book, &t.indicator, &format!("{}-01", to.get(..4).unwrap_or_default()), to),
    }
}

/// A tile as `[indicator, population, value, previous, year_to_date]`.
type TileFigures<'a> = (&'a str, &'a str, Option<f64>, Option<f64>, Option<f64>);

/// The timings and every figure computed (serialised through derived impls, not `serde_json::Value`, which would
/// add its tree and map to everyone's first load).
#[derive(Serialize)]
struct Report<'a> {
    copy_ms: f64,
    decode_ms: f64,
    aggregate_ms: f64,
    rows: usize,
    params: Params<'a>,
    total: Cell,
    by_territory: Vec<(&'a str, Cell)>,
    by_service: Vec<(&'a str, Cell)>,
    by_population: Vec<(&'a str, Cell)>,
    by_population_sex: Vec<(String, Cell)>,
    by_age: Vec<(&'a str, Cell)>,
    by_month: Vec<(&'a str, Cell)>,
    tiles: Vec<TileFigures<'a>>,
}

/// Bytes into wasm memory, decoding, then every aggregation of the default coverage view (the breakdown behind
/// the map, the four charts and their tables, and the five KPI tiles), each timed in milliseconds. Returns JSON:
/// the timings, the resolved view, and every figure computed, so that the benchmark can check that the
/// JavaScript paths computed the same thing.
#[wasm_bindgen]
pub fn bench_first_view(bytes: &js_sys::Uint8Array) -> Result<String, String> {
    let started = now_ms();
    let owned = bytes.to_vec();
    let copied = now_ms();
    let facts = api::decode_facts(owned).map_err(|e| e.message(shared::Lang::En))?;
    let decoded = now_ms();
    let book = std::sync::Arc::new(shared::codebook::CodeBook::builtin());
    let indicators = model::indicators_in(&facts, &book);
    let headlines = book.headlines(&indicators);
    let indicator = model::pick(None, &indicators, &headlines.default_indicator);
    let months = dashboard::months(&facts, &indicator);
    let opening = dashboard::opening(&facts, &book, &indicator);
    let r = Resolved::new(&View::default(), &indicators, &months, opening.as_ref(), &headlines, &book);
    let breakdown = Breakdown::compute(&facts, &book, &r.indicator, &r.from, &r.to, &r.place, &r.dims());
    let tiles = model::tiles(&facts, &book, None, &headlines.tiles, &r.from, &r.to, &r.place, &r.kpi);
    let aggregated = now_ms();
    let b = breakdown.ok_or("the snapshot has no headline indicator")?;
    let place = (0..facts.territory.dictionary_len())
        .map(|k| facts.territory.code_of_key(k as i16))
        .filter(|code| r.place.includes(&book, code))
        .collect();
    let params = Params {
        indicator: &r.indicator,
        from: &r.from,
        to: &r.to,
        periods: read(&facts, &book, &r.indicator, &r.from, &r.to),
        place,
        tiles: tiles.iter().map(|t| tile_params(&facts, &book, t, &r.from, &r.to)).collect(),
    };
    let report = Report {
        copy_ms: copied - started,
        decode_ms: decoded - copied,
        aggregate_ms: aggregated - decoded,
        rows: facts.len(),
        params,
        total: cell(&b.total),
        by_territory: cells(&b.by_territory),
        by_service: cells(&b.by_service),
        by_population: cells(&b.by_population),
        by_population_sex: b.by_population_sex.iter().map(|((p, x), s)| (format!("{p}|{x}"), cell(s))).collect(),
        by_age: cells(&b.by_age),
        by_month: cells(&b.by_month),
        tiles: tiles
            .iter()
            .map(|t| (t.indicator.as_str(), t.population.as_str(), t.value, t.previous, t.year_to_date))
            .collect(),
    };
    serde_json::to_string(&report).map_err(|e| e.to_string())
}
