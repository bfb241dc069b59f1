//! Rules over canonical batches: within a table (duplicates, ranges, consistency, disaggregations) and across
//! tables (references, milestone weights).

use std::collections::HashMap;

use super::FastMap;
use std::hash::{Hash, Hasher};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int16Type, Int64Type};
use arrow_array::{Array, RecordBatch};

use super::{CodeLists, Report};
use crate::catalog::Unit;
use crate::codes::TOTAL;
use crate::facts::Facts;
use crate::tables::TableSpec;

/// `rows[i]` is the original (0-based) row of the batch's row `i`: rows that failed typing are left out.
pub(super) fn table(spec: &TableSpec, batch: &RecordBatch, rows: &[usize], lists: &CodeLists, report: &mut Report) {
    if spec.name == "facts" {
        // The disaggregation sums run on a second thread meanwhile; findings keep the order of the one-thread run.
        std::thread::scope(|scope| {
            let parts = scope.spawn(|| Facts::try_from(batch.clone()).ok().map(|f| parts_exceed_total(&f, lists)));
            duplicates(spec, batch, rows, report);
            facts(batch, rows, lists, report);
            if let Ok(Some(exceeded)) = parts.join() {
                report_parts_exceed_total(&exceeded, rows, report);
            }
        });
        return;
    }
    duplicates(spec, batch, rows, report);
    match spec.name {
        "interventions" => {
            date_order(spec.name, batch, rows, "planned_start", "planned_end", report);
            date_order(spec.name, batch, rows, "actual_start", "actual_end", report);
        }
        "milestones" => {
            for (row, w) in floats(batch, "weight") {
                if !(0.0..=100.0).contains(&w) {
                    report.error(
                        spec.name,
                        Some(rows[row] + 1),
                        Some("weight"),
                        Some(&w.to_string()),
                        "el peso debe estar entre 0 y 100".into(),
                        "the weight must be from 0 to 100".into(),
                    );
                }
            }
        }
        "budget_lines" => budget(batch, rows, report),
        "targets" => {
            for (row, v) in floats(batch, "value") {
                if v < 0.0 {
                    report.error(
                        spec.name,
                        Some(rows[row] + 1),
                        Some("value"),
                        Some(&v.to_string()),
                        "la meta no puede ser negativa".into(),
                        "a target cannot be negative".into(),
                    );
                }
            }
        }
        _ => {}
    }
}

/// A cell as a comparable, hashable value.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Cell<'a> {
    Null,
    Str(&'a str),
    Int(i64),
    Bits(u64),
    Bool(bool),
}

fn cell(array: &dyn Array, row: usize) -> Cell<'_> {
    if array.is_null(row) {
        return Cell::Null;
    }
    if let Some(d) = array.as_dictionary_opt::<Int16Type>() {
        let key = d.keys().value(row);
        return d
            .values()
            .as_string_opt::<i32>()
            .map_or(Cell::Int(i64::from(key)), |v| Cell::Str(v.value(key as usize)));
    }
    if let Some(s) = array.as_string_opt::<i32>() {
        return Cell::Str(s.value(row));
    }
    if let Some(i) = array.as_primitive_opt::<Int64Type>() {
        return Cell::Int(i.value(row));
    }
    if let Some(f) = array.as_primitive_opt::<Float64Type>() {
        return Cell::Bits(f.value(row).to_bits());
    }
    if let Some(b) = array.as_boolean_opt() {
        return Cell::Bool(b.value(row));
    }
    Cell::Null
}

fn show(c: &Cell<'_>) -> String {
    match c {
        Cell::Str(s) => (*s).to_owned(),
        Cell::Int(i) => i.to_string(),
        Cell::Bits(b) => f64::from_bits(*b).to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Null => "∅".to_owned(),
    }
}

fn duplicate_found(spec: &TableSpec, report: &mut Report, rows: &[usize], row: usize, earlier: usize, shown: &str) {
    report.error(
        spec.name,
        Some(rows[row] + 1),
        Some(spec.key[0]),
        Some(shown),
        format!("fila duplicada: la misma clave ya aparece en la fila {}", rows[earlier] + 1),
        format!("duplicate row: the same key already appears in row {}", rows[earlier] + 1),
    );
}

