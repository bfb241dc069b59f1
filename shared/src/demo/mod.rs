//! The deterministic synthetic demo snapshot (fixed seed). Magnitudes follow DOMAIN.md §7; the data is
//! fictitious and every title built from it says so.

pub mod roadmap;

use std::sync::Arc;

use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int16Array, RecordBatch, StringArray};

use crate::codes::{AGE_GROUPS, Code, DEMO_TERRITORIES, POPULATIONS, SERVICES, SEXES, TOTAL};
use crate::schema::{FactsColumn, facts_schema};

/// Label shown wherever demo data is on screen.
pub const SYNTHETIC_LABEL: crate::Label =
    crate::Label { es: "Datos ficticios de demostración", en: "Synthetic demonstration data" };

/// Parameters of the generator.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Last month of data, `(year, month)`.
    pub last_month: (i32, u32),
    /// Number of months of data.
    pub months: u32,
    pub seed: u64,
}

impl DemoConfig {
    /// The snapshot published a month before this one: one month shorter, its last month still provisional.
    #[must_use]
    pub fn previous(&self) -> Self {
        let (y, m) = self.last_month;
        let last_month = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
        Self { last_month, months: self.months.saturating_sub(1), ..self.clone() }
    }
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self { last_month: (2026, 10), months: 24, seed: 0x5255_4D42_4F00_0001 }
    }
}

/// `SplitMix64`: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[1 - spread, 1 + spread)`.
    pub fn jitter(&mut self, spread: f64) -> f64 {
        1.0 + spread * (2.0 * self.unit() - 1.0)
    }
}

/// Splits a whole total into parts proportional to jittered weights; the parts sum exactly to the total.
fn split(total: u64, weights: &[f64], rng: &mut Rng) -> Vec<u64> {
    let w: Vec<f64> = weights.iter().map(|w| w * rng.jitter(0.15)).collect();
    let sum: f64 = w.iter().sum();
    let exact: Vec<f64> = w.iter().map(|x| total as f64 * x / sum).collect();
    let mut parts: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut rest = total - parts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    for i in order.into_iter().cycle().take(parts.len() * 2) {
        if rest == 0 {
            break;
        }
        parts[i] += 1;
        rest -= 1;
    }
    parts
}

/// Share of each territory in national volume: the two metropolitan offices hold about 40 %.
pub(crate) fn territory_weight(index: usize) -> f64 {
    match index {
        0 => 0.22,
        1 => 0.18,
        _ => 0.60 / 15.0 * (0.6 + 0.8 * ((index * 7 % 15) as f64 / 14.0)),
    }
}

const POPULATION_SHARE: [f64; 6] = [0.878, 0.08, 0.02, 0.006, 0.002, 0.014];
const AGE_SHARE: [f64; 6] = [0.04, 0.30, 0.20, 0.30, 0.13, 0.03];
/// Women's share by population type (returnees are mostly men).
const WOMEN_SHARE: [f64; 6] = [0.52, 0.25, 0.50, 0.40, 0.48, 0.20];
const SERVICE_SHARE: [f64; 5] = [0.38, 0.08, 0.32, 0.12, 0.10];

/// Collects rows column by column as dictionary keys.
struct Rows {
    dims: [Vec<i16>; 8],
    dictionaries: [Vec<String>; 8],
    value: Vec<Option<f64>>,
}

/// Positions of the dimension columns in [`Rows::dims`], in schema order.
const DIM_COLUMNS: [FactsColumn; 8] = [
    FactsColumn::Indicator,
    FactsColumn::Period,
    FactsColumn::Territory,
    FactsColumn::Service,
    FactsColumn::Population,
    FactsColumn::Sex,
    FactsColumn::AgeGroup,
    FactsColumn::Status,
];

fn codes_with_total(list: &[Code]) -> Vec<String> {
    std::iter::once(TOTAL.to_owned()).chain(list.iter().map(|c| c.code.to_owned())).collect()
}

impl Rows {
    /// `key` values: indices into each dictionary; 0 is `_T` for disaggregations.
    fn push(&mut self, keys: [usize; 7], value: Option<f64>, status: usize) {
        for (col, k) in keys.iter().enumerate() {
            self.dims[col].push(*k as i16);
        }
        self.dims[7].push(status as i16);
        self.value.push(value);
    }

