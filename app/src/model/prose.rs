//! The sentences the coverage view shows, written from its numbers: plain Rust, tested natively.

use shared::Lang;
use shared::catalog::Unit;
use shared::codes;
use shared::dashboard::{self, Breakdown, Place};
use shared::format;

use super::{Resolved, format_value, place_name};
use crate::i18n::t;

/// One sentence on the selected indicator, for everyone (and screen readers first).
pub fn overall_summary(r: &Resolved, b: Option<&Breakdown>, lang: Lang) -> String {
    let Some(b) = b else {
        return t(lang, "La publicación no tiene este indicador.", "The snapshot does not have this indicator.")
            .to_owned();
    };
    let Some(value) = b.value() else {
        let name = r.book.indicator_name(&r.indicator, lang);
        if dashboard::status(b.unit, Some(&b.total)) == "not_combinable" {
            return match lang {
                Lang::Es => format!(
                    "{name} no se puede sumar entre oficinas (una mediana o una tasa sin numerador ni denominador publicados): elija una oficina."
                ),
                Lang::En => format!(
                    "{name} cannot be added up across offices (a median, or a rate published without its numerator and denominator): choose an office."
                ),
            };
        }
        if b.total == shared::aggregate::Sum::default() && !r.book.combine(&r.indicator).over_time() {
            let period = r.period(lang);
            return match lang {
                Lang::Es => format!(
                    "{name} cuenta personas distintas (o es una mediana): los meses no se suman. La publicación no trae un valor para {period}; elija un mes, un trimestre o el año hasta la fecha."
                ),
                Lang::En => format!(
                    "{name} counts distinct people (or is a median): months are not added up. The snapshot has no value for {period}; choose a month, a quarter or the year to date."
                ),
            };
        }
        return t(
            lang,
            "No hay datos para esta combinación de filtros.",
            "There is no data for this combination of filters.",
        )
        .to_owned();
    };
    let name = r.book.indicator_name(&r.indicator, lang);
    let v = format_value(b.unit, value, lang);
    let place = place_name(&r.book, &r.place, lang);
    let period = r.period(lang);
    // With a place selected: its share of the country (for counts). Otherwise: the leading departments.
    if r.place != Place::National {
        let national: f64 = b.by_department.iter().filter_map(|(_, s)| s.as_ref()).map(|s| s.value).sum::<f64>()
            + b.unplaced.iter().map(|(_, s)| s.value).sum::<f64>();
        let share = (b.unit == Unit::Count && national > 0.0).then(|| format::percent(100.0 * value / national, 1));
        return match (lang, share) {
            (Lang::Es, Some(share)) => format!("{name}: {v} en {period} ({place}), el {share} del total del país."),
            (Lang::En, Some(share)) => format!("{name}: {v} in {period} ({place}), {share} of the national total."),
            (Lang::Es, None) => format!("{name}: {v} en {period} ({place})."),
            (Lang::En, None) => format!("{name}: {v} in {period} ({place})."),
        };
    }
    let ranked = ranked_departments(b);
    let top: Vec<String> =
        ranked.iter().take(2).map(|(d, v)| format!("{} ({})", d.name, format_value(b.unit, *v, lang))).collect();
    let missing: Vec<&str> = b.by_department.iter().filter(|(_, s)| s.is_none()).map(|(d, _)| d.name).collect();
    let unplaced: Vec<String> = b.unplaced.iter().map(|(c, _)| r.book.territory_name(c, lang)).collect();
    let unplaced = match (lang, unplaced.is_empty()) {
        (_, true) => String::new(),
        (Lang::Es, false) => format!(" Sin departamento conocido (cuentan en el total): {}.", unplaced.join(", ")),
        (Lang::En, false) => format!(" No known department (counted in the total): {}.", unplaced.join(", ")),
    };
    match lang {
        Lang::Es => format!(
            "{name}: {v} en {period} ({place}). Mayores valores: {}. Sin oficina ni datos: {}.{unplaced}",
            top.join(" y "),
            if missing.is_empty() { "ninguno".to_owned() } else { missing.join(", ") }
        ),
        Lang::En => format!(
            "{name}: {v} in {period} ({place}). Highest: {}. No office or data: {}.{unplaced}",
            top.join(" and "),
            if missing.is_empty() { "none".to_owned() } else { missing.join(", ") }
        ),
    }
}