fn duplicates(spec: &TableSpec, batch: &RecordBatch, rows: &[usize], report: &mut Report) {
    let columns: Vec<&dyn Array> = spec.key.iter().filter_map(|k| batch.column_by_name(k).map(AsRef::as_ref)).collect();
    // Fast path: keys made only of dictionary columns (facts) pack into one integer per row.
    let dict_keys: Vec<&[i16]> =
        columns.iter().filter_map(|c| c.as_dictionary_opt::<Int16Type>()).map(|d| d.keys().values().as_ref()).collect();
    let plain = dict_keys.len() == columns.len() && columns.iter().all(|c| c.null_count() == 0);
    let radices: Vec<usize> =
        columns.iter().filter_map(|c| c.as_dictionary_opt::<Int16Type>()).map(|d| d.values().len()).collect();
    if plain && let Some(packer) = Packer::new(&dict_keys, &radices, 1) {
        let mut first: FastMap<u64, usize> = FastMap::default();
        first.reserve(batch.num_rows());
        for row in 0..batch.num_rows() {
            match first.entry(packer.pack(row)) {
                std::collections::hash_map::Entry::Occupied(earlier) => {
                    let shown: Vec<String> =
                        spec.key.iter().zip(&columns).map(|(k, c)| format!("{k}={}", show(&cell(*c, row)))).collect();
                    duplicate_found(spec, report, rows, row, *earlier.get(), &shown.join(", "));
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(row);
                }
            }
        }
        return;
    }
    if plain && columns.len() <= 8 {
        let mut first: FastMap<u128, usize> = FastMap::default();
        first.reserve(batch.num_rows());
        for row in 0..batch.num_rows() {
            let key = dict_keys.iter().fold(0u128, |acc, k| (acc << 16) | u128::from(k[row] as u16));
            if let Some(&earlier) = first.get(&key) {
                let shown: Vec<String> =
                    spec.key.iter().zip(&columns).map(|(k, c)| format!("{k}={}", show(&cell(*c, row)))).collect();
                duplicate_found(spec, report, rows, row, earlier, &shown.join(", "));
            } else {
                first.insert(key, row);
            }
        }
        return;
    }
    let mut first: HashMap<u64, Vec<usize>> = HashMap::with_capacity(batch.num_rows());
    let key_of = |row: usize| columns.iter().map(|c| cell(*c, row)).collect::<Vec<_>>();
    for row in 0..batch.num_rows() {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for c in &columns {
            cell(*c, row).hash(&mut h);
        }
        let same = first.entry(h.finish()).or_default();
        if let Some(&earlier) = same.iter().find(|&&r| key_of(r) == key_of(row)) {
            let shown: Vec<String> = spec
                .key
                .iter()
                .zip(key_of(row))
                .map(|(k, c)| match c {
                    Cell::Str(s) => format!("{k}={s}"),
                    Cell::Int(i) => format!("{k}={i}"),
                    _ => format!("{k}=∅"),
                })
                .collect();
            duplicate_found(spec, report, rows, row, earlier, &shown.join(", "));
        } else {
            same.push(row);
        }
    }
}

/// Dictionary keys of several columns packed into one `u64` per row in mixed radix (digit `i` is column `i`'s key,
/// its radix the column's dictionary length), when every key is in range and the product, times `spare`, fits.
struct Packer<'a> {
    columns: Vec<&'a [i16]>,
    /// The weight of each column's digit.
    weights: Vec<u64>,
    /// The product of the radices.
    product: u64,
}

impl<'a> Packer<'a> {
    fn new(columns: &[&'a [i16]], radices: &[usize], spare: u64) -> Option<Self> {
        let mut weights = vec![0u64; columns.len()];
        let mut product = 1u64;
        for (i, (keys, &radix)) in columns.iter().zip(radices).enumerate().rev() {
            let radix = radix.max(1) as u64;
            if keys.iter().any(|&k| k < 0 || k as u64 >= radix) {
                return None;
            }
            weights[i] = product;
            product = product.checked_mul(radix)?;
        }
        product.checked_mul(spare.max(1))?;
        Some(Self { columns: columns.to_vec(), weights, product })
    }

    #[inline]
    fn pack(&self, row: usize) -> u64 {
        self.columns.iter().zip(&self.weights).map(|(c, w)| c[row] as u64 * w).sum()
    }
}

fn floats<'a>(batch: &'a RecordBatch, name: &str) -> impl Iterator<Item = (usize, f64)> + 'a {
    let array = batch.column_by_name(name).and_then(|a| a.as_primitive_opt::<Float64Type>());
    array.into_iter().flat_map(|a| a.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))))
}

fn strings<'a>(batch: &'a RecordBatch, name: &str) -> Vec<Option<&'a str>> {
    batch.column_by_name(name).and_then(|a| a.as_string_opt::<i32>()).map_or_else(Vec::new, |a| a.iter().collect())
}

