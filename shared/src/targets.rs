//! The `targets` table (*metas*): annual targets per indicator and territory, read from its canonical Arrow form.
//!
//! A row holds the target that applies. When it was revised, the same row says when (`revised_on`), by whom
//! (`revised_by`), why (`revision_reason`) and what it replaced (`previous_value`); the revisions before that one
//! are in the snapshots published before it. A snapshot without those columns reads as never revised.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};

use crate::catalog::Unit;
use crate::codebook::CodeBook;
use crate::codes::NATIONAL;
use crate::dashboard::Place;
use crate::date::Day;
use crate::tables::col;

/// A target's last revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub on: Day,
    pub by: Option<String>,
    pub reason: Option<String>,
    /// The value the revision replaced.
    pub previous: Option<f64>,
}

/// One target.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub indicator: String,
    pub year: i32,
    /// A period within the year, when the target is not annual.
    pub period: Option<String>,
    pub territory: String,
    pub value: f64,
    pub revision: Option<Revision>,
}

/// What a place's annual target says about its revisions: the latest date among the targets it adds up, and
/// the target before them (each revised target's `previous_value`, the others' value, added or averaged as
/// [`Targets::annual`] does).
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRevision {
    pub on: Day,
    /// Who, when every revised target names the same.
    pub by: Option<String>,
    /// Why, when every revised target gives the same reason.
    pub reason: Option<String>,
    /// `None` when a revised target does not say what it replaced.
    pub previous: Option<f64>,
    /// Targets revised, of those the place adds up.
    pub revised: usize,
    pub of: usize,
}

impl PlaceRevision {
    /// The tile's line: "Meta revisada el 15/06/2026 (antes 58,000): motivo"; `previous` is the earlier target
    /// as the tile shows numbers. The reason is returned apart, in the language it was written in (Spanish).
    pub fn note(&self, previous: Option<&str>, lang: crate::Lang) -> String {
        use std::fmt::Write as _;
        let w = |es: &'static str, en: &'static str| if lang == crate::Lang::Es { es } else { en };
        let mut out = format!("{} {}", w("Meta revisada el", "Target revised on"), self.on.display());
        if let Some(by) = &self.by {
            let _ = write!(out, " {} {by}", w("por", "by"));
        }
        if let Some(p) = previous.filter(|_| self.previous.is_some()) {
            let _ = write!(out, " ({} {p})", w("antes", "was"));
        }
        if self.revised < self.of {
            let what = w("metas territoriales", "territorial targets");
            let _ = write!(out, ", {} {} {} {what}", self.revised, w("de", "of"), self.of);
        }
        out
    }
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
        let revisions = revisions(batch)?;
        let rows = (0..batch.num_rows())
            .filter_map(|r| {
                Some(Target {
                    indicator: indicator[r].clone()?,
                    year: i32::try_from(year.is_valid(r).then(|| year.value(r))?).ok()?,
                    period: period[r].clone(),
                    territory: territory[r].clone()?,
                    value: value.is_valid(r).then(|| value.value(r))?,
                    revision: revisions[r].clone(),
                })
            })
            .collect();
        Ok(Self(rows))
    }
}

