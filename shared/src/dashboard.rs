//! What the coverage dashboard shows, computed from Arrow columns in one pass per question: the breakdown of the
//! selected indicator (map, charts, tables), the KPI tiles (monthly series, targets, traffic light) and the
//! revisions between two snapshots. Plain Rust, no browser: tested natively, run in wasm.

use std::collections::HashMap;

use arrow_array::Array;

use crate::aggregate::Sum;
use crate::catalog::{Combine, Unit};
use crate::codebook::{self, CodeBook};
use crate::codes::{self, DEPARTMENTS, Department, TOTAL};
use crate::facts::{Dim, DimKeys, Facts, OtherKeys, RowKeys};
use crate::targets::Targets;

/// Where: the whole country, a department (ISO code) or a SI EMPLEO territory (office code).
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    National,
    Department(&'static Department),
    Territory(String),
}

impl Place {
    /// A place from its code (a department by ISO or INE code, or an office of the book); unknown codes fall back
    /// to the whole country.
    pub fn from_code(book: &CodeBook, code: Option<&str>) -> Self {
        match code {
            None => Self::National,
            Some(c) => match codebook::department(c) {
                Some(d) => Self::Department(d),
                None if book.territory(c).is_some() => Self::Territory(c.to_owned()),
                None => Self::National,
            },
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            Self::National => None,
            Self::Department(d) => Some(d.iso),
            Self::Territory(t) => Some(t),
        }
    }

    /// Whether rows of a territory code count for this place. National counts every office and department,
    /// placed or not (a row no list places still counts for the country: nothing published is left out), but
    /// not a national row, which would count everything twice ([`Keys::new`] takes the national rows of an
    /// indicator that has no others).
    pub fn includes(&self, book: &CodeBook, territory: &str) -> bool {
        match self {
            Self::National => territory != codes::NATIONAL,
            Self::Department(d) => book.department_of(territory).is_some_and(|t| t.iso == d.iso),
            Self::Territory(t) => t == territory,
        }
    }

    /// Approximate population, for rates per 10,000 inhabitants (departments and the country only).
    pub fn population(&self) -> Option<f64> {
        match self {
            Self::National => Some(DEPARTMENTS.iter().map(|d| f64::from(d.population)).sum()),
            Self::Department(d) => Some(f64::from(d.population)),
            Self::Territory(_) => None,
        }
    }
}

/// Disaggregation filters: a code, or `_T` for all categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dims<'a> {
    pub service: &'a str,
    pub population: &'a str,
    pub sex: &'a str,
    pub age: &'a str,
}

impl Default for Dims<'_> {
    fn default() -> Self {
        Self { service: TOTAL, population: TOTAL, sex: TOTAL, age: TOTAL }
    }
}

/// The value to show for a cell: counts add up; a ratio is Σ numerator ÷ Σ denominator (× 100 for a
/// percentage); a value that does not combine (a median, a rate whose snapshot lacks its numerator and
/// denominator) is shown only where one row gives it.
pub fn display(unit: Unit, sum: &Sum) -> Option<f64> {
    match (sum.denominator, unit) {
        (Some(d), _) => {
            sum.value().filter(|_| d > 0.0).map(|n| n / d * if unit == Unit::Percent { 100.0 } else { 1.0 })
        }
        (None, Unit::Count) => sum.value(),
        (None, _) => (sum.reported == 1).then_some(sum.value),
    }
}

/// A cell's status as the exports write it in their status column, one of the value statuses of the data contract
/// (`reported`, `estimated`, `not_collected`, `suppressed`), `not_combinable` when rows of a value that does not add
/// up (medians, rates without their numerator and denominator) would have to be combined, or `no_data` when no row
/// speaks for the cell: the value column then holds only numbers, never words. A value that adds up at least one
/// estimate is `estimated`.
pub fn status(unit: Unit, sum: Option<&Sum>) -> &'static str {
    match sum {
        Some(s) if s.reported > 1 && s.denominator.is_none() && unit != Unit::Count => "not_combinable",
        Some(s) if s.reported > 0 && s.estimated > 0 => "estimated",
        Some(s) if s.reported > 0 => "reported",
        Some(s) if s.suppressed > 0 => "suppressed",
        Some(s) if s.missing > 0 => "not_collected",
        _ => "no_data",
    }
}

/// The first and last month a stored period covers: a month itself, a quarter (`2026-T1`) its three months, a year
/// (`2026`) January to December, or January to `last` (the snapshot's last month) while the year is running: a
/// year-to-date value.
pub fn span_of(code: &str, last: &str) -> Option<(String, String)> {
    let b = code.as_bytes();
    let year = code.get(..4)?;
    match b.len() {
        7 if b[4] == b'-' && b[5] == b'T' => {
            let q = i32::from(b[6].checked_sub(b'0')?);
            Some((format!("{year}-{:02}", 3 * q - 2), format!("{year}-{:02}", 3 * q)))
        }
        7 if is_month(code) => Some((code.to_owned(), code.to_owned())),
        4 => {
            let end = if last.starts_with(year) { last.to_owned() } else { format!("{year}-12") };
            Some((format!("{year}-01"), end))
        }
        _ => None,
    }
}

/// The frequency a period code is at: `M` a month, `T` a quarter, `A` a year.
pub fn frequency_of(code: &str) -> &'static str {
    match code.len() {
        4 => "A",
        _ if is_month(code) => "M",
        _ => "T",
    }
}

/// The last month any period of the snapshot covers (a year's own row aside): what "the year to date" runs to.
pub fn last_month(facts: &Facts) -> String {
    (0..facts.period.dictionary_len())
        .map(|p| facts.period.code_of_key(p as i16))
        .filter(|c| c.len() == 7)
        .filter_map(|c| span_of(c, "").map(|(_, end)| end))
        .max()
        .unwrap_or_default()
}

/// The period a view of an indicator that does not add up over time opens on: the year to date when the snapshot
/// publishes it for the indicator's last month, else that last month alone. `None` for one that adds up (a view
/// then opens on its last 12 months).
pub fn opening(facts: &Facts, book: &CodeBook, indicator: &str) -> Option<(String, String)> {
    if book.combine(indicator).over_time() {
        return None;
    }
    let last = months(facts, indicator).pop()?;
    let year_to_date = (format!("{}-01", &last[..4]), last.clone());
    let running = last_month(facts);
    let published =
        codes_of(facts, indicator, &facts.period).iter().any(|c| span_of(c, &running).as_ref() == Some(&year_to_date));
    Some(if published { year_to_date } else { (last.clone(), last) })
}