fn date_order(table: &str, batch: &RecordBatch, rows: &[usize], start: &str, end: &str, report: &mut Report) {
    for (row, (s, e)) in strings(batch, start).into_iter().zip(strings(batch, end)).enumerate() {
        if let (Some(s), Some(e)) = (s, e)
            && e < s
        {
            report.error(
                table,
                Some(rows[row] + 1),
                Some(end),
                Some(e),
                format!("la fecha de fin ({e}) es anterior a la de inicio ({s})"),
                format!("the end date ({e}) is before the start date ({s})"),
            );
        }
    }
}

fn budget(batch: &RecordBatch, rows: &[usize], report: &mut Report) {
    let t = "budget_lines";
    for name in ["approved_hnl", "current_hnl", "committed_hnl", "executed_hnl"] {
        for (row, v) in floats(batch, name) {
            if v < 0.0 {
                report.error(
                    t,
                    Some(rows[row] + 1),
                    Some(name),
                    Some(&v.to_string()),
                    "un monto no puede ser negativo".into(),
                    "an amount cannot be negative".into(),
                );
            }
        }
    }
    let current: HashMap<usize, f64> = floats(batch, "current_hnl").collect();
    for (row, executed) in floats(batch, "executed_hnl") {
        if let Some(&c) = current.get(&row)
            && executed > c
        {
            report.warning(
                t,
                Some(rows[row] + 1),
                Some("executed_hnl"),
                Some(&executed.to_string()),
                format!("lo ejecutado supera el presupuesto vigente ({c})"),
                format!("executed exceeds the current budget ({c})"),
            );
        }
    }
}

#[allow(clippy::needless_range_loop)] // `row` indexes several columns and the row map
fn facts(batch: &RecordBatch, rows: &[usize], lists: &CodeLists, report: &mut Report) {
    let t = "facts";
    let Ok(f) = Facts::try_from(batch.clone()) else { return };
    // Per dictionary key, not per row: units, sensitivity and status kinds.
    let units: Vec<Option<Unit>> =
        (0..f.indicator.dictionary_len()).map(|k| lists.unit(f.indicator.code_of_key(k as i16))).collect();
    let sensitive: Vec<bool> =
        (0..f.population.dictionary_len()).map(|k| lists.is_sensitive(f.population.code_of_key(k as i16))).collect();
    let missing_status: Vec<bool> = (0..f.status.dictionary_len())
        .map(|k| matches!(f.status.code_of_key(k as i16), "not_collected" | "suppressed"))
        .collect();
    for row in 0..f.len() {
        let value = f.value(row);
        let status_key = f.status.key(row) as usize;
        if value.is_some() != missing_status[status_key]
            && units[f.indicator.key(row) as usize].is_some_and(|u| {
                value.is_some_and(|v| match u {
                    Unit::Count | Unit::Days => {
                        v >= 0.0
                            && !(sensitive[f.population.key(row) as usize]
                                && v < crate::codes::SUPPRESSION_THRESHOLD
                                && u == Unit::Count)
                    }
                    Unit::Percent => (0.0..=100.0).contains(&v),
                    Unit::Score => (0.0..=1.0).contains(&v),
                    Unit::Points => true,
                })
            })
        {
            // The common case: a reported value in range. Nothing to check further.
            continue;
        }
        let status = f.status.code(row);
        match (value, status) {
            (None, "reported" | "estimated") => report.error(
                t,
                Some(rows[row] + 1),
                Some("value"),
                None,
                format!("valor vacío con estado «{status}»: un dato faltante debe marcarse not_collected o suppressed (nunca es cero)"),
                format!("empty value with status «{status}»: a missing value must be marked not_collected or suppressed (it is never zero)"),
            ),
            (Some(v), "not_collected" | "suppressed") => report.error(
                t,
                Some(rows[row] + 1),
                Some("status"),
                Some(status),
                format!("el estado «{status}» exige un valor vacío, pero el valor es {v}"),
                format!("status «{status}» requires an empty value, but the value is {v}"),
            ),
            _ => {}
        }
        let Some(v) = value else { continue };
        let indicator = f.indicator.code(row);
        let shown = v.to_string();
        let unit = units[f.indicator.key(row) as usize];
        match unit {
            Some(Unit::Count | Unit::Days) if v < 0.0 => report.error(
                t,
                Some(rows[row] + 1),
                Some("value"),
                Some(&shown),
                format!("{indicator} es un conteo: no puede ser negativo"),
                format!("{indicator} is a count: it cannot be negative"),
            ),
            Some(Unit::Percent) if !(0.0..=100.0).contains(&v) => report.error(
                t,
                Some(rows[row] + 1),
                Some("value"),
                Some(&shown),
                format!("{indicator} es un porcentaje: debe estar entre 0 y 100"),
                format!("{indicator} is a percentage: it must be from 0 to 100"),
            ),
            Some(Unit::Score) if !(0.0..=1.0).contains(&v) => report.error(
                t,
                Some(rows[row] + 1),
                Some("value"),
                Some(&shown),
                format!("{indicator} es un puntaje: debe estar entre 0 y 1"),
                format!("{indicator} is a score: it must be from 0 to 1"),
            ),
            _ => {}
        }
        let population = f.population.code(row);
        if lists.is_sensitive(population)
            && v < crate::codes::SUPPRESSION_THRESHOLD
            && lists.unit(indicator) == Some(Unit::Count)
        {
            report.error(
                t,
                Some(rows[row] + 1),
                Some("value"),
                Some(&shown),
                format!("población sensible «{population}» con menos de 5 personas: deje el valor vacío y marque el estado suppressed"),
                format!("sensitive population «{population}» with fewer than 5 people: leave the value empty and set status suppressed"),
            );
        }
    }
}

