//! Sums over Arrow columns: dictionary keys and value buffers, no per-row objects.

use crate::codes::{self, DEPARTMENTS, Department, TOTAL};
use arrow_array::Array;

use crate::facts::Facts;

/// The sum of a cell and what went into it. Missing values are counted, never added as zeros.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sum {
    pub value: f64,
    /// Rows with a value.
    pub reported: u32,
    /// Rows whose value is missing because it was suppressed (small sensitive cell).
    pub suppressed: u32,
    /// Rows whose value is missing for another reason (not collected).
    pub missing: u32,
}

impl Sum {
    /// The value when at least one row had one.
    pub fn value(&self) -> Option<f64> {
        (self.reported > 0).then_some(self.value)
    }

    fn add(&mut self, other: &Sum) {
        self.value += other.value;
        self.reported += other.reported;
        self.suppressed += other.suppressed;
        self.missing += other.missing;
    }
}

/// Which rows to sum: one indicator over an inclusive range of period codes of the same frequency,
/// all other disaggregations at their total.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub indicator: &'a str,
    pub period_from: &'a str,
    pub period_to: &'a str,
}

/// Totals per territory code, in the order of the territory dictionary.
pub fn totals_by_territory(facts: &Facts, query: &Query) -> Vec<(String, Sum)> {
    let n_territories = facts.territory.dictionary_len();
    let mut sums = vec![Sum::default(); n_territories];
    let Some(indicator) = facts.indicator.key_of(query.indicator) else {
        return Vec::new();
    };
    // A mask over the (small) period dictionary, so the row loop only compares keys.
    let period_in: Vec<bool> = (0..facts.period.dictionary_len())
        .map(|k| {
            let p = facts.period.code_of_key(k as i16);
            p.len() == query.period_from.len() && p >= query.period_from && p <= query.period_to
        })
        .collect();
    let total_of = |dim: &crate::facts::Dim| dim.key_of(TOTAL).unwrap_or(-1);
    let (service_t, population_t, sex_t, age_t) =
        (total_of(&facts.service), total_of(&facts.population), total_of(&facts.sex), total_of(&facts.age_group));
    let suppressed_key = facts.status.key_of("suppressed").unwrap_or(-1);
    let values = facts.values();
    let (ind, per, ter) = (facts.indicator.keys(), facts.period.keys(), facts.territory.keys());
    let (ser, pop, sex, age, sta) =
        (facts.service.keys(), facts.population.keys(), facts.sex.keys(), facts.age_group.keys(), facts.status.keys());
    for row in 0..facts.len() {
        if ind[row] != indicator
            || !period_in[per[row] as usize]
            || ser[row] != service_t
            || pop[row] != population_t
            || sex[row] != sex_t
            || age[row] != age_t
        {
            continue;
        }
        let sum = &mut sums[ter[row] as usize];
        if values.is_valid(row) {
            sum.value += values.value(row);
            sum.reported += 1;
        } else if sta[row] == suppressed_key {
            sum.suppressed += 1;
        } else {
            sum.missing += 1;
        }
    }
    sums.into_iter()
        .enumerate()
        .map(|(k, s)| (facts.territory.code_of_key(k as i16).to_owned(), s))
        .filter(|(_, s)| s.reported + s.suppressed + s.missing > 0)
        .collect()
}

/// Rolls territory totals up to the 18 departments (INE order). A department with no rows gets `None`.
pub fn by_department(territory_totals: &[(String, Sum)]) -> Vec<(&'static Department, Option<Sum>)> {
    DEPARTMENTS
        .iter()
        .map(|d| {
            let mut acc: Option<Sum> = None;
            for (code, sum) in territory_totals {
                if codes::department_iso_of(code) == Some(d.iso) {
                    acc.get_or_insert_with(Sum::default).add(sum);
                }
            }
            (d, acc)
        })
        .collect()
}

/// The latest monthly period (`YYYY-MM`) present for an indicator.
pub fn latest_month(facts: &Facts, indicator: &str) -> Option<String> {
    let key = facts.indicator.key_of(indicator)?;
    let mut seen = vec![false; facts.period.dictionary_len()];
    for (i, p) in facts.indicator.keys().iter().zip(facts.period.keys()) {
        if *i == key {
            seen[*p as usize] = true;
        }
    }
    (0..seen.len())
        .filter(|&k| seen[k])
        .map(|k| facts.period.code_of_key(k as i16))
        .filter(|p| p.len() == 7 && p.as_bytes()[4] == b'-')
        .max()
        .map(str::to_owned)
}

/// The month `n` months before a `YYYY-MM` code (n = 11 gives the start of a 12-month window).
pub fn months_before(month: &str, n: u32) -> Option<String> {
    let (y, m) = month.split_once('-')?;
    let index = y.parse::<i32>().ok()? * 12 + m.parse::<i32>().ok()? - 1 - n as i32;
    Some(format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    #[test]
    fn months_before_crosses_years() {
        assert_eq!(months_before("2026-10", 11).as_deref(), Some("2025-11"));
        assert_eq!(months_before("2026-01", 1).as_deref(), Some("2025-12"));
        assert_eq!(months_before("x", 1), None);
    }

    #[test]
    fn territory_totals_match_a_row_by_row_sum() {
        let facts = Facts::try_from(demo::facts(&demo::DemoConfig::default())).expect("demo facts are canonical");
        let to = latest_month(&facts, "COB-01").expect("demo has months");
        let from = months_before(&to, 11).expect("valid month");
        let sums = totals_by_territory(&facts, &Query { indicator: "COB-01", period_from: &from, period_to: &to });
        assert_eq!(sums.len(), 17);
        // Independent check: iterate rows through the string getters.
        let mut expected = 0.0;
        for row in 0..facts.len() {
            let all_total =
                [&facts.service, &facts.population, &facts.sex, &facts.age_group].iter().all(|d| d.code(row) == TOTAL);
            let p = facts.period.code(row);
            if facts.indicator.code(row) == "COB-01"
                && facts.territory.code(row) == "T01"
                && all_total
                && p >= from.as_str()
                && p <= to.as_str()
            {
                expected += facts.value(row).unwrap_or(0.0);
            }
        }
        let t01 = sums.iter().find(|(c, _)| c == "T01").expect("T01 present").1;
        assert!(expected > 0.0);
        assert!((t01.value - expected).abs() < 1e-9);
        assert_eq!(t01.reported, 12);
    }

    #[test]
    fn departments_without_an_office_have_no_data() {
        let facts = Facts::try_from(demo::facts(&demo::DemoConfig::default())).expect("canonical");
        let sums =
            totals_by_territory(&facts, &Query { indicator: "COB-01", period_from: "2026-10", period_to: "2026-10" });
        let deps = by_department(&sums);
        assert_eq!(deps.len(), 18);
        let gd = deps.iter().find(|(d, _)| d.iso == "HN-GD").expect("Gracias a Dios");
        assert!(gd.1.is_none());
        let cortes = deps.iter().find(|(d, _)| d.iso == "HN-CR").expect("Cortés").1.expect("data");
        assert_eq!(cortes.reported, 2, "Cortés holds San Pedro Sula and Choloma");
    }
}