/// Which stored periods (by dictionary key) a view of the months `[from, to]` reads for an indicator: the periods
/// at its frequency that lie wholly within the months, to be added up; or, for one that does not add up over time
/// (distinct people, medians), the one period that covers exactly those months (a month, a quarter, the year to
/// date), and none when the snapshot publishes no such period.
pub fn periods_read(facts: &Facts, book: &CodeBook, indicator: &str, from: &str, to: &str) -> Vec<bool> {
    let last = last_month(facts);
    let frequency = book.indicator(indicator).map_or("M", |i| i.frequency.as_str());
    let exact = !book.combine(indicator).over_time();
    (0..facts.period.dictionary_len())
        .map(|p| {
            let code = facts.period.code_of_key(p as i16);
            match span_of(code, &last) {
                Some((a, b)) if exact => a == from && b == to,
                Some((a, b)) => frequency_of(code) == frequency && a.as_str() >= from && b.as_str() <= to,
                None => false,
            }
        })
        .collect()
}

/// Keys of the filter codes in one facts table. A code missing from a dictionary matches no row.
struct Keys {
    indicator: i16,
    service: i16,
    population: i16,
    sex: i16,
    age: i16,
    totals: [i16; 4],
    /// The `suppressed` and `estimated` status keys.
    statuses: [i16; 2],
    /// Per territory key: counts for the place.
    place: Vec<bool>,
}

const NONE: i16 = i16::MIN;

/// Runs `$body` for each row of `$rows` (a range of `$facts`), with `$row` bound to the row and `[$ind, $per, …]`
/// to its seven keys as `i16`. The loop is compiled for each stored width of the period and of the six other
/// columns ([`crate::facts::RowKeys`]): keys are read where they lie, not copied wider (only a table mixing widths
/// among the six others gets a widened copy of its rows' keys).
macro_rules! for_each_row {
    ($facts:expr, $rows:expr, |$row:ident, $keys:tt| $body:block) => {{
        let RowKeys { period, others } = $facts.keys_in(&$rows);
        match (period, others) {
            (DimKeys::I8(per), OtherKeys::I8(others)) => rows_loop!($rows, per, others, |$row, $keys| $body),
            (DimKeys::I16(per), OtherKeys::I8(others)) => rows_loop!($rows, per, others, |$row, $keys| $body),
            (DimKeys::I8(per), OtherKeys::I16(others)) => {
                rows_loop!($rows, per, others.each_ref().map(|c| &**c), |$row, $keys| $body)
            }
            (DimKeys::I16(per), OtherKeys::I16(others)) => {
                rows_loop!($rows, per, others.each_ref().map(|c| &**c), |$row, $keys| $body)
            }
        }
    }};
}

/// [`for_each_row`] for one combination of widths. Every slice is cut to the rows' length, so indexing by `i < n`
/// needs no bounds check (the app is built for size, where an iterator adaptor per row is not inlined).
macro_rules! rows_loop {
    ($rows:expr, $per:expr, $others:expr, |$row:ident, [$ind:ident, $p:ident, $ter:ident, $ser:ident, $pop:ident, $sex:ident, $age:ident]| $body:block) => {{
        let n = $rows.len();
        let per = &$per[..n];
        let [ind, ter, ser, pop, sex, age] = $others;
        let (ind, ter, ser, pop, sex, age) = (&ind[..n], &ter[..n], &ser[..n], &pop[..n], &sex[..n], &age[..n]);
        for i in 0..n {
            let $row = $rows.start + i;
            let ($ind, $p, $ter, $ser, $pop, $sex, $age) = (
                i16::from(ind[i]),
                i16::from(per[i]),
                i16::from(ter[i]),
                i16::from(ser[i]),
                i16::from(pop[i]),
                i16::from(sex[i]),
                i16::from(age[i]),
            );
            $body
        }
    }};
}

impl Keys {
    fn new(facts: &Facts, book: &CodeBook, indicator: &str, place: &Place, dims: &Dims) -> Option<Self> {
        let key = |d: &Dim, code: &str| d.key_of(code).unwrap_or(NONE);
        let mut place_keys: Vec<bool> = (0..facts.territory.dictionary_len())
            .map(|k| place.includes(book, facts.territory.code_of_key(k as i16)))
            .collect();
        // An indicator published only for the whole country counts its national rows for the country.
        if *place == Place::National
            && let Some(national) = facts.territory.key_of(codes::NATIONAL)
            && codes_of(facts, indicator, &facts.territory).iter().all(|c| c == codes::NATIONAL)
        {
            place_keys[national as usize] = true;
        }
        Some(Self {
            indicator: facts.indicator.key_of(indicator)?,
            service: key(&facts.service, dims.service),
            population: key(&facts.population, dims.population),
            sex: key(&facts.sex, dims.sex),
            age: key(&facts.age_group, dims.age),
            totals: [
                key(&facts.service, TOTAL),
                key(&facts.population, TOTAL),
                key(&facts.sex, TOTAL),
                key(&facts.age_group, TOTAL),
            ],
            statuses: [key(&facts.status, "suppressed"), key(&facts.status, "estimated")],
            place: place_keys,
        })
    }
}

mod first_view;
#[cfg(feature = "intake")]
pub use first_view::cut as first_view_cut;
pub use first_view::{DefaultView, ViewRows, rows_read};

fn add(sum: &mut Sum, facts: &Facts, row: usize, [suppressed, estimated]: [i16; 2]) {
    let values = facts.values();
    if values.is_valid(row) {
        sum.value += values.value(row);
        sum.reported += 1;
        sum.estimated += u32::from(facts.status.key(row) == estimated);
    } else if facts.status.key(row) == suppressed {
        sum.suppressed += 1;
    } else {
        sum.missing += 1;
    }
}

/// Whether a period code is a month (`YYYY-MM`, not a quarter `YYYY-T1`).
pub fn is_month(code: &str) -> bool {
    code.len() == 7 && code.as_bytes()[4] == b'-' && code.as_bytes()[5].is_ascii_digit()
}

/// Everything the map, the charts and their tables show for one indicator and one set of filters.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub indicator: String,
    pub unit: Unit,
    /// The selected place, period and disaggregation.
    pub total: Sum,
    /// Per department (INE order), at the filters, for the selected period; `None` when no row exists.
    pub by_department: Vec<(&'static Department, Option<Sum>)>,
    /// Territory codes with rows that no list places in a department (shown as "sin departamento"; they count
    /// for the country all the same).
    pub unplaced: Vec<(String, Sum)>,
    /// Per territory code present, at the filters, for the selected period (the office markers).
    pub by_territory: Vec<(String, Sum)>,
    /// Per service (all services, whatever the service filter: a chart does not filter itself).
    pub by_service: Vec<(String, Sum)>,
    /// Per population type, at the sex filter.
    pub by_population: Vec<(String, Sum)>,
    /// Per population type and sex.
    pub by_population_sex: Vec<((String, String), Sum)>,
    pub by_age: Vec<(String, Sum)>,
    /// Every month of the snapshot, at the place and filters (for the time series, previous year included).
    pub by_month: Vec<(String, Sum)>,
}