/// For counts, the parts of a disaggregation (one dimension split, the others fixed) may not add up to more
/// than the row they split. Returns `(row, dimension, sum of the parts, total)` of each such row, in row order.
fn parts_exceed_total(f: &Facts, lists: &CodeLists) -> Vec<(usize, usize, f64, f64)> {
    parts_exceeding(f, lists, false)
}

/// `parts_exceed_total` over 64-bit keys when the dictionaries allow, else (or when `wide`) over 128-bit keys.
fn parts_exceeding(f: &Facts, lists: &CodeLists, wide: bool) -> Vec<(usize, usize, f64, f64)> {
    let dims = [&f.service, &f.population, &f.sex, &f.age_group];
    let totals: Vec<i16> = dims.iter().map(|d| d.key_of(TOTAL).unwrap_or(-1)).collect();
    let counts: Vec<bool> = (0..f.indicator.dictionary_len())
        .map(|k| lists.unit(f.indicator.code_of_key(k as i16)) == Some(Unit::Count))
        .collect();
    let columns = [
        f.indicator.keys(),
        f.period.keys(),
        f.territory.keys(),
        dims[0].keys(),
        dims[1].keys(),
        dims[2].keys(),
        dims[3].keys(),
    ];
    let radices = [
        f.indicator.dictionary_len(),
        f.period.dictionary_len(),
        f.territory.dictionary_len(),
        dims[0].dictionary_len(),
        dims[1].dictionary_len(),
        dims[2].dictionary_len(),
        dims[3].dictionary_len(),
    ];
    // A parent's sums are told apart by the split dimension, a fifth digit above the row's key.
    let packer = if wide { None } else { Packer::new(&columns, &radices, 5) };
    let mut exceeded = if let Some(packer) = packer {
        exceeded_parts(f, &counts, &totals, &|row| packer.pack(row), &|key, d| {
            let weight = packer.weights[3 + d];
            let digit = (key % (weight * radices[3 + d] as u64)) / weight;
            let parent = key - digit * weight + totals[d] as u64 * weight;
            (parent + (d as u64 + 1) * packer.product, parent)
        })
    } else {
        // Dictionaries too large for 64 bits: a row's key in 7 × 16 bits, the split dimension above them.
        let pack = |row: usize| columns.iter().fold(0u128, |acc, c| (acc << 16) | u128::from(c[row] as u16));
        exceeded_parts(f, &counts, &totals, &pack, &|key, d| {
            let shift = 16 * (3 - d as u32);
            let parent = (key & !(0xFFFF_u128 << shift)) | (u128::from(totals[d] as u16) << shift);
            (parent | ((d as u128 + 1) << 112), parent)
        })
    };
    exceeded.sort_by_key(|e| (e.0, e.1));
    exceeded
}

/// The sums of `parts_exceed_total` over packed keys: `pack` gives a row's key, `parent(key, d)` the key of the
/// row it is a part of when split by dimension `d`, with and without the dimension tag.
fn exceeded_parts<K: Copy + Eq + std::hash::Hash>(
    f: &Facts,
    counts: &[bool],
    totals: &[i16],
    pack: &dyn Fn(usize) -> K,
    parent: &dyn Fn(K, usize) -> (K, K),
) -> Vec<(usize, usize, f64, f64)> {
    let dims = [f.service.keys(), f.population.keys(), f.sex.keys(), f.age_group.keys()];
    let indicator = f.indicator.keys();
    let mut by_key: FastMap<K, usize> = FastMap::default();
    let mut sums: FastMap<K, (K, usize, f64)> = FastMap::default();
    let values = f.values();
    for row in 0..f.len() {
        if !counts[indicator[row] as usize] {
            continue;
        }
        let k = pack(row);
        by_key.insert(k, row);
        if values.is_null(row) {
            continue;
        }
        let v = values.value(row);
        for (d, total) in totals.iter().enumerate() {
            if *total >= 0 && dims[d][row] != *total {
                let (tagged, untagged) = parent(k, d);
                sums.entry(tagged).or_insert((untagged, d, 0.0)).2 += v;
            }
        }
    }
    sums.into_values()
        .filter_map(|(key, d, sum)| {
            let row = *by_key.get(&key)?;
            let total = f.value(row)?;
            (sum > total + 1e-9).then_some((row, d, sum, total))
        })
        .collect()
}