pub fn ranked_departments(b: &Breakdown) -> Vec<(&'static codes::Department, f64)> {
    let mut v: Vec<(&'static codes::Department, f64)> = b
        .by_department
        .iter()
        .filter_map(|(d, s)| s.as_ref().and_then(|s| dashboard::display(b.unit, s)).map(|v| (*d, v)))
        .collect();
    shared::sort_with(&mut v, &|a, b| b.1.total_cmp(&a.1).then(a.0.name.cmp(b.0.name)));
    v
}

/// One category of a chart with its value as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub code: String,
    pub label: String,
    pub value: Option<f64>,
    pub suppressed: bool,
    /// The value's status as the exports write it (`dashboard::status`).
    pub status: &'static str,
}

/// The categories of a chart, in catalogue order: each one the indicator reports (`reported`, whatever the
/// filters), with its sum under the filters or none. A filter thus leaves a category "sin datos" rather than
/// removing it, and the chart keeps its rows (and its canvas its size) as filters change.
pub fn categories(
    list: &'static [codes::Code],
    sums: &[(String, shared::aggregate::Sum)],
    reported: &[String],
    unit: Unit,
    lang: Lang,
) -> Vec<Category> {
    list.iter()
        .filter_map(|c| {
            let sum = sums.iter().find(|(code, _)| code == c.code).map(|(_, s)| s);
            if sum.is_none() && !reported.iter().any(|r| r == c.code) {
                return None;
            }
            Some(Category {
                code: c.code.to_owned(),
                label: c.label.get(lang).to_owned(),
                value: sum.and_then(|s| dashboard::display(unit, s)),
                suppressed: sum.is_some_and(|s| s.reported == 0 && s.suppressed > 0),
                status: dashboard::status(unit, sum),
            })
        })
        .collect()
}

/// "X is the largest: 1,234 (32.1 %)" for a chart's one-line summary.
pub fn largest_sentence(items: &[Category], unit: Unit, lang: Lang) -> String {
    let total: f64 = items.iter().filter_map(|c| c.value).sum();
    let Some(top) = items
        .iter()
        .filter(|c| c.value.is_some())
        .max_by(|a, b| a.value.unwrap_or(0.0).total_cmp(&b.value.unwrap_or(0.0)))
    else {
        return t(
            lang,
            "No hay datos para esta combinación de filtros.",
            "There is no data for this combination of filters.",
        )
        .to_owned();
    };
    let v = top.value.unwrap_or(0.0);
    let share = if unit == Unit::Count && total > 0.0 {
        format!(" ({})", format::percent(100.0 * v / total, 1))
    } else {
        String::new()
    };
    match lang {
        Lang::Es => format!("El mayor valor es {}: {}{share}.", top.label, format_value(unit, v, lang)),
        Lang::En => format!("The largest is {}: {}{share}.", top.label, format_value(unit, v, lang)),
    }
}

pub fn summary_of(cats: &[Category], unit: Unit, lang: Lang) -> String {
    if cats.is_empty() {
        return t(
            lang,
            "Este indicador no tiene este desglose con los filtros elegidos.",
            "This indicator has no such breakdown for the chosen filters.",
        )
        .to_owned();
    }
    largest_sentence(cats, unit, lang)
}

