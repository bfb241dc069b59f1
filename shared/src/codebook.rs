//! One snapshot's code book: the indicators, territories, populations and institutions that name, group, place
//! and sum its figures. A snapshot's own code-list tables (`indicators`, `territories`, `populations`,
//! `institutions`) replace the built-in lists of [`crate::codes`] and [`crate::catalog`], which are only the
//! fallback. Departments stay the 18 of Honduras (the map's geometry), named by ISO 3166-2 (`HN-FM`) or INE (`08`)
//! code. Validation, the dashboard's sums and every label the app shows read this one book.

use arrow_array::RecordBatch;
use arrow_array::cast::AsArray;

use crate::catalog::{self, Combine, Unit};
use crate::codes::{self, Department, NATIONAL, TOTAL};
use crate::{Label, Lang};

/// A name in both languages (English falls back to Spanish when a list gives none).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Names {
    pub es: String,
    pub en: String,
}

impl Names {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.es,
        }
    }

    fn of(label: Label) -> Self {
        Self { es: label.es.to_owned(), en: label.en.to_owned() }
    }
}

/// An indicator of the snapshot's catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorEntry {
    pub id: String,
    pub name: Names,
    pub definition: Names,
    pub unit: Unit,
    /// `M` monthly, `T` quarterly, `A` yearly.
    pub frequency: String,
    pub higher_is_better: bool,
    pub source: String,
    /// Position of the indicator's tile on the dashboard (1–4 the fixed tiles, 1 also the map's default, 5 the
    /// default of the reader's own tile), from the list's optional `headline` column.
    pub headline: Option<i64>,
    /// How its values combine over places, periods and disaggregations (the list's `combine`, `numerator` and
    /// `denominator` columns; by unit when the list has none).
    pub combine: Combine<String>,
    /// Disaggregations whose parts may overlap (the list's `overlapping` column: `service;population`).
    pub overlapping: Vec<String>,
    /// The baseline the indicator's progress is read against: value and date (the list's `baseline_value` and
    /// `baseline_date`).
    pub baseline: Option<(f64, String)>,
}

impl IndicatorEntry {
    /// Whether the parts of a disaggregation (`service`, `population`, `sex`, `age_group`) exclude each other, so
    /// that they may not exceed their total.
    pub fn exclusive(&self, dimension: &str) -> bool {
        !self.overlapping.iter().any(|d| d == dimension)
    }
}

/// A SI EMPLEO territory (office).
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryEntry {
    pub code: String,
    pub name: Names,
    /// `None` when the list names no department this book knows (its rows are shown as "sin departamento").
    pub department: Option<&'static Department>,
    pub municipality: Option<String>,
    /// Longitude and latitude of the office, for the map's marker; `None` when the list gives none.
    pub lon_lat: Option<(f64, f64)>,
}

/// A population group; `sensitive` groups have their small cells suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationEntry {
    pub code: String,
    pub name: Names,
    pub sensitive: bool,
}

/// An institution of the roadmap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionEntry {
    pub code: String,
    pub name: Names,
}

/// The KPI tiles a dashboard opens with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headlines {
    /// The four fixed tiles: indicator and population (`_T` for everyone).
    pub tiles: Vec<(String, String)>,
    /// The indicator of the map and charts when the URL names none.
    pub default_indicator: String,
    /// The fifth tile's indicator when the URL names none.
    pub default_kpi: String,
}

/// The built-in tiles (the demo's): people served, placements, returnees served, referrals completed.
const BUILTIN_TILES: [(&str, &str); 4] =
    [("COB-01", TOTAL), ("INT-05", TOTAL), ("COB-01", "retornada"), ("DER-02", TOTAL)];
const BUILTIN_HEADLINE: &str = "COB-01";
const BUILTIN_KPI: &str = "DER-01";

/// A snapshot's code lists. `from_snapshot` names the lists the snapshot brought.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBook {
    pub indicators: Vec<IndicatorEntry>,
    pub territories: Vec<TerritoryEntry>,
    pub populations: Vec<PopulationEntry>,
    pub institutions: Vec<InstitutionEntry>,
    pub from_snapshot: Vec<&'static str>,
}

impl Default for CodeBook {
    fn default() -> Self {
        Self::builtin()
    }
}

