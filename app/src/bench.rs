//! The wasm side of the side-by-side browser benchmark (`cargo xtask bench-arrow`, `tests/tests/arrow_bench.rs`):
//! what the coverage page computes from a `facts` table on its first load, timed step by step. The page's own
//! JavaScript calls it as `wasmBindings.bench_first_view(bytes)`, beside apache-arrow JS doing the same work.

use shared::aggregate::Sum;
use shared::dashboard::{self, Breakdown};
use shared::view::View;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::api::{self, now_ms};
use crate::model::{self, Resolved};

fn sum(s: &Sum) -> serde_json::Value {
    serde_json::json!([s.value, s.reported, s.suppressed, s.missing])
}

fn sums<K: serde::Serialize>(list: &[(K, Sum)]) -> serde_json::Value {
    list.iter().map(|(k, s)| serde_json::json!([k, sum(s)])).collect()
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
    let indicators = model::indicators_in(&facts);
    let indicator = model::pick(None, &indicators, model::HEADLINE);
    let months = dashboard::months(&facts, &indicator);
    let r = Resolved::new(&View::default(), &indicators, &months);
    let breakdown = Breakdown::compute(&facts, &r.indicator, &r.from, &r.to, &r.place, &r.dims());
    let tiles = model::tiles(&facts, None, &r.from, &r.to, &r.place, &r.kpi);
    let aggregated = now_ms();
    let b = breakdown.ok_or("the snapshot has no headline indicator")?;
    // What the JavaScript paths need to do the same work: the resolved view, the territories the place counts,
    // and each tile's indicator, population and whether its unit adds up.
    let place: Vec<&str> = (0..facts.territory.dictionary_len())
        .map(|k| facts.territory.code_of_key(k as i16))
        .filter(|code| r.place.includes(code))
        .collect();
    let params = serde_json::json!({
        "indicator": r.indicator,
        "from": r.from,
        "to": r.to,
        "place": place,
        "tiles": tiles.iter().map(|t| serde_json::json!({
            "indicator": t.indicator,
            "population": t.population,
            "count": t.unit == shared::catalog::Unit::Count,
        })).collect::<serde_json::Value>(),
    });
    let out = serde_json::json!({
        "copy_ms": copied - started,
        "decode_ms": decoded - copied,
        "aggregate_ms": aggregated - decoded,
        "rows": facts.len(),
        "params": params,
        "total": sum(&b.total),
        "by_territory": sums(&b.by_territory),
        "by_service": sums(&b.by_service),
        "by_population": sums(&b.by_population),
        "by_population_sex": b.by_population_sex.iter().map(|((p, x), s)| serde_json::json!([format!("{p}|{x}"), sum(s)])).collect::<serde_json::Value>(),
        "by_age": sums(&b.by_age),
        "by_month": sums(&b.by_month),
        "tiles": tiles.iter().map(|t| serde_json::json!([t.indicator, t.population, t.value, t.previous, t.year_to_date])).collect::<serde_json::Value>(),
    });
    Ok(out.to_string())
}
