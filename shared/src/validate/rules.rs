//! Rules over canonical batches: within a table (duplicates, ranges, consistency, disaggregations) and across
//! tables (references, milestone weights).

use std::collections::HashMap;

use super::FastMap;
use std::hash::{Hash, Hasher};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int16Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;

use super::{CodeLists, Kept, Report};
use crate::catalog::Unit;
use crate::codes::TOTAL;
use crate::facts::Facts;
use crate::tables::TableSpec;

/// `rows` maps the batch's rows to the original ones: rows that failed typing are left out.
pub(super) fn table(spec: &TableSpec, batch: &RecordBatch, rows: Kept<'_>, lists: &CodeLists, report: &mut Report) {
    if spec.name == "facts"
        && let Ok(f) = Facts::try_from(batch.clone())
    {
        // The per-row rules run on a second thread meanwhile, with findings of their own.
        std::thread::scope(|scope| {
            let per_row = scope.spawn(|| {
                let mut own = Report::default();
                facts(&f, rows, lists, &mut own);
                own
            });
            if let Some(keyed) = Keyed::new(&f) {
                let found = keyed.check(&f, lists);
                report_duplicates(spec, &f, &found.duplicates, rows, report);
                report_parts_exceed_total(&exclusive_only(&f, lists, found.exceeded), rows, report);
            } else {
                duplicates(spec, batch, rows, report);
                report_parts_exceed_total(
                    &exclusive_only(&f, lists, parts_exceed_total_hashed(&f, lists)),
                    rows,
                    report,
                );
            }
            if let Ok(own) = per_row.join() {
                report.append(own);
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
                        Some(rows.line(row)),
                        Some("weight"),
                        Some(&w.to_string()),
                        "el peso debe estar entre 0 y 100".into(),
                        "the weight must be from 0 to 100".into(),
                    );
                }
            }
        }
        "budget_lines" => budget(batch, rows, report),
        "territories" => territory_list(batch, rows, report),
        "indicators" => indicator_list(batch, rows, report),
        "targets" => {
            for (row, v) in floats(batch, "value") {
                if v < 0.0 {
                    report.error(
                        spec.name,
                        Some(rows.line(row)),
                        Some("value"),
                        Some(&v.to_string()),
                        "la meta no puede ser negativa".into(),
                        "a target cannot be negative".into(),
                    );
                }
            }
            revision_dated(batch, rows, report);
        }
        _ => {}
    }
}

/// A target's revision says when: who, why or the value it replaced without `revised_on` is an error.
fn revision_dated(batch: &RecordBatch, rows: Kept<'_>, report: &mut Report) {
    use crate::tables::col;
    let on = strings(batch, col::REVISED_ON);
    let (by, reason) = (strings(batch, col::REVISED_BY), strings(batch, col::REVISION_REASON));
    let previous: Vec<bool> = batch
        .column_by_name(col::PREVIOUS_VALUE)
        .map_or_else(|| vec![false; batch.num_rows()], |a| (0..a.len()).map(|r| a.is_valid(r)).collect());
    let has = |v: &[Option<&str>], r: usize| v.get(r).copied().flatten().is_some_and(|s| !s.trim().is_empty());
    for (r, &has_previous) in previous.iter().enumerate() {
        if !has(&on, r) && (has(&by, r) || has(&reason, r) || has_previous) {
            report.error(
                "targets",
                Some(rows.line(r)),
                Some(col::REVISED_ON),
                None,
                "una meta revisada debe decir cuándo (revised_on)".into(),
                "a revised target must say when (revised_on)".into(),
            );
        }
    }
}

