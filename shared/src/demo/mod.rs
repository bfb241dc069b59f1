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

/// The demo `facts` table, as an analyst would upload it: small cells of sensitive populations included, since
/// the server hides them (and what would reveal them) when it publishes ([`crate::disclosure`]).
pub fn facts(config: &DemoConfig) -> RecordBatch {
    let mut rng = Rng::new(config.seed);
    let periods: Vec<String> = (0..config.months)
        .map(|i| {
            let back = config.months - 1 - i;
            let index = config.last_month.0 * 12 + config.last_month.1 as i32 - 1 - back as i32;
            format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
        })
        .collect();
    let indicators = ["COB-01", "COB-02", "INT-05", "DER-01", "DER-02"];
    let dictionaries: [Vec<String>; 8] = [
        indicators.iter().map(|s| (*s).to_owned()).collect(),
        periods.clone(),
        DEMO_TERRITORIES.iter().map(|t| t.code.to_owned()).collect(),
        codes_with_total(&SERVICES),
        codes_with_total(&POPULATIONS),
        codes_with_total(&SEXES),
        codes_with_total(&AGE_GROUPS),
        crate::codes::VALUE_STATUSES.iter().map(|c| c.code.to_owned()).collect(),
    ];
    debug_assert_eq!(DIM_COLUMNS.len(), dictionaries.len());
    let mut rows = Rows { dims: Default::default(), dictionaries, value: Vec::new() };
    let national_monthly = 55_000.0 / 12.0;
    let last = periods.len().saturating_sub(1);
    for (p, _) in periods.iter().enumerate() {
        let season = 1.0 + 0.10 * ((p as f64) / 12.0 * std::f64::consts::TAU).sin();
        let trend = 1.0 + 0.006 * p as f64;
        for t in 0..DEMO_TERRITORIES.len() {
            // The last month is provisional: late registrations add about 4 % when the next snapshot revises it.
            let provisional = if p == last { 0.96 } else { 1.0 };
            let people = (national_monthly * territory_weight(t) * season * trend * rng.jitter(0.08) * provisional)
                .round() as u64;
            // T11 reports its last month as an estimate; T13 did not collect referrals for three months.
            let status = if t == 10 && p == last { STATUS_ESTIMATED } else { STATUS_REPORTED };
            let at = |ind: usize, s: usize, pop: usize, sex: usize, age: usize| [ind, p, t, s, pop, sex, age];
            // COB-01 people served: total, by sex, by age, by population, population × sex.
            rows.push(at(0, 0, 0, 0, 0), Some(people as f64), status);
            let by_pop = split(people, &POPULATION_SHARE, &mut rng);
            let mut by_sex = [0u64; 3];
            let mut pop_sex_rows = Vec::new();
            for (i, &n) in by_pop.iter().enumerate() {
                let w = WOMEN_SHARE[i];
                let parts = split(n, &[w, 0.98 - w, 0.02], &mut rng);
                for (s, &m) in parts.iter().enumerate() {
                    by_sex[s] += m;
                    pop_sex_rows.push((i + 1, s + 1, m));
                }
            }
            for (s, &n) in by_sex.iter().enumerate() {
                rows.push(at(0, 0, 0, s + 1, 0), Some(n as f64), status);
            }
            for (a, n) in split(people, &AGE_SHARE, &mut rng).into_iter().enumerate() {
                rows.push(at(0, 0, 0, 0, a + 1), Some(n as f64), status);
            }
            // By main service received (each person counted once, under the service that brought them in).
            for (s, n) in split(people, &SERVICE_SHARE, &mut rng).into_iter().enumerate() {
                rows.push(at(0, s + 1, 0, 0, 0), Some(n as f64), status);
            }
            for (i, &n) in by_pop.iter().enumerate() {
                rows.push(at(0, 0, i + 1, 0, 0), Some(n as f64), status);
            }
            for (pop, s, n) in pop_sex_rows {
                rows.push(at(0, 0, pop, s, 0), Some(n as f64), status);
            }
            // COB-02 service contacts: total and by service.
            let contacts = (people as f64 * 1.6 * rng.jitter(0.05)).round() as u64;
            rows.push(at(1, 0, 0, 0, 0), Some(contacts as f64), status);
            for (s, n) in split(contacts, &SERVICE_SHARE, &mut rng).into_iter().enumerate() {
                rows.push(at(1, s + 1, 0, 0, 0), Some(n as f64), status);
            }
            // INT-05 placements: total and by sex.
            let placements = (people as f64 * 0.22 * rng.jitter(0.15)).round() as u64;
            rows.push(at(2, 0, 0, 0, 0), Some(placements as f64), status);
            for (s, n) in split(placements, &[0.47, 0.52, 0.01], &mut rng).into_iter().enumerate() {
                rows.push(at(2, 0, 0, s + 1, 0), Some(n as f64), status);
            }
            // DER-01 referrals sent.
            if t == 12 && p < 3 {
                rows.push(at(3, 0, 0, 0, 0), None, STATUS_NOT_COLLECTED);
            } else {
                let referrals = (people as f64 * 0.2 * rng.jitter(0.2)).round();
                rows.push(at(3, 0, 0, 0, 0), Some(referrals), status);
            }
            // DER-02 share of referrals completed (a percentage: averaged, never summed, across territories).
            let completed = (100.0 * (0.55 + 0.3 * rng.unit())).round();
            rows.push(at(4, 0, 0, 0, 0), Some(completed.min(100.0)), status);
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
        assert_eq!(f.period.dictionary_len(), 24);
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
            "2025-11",
            "2026-10",
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