/// The names of the code-list tables, in the order they are read.
pub const LIST_TABLES: [&str; 4] = ["indicators", "territories", "populations", "institutions"];

/// A department by ISO 3166-2 (`HN-FM`) or INE (`08`) code.
pub fn department(code: &str) -> Option<&'static Department> {
    codes::department_by_iso(code).or_else(|| codes::department_by_code(code))
}

impl CodeBook {
    /// The built-in lists: the catalogue of DOMAIN.md §4, the 17 demo offices, the six population groups and the
    /// roadmap's institutions.
    pub fn builtin() -> Self {
        let indicators = catalog::INDICATORS
            .iter()
            .map(|i| IndicatorEntry {
                id: i.id.to_owned(),
                name: Names::of(i.name),
                definition: Names::of(i.definition),
                unit: i.unit,
                frequency: i.frequency.to_owned(),
                higher_is_better: i.higher_is_better,
                source: i.source.to_owned(),
                headline: None,
                combine: match i.combine {
                    Combine::Sum => Combine::Sum,
                    Combine::Unique => Combine::Unique,
                    Combine::Ratio { numerator, denominator } => {
                        Combine::Ratio { numerator: numerator.to_owned(), denominator: denominator.to_owned() }
                    }
                    Combine::None => Combine::None,
                },
                overlapping: i.overlapping.iter().map(|d| (*d).to_owned()).collect(),
                baseline: None,
            })
            .collect();
        let territories = codes::DEMO_TERRITORIES
            .iter()
            .map(|t| TerritoryEntry {
                code: t.code.to_owned(),
                name: Names { es: t.name.to_owned(), en: t.name.to_owned() },
                department: codes::department_by_code(t.department_code),
                municipality: Some(t.municipality_code.to_owned()),
                lon_lat: Some(t.lon_lat),
            })
            .collect();
        let populations = codes::POPULATIONS
            .iter()
            .map(|p| PopulationEntry {
                code: p.code.to_owned(),
                name: Names::of(p.label),
                sensitive: codes::SENSITIVE_POPULATIONS.contains(&p.code),
            })
            .collect();
        let institutions = catalog::INSTITUTIONS
            .iter()
            .map(|c| InstitutionEntry { code: c.code.to_owned(), name: Names::of(c.label) })
            .collect();
        Self { indicators, territories, populations, institutions, from_snapshot: Vec::new() }
    }