    fn into_batch(self) -> RecordBatch {
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(9);
        let mut dims = self.dims.into_iter().zip(self.dictionaries);
        for column in crate::schema::FactsColumn::ALL {
            if column == FactsColumn::Value {
                columns.push(Arc::new(Float64Array::from(self.value.clone())));
            } else if let Some((keys, dict)) = dims.next() {
                let values = Arc::new(StringArray::from(dict));
                let array = DictionaryArray::new(Int16Array::from(keys), values);
                columns.push(Arc::new(array));
            }
        }
        // The columns are built from the schema itself, so this cannot fail.
        RecordBatch::try_new(facts_schema(), columns).expect("demo columns follow the facts schema")
    }
}

const STATUS_REPORTED: usize = 0;
const STATUS_ESTIMATED: usize = 1;
const STATUS_NOT_COLLECTED: usize = 2;

/// Distinct people served in a year, as a share of the months' counts added up: many come back in another month.
const DISTINCT_IN_YEAR: f64 = 0.62;
/// The same within a quarter.
const DISTINCT_IN_QUARTER: f64 = 0.85;

/// COB-01's rows for one territory and period: the total, by sex, by age, by service that brought each person in,
/// by population and population × sex (small cells of sensitive populations included: the server hides them).
fn push_people(rows: &mut Rows, [p, t]: [usize; 2], people: u64, status: usize, rng: &mut Rng) {
    let at = |s: usize, pop: usize, sex: usize, age: usize| [0, p, t, s, pop, sex, age];
    rows.push(at(0, 0, 0, 0), Some(people as f64), status);
    let by_pop = split(people, &POPULATION_SHARE, rng);
    let mut by_sex = [0u64; 3];
    let mut pop_sex_rows = Vec::new();
    for (i, &n) in by_pop.iter().enumerate() {
        let w = WOMEN_SHARE[i];
        let parts = split(n, &[w, 0.98 - w, 0.02], rng);
        for (s, &m) in parts.iter().enumerate() {
            by_sex[s] += m;
            pop_sex_rows.push((i + 1, s + 1, m));
        }
    }
    for (s, &n) in by_sex.iter().enumerate() {
        rows.push(at(0, 0, s + 1, 0), Some(n as f64), status);
    }
    for (a, n) in split(people, &AGE_SHARE, rng).into_iter().enumerate() {
        rows.push(at(0, 0, 0, a + 1), Some(n as f64), status);
    }
    // By main service received (each person counted once, under the service that brought them in).
    for (s, n) in split(people, &SERVICE_SHARE, rng).into_iter().enumerate() {
        rows.push(at(s + 1, 0, 0, 0), Some(n as f64), status);
    }
    for (i, &n) in by_pop.iter().enumerate() {
        rows.push(at(0, i + 1, 0, 0), Some(n as f64), status);
    }
    for (pop, s, n) in pop_sex_rows {
        rows.push(at(0, pop, s, 0), Some(n as f64), status);
    }
}

/// Indicators of the demo, in the order of its dictionary: COB-01 distinct people (monthly, plus a row per year:
/// the year to date while it runs), COB-02 contacts, INT-05 placements, DER-01 referrals sent, DER-02 the share
/// completed (DER-05 ÷ DER-01), DER-05 referrals completed, and the quarterly COB-04 returnee coverage
/// (COB-08 ÷ CTX-01).
const INDICATORS: [&str; 9] =
    ["COB-01", "COB-02", "INT-05", "DER-01", "DER-02", "DER-05", "COB-04", "COB-08", "CTX-01"];

/// A ratio's value as an office publishes it: a whole percentage (the dashboard computes its own, to one decimal,
/// from the numerator and denominator).
fn percent(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| (100.0 * numerator / denominator).round())
}