fn labelled(dim: &Dim, sums: Vec<Sum>, skip: i16) -> Vec<(String, Sum)> {
    sums.into_iter()
        .enumerate()
        .filter(|(k, s)| *k as i16 != skip && s.reported + s.suppressed + s.missing > 0)
        .map(|(k, s)| (dim.code_of_key(k as i16).to_owned(), s))
        .collect()
}

/// Per-period sums as a series at one frequency (`M`, `T`, `A`), oldest first.
fn series_at(facts: &Facts, by_period: Vec<Sum>, frequency: &str) -> Vec<(String, Sum)> {
    let mut series = labelled(&facts.period, by_period, NONE);
    series.retain(|(p, _)| frequency_of(p) == frequency);
    crate::sort_with(&mut series, &|a, b| a.0.cmp(&b.0));
    series
}

/// An indicator's frequency (`M` when the book does not know it).
fn frequency<'a>(book: &'a CodeBook, indicator: &str) -> &'a str {
    book.indicator(indicator).map_or("M", |i| i.frequency.as_str())
}

/// [`Breakdown::by_month`] alone, in a pass that reads only the rows' keys it filters on: the series at the
/// indicator's frequency (months, or quarters for a quarterly one).
pub fn monthly(facts: &Facts, book: &CodeBook, indicator: &str, place: &Place, dims: &Dims) -> Vec<(String, Sum)> {
    series_at(facts, by_period(facts, book, indicator, place, dims), frequency(book, indicator))
}

/// Per period (by dictionary key) the sum of an indicator at a place and filters; a ratio's numerator and
/// denominator are summed apart and paired ([`Sum::ratio`]).
pub fn by_period(facts: &Facts, book: &CodeBook, indicator: &str, place: &Place, dims: &Dims) -> Vec<Sum> {
    match book.combine(indicator) {
        Combine::Ratio { numerator, denominator } => {
            let (n, d) =
                (period_sums(facts, book, numerator, place, dims), period_sums(facts, book, denominator, place, dims));
            n.iter().zip(&d).map(|(n, d)| Sum::ratio(n, d)).collect()
        }
        _ => period_sums(facts, book, indicator, place, dims),
    }
}

fn period_sums(facts: &Facts, book: &CodeBook, indicator: &str, place: &Place, dims: &Dims) -> Vec<Sum> {
    let mut by_period = vec![Sum::default(); facts.period.dictionary_len()];
    let Some(k) = Keys::new(facts, book, indicator, place, dims) else { return by_period };
    let rows = facts.rows_of(k.indicator);
    for_each_row!(facts, rows, |row, [ind, per, ter, ser, pop, sex, age]| {
        if ind == k.indicator
            && ser == k.service
            && pop == k.population
            && sex == k.sex
            && age == k.age
            && k.place[ter as usize]
        {
            add(&mut by_period[per as usize], facts, row, k.statuses);
        }
    });
    by_period
}

/// Pairs two keyed lists cell by cell into a ratio's ([`Sum::ratio`]): every key of either, the numerator's order
/// first.
fn paired<K: Eq + std::hash::Hash + Clone>(numerator: &[(K, Sum)], denominator: &[(K, Sum)]) -> Vec<(K, Sum)> {
    // Looked up by key, not scanned: a series of the 10M-row demo has 11,500 months.
    let (n, d): (HashMap<&K, Sum>, HashMap<&K, Sum>) =
        (numerator.iter().map(|(k, s)| (k, *s)).collect(), denominator.iter().map(|(k, s)| (k, *s)).collect());
    let keys = numerator.iter().chain(denominator.iter().filter(|(k, _)| !n.contains_key(k))).map(|(k, _)| k);
    keys.map(|k| {
        let of = |m: &HashMap<&K, Sum>| m.get(k).copied().unwrap_or_default();
        (k.clone(), Sum::ratio(&of(&n), &of(&d)))
    })
    .collect()
}

impl Breakdown {
    /// One pass over the rows of the indicator (for a ratio, one over each of its numerator's and denominator's,
    /// paired cell by cell). `None` when the snapshot has no such indicator (nor, for a ratio, its numerator).
    pub fn compute(
        facts: &Facts,
        book: &CodeBook,
        indicator: &str,
        from: &str,
        to: &str,
        place: &Place,
        dims: &Dims,
    ) -> Option<Self> {
        let Combine::Ratio { numerator, denominator } = book.combine(indicator) else {
            return Self::of_rows(facts, book, indicator, from, to, place, dims);
        };
        let n = Self::of_rows(facts, book, numerator, from, to, place, dims)?;
        let d = Self::of_rows(facts, book, denominator, from, to, place, dims).unwrap_or_else(|| Self {
            by_department: n.by_department.iter().map(|(dep, _)| (*dep, None)).collect(),
            ..Self::empty(&n.indicator)
        });
        let by_territory = paired(&n.by_territory, &d.by_territory);
        let (by_department, unplaced) = crate::aggregate::by_department(book, &by_territory);
        Some(Self {
            indicator: indicator.to_owned(),
            unit: book.unit(indicator),
            total: Sum::ratio(&n.total, &d.total),
            by_department,
            unplaced,
            by_territory,
            by_service: paired(&n.by_service, &d.by_service),
            by_population: paired(&n.by_population, &d.by_population),
            by_population_sex: paired(&n.by_population_sex, &d.by_population_sex),
            by_age: paired(&n.by_age, &d.by_age),
            by_month: paired(&n.by_month, &d.by_month),
        })
    }

    fn empty(indicator: &str) -> Self {
        Self {
            indicator: indicator.to_owned(),
            unit: Unit::Count,
            total: Sum::default(),
            by_department: Vec::new(),
            unplaced: Vec::new(),
            by_territory: Vec::new(),
            by_service: Vec::new(),
            by_population: Vec::new(),
            by_population_sex: Vec::new(),
            by_age: Vec::new(),
            by_month: Vec::new(),
        }
    }