/// An office's code must not name a department or the country (its rows would count twice), and its coordinates,
/// when given, come in pairs and lie in Honduras (the map's frame).
/// A ratio names its numerator and denominator, two count indicators of the same list; an overlapping
/// disaggregation is one of the four.
fn indicator_list(batch: &RecordBatch, rows: Kept<'_>, report: &mut Report) {
    const TABLE: &str = "indicators";
    // Text as validated, plain or dictionary-encoded (codes).
    let texts = |name: &str| -> Vec<Option<String>> {
        let column = batch.column_by_name(name);
        let plain =
            column.and_then(|a| a.as_string_opt::<i32>()).map(|a| a.iter().map(|v| v.map(str::to_owned)).collect());
        plain
            .or_else(|| {
                column
                    .and_then(|a| crate::ipc::dictionary_codes(a.as_ref()))
                    .map(|v| v.into_iter().map(|v| v.map(str::to_owned)).collect())
            })
            .unwrap_or_else(|| vec![None; batch.num_rows()])
    };
    let (codes, units, combine) = (texts("code"), texts("unit"), texts("combine"));
    let unit_of = |code: &str| codes.iter().position(|c| c.as_deref() == Some(code)).and_then(|i| units[i].as_deref());
    for part in ["numerator", "denominator"] {
        let named = texts(part);
        for row in 0..batch.num_rows() {
            let (value, is_ratio) = (named[row].as_deref(), combine[row].as_deref() == Some("ratio"));
            let (es, en) = match (is_ratio, value) {
                (true, None) => (
                    format!(
                        "una tasa (combine = ratio) nombra su {}",
                        if part == "numerator" { "numerador" } else { "denominador" }
                    ),
                    format!("a rate (combine = ratio) names its {part}"),
                ),
                (_, Some(code)) if unit_of(code) != Some("count") => (
                    format!("«{code}» no es un indicador de conteo de esta lista"),
                    format!("«{code}» is not a count indicator of this list"),
                ),
                (false, Some(_)) => (
                    "solo una tasa (combine = ratio) lleva numerador y denominador".to_owned(),
                    "only a rate (combine = ratio) has a numerator and a denominator".to_owned(),
                ),
                _ => continue,
            };
            report.error(TABLE, Some(rows.line(row)), Some(part), value, es, en);
        }
    }
    for (row, listed) in strings(batch, "overlapping").into_iter().enumerate() {
        for dim in listed.unwrap_or_default().split(';').map(str::trim).filter(|d| !d.is_empty()) {
            if !["service", "population", "sex", "age_group"].contains(&dim) {
                report.error(
                    TABLE,
                    Some(rows.line(row)),
                    Some("overlapping"),
                    Some(dim),
                    "use service, population, sex o age_group, separados por ;".into(),
                    "use service, population, sex or age_group, separated by ;".into(),
                );
            }
        }
    }
}

fn territory_list(batch: &RecordBatch, rows: Kept<'_>, report: &mut Report) {
    const TABLE: &str = "territories";
    for (row, code) in strings(batch, "code").into_iter().enumerate() {
        let Some(code) = code else { continue };
        if code == crate::codes::NATIONAL || crate::codebook::department(code).is_some() {
            report.error(
                TABLE,
                Some(rows.line(row)),
                Some("code"),
                Some(code),
                "este código ya nombra un departamento o el país: dé a la oficina un código propio".into(),
                "this code already names a department or the country: give the office a code of its own".into(),
            );
        }
    }
    let column = |name: &str| -> Vec<Option<f64>> {
        batch
            .column_by_name(name)
            .and_then(|a| a.as_primitive_opt::<Float64Type>())
            .map_or_else(|| vec![None; batch.num_rows()], |a| a.iter().collect())
    };
    let (lon, lat) = (column("lon"), column("lat"));
    for (row, pair) in lon.into_iter().zip(lat).enumerate() {
        let (es, en, column, value) = match pair {
            (Some(x), None) => {
                ("falta la latitud de esta longitud", "the latitude of this longitude is missing", "lat", x)
            }
            (None, Some(y)) => {
                ("falta la longitud de esta latitud", "the longitude of this latitude is missing", "lon", y)
            }
            (Some(x), Some(_)) if !(-89.5..=-83.0).contains(&x) => {
                ("longitud fuera de Honduras (de -89.5 a -83)", "longitude outside Honduras (-89.5 to -83)", "lon", x)
            }
            (Some(_), Some(y)) if !(12.9..=17.5).contains(&y) => {
                ("latitud fuera de Honduras (de 12.9 a 17.5)", "latitude outside Honduras (12.9 to 17.5)", "lat", y)
            }
            _ => continue,
        };
        report.error(TABLE, Some(rows.line(row)), Some(column), Some(&value.to_string()), es.into(), en.into());
    }
    municipalities(batch, rows, report);
}