    /// The built-in book with the snapshot's code-list tables applied (each `(name, batch)`; other tables are
    /// ignored).
    pub fn from_tables<'a>(tables: impl IntoIterator<Item = (&'a str, &'a RecordBatch)>) -> Result<Self, String> {
        let mut book = Self::builtin();
        for (name, batch) in tables {
            book.apply(name, batch)?;
        }
        Ok(book)
    }

    /// Replaces one list with a code-list table (canonical or as validated: text plain or dictionary-encoded).
    /// Tables that are not code lists leave the book unchanged.
    pub fn apply(&mut self, name: &str, batch: &RecordBatch) -> Result<(), String> {
        let Some(name) = LIST_TABLES.iter().copied().find(|n| *n == name) else { return Ok(()) };
        let cols = Columns(batch);
        let codes = cols.texts("code").ok_or_else(|| format!("{name}: missing column code"))?;
        let names = |i: usize, es: &[Option<String>], en: &Option<Vec<Option<String>>>| Names {
            es: es.get(i).cloned().flatten().unwrap_or_default(),
            en: en.as_ref().and_then(|e| e.get(i).cloned().flatten()).unwrap_or_default(),
        };
        let name_es = cols.texts("name_es").unwrap_or_default();
        let name_en = cols.texts("name_en");
        let rows = codes.iter().enumerate().filter_map(|(i, c)| Some((i, c.clone()?)));
        match name {
            "indicators" => {
                let (unit, freq) = (cols.texts("unit").unwrap_or_default(), cols.texts("frequency"));
                let (better, headline) = (cols.bools("higher_is_better"), cols.integers("headline"));
                let (def_es, def_en, source) = (
                    cols.texts("definition_es").unwrap_or_default(),
                    cols.texts("definition_en"),
                    cols.texts("source"),
                );
                let (combine, numerator, denominator, overlapping) = (
                    cols.texts("combine"),
                    cols.texts("numerator"),
                    cols.texts("denominator"),
                    cols.texts("overlapping"),
                );
                let (baseline_value, baseline_date) = (cols.numbers("baseline_value"), cols.texts("baseline_date"));
                let at =
                    |v: &Option<Vec<Option<String>>>, i: usize| v.as_ref().and_then(|v| v.get(i).cloned().flatten());
                self.indicators = rows
                    .map(|(i, id)| {
                        // A list without a unit for a code says "count": validation refuses such a list anyway.
                        let unit =
                            unit.get(i).cloned().flatten().and_then(|u| Unit::from_code(&u)).unwrap_or(Unit::Count);
                        let combine = match (at(&combine, i).as_deref(), at(&numerator, i), at(&denominator, i)) {
                            (Some("sum"), ..) => Combine::Sum,
                            (Some("unique"), ..) => Combine::Unique,
                            (Some("ratio"), Some(numerator), Some(denominator)) => {
                                Combine::Ratio { numerator, denominator }
                            }
                            (None, ..) => Combine::of_unit(unit),
                            // `none`, or a ratio without its two indicators (validation refuses it).
                            _ => Combine::None,
                        };
                        IndicatorEntry {
                            name: names(i, &name_es, &name_en),
                            definition: names(i, &def_es, &def_en),
                            unit,
                            frequency: at(&freq, i).unwrap_or_else(|| "M".to_owned()),
                            higher_is_better: better.as_ref().and_then(|b| b.get(i).copied().flatten()).unwrap_or(true),
                            source: at(&source, i).unwrap_or_default(),
                            headline: headline.as_ref().and_then(|h| h.get(i).copied().flatten()),
                            combine,
                            overlapping: at(&overlapping, i)
                                .map(|o| o.split(';').map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()).collect())
                                .unwrap_or_default(),
                            baseline: baseline_value
                                .as_ref()
                                .and_then(|v| v.get(i).copied().flatten())
                                .zip(at(&baseline_date, i)),
                            id,
                        }
                    })
                    .collect();
            }
            "territories" => {
                let dep = cols.texts("department").unwrap_or_default();
                let muni = cols.texts(crate::tables::col::MUNICIPALITY);
                let (lon, lat) = (cols.numbers("lon"), cols.numbers("lat"));
                let at = |v: &Option<Vec<Option<f64>>>, i: usize| v.as_ref().and_then(|v| v.get(i).copied().flatten());
                self.territories = rows
                    .map(|(i, code)| TerritoryEntry {
                        name: names(i, &name_es, &name_en),
                        department: dep.get(i).cloned().flatten().as_deref().and_then(department),
                        municipality: muni.as_ref().and_then(|m| m.get(i).cloned().flatten()),
                        lon_lat: at(&lon, i).zip(at(&lat, i)).filter(|(x, y)| x.is_finite() && y.is_finite()),
                        code,
                    })
                    .collect();
            }
            "populations" => {
                let sensitive = cols.bools("sensitive");
                self.populations = rows
                    .map(|(i, code)| PopulationEntry {
                        name: names(i, &name_es, &name_en),
                        sensitive: sensitive.as_ref().and_then(|s| s.get(i).copied().flatten()).unwrap_or(false),
                        code,
                    })
                    .collect();
            }
            _ => {
                self.institutions =
                    rows.map(|(i, code)| InstitutionEntry { name: names(i, &name_es, &name_en), code }).collect();
            }
        }
        if !self.from_snapshot.contains(&name) {
            self.from_snapshot.push(name);
        }
        Ok(())
    }

    pub fn indicator(&self, id: &str) -> Option<&IndicatorEntry> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// An indicator's unit; counts when the book does not know it (validation refuses such facts).
    pub fn unit(&self, indicator: &str) -> Unit {
        self.indicator(indicator).map_or(Unit::Count, |i| i.unit)
    }

    /// How an indicator's values combine (by its unit when the book does not know it).
    pub fn combine(&self, indicator: &str) -> Combine<&str> {
        match self.indicator(indicator).map(|i| &i.combine) {
            Some(Combine::Ratio { numerator, denominator }) => Combine::Ratio { numerator, denominator },
            Some(Combine::Sum) => Combine::Sum,
            Some(Combine::Unique) => Combine::Unique,
            Some(Combine::None) => Combine::None,
            None => Combine::of_unit(self.unit(indicator)),
        }
    }

    /// Whether more is better (true when unknown).
    pub fn higher_is_better(&self, indicator: &str) -> bool {
        self.indicator(indicator).is_none_or(|i| i.higher_is_better)
    }

    /// An indicator's name (its code when the book does not know it).
    pub fn indicator_name(&self, id: &str, lang: Lang) -> String {
        self.indicator(id).map_or_else(|| id.to_owned(), |i| i.name.get(lang).to_owned())
    }

    pub fn territory(&self, code: &str) -> Option<&TerritoryEntry> {
        self.territories.iter().find(|t| t.code == code)
    }

    /// The department a territory code counts for: a department's own code (ISO or INE) maps to it, an office to
    /// its department. `None` for the national code and codes no list places.
    pub fn department_of(&self, territory: &str) -> Option<&'static Department> {
        department(territory).or_else(|| self.territory(territory)?.department)
    }

    /// A territory code's display name: an office's, a department's, "Todo el país" for the national code, else
    /// the code itself.
    pub fn territory_name(&self, code: &str, lang: Lang) -> String {
        if let Some(t) = self.territory(code) {
            return t.name.get(lang).to_owned();
        }
        if let Some(d) = department(code) {
            return d.name.to_owned();
        }
        if code == NATIONAL {
            return Label { es: "Todo el país", en: "Whole country" }.get(lang).to_owned();
        }
        code.to_owned()
    }

    pub fn population(&self, code: &str) -> Option<&PopulationEntry> {
        self.populations.iter().find(|p| p.code == code)
    }

    pub fn population_name(&self, code: &str, lang: Lang) -> String {
        self.population(code).map_or_else(|| code.to_owned(), |p| p.name.get(lang).to_owned())
    }

    pub fn is_sensitive(&self, population: &str) -> bool {
        self.population(population).is_some_and(|p| p.sensitive)
    }

    pub fn institution_name(&self, code: &str, lang: Lang) -> String {
        self.institutions
            .iter()
            .find(|i| i.code == code)
            .map_or_else(|| code.to_owned(), |i| i.name.get(lang).to_owned())
    }

    /// Where an institution sits in the book's order (unknown codes last).
    pub fn institution_order(&self, code: &str) -> usize {
        self.institutions.iter().position(|i| i.code == code).unwrap_or(usize::MAX)
    }

    /// The indicators of `present` (a snapshot's), in the book's order, then any others by code.
    pub fn in_order(&self, present: &[&str]) -> Vec<String> {
        let mut out: Vec<String> =
            self.indicators.iter().filter(|i| present.contains(&i.id.as_str())).map(|i| i.id.clone()).collect();
        let mut others: Vec<String> =
            present.iter().filter(|c| !out.iter().any(|o| o == *c)).map(|c| (*c).to_owned()).collect();
        crate::sort_with(&mut others, &|a, b| a.cmp(b));
        out.extend(others);
        out
    }

    /// The tiles and defaults for a snapshot whose facts hold the indicators `present` (in the book's order, from
    /// [`Self::in_order`]). A list with a `headline` column sets them; otherwise the built-in ones, with any
    /// indicator the snapshot lacks replaced by the next one it has, so that a snapshot without COB-01 still opens
    /// on four tiles with data.
    pub fn headlines(&self, present: &[String]) -> Headlines {
        let has = |id: &str| present.iter().any(|p| p == id);
        let mut ranked: Vec<(i64, &str)> = self
            .indicators
            .iter()
            .filter_map(|i| Some((i.headline?, i.id.as_str())))
            .filter(|(_, id)| has(id))
            .collect();
        crate::sort_with(&mut ranked, &|a, b| a.0.cmp(&b.0));
        let mut tiles: Vec<(String, String)> = if ranked.is_empty() {
            BUILTIN_TILES.iter().filter(|(i, _)| has(i)).map(|(i, p)| ((*i).to_owned(), (*p).to_owned())).collect()
        } else {
            ranked.iter().filter(|(h, _)| *h <= 4).map(|(_, i)| ((*i).to_owned(), TOTAL.to_owned())).collect()
        };
        for id in present {
            if tiles.len() >= 4 {
                break;
            }
            if !tiles.iter().any(|(i, _)| i == id) {
                tiles.push((id.clone(), TOTAL.to_owned()));
            }
        }
        let first = |wanted: Option<&str>| -> String {
            wanted
                .filter(|w| has(w))
                .map(str::to_owned)
                .or_else(|| present.iter().find(|p| !tiles.iter().any(|(i, _)| i == *p)).cloned())
                .or_else(|| present.first().cloned())
                .unwrap_or_default()
        };
        let (headline, kpi) = if ranked.is_empty() {
            (Some(BUILTIN_HEADLINE), Some(BUILTIN_KPI))
        } else {
            (
                ranked.iter().find(|(h, _)| *h == 1).map(|(_, i)| *i),
                ranked.iter().find(|(h, _)| *h == 5).map(|(_, i)| *i),
            )
        };
        let default_indicator = headline
            .filter(|h| has(h))
            .map(str::to_owned)
            .or_else(|| tiles.first().map(|(i, _)| i.clone()))
            .unwrap_or_default();
        Headlines { default_kpi: first(kpi), tiles, default_indicator }
    }
}

