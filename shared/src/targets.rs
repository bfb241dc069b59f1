//! The `targets` table (*metas*): annual targets per indicator and territory, read from its canonical Arrow form.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};

use crate::catalog::Unit;
use crate::codebook::CodeBook;
use crate::codes::NATIONAL;
use crate::dashboard::Place;

/// One target.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub indicator: String,
    pub year: i32,
    /// A period within the year, when the target is not annual.
    pub period: Option<String>,
    pub territory: String,
    pub value: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Targets(pub Vec<Target>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "la tabla de metas no tiene la forma canónica (columna «{0}») / the targets table is not canonical (column «{0}»)"
)]
pub struct TargetsError(&'static str);

impl TryFrom<&RecordBatch> for Targets {
    type Error = TargetsError;

    fn try_from(batch: &RecordBatch) -> Result<Self, TargetsError> {
        let codes = |name: &'static str| -> Result<Vec<Option<String>>, TargetsError> {
            let array = batch.column_by_name(name).ok_or(TargetsError(name))?;
            let codes = crate::ipc::dictionary_codes(array).ok_or(TargetsError(name))?;
            Ok(codes.into_iter().map(|c| c.map(str::to_owned)).collect())
        };
        let indicator = codes("indicator")?;
        let period = codes("period")?;
        let territory = codes("territory")?;
        let year =
            batch.column_by_name("year").and_then(|a| a.as_primitive_opt::<Int64Type>()).ok_or(TargetsError("year"))?;
        let value = batch
            .column_by_name("value")
            .and_then(|a| a.as_primitive_opt::<Float64Type>())
            .ok_or(TargetsError("value"))?;
        let rows = (0..batch.num_rows())
            .filter_map(|r| {
                Some(Target {
                    indicator: indicator[r].clone()?,
                    year: i32::try_from(year.is_valid(r).then(|| year.value(r))?).ok()?,
                    period: period[r].clone(),
                    territory: territory[r].clone()?,
                    value: value.is_valid(r).then(|| value.value(r))?,
                })
            })
            .collect();
        Ok(Self(rows))
    }
}

impl Targets {
    /// The annual target of an indicator for a place: a national row when the place is the country and one
    /// exists; otherwise the territories' targets, added for counts. A rate's or median's targets are never
    /// averaged: the place has one when its territories' targets agree (a rate set the same everywhere), none
    /// otherwise (a place's own target would need weights the targets table does not hold).
    pub fn annual(&self, book: &CodeBook, indicator: &str, year: i32, place: &Place, unit: Unit) -> Option<f64> {
        let annual = || self.0.iter().filter(|t| t.indicator == indicator && t.year == year && t.period.is_none());
        if *place == Place::National
            && let Some(t) = annual().find(|t| t.territory == NATIONAL)
        {
            return Some(t.value);
        }
        let values: Vec<f64> = annual().filter(|t| place.includes(book, &t.territory)).map(|t| t.value).collect();
        if values.is_empty() {
            return None;
        }
        if unit == Unit::Count {
            return Some(values.iter().sum());
        }
        values.iter().all(|v| (v - values[0]).abs() < 1e-9).then_some(values[0])
    }

    /// The demo targets, read from the demo's CSV (tests only: the app reads the published Arrow table).
    #[cfg(test)]
    pub fn demo(config: &crate::demo::DemoConfig) -> Self {
        let tables = crate::demo::roadmap::tables(config);
        let csv = &tables.iter().find(|(n, _)| *n == "targets").expect("demo targets").1;
        let rows = csv
            .lines()
            .skip(1)
            .map(|line| {
                let f: Vec<&str> = line.split(',').collect();
                Target {
                    indicator: f[0].to_owned(),
                    year: f[1].parse().expect("year"),
                    period: (!f[2].is_empty()).then(|| f[2].to_owned()),
                    territory: f[3].to_owned(),
                    value: f[4].parse().expect("value"),
                }
            })
            .collect();
        Self(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(indicator: &str, territory: &str, value: f64) -> Target {
        Target { indicator: indicator.to_owned(), year: 2026, period: None, territory: territory.to_owned(), value }
    }

    /// Issue 34: counts add up; a rate's targets are not averaged, only shared when they agree.
    #[test]
    fn count_targets_add_up_and_rate_targets_are_never_averaged() {
        let book = CodeBook::builtin();
        let t = Targets(vec![
            target("INT-05", "T01", 100.0),
            target("INT-05", "T17", 10.0),
            target("DER-02", "T01", 80.0),
            target("DER-02", "T17", 40.0),
            target("FOR-02", "T01", 70.0),
            target("FOR-02", "T17", 70.0),
        ]);
        let country = Place::National;
        assert_eq!(t.annual(&book, "INT-05", 2026, &country, Unit::Count), Some(110.0));
        assert_eq!(t.annual(&book, "DER-02", 2026, &country, Unit::Percent), None, "not (80 + 40) / 2");
        assert_eq!(t.annual(&book, "FOR-02", 2026, &country, Unit::Percent), Some(70.0), "the same everywhere");
        let office = Place::from_code(&book, Some("T17"));
        assert_eq!(t.annual(&book, "DER-02", 2026, &office, Unit::Percent), Some(40.0), "an office's own");
    }
}