/// An office's municipality, when the list gives one, is the INE code of a municipality of its department (the
/// map places the office's figures there when a department is drilled into).
fn municipalities(batch: &RecordBatch, rows: Kept<'_>, report: &mut Report) {
    use crate::tables::col::MUNICIPALITY;
    let text = |name: &str| -> Vec<Option<String>> {
        let plain = batch.column_by_name(name).and_then(|a| arrow_cast::cast(a, &DataType::Utf8).ok());
        plain.as_ref().and_then(|a| a.as_string_opt::<i32>()).map_or_else(
            || vec![None; batch.num_rows()],
            |a| a.iter().map(|v| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())).collect(),
        )
    };
    let (codes, departments) = (text(MUNICIPALITY), text("department"));
    let mut known: HashMap<&'static str, Vec<String>> = HashMap::new();
    for (row, (code, department)) in codes.into_iter().zip(departments).enumerate() {
        let (Some(code), Some(d)) = (code, department.as_deref().and_then(crate::codebook::department)) else {
            continue;
        };
        let of = known.entry(d.iso).or_insert_with(|| {
            crate::geo::municipalities(d.iso)
                .and_then(Result::ok)
                .map_or_else(Vec::new, |m| m.regions.into_iter().map(|r| r.id).collect())
        });
        if !of.contains(&code) {
            report.error(
                "territories",
                Some(rows.line(row)),
                Some(MUNICIPALITY),
                Some(&code),
                format!(
                    "no es un municipio de {}: use el código INE de 4 cifras de uno de sus {} municipios (de {}01 a {}{:02})",
                    d.name,
                    of.len(),
                    d.code,
                    d.code,
                    of.len()
                ),
                format!(
                    "not a municipality of {}: use the 4-digit INE code of one of its {} municipalities ({}01 to {}{:02})",
                    d.name,
                    of.len(),
                    d.code,
                    d.code,
                    of.len()
                ),
            );
        }
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

fn duplicate_found(spec: &TableSpec, report: &mut Report, rows: Kept<'_>, row: usize, earlier: usize, shown: &str) {
    report.error(
        spec.name,
        Some(rows.line(row)),
        Some(spec.key[0]),
        Some(shown),
        format!("fila duplicada: la misma clave ya aparece en la fila {}", rows.line(earlier)),
        format!("duplicate row: the same key already appears in row {}", rows.line(earlier)),
    );
}

fn duplicates(spec: &TableSpec, batch: &RecordBatch, rows: Kept<'_>, report: &mut Report) {
    let columns: Vec<&dyn Array> = spec.key.iter().filter_map(|k| batch.column_by_name(k).map(AsRef::as_ref)).collect();
    // Keys made only of dictionary columns pack into one integer per row.
    let dict_keys: Vec<&[i16]> =
        columns.iter().filter_map(|c| c.as_dictionary_opt::<Int16Type>()).map(|d| d.keys().values().as_ref()).collect();
    let plain = dict_keys.len() == columns.len() && columns.iter().all(|c| c.null_count() == 0);
    if plain && columns.len() <= 8 {
        let mut first: FastMap<u128, usize> = FastMap::default();
        first.reserve(batch.num_rows());
        for row in 0..batch.num_rows() {
            let key = dict_keys.iter().fold(0u128, |acc, k| (acc << 16) | u128::from(k[row] as u16));
            if let Some(&earlier) = first.get(&key) {
                duplicate_found(spec, report, rows, row, earlier, &shown_key(spec, &columns, row));
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

fn floats<'a>(batch: &'a RecordBatch, name: &str) -> impl Iterator<Item = (usize, f64)> + 'a {
    let array = batch.column_by_name(name).and_then(|a| a.as_primitive_opt::<Float64Type>());
    array.into_iter().flat_map(|a| a.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))))
}

fn strings<'a>(batch: &'a RecordBatch, name: &str) -> Vec<Option<&'a str>> {
    batch.column_by_name(name).and_then(|a| a.as_string_opt::<i32>()).map_or_else(Vec::new, |a| a.iter().collect())
}