/// The demo `facts` table, as an analyst would upload it: small cells of sensitive populations included, since
/// the server hides them (and what would reveal them) when it publishes ([`crate::disclosure`]).
pub fn facts(config: &DemoConfig) -> RecordBatch {
    let mut rng = Rng::new(config.seed);
    let months: Vec<(i32, u32)> = (0..config.months)
        .map(|i| {
            let back = config.months - 1 - i;
            let index = config.last_month.0 * 12 + config.last_month.1 as i32 - 1 - back as i32;
            (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
        })
        .collect();
    let mut periods: Vec<String> = months.iter().map(|(y, m)| format!("{y:04}-{m:02}")).collect();
    let years: Vec<i32> = {
        let mut y: Vec<i32> = months.iter().map(|m| m.0).collect();
        y.dedup();
        y
    };
    // Whole quarters only.
    let quarters: Vec<(i32, u32)> = {
        let mut q: Vec<(i32, u32)> = months.iter().map(|(y, m)| (*y, (m - 1) / 3 + 1)).collect();
        q.dedup();
        q.retain(|(y, q)| (1..=3).all(|k| months.contains(&(*y, (q - 1) * 3 + k))));
        q
    };
    let (first_year, first_quarter) = (periods.len(), periods.len() + years.len());
    periods.extend(years.iter().map(|y| format!("{y:04}")));
    periods.extend(quarters.iter().map(|(y, q)| format!("{y:04}-T{q}")));
    let dictionaries: [Vec<String>; 8] = [
        INDICATORS.iter().map(|s| (*s).to_owned()).collect(),
        periods,
        DEMO_TERRITORIES.iter().map(|t| t.code.to_owned()).collect(),
        codes_with_total(&SERVICES),
        codes_with_total(&POPULATIONS),
        codes_with_total(&SEXES),
        codes_with_total(&AGE_GROUPS),
        crate::codes::VALUE_STATUSES.iter().map(|c| c.code.to_owned()).collect(),
    ];
    debug_assert_eq!(DIM_COLUMNS.len(), dictionaries.len());
    let mut rows = Rows { dims: Default::default(), dictionaries, value: Vec::new() };
    // About 55,000 distinct people a year (DOMAIN.md §7), many of them served in more than one month.
    let national_monthly = 55_000.0 / 12.0 / DISTINCT_IN_YEAR;
    let last = months.len().saturating_sub(1);
    let territories = DEMO_TERRITORIES.len();
    // Per territory: people served per year, returnees served per quarter.
    let mut people_in_year = vec![vec![0u64; years.len()]; territories];
    let mut returnees_in_quarter = vec![vec![0u64; quarters.len()]; territories];
    for (p, (year, month)) in months.iter().enumerate() {
        let season = 1.0 + 0.10 * ((p as f64) / 12.0 * std::f64::consts::TAU).sin();
        let trend = 1.0 + 0.006 * p as f64;
        for t in 0..territories {
            // The last month is provisional: late registrations add about 4 % when the next snapshot revises it.
            let provisional = if p == last { 0.96 } else { 1.0 };
            let people = (national_monthly * territory_weight(t) * season * trend * rng.jitter(0.08) * provisional)
                .round() as u64;
            // T11 reports its last month as an estimate; T13 did not collect referrals for three months.
            let status = if t == 10 && p == last { STATUS_ESTIMATED } else { STATUS_REPORTED };
            let at = |ind: usize, s: usize, pop: usize, sex: usize, age: usize| [ind, p, t, s, pop, sex, age];
            push_people(&mut rows, [p, t], people, status, &mut rng);
            people_in_year[t][years.iter().position(|y| y == year).unwrap_or(0)] += people;
            if let Some(q) = quarters.iter().position(|&(y, q)| y == *year && q == (month - 1) / 3 + 1) {
                returnees_in_quarter[t][q] += (people as f64 * POPULATION_SHARE[1]).round() as u64;
            }
            // COB-02 service contacts: total and by service.
            let contacts = (people as f64 * 1.6 * rng.jitter(0.05)).round() as u64;
            rows.push(at(1, 0, 0, 0, 0), Some(contacts as f64), status);
            for (s, n) in split(contacts, &SERVICE_SHARE, &mut rng).into_iter().enumerate() {
                rows.push(at(1, s + 1, 0, 0, 0), Some(n as f64), status);
            }
            // INT-05 placements: total and by sex.
            let placements = (people as f64 * 0.135 * rng.jitter(0.15)).round() as u64;
            rows.push(at(2, 0, 0, 0, 0), Some(placements as f64), status);
            for (s, n) in split(placements, &[0.47, 0.52, 0.01], &mut rng).into_iter().enumerate() {
                rows.push(at(2, 0, 0, s + 1, 0), Some(n as f64), status);
            }
            // DER-01 referrals sent, DER-05 those completed, DER-02 the share (a ratio: summed as its two parts).
            if t == 12 && p < 3 {
                for ind in [3, 4, 5] {
                    rows.push(at(ind, 0, 0, 0, 0), None, STATUS_NOT_COLLECTED);
                }
            } else {
                let referrals = (people as f64 * 0.125 * rng.jitter(0.2)).round();
                let completed = (referrals * (0.5 + 0.3 * rng.unit())).round();
                rows.push(at(3, 0, 0, 0, 0), Some(referrals), status);
                rows.push(at(4, 0, 0, 0, 0), percent(completed, referrals), status);
                rows.push(at(5, 0, 0, 0, 0), Some(completed), status);
            }
        }
    }
    // The rows of years and quarters draw from their own generator per office and period, so that a snapshot a
    // month shorter gives the same values for the periods both hold whole.
    let own = |t: usize, period: &str| {
        let key = period.bytes().fold(t as u64, |k, b| k.wrapping_mul(31).wrapping_add(u64::from(b)));
        Rng::new(config.seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    };
    for t in 0..territories {
        for (y, &sum) in people_in_year[t].iter().enumerate() {
            let mut rng = own(t, &years[y].to_string());
            let people = (sum as f64 * DISTINCT_IN_YEAR).round() as u64;
            // T11's year to date holds its estimated last month: an estimate too.
            let status = if t == 10 && y + 1 == years.len() { STATUS_ESTIMATED } else { STATUS_REPORTED };
            push_people(&mut rows, [first_year + y, t], people, status, &mut rng);
        }
        // COB-04 returnee coverage, quarterly: of the returnees INM received (CTX-01), those served (COB-08).
        for (q, &sum) in returnees_in_quarter[t].iter().enumerate() {
            let mut rng = own(t, &format!("{}-T{}", quarters[q].0, quarters[q].1));
            let served = (sum as f64 * DISTINCT_IN_QUARTER).round();
            let received = (served / (0.25 + 0.2 * rng.unit())).round();
            let at = |ind: usize| [ind, first_quarter + q, t, 0, 0, 0, 0];
            rows.push(at(6), percent(served, received), STATUS_REPORTED);
            rows.push(at(7), Some(served), STATUS_REPORTED);
            rows.push(at(8), Some(received), STATUS_REPORTED);
        }
    }
    rows.into_batch()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Facts;

    #[test]
    fn demo_is_deterministic_and_canonical() {
        let a = facts(&DemoConfig::default());
        let b = facts(&DemoConfig::default());
        assert_eq!(a, b);
        let f = Facts::try_from(a).expect("canonical");
        // 24 months, the years 2024 to 2026 (2026 to date) and the seven whole quarters.
        assert_eq!(f.period.dictionary_len(), 24 + 3 + 7);
        assert_eq!(f.territory.dictionary_len(), 17);
    }

    #[test]
    fn national_volume_is_believable() {
        let f = Facts::try_from(facts(&DemoConfig::default())).expect("canonical");
        let national = crate::dashboard::Place::National;
        let dims = crate::dashboard::Dims::default();
        let b = crate::dashboard::Breakdown::compute(
            &f,
            &crate::codebook::CodeBook::builtin(),
            "COB-01",
            "2025-01",
            "2025-12",
            &national,
            &dims,
        );
        let year = b.expect("COB-01").total.value;
        assert!((45_000.0..=65_000.0).contains(&year), "{year}");
    }

    #[test]
    fn small_sensitive_cells_are_left_for_the_server_to_hide() {
        let f = Facts::try_from(facts(&DemoConfig::default())).expect("canonical");
        let book = crate::codebook::CodeBook::builtin();
        let small = (0..f.len())
            .filter(|&row| book.is_sensitive(f.population.code(row)))
            .filter(|&row| f.value(row).is_some_and(|v| v > 0.0 && v < crate::codes::SUPPRESSION_THRESHOLD))
            .count();
        // Refugees, displaced people and people in transit are few: many of their cells are small.
        assert!(small > 1_000, "{small}");
        assert!((0..f.len()).all(|row| f.status.code(row) != "suppressed"));
    }

    #[test]
    fn split_parts_sum_to_the_total() {
        let mut rng = Rng::new(7);
        for total in [0, 1, 5, 999, 12_345] {
            assert_eq!(split(total, &POPULATION_SHARE, &mut rng).iter().sum::<u64>(), total);
        }
    }
}