    /// One pass over the rows of one indicator, reading the periods [`periods_read`] gives.
    fn of_rows(
        facts: &Facts,
        book: &CodeBook,
        indicator: &str,
        from: &str,
        to: &str,
        place: &Place,
        dims: &Dims,
    ) -> Option<Self> {
        let k = Keys::new(facts, book, indicator, place, dims)?;
        let in_period = periods_read(facts, book, indicator, from, to);
        let n = |d: &Dim| vec![Sum::default(); d.dictionary_len()];
        let (mut by_territory, mut by_month) = (n(&facts.territory), n(&facts.period));
        let (mut by_service, mut by_population, mut by_age) =
            (n(&facts.service), n(&facts.population), n(&facts.age_group));
        let n_sex = facts.sex.dictionary_len();
        let mut by_population_sex = vec![Sum::default(); facts.population.dictionary_len() * n_sex];
        let mut total = Sum::default();
        let rows = facts.rows_of(k.indicator);
        let [t_ser, t_pop, t_sex, t_age] = k.totals;
        for_each_row!(facts, rows, |row, [ind, per, ter, ser, pop, sex, age]| {
            if ind != k.indicator {
                continue;
            }
            let (m_ser, m_pop, m_sex, m_age) = (ser == k.service, pop == k.population, sex == k.sex, age == k.age);
            let period_ok = in_period[per as usize];
            let place_ok = k.place[ter as usize];
            if m_ser && m_pop && m_sex && m_age {
                if place_ok {
                    add(&mut by_month[per as usize], facts, row, k.statuses);
                }
                if period_ok {
                    add(&mut by_territory[ter as usize], facts, row, k.statuses);
                    if place_ok {
                        add(&mut total, facts, row, k.statuses);
                    }
                }
            }
            if !(period_ok && place_ok) {
                continue;
            }
            if m_pop && m_sex && m_age && ser != t_ser {
                add(&mut by_service[ser as usize], facts, row, k.statuses);
            }
            if m_ser && m_sex && m_age && pop != t_pop {
                add(&mut by_population[pop as usize], facts, row, k.statuses);
            }
            if m_ser && m_age && pop != t_pop && sex != t_sex {
                let cell = pop as usize * n_sex + sex as usize;
                add(&mut by_population_sex[cell], facts, row, k.statuses);
            }
            if m_ser && m_pop && m_sex && age != t_age {
                add(&mut by_age[age as usize], facts, row, k.statuses);
            }
        });
        let by_population_sex = by_population_sex
            .into_iter()
            .enumerate()
            .filter(|(_, s)| s.reported + s.suppressed + s.missing > 0)
            .map(|(cell, s)| {
                let (p, x) = (cell / n_sex, cell % n_sex);
                let codes =
                    (facts.population.code_of_key(p as i16).to_owned(), facts.sex.code_of_key(x as i16).to_owned());
                (codes, s)
            })
            .collect();
        let by_territory = labelled(&facts.territory, by_territory, NONE);
        let by_month = series_at(facts, by_month, frequency(book, indicator));
        let (by_department, unplaced) = crate::aggregate::by_department(book, &by_territory);
        Some(Self {
            indicator: indicator.to_owned(),
            unit: book.unit(indicator),
            total,
            by_department,
            unplaced,
            by_territory,
            by_service: labelled(&facts.service, by_service, t_ser),
            by_population: labelled(&facts.population, by_population, t_pop),
            by_population_sex,
            by_age: labelled(&facts.age_group, by_age, t_age),
            by_month,
        })
    }

    /// The value of the selected place and period, as shown.
    pub fn value(&self) -> Option<f64> {
        display(self.unit, &self.total)
    }
}

/// The codes of one dimension (`dim`, a column of `facts`) that an indicator has rows for, whatever the filters,
/// in dictionary order and without the dimension's total. The service and age charts list these: under a filter,
/// a category without data is shown as such (and the chart keeps its size) instead of disappearing.
pub fn codes_of(facts: &Facts, indicator: &str, dim: &Dim) -> Vec<String> {
    let Some(key) = facts.indicator.key_of(indicator) else { return Vec::new() };
    let mut seen = vec![false; dim.dictionary_len()];
    let rows = facts.rows_of(key);
    match (facts.indicator.keys_in(rows.clone()), dim.keys_in(rows)) {
        (DimKeys::I8(i), DimKeys::I8(d)) => mark_seen(i, d, key, &mut seen),
        (DimKeys::I8(i), DimKeys::I16(d)) => mark_seen(i, d, key, &mut seen),
        (DimKeys::I16(i), DimKeys::I8(d)) => mark_seen(i, d, key, &mut seen),
        (DimKeys::I16(i), DimKeys::I16(d)) => mark_seen(i, d, key, &mut seen),
    }
    let total = dim.key_of(TOTAL);
    (0..seen.len())
        .filter(|&k| seen[k] && Some(k as i16) != total)
        .map(|k| dim.code_of_key(k as i16).to_owned())
        .collect()
}

/// Marks in `seen` the keys of `dim` on the rows of the indicator `key` ([`codes_of`]), for each stored width.
fn mark_seen<I: Copy + Into<i16>, D: Copy + Into<i16>>(indicator: &[I], dim: &[D], key: i16, seen: &mut [bool]) {
    for (i, k) in indicator.iter().zip(dim) {
        if let (true, Some(seen)) =
            ((*i).into() == key, usize::try_from((*k).into()).ok().and_then(|k| seen.get_mut(k)))
        {
            *seen = true;
        }
    }
}

/// The months `YYYY-MM` a snapshot's indicator covers (a quarter's three months for a quarterly one; a year's row
/// adds none), oldest first: what a view's period is chosen from.
pub fn months(facts: &Facts, indicator: &str) -> Vec<String> {
    if let Some(months) = first_view::months_of_cut(facts, indicator) {
        return months;
    }
    let mut out = Vec::new();
    for code in codes_of(facts, indicator, &facts.period).into_iter().filter(|c| c.len() == 7) {
        if is_month(&code) {
            out.push(code);
        } else if let Some((first, last)) = span_of(&code, "") {
            let mut m = first;
            while m <= last {
                let next = shift_month(&m, 1).unwrap_or_default();
                out.push(m);
                m = next;
            }
        }
    }
    crate::sort_with(&mut out, &|a, b| a.cmp(b));
    out.dedup();
    out
}

/// Sums the months of a series that fall in `[from, to]`.
pub fn window(series: &[(String, Sum)], from: &str, to: &str) -> Sum {
    let mut acc = Sum::default();
    for (_, s) in series.iter().filter(|(p, _)| p.as_str() >= from && p.as_str() <= to) {
        acc.add(s);
    }
    acc
}