fn date_order(table: &str, batch: &RecordBatch, rows: Kept<'_>, start: &str, end: &str, report: &mut Report) {
    for (row, (s, e)) in strings(batch, start).into_iter().zip(strings(batch, end)).enumerate() {
        if let (Some(s), Some(e)) = (s, e)
            && e < s
        {
            report.error(
                table,
                Some(rows.line(row)),
                Some(end),
                Some(e),
                format!("la fecha de fin ({e}) es anterior a la de inicio ({s})"),
                format!("the end date ({e}) is before the start date ({s})"),
            );
        }
    }
}

fn budget(batch: &RecordBatch, rows: Kept<'_>, report: &mut Report) {
    let t = "budget_lines";
    for name in ["approved_hnl", "current_hnl", "committed_hnl", "executed_hnl"] {
        for (row, v) in floats(batch, name) {
            if v < 0.0 {
                report.error(
                    t,
                    Some(rows.line(row)),
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
                Some(rows.line(row)),
                Some("executed_hnl"),
                Some(&executed.to_string()),
                format!("lo ejecutado supera el presupuesto vigente ({c})"),
                format!("executed exceeds the current budget ({c})"),
            );
        }
    }
}

#[allow(clippy::needless_range_loop)] // `row` indexes several columns and the row map
fn facts(f: &Facts, rows: Kept<'_>, lists: &CodeLists, report: &mut Report) {
    let t = "facts";
    // Per dictionary key, not per row: units and status kinds. (Small cells of sensitive populations are not
    // refused: `crate::disclosure` hides them before the table is stored, and the report lists each one.)
    let units: Vec<Option<Unit>> =
        (0..f.indicator.dictionary_len()).map(|k| lists.unit(f.indicator.code_of_key(k as i16))).collect();
    let missing_status: Vec<bool> = (0..f.status.dictionary_len())
        .map(|k| matches!(f.status.code_of_key(k as i16), "not_collected" | "suppressed"))
        .collect();
    for row in 0..f.len() {
        let value = f.value(row);
        let status_key = f.status.key(row) as usize;
        if value.is_some() != missing_status[status_key]
            && units[f.indicator.key(row) as usize].is_some_and(|u| {
                value.is_some_and(|v| match u {
                    Unit::Count | Unit::Days => v >= 0.0,
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
                Some(rows.line(row)),
                Some("value"),
                None,
                format!("valor vacío con estado «{status}»: un dato faltante debe marcarse not_collected o suppressed (nunca es cero)"),
                format!("empty value with status «{status}»: a missing value must be marked not_collected or suppressed (it is never zero)"),
            ),
            (Some(v), "not_collected" | "suppressed") => report.error(
                t,
                Some(rows.line(row)),
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
                Some(rows.line(row)),
                Some("value"),
                Some(&shown),
                format!("{indicator} es un conteo: no puede ser negativo"),
                format!("{indicator} is a count: it cannot be negative"),
            ),
            Some(Unit::Percent) if !(0.0..=100.0).contains(&v) => report.error(
                t,
                Some(rows.line(row)),
                Some("value"),
                Some(&shown),
                format!("{indicator} es un porcentaje: debe estar entre 0 y 100"),
                format!("{indicator} is a percentage: it must be from 0 to 100"),
            ),
            Some(Unit::Score) if !(0.0..=1.0).contains(&v) => report.error(
                t,
                Some(rows.line(row)),
                Some("value"),
                Some(&shown),
                format!("{indicator} es un puntaje: debe estar entre 0 y 1"),
                format!("{indicator} is a score: it must be from 0 to 1"),
            ),
            _ => {}
        }
    }
}

/// The facts' seven key columns packed into one `u64` per row as bit fields (each column's dictionary key in as
/// many bits as its dictionary needs, indicator most significant, age group least). The top fields (indicator,
/// period, territory) name a row's *run*: a total and its disaggregations. Rows are grouped by run, in row order
/// within it, and each run is checked with small dense arrays indexed by the bottom four fields: no hash map
/// and no sort of a million keys.
struct Keyed {
    keys: Vec<u64>,
    /// Row numbers grouped by run, ascending within a run.
    order: Vec<u32>,
    /// Bits of the four disaggregation fields together (service, population, sex, age group).
    inner_bits: u32,
    /// Where each disaggregation field starts within those bits, and its width.
    shifts: [u32; 4],
    widths: [u32; 4],
}

/// Bits that hold the keys `0..n`.
fn bits_for(n: usize) -> u32 {
    usize::BITS - n.saturating_sub(1).leading_zeros()
}

/// Runs with at most this many bits of key are grouped by a counting sort; wider ones by a stable sort.
const COUNTING_SORT_BITS: u32 = 22;
/// Disaggregation fields wider than this together go to the hashed check (the dense arrays would be too big).
const MAX_INNER_BITS: u32 = 20;

/// What the run-by-run pass finds: duplicate rows `(row, first row with its key)` and exceeded totals.
struct Found {
    duplicates: Vec<(usize, usize)>,
    exceeded: Vec<(usize, usize, f64, f64)>,
}

impl Keyed {
    /// `None` when the keys do not fit in 64 bits, or the disaggregation fields are too wide for dense arrays.
    fn new(f: &Facts) -> Option<Self> {
        let columns = [&f.indicator, &f.period, &f.territory, &f.service, &f.population, &f.sex, &f.age_group];
        let mut shifts = [0u32; 7];
        let mut total = 0u32;
        for (i, dim) in columns.iter().enumerate().rev() {
            shifts[i] = total;
            total += bits_for(dim.dictionary_len());
        }
        let inner_bits = shifts[2];
        if total > 64 || inner_bits > MAX_INNER_BITS || u32::try_from(f.len()).is_err() {
            return None;
        }
        let mut keys = vec![0u64; f.len()];
        for (dim, shift) in columns.iter().zip(shifts) {
            // Keys are in range (Facts checked them), so each stays inside its field.
            for (key, &k) in keys.iter_mut().zip(dim.wide_keys_in(0..f.len()).iter()) {
                *key |= u64::from(k as u16) << shift;
            }
        }
        let run_bits = total - inner_bits;
        let order: Vec<u32> = if run_bits <= COUNTING_SORT_BITS {
            let mut starts = vec![0u32; (1usize << run_bits) + 1];
            for key in &keys {
                starts[(key >> inner_bits) as usize + 1] += 1;
            }
            for i in 1..starts.len() {
                starts[i] += starts[i - 1];
            }
            let mut order = vec![0u32; keys.len()];
            for (row, key) in keys.iter().enumerate() {
                let at = &mut starts[(key >> inner_bits) as usize];
                order[*at as usize] = row as u32;
                *at += 1;
            }
            order
        } else {
            let mut order: Vec<u32> = (0..keys.len() as u32).collect();
            order.sort_by_key(|&row| keys[row as usize] >> inner_bits);
            order
        };
        let widths = [3, 4, 5, 6].map(|i| bits_for(columns[i].dictionary_len()));
        Some(Self { keys, order, inner_bits, shifts: [shifts[3], shifts[4], shifts[5], shifts[6]], widths })
    }

    /// One pass over the runs: each row whose key an earlier row already has, and, for counts, the rows whose
    /// parts (one dimension split, the others fixed) add up to more than the row itself.
    fn check(&self, f: &Facts, lists: &CodeLists) -> Found {
        let dims = [&f.service, &f.population, &f.sex, &f.age_group];
        let totals: Vec<Option<u64>> = dims.iter().map(|d| d.key_of(TOTAL).map(|k| k as u64)).collect();
        let counts = count_indicators(f, lists);
        let run_size = 1usize << self.inner_bits;
        // Per run: the first row of each inner key, and the sum of the parts of each (dimension, parent inner
        // key), stamped with the run they belong to so that nothing needs clearing between runs.
        let mut row_at: Vec<(u64, usize)> = vec![(u64::MAX, 0); run_size];
        let mut sums: Vec<(u64, f64)> = vec![(u64::MAX, 0.0); 4 * run_size];
        let mut parents: Vec<usize> = Vec::new();
        let mut found = Found { duplicates: Vec::new(), exceeded: Vec::new() };
        let values = f.values();
        let flush = |parents: &mut Vec<usize>, row_at: &[(u64, usize)], sums: &[(u64, f64)], run: u64| {
            let mut out = Vec::new();
            for slot in parents.drain(..) {
                let (d, parent) = (slot / run_size, slot % run_size);
                let (stamp, row) = row_at[parent];
                if stamp == run
                    && let Some(total) = f.value(row)
                    && sums[slot].1 > total + 1e-9
                {
                    out.push((row, d, sums[slot].1, total));
                }
            }
            out
        };
        let mut current = u64::MAX;
        for &row in &self.order {
            let row = row as usize;
            let key = self.keys[row];
            let run = key >> self.inner_bits;
            if run != current {
                found.exceeded.extend(flush(&mut parents, &row_at, &sums, current));
                current = run;
            }
            let inner = (key & (run_size as u64 - 1)) as usize;
            if row_at[inner].0 == run {
                found.duplicates.push((row, row_at[inner].1));
                continue;
            }
            row_at[inner] = (run, row);
            if !counts[f.indicator.key(row) as usize] || values.is_null(row) {
                continue;
            }
            for (d, total) in totals.iter().enumerate() {
                let Some(total) = *total else { continue };
                let (shift, mask) = (self.shifts[d], (1u64 << self.widths[d]) - 1);
                if (inner as u64 >> shift) & mask != total {
                    let parent = (inner as u64 & !(mask << shift)) | (total << shift);
                    let slot = d * run_size + parent as usize;
                    if sums[slot].0 != run {
                        sums[slot] = (run, 0.0);
                        parents.push(slot);
                    }
                    sums[slot].1 += values.value(row);
                }
            }
        }
        found.exceeded.extend(flush(&mut parents, &row_at, &sums, current));
        found.duplicates.sort_unstable();
        found.exceeded.sort_by_key(|e| (e.0, e.1));
        found
    }
}

/// Reports duplicate rows `(row, first row with the same key)`, in row order.
fn report_duplicates(spec: &TableSpec, f: &Facts, found: &[(usize, usize)], rows: Kept<'_>, report: &mut Report) {
    let columns: Vec<&dyn Array> =
        spec.key.iter().filter_map(|k| f.batch().column_by_name(k).map(AsRef::as_ref)).collect();
    for &(row, earlier) in found {
        duplicate_found(spec, report, rows, row, earlier, &shown_key(spec, &columns, row));
    }
}

/// A row's key as the report shows it: `indicator=COB-01, period=2026-10, …`.
fn shown_key(spec: &TableSpec, columns: &[&dyn Array], row: usize) -> String {
    let parts: Vec<String> =
        spec.key.iter().zip(columns).map(|(k, c)| format!("{k}={}", show(&cell(*c, row)))).collect();
    parts.join(", ")
}

/// The exceeded totals of disaggregations whose parts exclude each other: a person may be counted under several
/// services of an indicator whose list says its `service` parts overlap, and then they may add up to more.
fn exclusive_only(
    f: &Facts,
    lists: &CodeLists,
    mut exceeded: Vec<(usize, usize, f64, f64)>,
) -> Vec<(usize, usize, f64, f64)> {
    let names = ["service", "population", "sex", "age_group"];
    exceeded.retain(|&(row, d, ..)| lists.book.indicator(f.indicator.code(row)).is_none_or(|i| i.exclusive(names[d])));
    exceeded
}

/// Per indicator dictionary key: whether the indicator is a count (only counts have parts that must not exceed
/// their total).
fn count_indicators(f: &Facts, lists: &CodeLists) -> Vec<bool> {
    (0..f.indicator.dictionary_len())
        .map(|k| lists.unit(f.indicator.code_of_key(k as i16)) == Some(Unit::Count))
        .collect()
}

/// `Keyed::check`'s sums over hashed 128-bit keys, for dictionaries too large to pack in 64 bits.
fn parts_exceed_total_hashed(f: &Facts, lists: &CodeLists) -> Vec<(usize, usize, f64, f64)> {
    let dims = [&f.service, &f.population, &f.sex, &f.age_group];
    let totals: Vec<i16> = dims.iter().map(|d| d.key_of(TOTAL).unwrap_or(-1)).collect();
    let counts = count_indicators(f, lists);
    let columns = [
        f.indicator.wide_keys_in(0..f.len()),
        f.period.wide_keys_in(0..f.len()),
        f.territory.wide_keys_in(0..f.len()),
        dims[0].wide_keys_in(0..f.len()),
        dims[1].wide_keys_in(0..f.len()),
        dims[2].wide_keys_in(0..f.len()),
        dims[3].wide_keys_in(0..f.len()),
    ];
    // A row's key in 7 × 16 bits, the split dimension above them.
    let pack = |row: usize| columns.iter().fold(0u128, |acc, c| (acc << 16) | u128::from(c[row] as u16));
    let parent = |key: u128, d: usize| {
        let shift = 16 * (3 - d as u32);
        let parent = (key & !(0xFFFF_u128 << shift)) | (u128::from(totals[d] as u16) << shift);
        (parent | ((d as u128 + 1) << 112), parent)
    };
    let dim_keys = [
        f.service.wide_keys_in(0..f.len()),
        f.population.wide_keys_in(0..f.len()),
        f.sex.wide_keys_in(0..f.len()),
        f.age_group.wide_keys_in(0..f.len()),
    ];
    let mut by_key: FastMap<u128, usize> = FastMap::default();
    let mut sums: FastMap<u128, (u128, usize, f64)> = FastMap::default();
    let values = f.values();
    for row in 0..f.len() {
        if !counts[f.indicator.key(row) as usize] {
            continue;
        }
        let k = pack(row);
        by_key.insert(k, row);
        if values.is_null(row) {
            continue;
        }
        let v = values.value(row);
        for (d, total) in totals.iter().enumerate() {
            if *total >= 0 && dim_keys[d][row] != *total {
                let (tagged, untagged) = parent(k, d);
                sums.entry(tagged).or_insert((untagged, d, 0.0)).2 += v;
            }
        }
    }
    let mut exceeded: Vec<_> = sums
        .into_values()
        .filter_map(|(key, d, sum)| {
            let row = *by_key.get(&key)?;
            let total = f.value(row)?;
            (sum > total + 1e-9).then_some((row, d, sum, total))
        })
        .collect();
    exceeded.sort_by_key(|e| (e.0, e.1));
    exceeded
}

fn report_parts_exceed_total(exceeded: &[(usize, usize, f64, f64)], original: Kept<'_>, report: &mut Report) {
    let names = ["service", "population", "sex", "age_group"];
    for &(row, d, sum, total) in exceeded {
        report.error(
            "facts",
            Some(original.line(row)),
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
    fn parts_exceed_total_finds_the_same_rows_sorted_and_hashed() {
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
        let found = Keyed::new(&f).expect("fits in 64 bits").check(&f, &lists).exceeded;
        assert!(found.len() > 100, "{}", found.len());
        assert_eq!(found, parts_exceed_total_hashed(&f, &lists));
    }

    #[test]
    fn duplicates_are_the_same_grouped_by_run_and_hashed() {
        let batch = crate::demo::facts(&crate::demo::DemoConfig::default());
        // Rows repeated later (and one repeated twice): each repeat names the first row with its key.
        let parts = [batch.clone(), batch.slice(100, 50), batch.slice(7, 3), batch.slice(120, 1)];
        let doubled = arrow_select::concat::concat_batches(&batch.schema(), &parts).expect("concat");
        let f = Facts::try_from(doubled.clone()).expect("facts");
        let spec = crate::tables::spec("facts").expect("facts spec");
        let (mut grouped, mut hashed) = (Report::default(), Report::default());
        let found = Keyed::new(&f).expect("fits in 64 bits").check(&f, &CodeLists::builtin()).duplicates;
        report_duplicates(spec, &f, &found, Kept(None), &mut grouped);
        duplicates(spec, &doubled, Kept(None), &mut hashed);
        assert_eq!(grouped.findings.len(), 54);
        assert_eq!(grouped.findings, hashed.findings);
        let last = grouped.findings.last().expect("a finding");
        assert_eq!(last.row, Some(batch.num_rows() + 54));
        assert!(last.message_en.ends_with(&format!("row {}", 121)), "{}", last.message_en);
    }
}