/// Columns of a code-list table read whatever their encoding.
struct Columns<'a>(&'a RecordBatch);

impl Columns<'_> {
    fn texts(&self, name: &str) -> Option<Vec<Option<String>>> {
        let a = self.0.column_by_name(name)?;
        if let Some(s) = a.as_string_opt::<i32>() {
            return Some(s.iter().map(|v| v.map(str::to_owned)).collect());
        }
        Some(crate::ipc::dictionary_codes(a.as_ref())?.into_iter().map(|v| v.map(str::to_owned)).collect())
    }

    fn bools(&self, name: &str) -> Option<Vec<Option<bool>>> {
        Some(self.0.column_by_name(name)?.as_boolean_opt()?.iter().collect())
    }

    fn integers(&self, name: &str) -> Option<Vec<Option<i64>>> {
        let a = self.0.column_by_name(name)?;
        Some(a.as_primitive_opt::<arrow_array::types::Int64Type>()?.iter().collect())
    }

    fn numbers(&self, name: &str) -> Option<Vec<Option<f64>>> {
        let a = self.0.column_by_name(name)?;
        Some(a.as_primitive_opt::<arrow_array::types::Float64Type>()?.iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{Array, BooleanArray, Float64Array, StringArray};

    use super::*;

    fn text(v: &[Option<&str>]) -> Arc<dyn Array> {
        Arc::new(StringArray::from(v.to_vec()))
    }

    #[test]
    fn a_snapshot_list_replaces_the_builtin_one_and_departments_take_either_code() {
        let batch = RecordBatch::try_from_iter([
            ("code", text(&[Some("T01"), Some("T18")])),
            ("name_es", text(&[Some("Distrito Central"), Some("Puerto Lempira")])),
            ("department", text(&[Some("08"), Some("HN-GD")])),
            ("lon", Arc::new(Float64Array::from(vec![Some(-87.2), None])) as _),
            ("lat", Arc::new(Float64Array::from(vec![Some(14.1), None])) as _),
        ])
        .expect("batch");
        let book = CodeBook::from_tables([("territories", &batch)]).expect("book");
        assert_eq!(book.territories.len(), 2);
        assert_eq!(book.department_of("T18").map(|d| d.iso), Some("HN-GD"));
        assert_eq!(book.department_of("T01").map(|d| d.iso), Some("HN-FM"), "INE 08");
        assert_eq!(book.department_of("09").map(|d| d.iso), Some("HN-GD"), "a department row by INE code");
        assert_eq!(book.department_of("T02"), None, "the built-in office is no longer listed");
        assert_eq!(book.territory("T18").and_then(|t| t.lon_lat), None);
        assert_eq!(book.territory_name("T18", Lang::En), "Puerto Lempira", "English falls back to Spanish");
        assert_eq!(book.from_snapshot, vec!["territories"]);
    }

    #[test]
    fn headlines_come_from_the_list_or_fall_back_to_what_the_snapshot_has() {
        let builtin = CodeBook::builtin();
        let all = builtin.in_order(&["COB-01", "INT-05", "DER-01", "DER-02", "COB-02"]);
        let h = builtin.headlines(&all);
        assert_eq!(h.default_indicator, "COB-01");
        assert_eq!(h.default_kpi, "DER-01");
        assert_eq!(h.tiles[2], ("COB-01".to_owned(), "retornada".to_owned()));

        let without = builtin.in_order(&["INT-05", "DER-01", "INT-02"]);
        let h = builtin.headlines(&without);
        assert_eq!(h.default_indicator, "INT-05", "no COB-01: the first tile's indicator");
        assert_eq!(h.tiles.len(), 3, "three indicators, three tiles");
        assert!(h.tiles.iter().all(|(i, _)| without.contains(i)));

        let batch = RecordBatch::try_from_iter([
            ("code", text(&[Some("A-1"), Some("B-2"), Some("C-3")])),
            ("name_es", text(&[Some("a"), Some("b"), Some("c")])),
            ("unit", text(&[Some("count"), Some("percent"), Some("count")])),
            ("higher_is_better", Arc::new(BooleanArray::from(vec![true, true, false])) as _),
            ("headline", Arc::new(arrow_array::Int64Array::from(vec![Some(2), Some(1), Some(5)])) as _),
        ])
        .expect("batch");
        let book = CodeBook::from_tables([("indicators", &batch)]).expect("book");
        let present = book.in_order(&["C-3", "B-2", "A-1"]);
        let h = book.headlines(&present);
        assert_eq!(h.default_indicator, "B-2");
        assert_eq!(h.tiles[0].0, "B-2");
        assert_eq!(h.tiles[1].0, "A-1");
        assert_eq!(h.default_kpi, "C-3");
        assert_eq!(book.unit("B-2"), Unit::Percent);
        assert!(!book.higher_is_better("C-3"));
    }
}

/// The "nothing dropped" invariant over generated snapshots: random code lists (offices in random departments, some
/// in none), facts on offices, departments (by ISO or INE code), codes no list knows and the national code.
#[cfg(test)]
mod nothing_dropped {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int16Array, StringArray};

    use super::*;
    use crate::dashboard::{Breakdown, Dims, Place, Tile};
    use crate::demo::Rng;
    use crate::facts::Facts;
    use crate::schema::FactsColumn;

    fn pick<'a>(rng: &mut Rng, from: &'a [String]) -> &'a String {
        &from[(rng.next_u64() % from.len() as u64) as usize]
    }

    /// A facts table of `rows` (indicator, period, territory, value), every disaggregation `_T`.
    fn facts(rows: &[(String, String, String, Option<f64>)]) -> Facts {
        let dict = |values: Vec<&str>| -> ArrayRef {
            let mut codes: Vec<&str> = values.clone();
            codes.sort_unstable();
            codes.dedup();
            let keys: Vec<i16> = values.iter().map(|v| codes.binary_search(v).expect("listed") as i16).collect();
            Arc::new(DictionaryArray::new(Int16Array::from(keys), Arc::new(StringArray::from(codes))))
        };
        let n = rows.len();
        let columns: Vec<ArrayRef> = FactsColumn::ALL
            .iter()
            .map(|c| match c {
                FactsColumn::Indicator => dict(rows.iter().map(|r| r.0.as_str()).collect()),
                FactsColumn::Period => dict(rows.iter().map(|r| r.1.as_str()).collect()),
                FactsColumn::Territory => dict(rows.iter().map(|r| r.2.as_str()).collect()),
                FactsColumn::Value => Arc::new(Float64Array::from(rows.iter().map(|r| r.3).collect::<Vec<_>>())),
                FactsColumn::Status => {
                    dict(rows.iter().map(|r| if r.3.is_some() { "reported" } else { "not_collected" }).collect())
                }
                _ => dict(vec![TOTAL; n]),
            })
            .collect();
        let batch = RecordBatch::try_new(crate::schema::facts_schema(), columns).expect("facts schema");
        Facts::try_from(batch).expect("valid facts")
    }

    #[test]
    #[allow(clippy::float_cmp)] // whole numbers: sums are exact
    fn the_country_total_is_every_row_and_departments_add_up_to_it() {
        for seed in 0..300_u64 {
            let mut rng = Rng::new(seed);
            let mut book = CodeBook::builtin();
            let offices = 1 + rng.next_u64() % 30;
            book.territories = (0..offices)
                .map(|i| TerritoryEntry {
                    code: format!("X{i:02}"),
                    name: Names { es: format!("Oficina {i}"), en: String::new() },
                    department: (!rng.next_u64().is_multiple_of(5))
                        .then(|| &codes::DEPARTMENTS[(rng.next_u64() % 18) as usize]),
                    municipality: None,
                    lon_lat: None,
                })
                .collect();
            book.indicators.push(IndicatorEntry {
                id: "NEW-RATE".to_owned(),
                unit: Unit::Percent,
                combine: Combine::None,
                ..book.indicators[0].clone()
            });
            let mut places: Vec<String> = book.territories.iter().map(|t| t.code.clone()).collect();
            places.extend(codes::DEPARTMENTS.iter().take(4).map(|d| d.iso.to_owned()));
            places.extend(codes::DEPARTMENTS.iter().skip(10).take(3).map(|d| d.code.to_owned()));
            places.push("ZZ-UNKNOWN".to_owned());
            let only_national = rng.next_u64().is_multiple_of(10);
            if only_national {
                places = vec![NATIONAL.to_owned()];
            } else if rng.next_u64().is_multiple_of(3) {
                places.push(NATIONAL.to_owned());
            }
            let months: Vec<String> = (1..=6).map(|m| format!("2026-{m:02}")).collect();
            let mut rows = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for _ in 0..(rng.next_u64() % 200) {
                let key = (
                    pick(&mut rng, &["COB-02".to_owned(), "NEW-RATE".to_owned()]).clone(),
                    pick(&mut rng, &months).clone(),
                    pick(&mut rng, &places).clone(),
                );
                if seen.insert(key.clone()) {
                    let value = (!rng.next_u64().is_multiple_of(7)).then(|| (rng.next_u64() % 100) as f64);
                    rows.push((key.0, key.1, key.2, value));
                }
            }
            if rows.is_empty() {
                continue;
            }
            let f = facts(&rows);
            let (from, to) = ("2026-02", "2026-05");
            let in_window = |r: &&(String, String, String, Option<f64>)| r.1.as_str() >= from && r.1.as_str() <= to;
            let dims = Dims::default();
            let Some(b) = Breakdown::compute(&f, &book, "COB-02", from, to, &Place::National, &dims) else { continue };
            let counted: Vec<f64> = rows
                .iter()
                .filter(|r| r.0 == "COB-02" && (only_national || r.2 != NATIONAL))
                .filter(in_window)
                .filter_map(|r| r.3)
                .collect();
            assert_eq!(b.total.value, counted.iter().sum::<f64>(), "seed {seed}: the country is every row");
            let departments: f64 = b.by_department.iter().filter_map(|(_, s)| s.map(|s| s.value)).sum();
            let unplaced: f64 = b.unplaced.iter().map(|(_, s)| s.value).sum();
            if !only_national {
                assert_eq!(departments + unplaced, b.total.value, "seed {seed}: departments and unplaced add up");
            }
            for (d, sum) in &b.by_department {
                let one = Breakdown::compute(&f, &book, "COB-02", from, to, &Place::Department(d), &dims);
                assert_eq!(one.map(|o| o.total.value).unwrap_or_default(), sum.map(|s| s.value).unwrap_or_default());
            }
            let tile = Tile::compute(&f, &book, None, "COB-02", TOTAL, from, to, &Place::National);
            assert_eq!(tile.value, b.total.value(), "seed {seed}: the tile shows the same total");
            // A rate does not add up over months either: one month.
            if let Some(rate) = Breakdown::compute(&f, &book, "NEW-RATE", from, from, &Place::National, &dims) {
                let values: Vec<f64> = rows
                    .iter()
                    .filter(|r| r.0 == "NEW-RATE" && r.2 != NATIONAL && r.1 == from)
                    .filter_map(|r| r.3)
                    .collect();
                // A rate without its numerator and denominator does not combine: one row is shown, several are not
                // averaged.
                if !only_national {
                    match values.as_slice() {
                        [one] => assert_eq!(rate.value(), Some(*one), "seed {seed}"),
                        [] => assert_eq!(rate.value(), None, "seed {seed}"),
                        _ => {
                            assert_eq!(rate.value(), None, "seed {seed}: a rate is never averaged");
                            assert_eq!(crate::dashboard::status(rate.unit, Some(&rate.total)), "not_combinable");
                        }
                    }
                }
            }
        }
    }
}