/// The month `n` months after (or before, when negative) a `YYYY-MM` code.
pub fn shift_month(month: &str, n: i32) -> Option<String> {
    let (y, m) = month.split_once('-')?;
    let index = y.parse::<i32>().ok()? * 12 + m.parse::<i32>().ok()? - 1 + n;
    Some(format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1))
}

/// Number of months from `from` to `to`, both included.
pub fn months_between(from: &str, to: &str) -> i32 {
    let index = |m: &str| -> Option<i32> {
        let (y, mm) = m.split_once('-')?;
        Some(y.parse::<i32>().ok()? * 12 + mm.parse::<i32>().ok()?)
    };
    match (index(from), index(to)) {
        (Some(a), Some(b)) => b - a + 1,
        _ => 0,
    }
}

/// The traffic light of DOMAIN.md §5, applied to progress against a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Light {
    /// At most 10 points under the expected progress.
    Green,
    /// 10 to 25 points under.
    Amber,
    /// More than 25 points under.
    Red,
    /// No target or no data.
    Grey,
}

impl Light {
    /// The rule in words, for every place a light is shown without its figures (slides, legends).
    pub const RULE: crate::Label = crate::Label {
        es: "Semáforo: verde, hasta 10 puntos por debajo de lo esperado (la meta prorrateada o el avance planificado); amarillo, de 10 a 25; rojo, más de 25 o vencida sin terminar; gris, sin meta o sin datos.",
        en: "Traffic light: green, up to 10 points under what is expected (the pro-rated target or the planned progress); amber, 10 to 25; red, more than 25 or past due unfinished; grey, no target or no data.",
    };

    pub fn of_gap(points_under: f64) -> Self {
        if !points_under.is_finite() {
            Self::Grey
        } else if points_under <= 10.0 {
            Self::Green
        } else if points_under <= 25.0 {
            Self::Amber
        } else {
            Self::Red
        }
    }

    pub const fn code(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Amber => "amber",
            Self::Red => "red",
            Self::Grey => "grey",
        }
    }

    pub const fn label(self) -> crate::Label {
        use crate::Label;
        match self {
            Self::Green => Label { es: "En camino", en: "On track" },
            Self::Amber => Label { es: "Atención", en: "Watch" },
            Self::Red => Label { es: "Rezagado", en: "Off track" },
            Self::Grey => Label { es: "Sin meta", en: "No target" },
        }
    }
}

/// Why a tile gives no change against the previous period.
#[derive(Debug, Clone, PartialEq)]
pub enum NoChange {
    /// The previous period has no data (it is before the series begins).
    NoPrevious,
    /// Months whose data is incomplete (a value not collected or suppressed, or no row) in one period while the
    /// same month of the other period is complete: the two periods do not hold the same months. Each list is
    /// oldest first.
    Incomplete { current: Vec<String>, previous: Vec<String> },
}

/// Whether each month of `[from, from + span)` holds all its data: rows, none of them missing or suppressed.
fn complete_months(series: &[(String, Sum)], from: &str, span: i32) -> Vec<(String, Option<bool>)> {
    (0..span)
        .filter_map(|i| shift_month(from, i))
        .map(|m| {
            let state = series
                .iter()
                .find(|(p, _)| *p == m)
                .map(|(_, s)| s.reported > 0 && s.missing == 0 && s.suppressed == 0);
            (m, state)
        })
        .collect()
}

/// Whether a period and the one before it hold the same months, so that their change means something.
fn comparable(series: &[(String, Sum)], from: &str, previous_from: &str, span: i32) -> Option<NoChange> {
    let now = complete_months(series, from, span);
    let before = complete_months(series, previous_from, span);
    if before.iter().all(|(_, state)| state.is_none()) {
        return Some(NoChange::NoPrevious);
    }
    let (mut current, mut previous) = (Vec::new(), Vec::new());
    for ((m_now, now), (m_before, before)) in now.iter().zip(&before) {
        match (now, before) {
            // Neither period has a row that month: nothing to compare, nothing left out.
            (None, None) | (Some(true), Some(true)) => {}
            _ => {
                if *now != Some(true) {
                    current.push(m_now.clone());
                }
                if *before != Some(true) {
                    previous.push(m_before.clone());
                }
            }
        }
    }
    (!current.is_empty() || !previous.is_empty()).then_some(NoChange::Incomplete { current, previous })
}

/// One KPI tile.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub indicator: String,
    /// Population type fixed by the tile (`retornada` for returned migrants served), `_T` otherwise.
    pub population: String,
    pub unit: Unit,
    pub value: Option<f64>,
    /// Whether there is no value because the period's figures do not combine: distinct people or a median over
    /// months the snapshot publishes no value for, or a median or rate without its parts over several offices.
    pub not_combinable: bool,
    /// Whether the value adds up at least one estimate (`estimated` status): it is marked.
    pub estimated: bool,
    /// The same number of months just before the period.
    pub previous: Option<f64>,
    /// Why there is no change against the previous period, when the two do not hold the same months.
    pub no_change: Option<NoChange>,
    /// January to the last month of the period, for progress to the annual target.
    pub year_to_date: Option<f64>,
    pub annual_target: Option<f64>,
    /// Progress to the annual target, percent.
    pub progress: Option<f64>,
    /// Progress expected by the last month of the period, percent (pro rata for counts, 100 for rates).
    pub expected: f64,
    pub light: Light,
    /// The last 12 monthly values up to the end of the period (`None`: no data that month).
    pub spark: Vec<Option<f64>>,
    /// Where the year ends at the current pace, or why that is not said: only with an annual target.
    pub projection: Option<Result<crate::projection::Projection, crate::projection::NoProjection>>,
}

