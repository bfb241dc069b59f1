//! The view, resolved against a loaded snapshot, and the words and numbers the dashboard shows.
//! Plain Rust (no Leptos): the numbers themselves come from `shared::dashboard`.

pub mod prose;

use std::sync::Arc;

use shared::Lang;
use shared::catalog::Unit;
use shared::codebook::{CodeBook, Headlines};
use shared::codes::{self, TOTAL};
use shared::dashboard::{self, Place, Tile};
use shared::facts::Facts;
use shared::format;
use shared::targets::Targets;
use shared::view::View;

/// The five KPI tiles of a period and place: the snapshot's four headline tiles, then the user's `kpi`.
#[allow(clippy::too_many_arguments)]
pub fn tiles(
    facts: &Facts,
    book: &CodeBook,
    targets: Option<&Targets>,
    headline: &[(String, String)],
    from: &str,
    to: &str,
    place: &Place,
    kpi: &str,
) -> Vec<Tile> {
    headline
        .iter()
        .map(|(ind, pop)| (ind.as_str(), pop.as_str()))
        .chain(std::iter::once((kpi, TOTAL)))
        .map(|(ind, pop)| Tile::compute(facts, book, targets, ind, pop, from, to, place))
        .collect()
}

/// A view with every default filled in from the snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub indicator: String,
    pub unit: Unit,
    pub from: String,
    pub to: String,
    pub place: Place,
    pub service: String,
    pub population: String,
    pub sex: String,
    pub age: String,
    pub per_10k: bool,
    pub kpi: String,
    /// Months with data for the indicator, oldest first (the period pickers' options).
    pub months: Vec<String>,
    /// Indicators present in the snapshot, in catalogue order.
    pub indicators: Vec<String>,
    /// The snapshot's code book: names, places, units.
    pub book: Arc<CodeBook>,
}

/// Indicators present in a snapshot: the code book's first, in its order, then any others by code.
pub fn indicators_in(facts: &Facts, book: &CodeBook) -> Vec<String> {
    let present: Vec<&str> =
        (0..facts.indicator.dictionary_len()).map(|k| facts.indicator.code_of_key(k as i16)).collect();
    book.in_order(&present)
}

pub use shared::view::pick;

impl Resolved {
    /// `months`: the months with data of the view's indicator (`pick(view.indicator, indicators, default)`), and
    /// `opening` the period it opens on when it does not add up over time (`dashboard::opening`), computed by the
    /// caller once per indicator rather than once per view change.
    pub fn new(
        view: &View,
        indicators: &[String],
        months: &[String],
        opening: Option<&(String, String)>,
        headlines: &Headlines,
        book: &Arc<CodeBook>,
    ) -> Self {
        let indicators = indicators.to_vec();
        let indicator = pick(view.indicator.as_deref(), &indicators, &headlines.default_indicator);
        let kpi = pick(view.kpi.as_deref(), &indicators, &headlines.default_kpi);
        let months = months.to_vec();
        let (from, to) = shared::view::period(view.from.as_deref(), view.to.as_deref(), &months, opening);
        let code = |c: &Option<String>| c.clone().unwrap_or_else(|| TOTAL.to_owned());
        let unit = book.unit(&indicator);
        Self {
            unit,
            indicator,
            from,
            to,
            place: Place::from_code(book, view.place.as_deref()),
            service: code(&view.service),
            population: code(&view.population),
            sex: code(&view.sex),
            age: code(&view.age),
            per_10k: view.per_10k && unit == Unit::Count,
            kpi,
            months,
            indicators,
            book: Arc::clone(book),
        }
    }