/// The map's tooltip for what is under the pointer: an office (its value) or a department (its value as drawn).
pub fn map_tooltip(
    code: &str,
    offices: &[super::Office],
    departments: &[(&'static codes::Department, Option<f64>, bool)],
    unit: Unit,
    per_10k: bool,
    l: Lang,
) -> String {
    let none = || t(l, "sin datos", "no data").to_owned();
    if let Some(o) = offices.iter().find(|o| o.code == code) {
        let v = o.value.map_or_else(none, |v| format_value(unit, v, l));
        return format!("SI EMPLEO {}: {v}", o.name.get(l));
    }
    let shown = |v: Option<f64>| {
        v.map_or_else(none, |v| {
            if per_10k {
                format!("{} {}", format::number(v, 1), super::unit_words(unit, true, l))
            } else {
                format_value(unit, v, l)
            }
        })
    };
    match departments.iter().find(|(d, _, _)| d.iso == code) {
        Some((d, None, true)) => {
            format!("{}: {}", d.name, t(l, "suprimido (protección de datos)", "suppressed (data protection)"))
        }
        Some((d, v, _)) => format!("{}: {}", d.name, shown(*v)),
        None => code.to_owned(),
    }
}

/// A tile's change against the previous period of the same length: relative for counts, days and scores ("▲ 6.0 %
/// más que el periodo anterior"), in percentage points for rates ("▲ 6.0 pp"): a rate going from 60 % to 66 % rose
/// six points, not ten per cent.
pub fn tile_change(tile: &dashboard::Tile, l: Lang) -> Option<String> {
    if tile.no_change.is_some() {
        return None;
    }
    let (size, up) = match tile.unit {
        Unit::Percent | Unit::Points => {
            let points = tile.value? - tile.previous?;
            (format!("{} pp", format::number(points.abs(), 1)), points >= 0.0)
        }
        _ => {
            let c = tile.change()?;
            (format::percent(c.abs(), 1), c >= 0.0)
        }
    };
    let (arrow, words) =
        if up { ("▲", t(l, "más que", "more than")) } else { ("▼", t(l, "menos que", "less than")) };
    Some(format!("{arrow} {size} {words} {}", t(l, "el periodo anterior", "the previous period")))
}

/// Months as the tiles name them: consecutive months as one range ("nov. 2024 a ene. 2025"), the rest listed.
fn month_ranges(months: &[String], l: Lang) -> String {
    let mut ranges: Vec<(String, String)> = Vec::new();
    for m in months {
        match ranges.last_mut() {
            Some((_, last)) if dashboard::shift_month(last, 1).as_deref() == Some(m.as_str()) => m.clone_into(last),
            _ => ranges.push((m.clone(), m.clone())),
        }
    }
    ranges
        .iter()
        .map(|(a, b)| {
            if a == b {
                format::period_short(a, l)
            } else {
                format!("{} {} {}", format::period_short(a, l), t(l, "a", "to"), format::period_short(b, l))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The months a tile's big number counts, stated on the tile ("nov. 2025 a oct. 2026"), since its progress line
/// counts others (January to the last month).
pub fn tile_period(from: &str, to: &str, l: Lang) -> String {
    if from == to {
        format::period_short(to, l)
    } else {
        format!("{} {} {}", format::period_short(from, l), t(l, "a", "to"), format::period_short(to, l))
    }
}

/// Why a tile shows no change against the previous period, when it shows none although it has a value: the two
/// periods do not hold the same months ("Sin variación: al periodo anterior le faltan datos de nov. 2024 a ene.
/// 2025"), or there is no previous period.
pub fn tile_no_change(tile: &dashboard::Tile, l: Lang) -> Option<String> {
    tile.value?;
    let why = match tile.no_change.as_ref()? {
        dashboard::NoChange::NoPrevious => {
            t(l, "no hay datos del periodo anterior.", "there is no data for the previous period.").to_owned()
        }
        dashboard::NoChange::Incomplete { current, previous } => {
            let mut parts = Vec::new();
            if !previous.is_empty() {
                parts.push(format!(
                    "{} {}",
                    t(l, "al periodo anterior le faltan datos de", "the previous period lacks data for"),
                    month_ranges(previous, l)
                ));
            }
            if !current.is_empty() {
                parts.push(format!(
                    "{} {}",
                    t(l, "a este periodo le faltan datos de", "this period lacks data for"),
                    month_ranges(current, l)
                ));
            }
            format!("{}.", parts.join(t(l, "; ", "; ")))
        }
    };
    Some(format!("{} {why}", t(l, "Sin variación comparable:", "No comparable change:")))
}

/// A tile's progress to its annual target, saying which months it counts (the tile's big number may cover another
/// period): "84 % de la meta anual de 2,619 (2,203 de ene. 2026 a oct. 2026)". `to` is the last month of the view.
pub fn tile_progress(tile: &dashboard::Tile, to: &str, l: Lang) -> Option<String> {
    let p = tile.progress?;
    let target = format_value(tile.unit, tile.annual_target?, l);
    let so_far = tile.year_to_date.map(|v| format_value(tile.unit, v, l)).unwrap_or_default();
    let first = format!("{}-01", to.get(..4)?);
    let months = if first == to {
        format::period_short(to, l)
    } else {
        format!(
            "{} {} {} {}",
            t(l, "de", "from"),
            format::period_short(&first, l),
            t(l, "a", "to"),
            format::period_short(to, l)
        )
    };
    Some(format!(
        "{} {} {target} ({so_far} {months})",
        format::percent(p, 0),
        t(l, "de la meta anual de", "of the annual target of")
    ))
}

/// "COB-01: 1 valor revisado, 17 valores nuevos (…), 0 retirados. Mayores revisiones:", with singular and plural.
pub fn revisions(name: &str, revised: usize, added: usize, removed: usize, l: Lang) -> String {
    let n = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
    match l {
        Lang::Es => format!(
            "{name}: {}, {} (meses que la publicación anterior no tenía), {}. Mayores revisiones:",
            n(revised, "valor revisado", "valores revisados"),
            n(added, "valor nuevo", "valores nuevos"),
            n(removed, "retirado", "retirados"),
        ),
        Lang::En => format!(
            "{name}: {}, {} (months the earlier snapshot did not have), {} removed. Largest revisions:",
            n(revised, "value revised", "values revised"),
            n(added, "new value", "new values"),
            removed,
        ),
    }
}