impl Tile {
    /// Change against the previous period, percent; none when the two periods do not hold the same months.
    pub fn change(&self) -> Option<f64> {
        if self.no_change.is_some() {
            return None;
        }
        match (self.value, self.previous) {
            (Some(v), Some(p)) if p.abs() > f64::EPSILON => Some(100.0 * (v - p) / p),
            _ => None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn compute(
        facts: &Facts,
        book: &CodeBook,
        targets: Option<&Targets>,
        indicator: &str,
        population: &str,
        from: &str,
        to: &str,
        place: &Place,
    ) -> Self {
        let unit = book.unit(indicator);
        let dims = Dims { population, ..Dims::default() };
        let periods = by_period(facts, book, indicator, place, &dims);
        // What the months [a, b] read: the periods `periods_read` picks, added up.
        let read = |a: &str, b: &str| -> Sum {
            let mut acc = Sum::default();
            for (sum, _) in periods.iter().zip(periods_read(facts, book, indicator, a, b)).filter(|(_, r)| *r) {
                acc.add(sum);
            }
            acc
        };
        let series = series_at(facts, periods.clone(), frequency(book, indicator));
        let span = months_between(from, to).max(1);
        let show = |s: Sum| display(unit, &s);
        let current = read(from, to);
        let value = show(current);
        let (previous, no_change) = match (shift_month(from, -span), shift_month(from, -1)) {
            (Some(a), Some(b)) => {
                let before = show(read(&a, &b));
                let why = if frequency(book, indicator) == "M" && book.combine(indicator).over_time() {
                    comparable(&series, from, &a, span)
                } else {
                    before.is_none().then_some(NoChange::NoPrevious)
                };
                (before, why)
            }
            _ => (None, Some(NoChange::NoPrevious)),
        };
        let year = to.get(..4).unwrap_or_default();
        let year_to_date = show(read(&format!("{year}-01"), to));
        let month = f64::from(to.get(5..7).and_then(|m| m.parse::<u8>().ok()).unwrap_or(12));
        let annual_target = if population == TOTAL {
            targets.and_then(|t| t.annual(book, indicator, year.parse().unwrap_or(0), place, unit))
        } else {
            None
        };
        let higher_is_better = book.higher_is_better(indicator);
        let (progress, expected) = match (unit, year_to_date, annual_target) {
            (Unit::Count, Some(v), Some(t)) if t > 0.0 => (Some(100.0 * v / t), 100.0 * month / 12.0),
            (_, Some(v), Some(t)) if t > 0.0 && v > 0.0 => {
                (Some(if higher_is_better { 100.0 * v / t } else { 100.0 * t / v }), 100.0)
            }
            _ => (None, 100.0),
        };
        let light = progress.map_or(Light::Grey, |p| Light::of_gap(expected - p));
        Self {
            indicator: indicator.to_owned(),
            population: population.to_owned(),
            unit,
            value,
            not_combinable: value.is_none()
                && (status(unit, Some(&current)) == "not_combinable"
                    || (current == Sum::default() && !book.combine(indicator).over_time() && span > 1)),
            estimated: current.estimated > 0,
            previous,
            no_change,
            year_to_date,
            annual_target,
            progress,
            expected,
            light,
            spark: spark(&series, to, &show),
            projection: annual_target.map(|_| crate::projection::project(&series, book.combine(indicator), to)),
        }
    }
}

/// The last 12 values of a series up to `to`: each of the 12 months (`None` where a month has no data), or the
/// last 12 quarters or years that end by then.
fn spark(series: &[(String, Sum)], to: &str, show: &dyn Fn(Sum) -> Option<f64>) -> Vec<Option<f64>> {
    if series.first().is_none_or(|(p, _)| is_month(p)) {
        return (0..12)
            .rev()
            .filter_map(|back| shift_month(to, -back))
            .map(|m| series.iter().find(|(p, _)| *p == m).and_then(|(_, s)| show(*s)))
            .collect();
    }
    let upto: Vec<&(String, Sum)> =
        series.iter().filter(|(p, _)| span_of(p, to).is_some_and(|(_, end)| end.as_str() <= to)).collect();
    upto[upto.len().saturating_sub(12)..].iter().map(|(_, s)| show(*s)).collect()
}

/// How a cell differs between two snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Present in both, with a different value (or status).
    Revised,
    /// Only in the newer snapshot (typically a new month).
    Added,
    /// Only in the older snapshot.
    Removed,
}

/// A value that differs between two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub territory: String,
    pub period: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub change: Change,
}

impl Revision {
    pub fn delta(&self) -> f64 {
        self.after.unwrap_or(0.0) - self.before.unwrap_or(0.0)
    }
}

/// Values of one indicator at the filters, on a territory × period grid of dictionary keys: `None` when no row,
/// `Some(None)` when a row without value (its status says why). Both levels matter: a cell that appears is "added",
/// a value that becomes missing is "revised".
#[allow(clippy::option_option)]
struct Grid {
    cells: Vec<Option<Option<f64>>>,
    periods: usize,
}

fn grid(facts: &Facts, book: &CodeBook, indicator: &str, place: &Place, dims: &Dims) -> Grid {
    let periods = facts.period.dictionary_len();
    let mut cells = vec![None; facts.territory.dictionary_len() * periods];
    if let Some(k) = Keys::new(facts, book, indicator, place, dims) {
        let rows = facts.rows_of(k.indicator);
        for_each_row!(facts, rows, |row, [ind, per, ter, ser, pop, sex, age]| {
            if ind == k.indicator
                && k.place[ter as usize]
                && ser == k.service
                && pop == k.population
                && sex == k.sex
                && age == k.age
            {
                cells[ter as usize * periods + per as usize] = Some(facts.value(row));
            }
        });
    }
    Grid { cells, periods }
}