    pub fn dims(&self) -> dashboard::Dims<'_> {
        dashboard::Dims { service: &self.service, population: &self.population, sex: &self.sex, age: &self.age }
    }

    /// "enero de 2026 – octubre de 2026" (one month says it once).
    pub fn period(&self, lang: Lang) -> String {
        if self.from == self.to {
            format::period(&self.to, lang)
        } else {
            format!("{} – {}", format::period(&self.from, lang), format::period(&self.to, lang))
        }
    }

    /// The filters in words, for chart titles and captions: place, period, then any disaggregation filter.
    pub fn caption(&self, lang: Lang) -> String {
        let mut parts = vec![place_name(&self.book, &self.place, lang), self.period(lang)];
        if self.population != TOTAL {
            parts.push(self.book.population_name(&self.population, lang));
        }
        for (list, code) in
            [(&codes::SERVICES[..], &self.service), (&codes::SEXES[..], &self.sex), (&codes::AGE_GROUPS[..], &self.age)]
        {
            if code != TOTAL {
                parts.push(codes::label_of(list, code, lang));
            }
        }
        parts.join(" · ")
    }
}

pub fn place_name(book: &CodeBook, place: &Place, lang: Lang) -> String {
    match place {
        Place::National => book.territory_name(codes::NATIONAL, lang),
        Place::Department(d) => d.name.to_owned(),
        Place::Territory(code) => {
            book.territory(code).map_or_else(|| code.clone(), |t| format!("SI EMPLEO {}", t.name.get(lang)))
        }
    }
}

/// A value in its unit, es-HN (one definition, in `shared::format`, which the executive summary also writes).
pub use shared::format::value as format_value;

/// A value as the exports write it: the digits `format_value` shows, without thousands separators or unit.
pub fn plain_value(unit: Unit, value: f64) -> String {
    match unit {
        Unit::Count => format::plain(value, 0),
        Unit::Percent | Unit::Days | Unit::Points => format::plain(value, 1),
        Unit::Score => format::plain(value, 2),
    }
}

/// A rate per 10,000 inhabitants.
pub fn per_10k(value: f64, population: f64) -> Option<f64> {
    (population > 0.0).then(|| value / population * 10_000.0)
}

/// The unit's words for axis and legend titles.
pub fn unit_words(unit: Unit, per_10k: bool, lang: Lang) -> &'static str {
    match (unit, per_10k, lang) {
        (_, true, Lang::Es) => "por 10,000 habitantes",
        (_, true, Lang::En) => "per 10,000 inhabitants",
        (Unit::Count, _, Lang::Es) => "personas o casos",
        (Unit::Count, _, Lang::En) => "people or cases",
        (Unit::Percent, _, Lang::Es) => "porcentaje",
        (Unit::Percent, _, Lang::En) => "percentage",
        (Unit::Days, _, Lang::Es) => "días (mediana)",
        (Unit::Days, _, Lang::En) => "days (median)",
        (Unit::Score, _, Lang::Es) => "puntaje",
        (Unit::Score, _, Lang::En) => "score",
        (_, _, Lang::Es) => "puntos porcentuales",
        (_, _, Lang::En) => "percentage points",
    }
}

/// An office with rows in the period, as the map marks it.
#[derive(Debug, Clone, PartialEq)]
pub struct Office {
    pub code: String,
    pub name: shared::codebook::Names,
    /// `None` when the snapshot's list gives no position: not marked (the map says so).
    pub lon_lat: Option<(f64, f64)>,
    pub value: Option<f64>,
}

/// The offices of the book with rows in a breakdown's period, with their values as shown.
pub fn offices(book: &CodeBook, b: &dashboard::Breakdown) -> Vec<Office> {
    b.by_territory
        .iter()
        .filter_map(|(code, s)| {
            let o = book.territory(code)?;
            Some(Office {
                code: code.clone(),
                name: o.name.clone(),
                lon_lat: o.lon_lat,
                value: dashboard::display(b.unit, s),
            })
        })
        .collect()
}

/// Each department's value as the map draws it (absolute, or per 10,000 inhabitants), and whether it is missing
/// because every cell was suppressed.
pub fn department_values(
    b: &dashboard::Breakdown,
    per_10k: bool,
) -> Vec<(&'static codes::Department, Option<f64>, bool)> {
    b.by_department
        .iter()
        .map(|(d, s)| {
            let v = s.as_ref().and_then(|s| dashboard::display(b.unit, s));
            let v = if per_10k { v.and_then(|v| self::per_10k(v, f64::from(d.population))) } else { v };
            (*d, v, s.is_some_and(|s| s.reported == 0 && s.suppressed > 0))
        })
        .collect()
}