/// Each row's revision, from the optional revision columns (a snapshot without them has none).
fn revisions(batch: &RecordBatch) -> Result<Vec<Option<Revision>>, TargetsError> {
    let rows = batch.num_rows();
    let text = |name: &'static str| -> Result<Vec<Option<String>>, TargetsError> {
        let Some(array) = batch.column_by_name(name) else { return Ok(vec![None; rows]) };
        let cells: Vec<Option<String>> = if let Some(s) = array.as_string_opt::<i32>() {
            s.iter().map(|v| v.map(str::to_owned)).collect()
        } else {
            let codes = crate::ipc::dictionary_codes(array).ok_or(TargetsError(name))?;
            codes.into_iter().map(|c| c.map(str::to_owned)).collect()
        };
        Ok(cells.into_iter().map(|c| c.filter(|s| !s.trim().is_empty())).collect())
    };
    let (on, by, reason) = (text(col::REVISED_ON)?, text(col::REVISED_BY)?, text(col::REVISION_REASON)?);
    let previous: Vec<Option<f64>> = match batch.column_by_name(col::PREVIOUS_VALUE) {
        None => vec![None; rows],
        Some(a) => a.as_primitive_opt::<Float64Type>().ok_or(TargetsError(col::PREVIOUS_VALUE))?.iter().collect(),
    };
    Ok((0..rows)
        .map(|r| {
            Some(Revision {
                on: Day::parse(on[r].as_deref()?)?,
                by: by[r].clone(),
                reason: reason[r].clone(),
                previous: previous[r].filter(|v| v.is_finite()),
            })
        })
        .collect())
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

    /// Whether the annual target [`Self::annual`] gives was revised, and from what; `None` when none of the
    /// targets it reads was.
    pub fn revision(
        &self,
        book: &CodeBook,
        indicator: &str,
        year: i32,
        place: &Place,
        unit: Unit,
    ) -> Option<PlaceRevision> {
        let annual = || self.0.iter().filter(|t| t.indicator == indicator && t.year == year && t.period.is_none());
        let national = annual().find(|t| t.territory == NATIONAL).filter(|_| *place == Place::National);
        let read: Vec<&Target> = match national {
            Some(t) => vec![t],
            None => annual().filter(|t| place.includes(book, &t.territory)).collect(),
        };
        let revised: Vec<&Revision> = read.iter().filter_map(|t| t.revision.as_ref()).collect();
        let on = revised.iter().map(|r| r.on).max()?;
        let same = |f: &dyn Fn(&Revision) -> Option<&String>| {
            let first = f(revised[0]);
            revised.iter().all(|r| f(r) == first).then(|| first.cloned()).flatten()
        };
        let before: Option<Vec<f64>> =
            read.iter().map(|t| t.revision.as_ref().map_or(Some(t.value), |r| r.previous)).collect();
        let previous = before.map(|v| {
            let sum: f64 = v.iter().sum();
            if unit == Unit::Count { sum } else { sum / v.len() as f64 }
        });
        Some(PlaceRevision {
            on,
            by: same(&|r| r.by.as_ref()),
            reason: same(&|r| r.reason.as_ref()),
            previous,
            revised: revised.len(),
            of: read.len(),
        })
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
                    revision: Day::parse(f[5]).map(|on| Revision {
                        on,
                        by: Some(f[6].to_owned()),
                        reason: Some(f[7].to_owned()),
                        previous: f[8].parse().ok(),
                    }),
                }
            })
            .collect();
        Self(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(territory: &str, value: f64, revision: Option<(&str, &str, f64)>) -> Target {
        Target {
            indicator: "COB-01".into(),
            year: 2026,
            period: None,
            territory: territory.into(),
            value,
            revision: revision.map(|(on, reason, previous)| Revision {
                on: Day::parse(on).expect("date"),
                by: Some("DGE".into()),
                reason: Some(reason.into()),
                previous: Some(previous),
            }),
        }
    }

    #[test]
    fn a_revised_target_applies_and_says_when_by_whom_why_and_what_it_replaced() {
        let book = CodeBook::builtin();
        let t = Targets(vec![
            target("T01", 600.0, Some(("2026-06-15", "más retornos", 500.0))),
            target("T02", 400.0, Some(("2026-05-01", "más retornos", 450.0))),
            target("T03", 100.0, None),
        ]);
        let national = Place::National;
        assert_eq!(t.annual(&book, "COB-01", 2026, &national, Unit::Count), Some(1100.0), "the applying targets");
        let r = t.revision(&book, "COB-01", 2026, &national, Unit::Count).expect("revised");
        assert_eq!(r.on, Day::parse("2026-06-15").expect("date"), "the latest revision");
        assert_eq!(r.previous, Some(1050.0), "500 + 450 + the unrevised 100");
        assert_eq!((r.revised, r.of, r.by.as_deref(), r.reason.as_deref()), (2, 3, Some("DGE"), Some("más retornos")));
        assert_eq!(
            r.note(Some("1,050"), crate::Lang::Es),
            "Meta revisada el 15/06/2026 por DGE (antes 1,050), 2 de 3 metas territoriales"
        );
        assert_eq!(
            r.note(Some("1,050"), crate::Lang::En),
            "Target revised on 15/06/2026 by DGE (was 1,050), 2 of 3 territorial targets"
        );
        // A rate's previous target is averaged like the target; one office alone; a target never revised.
        assert_eq!(t.revision(&book, "COB-01", 2026, &national, Unit::Percent).and_then(|r| r.previous), Some(350.0));
        let office = Place::Territory("T02".into());
        let one = t.revision(&book, "COB-01", 2026, &office, Unit::Count).expect("revised");
        assert_eq!((one.previous, one.revised, one.of), (Some(450.0), 1, 1));
        assert_eq!(one.note(Some("450"), crate::Lang::Es), "Meta revisada el 01/05/2026 por DGE (antes 450)");
        assert_eq!(t.revision(&book, "COB-01", 2026, &Place::Territory("T03".into()), Unit::Count), None);
        assert_eq!(t.revision(&book, "COB-01", 2025, &national, Unit::Count), None);
        // Different reasons are not merged into one.
        let mixed = Targets(vec![
            target("T01", 600.0, Some(("2026-06-15", "a", 500.0))),
            target("T02", 400.0, Some(("2026-06-15", "b", 450.0))),
        ]);
        assert_eq!(mixed.revision(&book, "COB-01", 2026, &national, Unit::Count).and_then(|r| r.reason), None);
    }

    #[test]
    fn revision_columns_read_from_arrow_and_old_tables_read_unrevised() {
        use arrow_array::types::Int8Type;
        use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int64Array, StringArray};
        use std::sync::Arc;
        let dict = |v: Vec<Option<&str>>| Arc::new(v.into_iter().collect::<DictionaryArray<Int8Type>>()) as ArrayRef;
        let mut columns = vec![
            ("indicator", dict(vec![Some("COB-01"), Some("COB-01")])),
            ("year", Arc::new(Int64Array::from(vec![2026, 2026])) as ArrayRef),
            ("period", dict(vec![None, None])),
            ("territory", dict(vec![Some("T01"), Some("T02")])),
            ("value", Arc::new(Float64Array::from(vec![600.0, 400.0])) as ArrayRef),
        ];
        let old = Targets::try_from(&RecordBatch::try_from_iter(columns.clone()).expect("batch")).expect("reads");
        assert!(old.0.iter().all(|t| t.revision.is_none()));
        let text = |v: Vec<Option<&str>>| Arc::new(StringArray::from(v)) as ArrayRef;
        columns.push((col::REVISED_ON, text(vec![Some("2026-06-15"), None])));
        columns.push((col::REVISED_BY, text(vec![Some("DGE"), None])));
        columns.push((col::REVISION_REASON, text(vec![Some("más retornos"), None])));
        columns.push((col::PREVIOUS_VALUE, Arc::new(Float64Array::from(vec![Some(500.0), None])) as ArrayRef));
        let new = Targets::try_from(&RecordBatch::try_from_iter(columns).expect("batch")).expect("reads");
        let r = new.0[0].revision.as_ref().expect("revised");
        assert_eq!(
            (r.on.iso(), r.previous, r.reason.as_deref()),
            ("2026-06-15".to_owned(), Some(500.0), Some("más retornos"))
        );
        assert_eq!(new.0[1].revision, None);
    }

    #[test]
    fn the_demo_revised_its_2026_coverage_target() {
        let config = crate::demo::DemoConfig::default();
        let t = Targets::demo(&config);
        let book = CodeBook::builtin();
        let r = t.revision(&book, "COB-01", 2026, &Place::National, Unit::Count).expect("revised");
        let now = t.annual(&book, "COB-01", 2026, &Place::National, Unit::Count).expect("target");
        let before = r.previous.expect("previous");
        assert!((before - 58_000.0).abs() <= 17.0 && now > before, "{before} → {now}");
        assert_eq!((r.revised, r.of), (17, 17));
        assert!(r.reason.is_some() && r.by.is_some());
        assert_eq!(t.revision(&book, "COB-01", 2025, &Place::National, Unit::Count), None);
    }

    fn plain(indicator: &str, territory: &str, value: f64) -> Target {
        Target {
            indicator: indicator.to_owned(),
            year: 2026,
            period: None,
            territory: territory.to_owned(),
            value,
            revision: None,
        }
    }

    /// Issue 34: counts add up; a rate's targets are not averaged, only shared when they agree.
    #[test]
    fn count_targets_add_up_and_rate_targets_are_never_averaged() {
        let book = CodeBook::builtin();
        let t = Targets(vec![
            plain("INT-05", "T01", 100.0),
            plain("INT-05", "T17", 10.0),
            plain("DER-02", "T01", 80.0),
            plain("DER-02", "T17", 40.0),
            plain("FOR-02", "T01", 70.0),
            plain("FOR-02", "T17", 70.0),
        ]);
        let country = Place::National;
        assert_eq!(t.annual(&book, "INT-05", 2026, &country, Unit::Count), Some(110.0));
        assert_eq!(t.annual(&book, "DER-02", 2026, &country, Unit::Percent), None, "not (80 + 40) / 2");
        assert_eq!(t.annual(&book, "FOR-02", 2026, &country, Unit::Percent), Some(70.0), "the same everywhere");
        let office = Place::from_code(&book, Some("T17"));
        assert_eq!(t.annual(&book, "DER-02", 2026, &office, Unit::Percent), Some(40.0), "an office's own");
    }
}
