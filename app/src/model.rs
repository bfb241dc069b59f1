//! The view, resolved against a loaded snapshot, and the words and numbers the dashboard shows.
//! Plain Rust (no Leptos): the numbers themselves come from `shared::dashboard`.

use shared::Lang;
use shared::catalog::{self, Unit};
use shared::codes::{self, TOTAL};
use shared::dashboard::{self, Place, Tile};
use shared::facts::Facts;
use shared::format;
use shared::targets::Targets;
use shared::view::View;

/// The indicator of the map and charts when the URL names none.
pub const HEADLINE: &str = "COB-01";

/// The four fixed KPI tiles: indicator and population type. The fifth is the user's choice.
pub const TILES: [(&str, &str); 4] = [("COB-01", TOTAL), ("INT-05", TOTAL), ("COB-01", "retornada"), ("DER-02", TOTAL)];

/// The fifth tile when the URL names none.
pub const DEFAULT_KPI: &str = "DER-01";

/// The five KPI tiles of a period and place: the four of [`TILES`], then the user's `kpi`.
pub fn tiles(facts: &Facts, targets: Option<&Targets>, from: &str, to: &str, place: &Place, kpi: &str) -> Vec<Tile> {
    TILES
        .iter()
        .copied()
        .chain(std::iter::once((kpi, TOTAL)))
        .map(|(ind, pop)| Tile::compute(facts, targets, ind, pop, from, to, place))
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
}

/// Indicators present in a snapshot: catalogue ones first in catalogue order, then any others by code.
pub fn indicators_in(facts: &Facts) -> Vec<String> {
    let present: Vec<&str> =
        (0..facts.indicator.dictionary_len()).map(|k| facts.indicator.code_of_key(k as i16)).collect();
    let mut out: Vec<String> =
        catalog::INDICATORS.iter().filter(|i| present.contains(&i.id)).map(|i| i.id.to_owned()).collect();
    let mut others: Vec<String> =
        present.iter().filter(|c| !out.iter().any(|o| o == *c)).map(|c| (*c).to_owned()).collect();
    shared::sort_with(&mut others, &|a, b| a.cmp(b));
    out.extend(others);
    out
}

/// The wanted indicator when the snapshot has it, else the fallback, else the first one.
pub fn pick(wanted: Option<&str>, indicators: &[String], fallback: &str) -> String {
    wanted
        .filter(|w| indicators.iter().any(|i| i == w))
        .or_else(|| indicators.iter().find(|i| *i == fallback).map(String::as_str))
        .or_else(|| indicators.first().map(String::as_str))
        .unwrap_or(fallback)
        .to_owned()
}

impl Resolved {
    /// `months`: the months with data of the view's indicator (`pick(view.indicator, indicators, HEADLINE)`),
    /// computed by the caller once per indicator rather than once per view change.
    pub fn new(view: &View, indicators: &[String], months: &[String]) -> Self {
        let indicators = indicators.to_vec();
        let indicator = pick(view.indicator.as_deref(), &indicators, HEADLINE);
        let kpi = pick(view.kpi.as_deref(), &indicators, DEFAULT_KPI);
        let months = months.to_vec();
        let last = months.last().cloned().unwrap_or_default();
        let to = view.to.clone().filter(|m| months.contains(m)).unwrap_or(last);
        let default_from = dashboard::shift_month(&to, -11)
            .map(|m| months.iter().find(|x| **x >= m).cloned().unwrap_or(m))
            .unwrap_or_default();
        let from = view.from.clone().filter(|m| months.contains(m) && *m <= to).unwrap_or(default_from);
        let code = |c: &Option<String>| c.clone().unwrap_or_else(|| TOTAL.to_owned());
        let unit = dashboard::unit_of(&indicator);
        Self {
            unit,
            indicator,
            from,
            to,
            place: Place::from_code(view.place.as_deref()),
            service: code(&view.service),
            population: code(&view.population),
            sex: code(&view.sex),
            age: code(&view.age),
            per_10k: view.per_10k && unit == Unit::Count,
            kpi,
            months,
            indicators,
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
        let mut parts = vec![place_name(&self.place, lang), self.period(lang)];
        for (list, code) in [
            (&codes::SERVICES[..], &self.service),
            (&codes::POPULATIONS[..], &self.population),
            (&codes::SEXES[..], &self.sex),
            (&codes::AGE_GROUPS[..], &self.age),
        ] {
            if code != TOTAL {
                parts.push(codes::label_of(list, code, lang));
            }
        }
        parts.join(" · ")
    }
}

/// An indicator's name in the interface language (its code when the catalogue does not know it).
pub fn indicator_name(id: &str, lang: Lang) -> String {
    catalog::INDICATORS.iter().find(|i| i.id == id).map_or_else(|| id.to_owned(), |i| i.name.get(lang).to_owned())
}

pub fn place_name(place: &Place, lang: Lang) -> String {
    match place {
        Place::National => match lang {
            Lang::Es => "Todo el país".to_owned(),
            Lang::En => "Whole country".to_owned(),
        },
        Place::Department(d) => d.name.to_owned(),
        Place::Territory(code) => {
            codes::territory(code).map_or_else(|| code.clone(), |t| format!("SI EMPLEO {}", t.name))
        }
    }
}

/// A territory code's display name: an office's town or a department's name.
pub fn territory_name(code: &str) -> String {
    codes::territory(code)
        .map(|t| t.name.to_owned())
        .or_else(|| codes::department_by_iso(code).map(|d| d.name.to_owned()))
        .unwrap_or_else(|| code.to_owned())
}

/// A value in its unit, es-HN.
pub fn format_value(unit: Unit, value: f64, lang: Lang) -> String {
    match unit {
        Unit::Count => format::count(value),
        Unit::Percent => format::percent(value, 1),
        Unit::Days => format!("{} {}", format::number(value, 1), if lang == Lang::Es { "días" } else { "days" }),
        Unit::Score => format::number(value, 2),
        Unit::Points => format!("{} pp", format::number(value, 1)),
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
        (Unit::Percent, _, Lang::Es) => "porcentaje (promedio de territorios)",
        (Unit::Percent, _, Lang::En) => "percentage (average of territories)",
        (Unit::Days, _, Lang::Es) => "días (promedio de territorios)",
        (Unit::Days, _, Lang::En) => "days (average of territories)",
        (_, _, Lang::Es) => "promedio de territorios",
        (_, _, Lang::En) => "average of territories",
    }
}