fn report_parts_exceed_total(exceeded: &[(usize, usize, f64, f64)], original: &[usize], report: &mut Report) {
    let names = ["service", "population", "sex", "age_group"];
    for &(row, d, sum, total) in exceeded {
        report.error(
            "facts",
            Some(original[row] + 1),
            Some(names[d]),
            Some(&total.to_string()),
            format!("la suma del desglose por «{}» ({sum}) supera el total de esta fila ({total})", names[d]),
            format!("the breakdown by «{}» adds up to {sum}, more than this row's total ({total})", names[d]),
        );
    }
}

pub(super) fn across(canonical: &[(&'static TableSpec, RecordBatch)], report: &mut Report) {
    let table = |name: &str| canonical.iter().find(|(s, _)| s.name == name).map(|(_, b)| b);
    let interventions: Option<Vec<String>> = table("interventions")
        .map(|b| strings(b, "intervention_id").into_iter().flatten().map(str::to_owned).collect());
    for name in ["milestones", "budget_lines", "risks"] {
        let Some(batch) = table(name) else { continue };
        for (row, id) in strings(batch, "intervention_id").into_iter().enumerate() {
            let Some(id) = id else { continue };
            match &interventions {
                Some(ids) if ids.iter().any(|i| i == id) => {}
                Some(_) => report.error(
                    name,
                    Some(row + 1),
                    Some("intervention_id"),
                    Some(id),
                    "la intervención no existe en la tabla interventions".into(),
                    "no such intervention in the interventions table".into(),
                ),
                None => {
                    report.error(
                        name,
                        None,
                        Some("intervention_id"),
                        None,
                        "publique también la tabla interventions: esta tabla se refiere a ella".into(),
                        "publish the interventions table too: this table refers to it".into(),
                    );
                    break;
                }
            }
        }
    }
    if let Some(m) = table("milestones") {
        let mut sums: Vec<(String, f64, usize)> = Vec::new();
        for (row, (id, w)) in strings(m, "intervention_id")
            .into_iter()
            .zip(
                m.column_by_name("weight")
                    .and_then(|a| a.as_primitive_opt::<Float64Type>())
                    .into_iter()
                    .flat_map(arrow_array::PrimitiveArray::iter),
            )
            .enumerate()
        {
            let (Some(id), Some(w)) = (id, w) else { continue };
            match sums.iter_mut().find(|(i, _, _)| i == id) {
                Some(entry) => entry.1 += w,
                None => sums.push((id.to_owned(), w, row)),
            }
        }
        for (id, sum, row) in sums {
            if (sum - 100.0).abs() > 0.01 {
                report.error(
                    "milestones",
                    Some(row + 1),
                    Some("weight"),
                    Some(&id),
                    format!("los pesos de los hitos de {id} suman {sum}, deben sumar 100"),
                    format!("the milestone weights of {id} add up to {sum}; they must add up to 100"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn parts_exceed_total_finds_the_same_rows_with_64_and_128_bit_keys() {
        let batch = crate::demo::facts(&crate::demo::DemoConfig::default());
        // Values that break many disaggregations (and leave the suppressed cells empty).
        let values = batch.column_by_name("value").expect("value").as_primitive::<Float64Type>();
        let scrambled: arrow_array::Float64Array =
            values.iter().enumerate().map(|(row, v)| v.map(|_| ((row * 7919) % 1000) as f64)).collect();
        let index = batch.schema().index_of("value").expect("value");
        let mut columns = batch.columns().to_vec();
        columns[index] = Arc::new(scrambled);
        let f = Facts::try_from(RecordBatch::try_new(batch.schema(), columns).expect("batch")).expect("facts");
        let lists = CodeLists::builtin();
        let found = parts_exceed_total(&f, &lists);
        assert!(found.len() > 100, "{}", found.len());
        assert_eq!(found, parts_exceeding(&f, &lists, true));
    }
}