/// Values revised from `before` to `after` (including cells added or removed), largest change first.
/// One pass over each table's keys; codes are matched between the two dictionaries, never per row.
pub fn revisions(
    before: &Facts,
    after: &Facts,
    book: &CodeBook,
    indicator: &str,
    place: &Place,
    dims: &Dims,
) -> Vec<Revision> {
    let (a, b) = (grid(before, book, indicator, place, dims), grid(after, book, indicator, place, dims));
    let index = |dim: &Dim| -> HashMap<String, usize> {
        (0..dim.dictionary_len()).map(|k| (dim.code_of_key(k as i16).to_owned(), k)).collect()
    };
    let (a_ter, a_per) = (index(&before.territory), index(&before.period));
    let (b_ter, b_per) = (index(&after.territory), index(&after.period));
    let mut out = Vec::new();
    for (t_code, &bt) in &b_ter {
        for (p_code, &bp) in &b_per {
            let Some(now) = b.cells[bt * b.periods + bp] else { continue };
            let old = match (a_ter.get(t_code), a_per.get(p_code)) {
                (Some(&at), Some(&ap)) => a.cells[at * a.periods + ap],
                _ => None,
            };
            let change = match old {
                None => Change::Added,
                Some(v) if v == now => continue,
                Some(_) => Change::Revised,
            };
            out.push(Revision {
                territory: t_code.clone(),
                period: p_code.clone(),
                before: old.flatten(),
                after: now,
                change,
            });
        }
    }
    for (t_code, &at) in &a_ter {
        for (p_code, &ap) in &a_per {
            let Some(old) = a.cells[at * a.periods + ap] else { continue };
            let still = match (b_ter.get(t_code), b_per.get(p_code)) {
                (Some(&bt), Some(&bp)) => b.cells[bt * b.periods + bp].is_some(),
                _ => false,
            };
            if !still {
                out.push(Revision {
                    territory: t_code.clone(),
                    period: p_code.clone(),
                    before: old,
                    after: None,
                    change: Change::Removed,
                });
            }
        }
    }
    crate::sort_with(&mut out, &|x, y| {
        y.delta()
            .abs()
            .total_cmp(&x.delta().abs())
            .then_with(|| (&x.period, &x.territory).cmp(&(&y.period, &y.territory)))
    });
    out
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // sums of whole numbers are exact in f64
mod tests {
    use super::*;
    use crate::demo;

    fn demo_facts(config: &demo::DemoConfig) -> Facts {
        Facts::try_from(demo::facts(config)).expect("canonical")
    }

    /// Independent check through the string getters, row by row.
    fn slow_sum(facts: &Facts, indicator: &str, from: &str, to: &str, place: &Place, dims: [&str; 4]) -> f64 {
        (0..facts.len())
            .filter(|&r| {
                facts.indicator.code(r) == indicator
                    && facts.period.code(r) >= from
                    && facts.period.code(r) <= to
                    && place.includes(&CodeBook::builtin(), facts.territory.code(r))
                    && [&facts.service, &facts.population, &facts.sex, &facts.age_group]
                        .iter()
                        .zip(dims)
                        .all(|(d, want)| d.code(r) == want)
            })
            .filter_map(|r| facts.value(r))
            .sum()
    }

    #[test]
    fn an_indicators_codes_ignore_the_filters_and_leave_out_the_total() {
        let book = CodeBook::builtin();
        let facts = demo_facts(&demo::DemoConfig::default());
        let services = codes_of(&facts, "COB-01", &facts.service);
        let all: Vec<&str> = codes::SERVICES.iter().map(|c| c.code).collect();
        let mut sorted = services.clone();
        sorted.sort();
        let mut expected: Vec<String> = all.iter().map(|c| (*c).to_owned()).collect();
        expected.sort();
        assert_eq!(sorted, expected, "every service reports people served");
        assert!(!codes_of(&facts, "COB-01", &facts.age_group).iter().any(|c| c == TOTAL));
        // Under a filter some of them have no data, but they stay listed.
        let women = Dims { sex: "mujer", ..Dims::default() };
        let b =
            Breakdown::compute(&facts, &book, "COB-01", "2026-01", "2026-10", &Place::from_code(&book, None), &women);
        assert!(b.expect("indicator").by_age.len() < codes_of(&facts, "COB-01", &facts.age_group).len());
        assert!(codes_of(&facts, "NO-SUCH", &facts.service).is_empty());
    }

    #[test]
    fn breakdown_matches_a_row_by_row_sum_for_every_chart() {
        let book = CodeBook::builtin();
        let facts = demo_facts(&demo::DemoConfig::default());
        let place = Place::from_code(&book, Some("HN-CR"));
        let dims = Dims { sex: "mujer", ..Dims::default() };
        let b = Breakdown::compute(&facts, &book, "COB-01", "2026-10", "2026-10", &place, &dims).expect("indicator");
        let t = TOTAL;
        let total = slow_sum(&facts, "COB-01", "2026-10", "2026-10", &place, [t, t, "mujer", t]);
        assert!(total > 0.0);
        assert_eq!(b.total.value, total);
        // Population × sex ignores the sex filter; population alone applies it.
        let returnee_women = b.by_population.iter().find(|(p, _)| p == "retornada").expect("returnees").1;
        assert_eq!(
            returnee_women.value,
            slow_sum(&facts, "COB-01", "2026-10", "2026-10", &place, [t, "retornada", "mujer", t])
        );
        let men = b.by_population_sex.iter().find(|((p, s), _)| p == "general" && s == "hombre").expect("cell").1;
        assert_eq!(men.value, slow_sum(&facts, "COB-01", "2026-10", "2026-10", &place, [t, "general", "hombre", t]));
        // The demo has no age × sex rows: the age chart is empty rather than wrong.
        assert!(b.by_age.is_empty());
        let all =
            Breakdown::compute(&facts, &book, "COB-01", "2026-10", "2026-10", &place, &Dims::default()).expect("ind");
        assert_eq!(all.by_age.len(), 6);
        assert_eq!(all.by_service.len(), 5);
        let services: f64 = all.by_service.iter().map(|(_, s)| s.value).sum();
        assert_eq!(services, all.total.value, "people are counted once, under their main service");
        // Months cover the whole snapshot, not only the period (for the previous year's line).
        assert_eq!(all.by_month.len(), 24);
        let cortes = all.by_department.iter().find(|(d, _)| d.iso == "HN-CR").and_then(|(_, s)| *s).expect("Cortés");
        assert_eq!(cortes.value, all.total.value);
    }

    #[test]
    fn rates_are_ratios_of_sums_and_unique_people_are_not_added_over_months() {
        let book = CodeBook::builtin();
        let facts = demo_facts(&demo::DemoConfig::default());
        let national = Place::National;
        let b = Breakdown::compute(&facts, &book, "DER-02", "2026-01", "2026-10", &national, &Dims::default())
            .expect("indicator");
        let t = [TOTAL; 4];
        let ratio = 100.0 * slow_sum(&facts, "DER-05", "2026-01", "2026-10", &national, t)
            / slow_sum(&facts, "DER-01", "2026-01", "2026-10", &national, t);
        let v = b.value().expect("value");
        assert!((v - ratio).abs() < 1e-9, "{v} = Σ completed ÷ Σ sent, not a mean of rates");
        // COB-01 counts distinct people: ten months are the year-to-date row, not ten months added up.
        let people = Breakdown::compute(&facts, &book, "COB-01", "2026-01", "2026-10", &national, &Dims::default())
            .expect("indicator");
        assert_eq!(people.total.value, slow_sum(&facts, "COB-01", "2026", "2026", &national, t));
        assert!(people.total.value < slow_sum(&facts, "COB-01", "2026-01", "2026-10", &national, t) * 0.7);
        let unpublished =
            Breakdown::compute(&facts, &book, "COB-01", "2026-02", "2026-10", &national, &Dims::default())
                .expect("indicator");
        assert_eq!(unpublished.value(), None, "no period published for February to October");
        // The quarterly COB-04 reads its quarters, as a ratio of sums.
        let q = Breakdown::compute(&facts, &book, "COB-04", "2026-01", "2026-06", &national, &Dims::default())
            .expect("indicator");
        let coverage = 100.0 * slow_sum(&facts, "COB-08", "2026-T1", "2026-T2", &national, t)
            / slow_sum(&facts, "CTX-01", "2026-T1", "2026-T2", &national, t);
        assert!((q.value().expect("value") - coverage).abs() < 1e-9);
        assert!(q.by_month.iter().all(|(p, _)| p.contains("-T")), "its series is by quarter");
        assert_eq!(months(&facts, "COB-04").len(), 21, "seven whole quarters cover 21 months");
    }

    #[test]
    fn tiles_compare_periods_and_follow_the_traffic_light() {
        let book = CodeBook::builtin();
        let config = demo::DemoConfig::default();
        let facts = demo_facts(&config);
        let targets = crate::targets::Targets::demo(&config);
        let tile =
            Tile::compute(&facts, &book, Some(&targets), "COB-01", TOTAL, "2026-10", "2026-10", &Place::National);
        let t = TOTAL;
        assert_eq!(tile.value, Some(slow_sum(&facts, "COB-01", "2026-10", "2026-10", &Place::National, [t; 4])));
        assert_eq!(tile.previous, Some(slow_sum(&facts, "COB-01", "2026-09", "2026-09", &Place::National, [t; 4])));
        // Distinct people: the year to date is the row published for it, not the months added up.
        let ytd = slow_sum(&facts, "COB-01", "2026", "2026", &Place::National, [t; 4]);
        assert_eq!(tile.year_to_date, Some(ytd));
        let target = 58_000.0 * 1.08;
        let annual = tile.annual_target.expect("demo has targets");
        assert!((annual - target).abs() < 20.0, "{annual}");
        assert!((tile.expected - 100.0 * 10.0 / 12.0).abs() < 1e-9);
        assert_eq!(tile.light, Light::of_gap(tile.expected - 100.0 * ytd / annual));
        assert_eq!(tile.spark.len(), 12);
        assert!(tile.spark.iter().all(Option::is_some));
        let returnees =
            Tile::compute(&facts, &book, Some(&targets), "COB-01", "retornada", "2026-10", "2026-10", &Place::National);
        assert!(returnees.value.expect("value") < tile.value.expect("value") / 4.0);
        assert_eq!(returnees.light, Light::Grey, "no target for a population subgroup");
    }

    /// Issue 35: DER-01 in Ocotepeque read "▲ 51.4 %" against a previous period with three months not collected.
    #[test]
    fn a_change_needs_the_same_months_in_both_periods() {
        let book = CodeBook::builtin();
        let config = demo::DemoConfig::default();
        let facts = demo_facts(&config);
        // The office that did not collect referrals in the demo's first three months (Nov 2024 – Jan 2025).
        let office = Place::from_code(&book, Some(codes::DEMO_TERRITORIES[12].code));
        let tile = |ind: &str, from: &str, place: &Place| {
            Tile::compute(&facts, &book, None, ind, TOTAL, from, "2026-10", place)
        };
        let referrals = tile("DER-01", "2025-11", &office);
        assert!(referrals.value.is_some() && referrals.previous.is_some());
        assert_eq!(
            referrals.no_change,
            Some(NoChange::Incomplete {
                current: vec![],
                previous: vec!["2024-11".to_owned(), "2024-12".to_owned(), "2025-01".to_owned()]
            })
        );
        assert_eq!(referrals.change(), None, "no change against a period lacking three months");
        assert!(tile("DER-01", "2025-11", &Place::National).change().is_none(), "nor for the country it is part of");
        let people = tile("COB-02", "2025-11", &office);
        assert_eq!(people.no_change, None);
        assert!(people.change().is_some(), "contacts were recorded every month: a change");
        // February to October 2026 against May 2025 to January 2026: both periods are whole.
        assert!(tile("DER-01", "2026-02", &office).change().is_some());
        // The whole series: no previous period at all.
        assert_eq!(tile("COB-02", "2024-11", &office).no_change, Some(NoChange::NoPrevious));
    }

    #[test]
    fn estimates_are_told_apart() {
        let book = CodeBook::builtin();
        let config = demo::DemoConfig::default();
        let facts = demo_facts(&config);
        // The office that reports its last month (October 2026) as an estimate.
        let office = Place::from_code(&book, Some(codes::DEMO_TERRITORIES[10].code));
        let tile = |to: &str| Tile::compute(&facts, &book, None, "COB-02", TOTAL, "2026-01", to, &office);
        assert!(tile("2026-10").estimated);
        assert!(!tile("2026-09").estimated);
        let b = Breakdown::compute(&facts, &book, "COB-02", "2026-10", "2026-10", &office, &Dims::default())
            .expect("indicator");
        assert_eq!(status(Unit::Count, Some(&b.total)), "estimated");
        assert_eq!(status(Unit::Count, b.by_month.iter().find(|(m, _)| m == "2026-09").map(|(_, s)| s)), "reported");
        assert_eq!(status(Unit::Count, None), "no_data");
    }

    #[test]
    fn traffic_light_thresholds() {
        assert_eq!(Light::of_gap(-5.0), Light::Green);
        assert_eq!(Light::of_gap(10.0), Light::Green);
        assert_eq!(Light::of_gap(10.1), Light::Amber);
        assert_eq!(Light::of_gap(25.0), Light::Amber);
        assert_eq!(Light::of_gap(25.1), Light::Red);
        assert_eq!(Light::of_gap(f64::NAN), Light::Grey);
    }

    #[test]
    fn the_next_snapshot_revises_the_provisional_month() {
        let book = CodeBook::builtin();
        let current = demo::DemoConfig::default();
        let previous = demo::DemoConfig::previous(&current);
        let (a, b) = (demo_facts(&previous), demo_facts(&current));
        let revised = revisions(&a, &b, &book, "COB-01", &Place::National, &Dims::default());
        assert!(!revised.is_empty());
        // September was provisional in the previous snapshot; October is new.
        // September was provisional and the year to date grows by a month; October is new.
        assert!(revised.iter().all(|r| ["2026-09", "2026-10", "2026"].contains(&r.period.as_str())), "{revised:?}");
        let sept: Vec<&Revision> = revised.iter().filter(|r| r.period == "2026-09").collect();
        assert_eq!(sept.len(), 17);
        assert!(sept.iter().all(|r| r.change == Change::Revised));
        assert!(revised.iter().filter(|r| r.period == "2026-10").all(|r| r.change == Change::Added));
        assert!(sept.iter().all(|r| r.delta() > 0.0));
        assert!(revised[0].delta().abs() >= revised[revised.len() - 1].delta().abs());
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(shift_month("2026-01", -1).as_deref(), Some("2025-12"));
        assert_eq!(shift_month("2025-12", 13).as_deref(), Some("2027-01"));
        assert_eq!(months_between("2025-11", "2026-10"), 12);
    }
}
