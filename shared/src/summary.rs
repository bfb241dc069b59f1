//! The executive summary of each view (issue 31): a few sentences written by rules from the snapshot, never by
//! hand. Each sentence carries its numbers in es-HN format and the view that shows them (its link); a rule whose
//! data cannot support its sentence (no target, suppressed or missing cells, too few months, nothing compared)
//! writes none. The figures come from the aggregation the views use ([`Breakdown`], [`Tile`], [`revisions`],
//! [`Roadmap`]), never recomputed here: rates are ratios of sums and distinct people never add up over months.
//!
//! [`revisions`]: crate::dashboard::revisions

use crate::Lang;
use crate::catalog::Unit;
use crate::codebook::CodeBook;
use crate::codes::TOTAL;
use crate::dashboard::{Breakdown, Change, Dims, Place, Revision, Tile, display};
use crate::date::Day;
use crate::facts::Facts;
use crate::format;
use crate::roadmap::{Roadmap, UPCOMING_DAYS};
use crate::targets::Targets;
use crate::view::View;

/// How many gaps to target, and revised values, a summary names.
pub const TOP: usize = 3;

/// Which rule wrote a sentence (its `data-rule` on the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Gap,
    Changes,
    Projection,
    Overdue,
    Upcoming,
    Budget,
}

impl Rule {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Gap => "gap",
            Self::Changes => "changes",
            Self::Projection => "projection",
            Self::Overdue => "overdue",
            Self::Upcoming => "upcoming",
            Self::Budget => "budget",
        }
    }
}

/// One sentence and the view that shows its figure (`roadmap`: on `/hoja-de-ruta`, else the coverage page).
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub rule: Rule,
    pub text: String,
    pub view: View,
    pub roadmap: bool,
}

/// A sentence from its template in the language, each `{}` filled by the next of `parts` in order: one
/// non-generic function for every sentence (a `format!` per sentence and language cost the wasm 14 KB of code).
pub fn fill(template: &str, parts: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + parts.iter().map(|p| p.len()).sum::<usize>());
    let mut pieces = template.split("{}");
    out.push_str(pieces.next().unwrap_or_default());
    for (piece, part) in pieces.zip(parts.iter().chain(std::iter::repeat(&""))) {
        out.push_str(part);
        out.push_str(piece);
    }
    out
}

/// A view for a link: the shown one (snapshot, comparison, language kept) with `f` applied.
fn link(view: &View, f: impl FnOnce(&mut View)) -> View {
    let mut v = View { agenda: None, slide: None, ..view.clone() };
    f(&mut v);
    v
}

/// One department behind its target's pace.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub indicator: String,
    pub department: &'static crate::codes::Department,
    pub unit: Unit,
    /// Year to date (a count) or the year's rate.
    pub value: f64,
    pub target: f64,
    /// Progress to the target and progress expected by the month, percent (as the tile computes them).
    pub progress: f64,
    pub expected: f64,
}

impl Gap {
    /// Points of the target under the expected progress: what ranks gaps of different units.
    pub fn points_under(&self) -> f64 {
        self.expected - self.progress
    }

    /// By how much, in the indicator's unit: a count's shortfall against the target's pace by the month, a rate's
    /// distance to its target.
    pub fn shortfall(&self) -> f64 {
        match self.unit {
            Unit::Count => self.target * self.expected / 100.0 - self.value,
            _ => (self.target - self.value).abs(),
        }
    }
}

/// The indicators of the tiles with an annual target (every person: a tile of one population has none).
pub fn with_target(tiles: &[Tile]) -> Vec<String> {
    tiles.iter().filter(|t| t.population == TOTAL && t.annual_target.is_some()).map(|t| t.indicator.clone()).collect()
}

/// The departments furthest under their annual target's pace, over the indicators given (the tiles' with a
/// target, [`with_target`]), largest first: at most [`TOP`]. A department is left out without a target, when its
/// year to date is incomplete (a value suppressed or not collected) or when it is not behind.
pub fn gaps(facts: &Facts, book: &CodeBook, targets: &Targets, indicators: &[String], to: &str) -> Vec<Gap> {
    let Some(year) = to.get(..4).and_then(|y| y.parse::<i32>().ok()) else { return Vec::new() };
    let month = f64::from(to.get(5..7).and_then(|m| m.parse::<u8>().ok()).unwrap_or(12));
    let january = fill("{}-01", &[&year.to_string()]);
    let mut out = Vec::new();
    for (k, indicator) in indicators.iter().enumerate() {
        if indicators[..k].contains(indicator) {
            continue;
        }
        let Some(b) = Breakdown::compute(facts, book, indicator, &january, to, &Place::National, &Dims::default())
        else {
            continue;
        };
        let higher_is_better = book.higher_is_better(indicator);
        for (d, sum) in &b.by_department {
            let Some(sum) = sum.filter(|s| s.suppressed == 0 && s.missing == 0) else { continue };
            let (Some(value), Some(target)) =
                (display(b.unit, &sum), targets.annual(book, indicator, year, &Place::Department(d), b.unit))
            else {
                continue;
            };
            // The tile's rule (`Tile::compute`): a count against the year's pro-rated target, a rate against it.
            let (progress, expected) = match b.unit {
                Unit::Count if target > 0.0 => (100.0 * value / target, 100.0 * month / 12.0),
                _ if target > 0.0 && value > 0.0 => {
                    (if higher_is_better { 100.0 * value / target } else { 100.0 * target / value }, 100.0)
                }
                _ => continue,
            };
            let gap =
                Gap { indicator: indicator.clone(), department: d, unit: b.unit, value, target, progress, expected };
            if gap.points_under() > 0.0 {
                out.push(gap);
            }
        }
    }
    crate::sort_with(&mut out, &|a, b| b.points_under().total_cmp(&a.points_under()));
    out.truncate(TOP);
    out
}

fn gap_sentence(g: &Gap, book: &CodeBook, view: &View, to: &str, lang: Lang) -> Sentence {
    let name = book.indicator_name(&g.indicator, lang);
    let (progress, expected) = (format::percent(g.progress, 0), format::percent(g.expected, 0));
    let month = format::period(to, lang);
    let by = format::value(if g.unit == Unit::Percent { Unit::Points } else { g.unit }, g.shortfall(), lang);
    let target = format::value(g.unit, g.target, lang);
    let value = format::value(g.unit, g.value, lang);
    let text = if g.unit == Unit::Count {
        fill(
            lang.pick(
                "{} en {}: {} de la meta anual de {}, cuando a {} se esperaba {}; faltan {} para ir al ritmo de la meta.",
                "{} in {}: {} of the annual target of {}, where by {} {} was expected; {} short of the target's pace.",
            ),
            &[&name, g.department.name, &progress, &target, &month, &expected, &by],
        )
    } else {
        fill(
            lang.pick(
                "{} en {}: {} frente a una meta de {} ({} por debajo).",
                "{} in {}: {} against a target of {} ({} under).",
            ),
            &[&name, g.department.name, &value, &target, &by],
        )
    };
    let view = link(view, |v| {
        v.indicator = Some(g.indicator.clone());
        v.place = Some(g.department.iso.to_owned());
        (v.service, v.population, v.sex, v.age) = (None, None, None, None);
    });
    Sentence { rule: Rule::Gap, text, view, roadmap: false }
}

/// What changed since the compared snapshot for the view's indicator and filters: how many values were revised or
/// added, and the largest revisions (both values published). `None` when nothing is compared.
fn changes_sentence(
    revisions: &[Revision],
    (compared, as_of): (&str, &str),
    book: &CodeBook,
    indicator: &str,
    view: &View,
    lang: Lang,
) -> Sentence {
    let unit = book.unit(indicator);
    let name = book.indicator_name(indicator, lang);
    let revised: Vec<&Revision> =
        revisions.iter().filter(|r| r.change == Change::Revised && r.before.is_some() && r.after.is_some()).collect();
    let (count, added) = (
        revisions.iter().filter(|r| r.change == Change::Revised).count(),
        revisions.iter().filter(|r| r.change == Change::Added).count(),
    );
    let largest: Vec<String> = revised
        .iter()
        .take(TOP)
        .map(|r| {
            let (before, after) = (r.before.unwrap_or_default(), r.after.unwrap_or_default());
            let delta = after - before;
            let delta_unit = if unit == Unit::Percent { Unit::Points } else { unit };
            let sign = if delta >= 0.0 { "+" } else { "" };
            fill(
                "{} ({}) {} → {} ({}{})",
                &[
                    &book.territory_name(&r.territory, lang),
                    &format::period(&r.period, lang),
                    &format::value(unit, before, lang),
                    &format::value(unit, after, lang),
                    sign,
                    &format::value(delta_unit, delta, lang),
                ],
            )
        })
        .collect();
    let text = if count + added == 0 {
        fill(
            lang.pick(
                "Ningún valor de {} cambió desde la publicación del {}.",
                "No value of {} changed since the snapshot of {}.",
            ),
            &[&name, &format::date(as_of)],
        )
    } else {
        let most = if largest.is_empty() {
            String::new()
        } else {
            fill(lang.pick("; los mayores cambios: {}", "; the largest: {}"), &[&largest.join("; ")])
        };
        fill(
            lang.pick(
                "Desde la publicación del {}, {}: {} valores revisados y {} nuevos{}.",
                "Since the snapshot of {}, {}: {} values revised and {} new{}.",
            ),
            &[&format::date(as_of), &name, &count.to_string(), &added.to_string(), &most],
        )
    };
    let view = link(view, |v| {
        v.indicator = Some(indicator.to_owned());
        v.compare = Some(compared.to_owned());
    });
    Sentence { rule: Rule::Changes, text, view, roadmap: false }
}

/// What the coverage summary reads.
pub struct Coverage<'a> {
    pub book: &'a CodeBook,
    /// The largest gaps to target ([`gaps`], computed once per period: it reads the table).
    pub gaps: &'a [Gap],
    /// The view shown (its links keep its snapshot, comparison and language) and its resolved indicator and end.
    pub view: &'a View,
    pub indicator: &'a str,
    pub to: &'a str,
    /// The headline tiles as the page computed them (their targets and projections).
    pub tiles: &'a [Tile],
    /// The compared snapshot's id and as-of date (ISO), and the revisions of the view's indicator against it, once
    /// computed.
    pub revisions: Option<(&'a str, &'a str, &'a [Revision])>,
}

/// The coverage view's summary: the largest gaps to target, the changes since the compared snapshot, and each
/// headline tile's year-end projection.
pub fn coverage(input: &Coverage, lang: Lang) -> Vec<Sentence> {
    let Coverage { book, gaps, view, indicator, to, tiles, revisions } = *input;
    let mut out: Vec<Sentence> = gaps.iter().map(|g| gap_sentence(g, book, view, to, lang)).collect();
    if let Some((compared, as_of, list)) = revisions {
        out.push(changes_sentence(list, (compared, as_of), book, indicator, view, lang));
    }
    for (k, tile) in tiles.iter().enumerate() {
        if tiles[..k].iter().any(|t| t.indicator == tile.indicator) {
            continue;
        }
        let Some(Ok(p)) = &tile.projection else { continue };
        // "Colocaciones: al ritmo actual, …": the projection's sentence after a colon, its first letter lower-cased.
        let said = p.text(tile.annual_target, lang);
        let mut chars = said.chars();
        let said: String = chars.next().map(|c| c.to_ascii_lowercase()).into_iter().chain(chars).collect();
        let text = fill("{}: {}", &[&book.indicator_name(&tile.indicator, lang), &said]);
        let view = link(view, |v| v.indicator = Some(tile.indicator.clone()));
        out.push(Sentence { rule: Rule::Projection, text, view, roadmap: false });
    }
    out
}

/// The roadmap view's summary at its date: overdue milestones, those due in the next [`UPCOMING_DAYS`] days, and
/// the budget's execution against the share of the fiscal year gone (the view's fiscal year, or the date's).
pub fn roadmap(roadmap: &Roadmap, at: Day, view: &View, lang: Lang) -> Vec<Sentence> {
    let mut out = Vec::new();
    if roadmap.milestones.iter().any(|m| !m.is_cancelled()) {
        out.push(overdue_sentence(roadmap, at, view, lang));
        out.push(upcoming_sentence(roadmap, at, view, lang));
    }
    out.extend(budget_sentence(roadmap, at, view, lang));
    out
}

fn owner<'a>(roadmap: &'a Roadmap, m: &crate::roadmap::Milestone) -> &'a str {
    roadmap.intervention(&m.intervention_id).map_or("", |i| i.institution.as_str())
}

fn overdue_sentence(roadmap: &Roadmap, at: Day, view: &View, lang: Lang) -> Sentence {
    let late = roadmap.overdue(at);
    let (text, intervention) = match late.first() {
        None => (
            fill(
                lang.pick("Ningún hito está vencido sin terminar al {}.", "No milestone is overdue on {}."),
                &[&at.display()],
            ),
            None,
        ),
        Some(m) => {
            let one = late.len() == 1;
            let what = match (one, lang) {
                (true, _) => lang.pick("hito vencido", "milestone overdue"),
                (false, _) => lang.pick("hitos vencidos", "milestones overdue"),
            };
            let text = fill(
                lang.pick(
                    "{} {} sin terminar; el más atrasado: «{}» ({}), {} días después de lo planificado ({}).",
                    "{} {} unfinished; the latest: “{}” ({}), {} days after its planned date ({}).",
                ),
                &[
                    &late.len().to_string(),
                    what,
                    m.name(lang),
                    owner(roadmap, m),
                    &format::count((at.0 - m.planned.0) as f64),
                    &m.planned.display(),
                ],
            );
            (text, Some(m.intervention_id.clone()))
        }
    };
    Sentence { rule: Rule::Overdue, text, view: link(view, |v| v.intervention = intervention), roadmap: true }
}

fn upcoming_sentence(roadmap: &Roadmap, at: Day, view: &View, lang: Lang) -> Sentence {
    let soon = roadmap.upcoming(at);
    let days = UPCOMING_DAYS.to_string();
    let (text, intervention) = match soon.first() {
        None => (
            fill(
                lang.pick("Ningún hito vence en los próximos {} días.", "No milestone is due in the next {} days."),
                &[&days],
            ),
            None,
        ),
        Some(m) => {
            let what = if soon.len() == 1 {
                lang.pick("hito vence", "milestone is due")
            } else {
                lang.pick("hitos vencen", "milestones are due")
            };
            let text = fill(
                lang.pick(
                    "{} {} en los próximos {} días; el primero: «{}» ({}), el {}.",
                    "{} {} in the next {} days; the first: “{}” ({}), on {}.",
                ),
                &[&soon.len().to_string(), what, &days, m.name(lang), owner(roadmap, m), &m.planned.display()],
            );
            (text, Some(m.intervention_id.clone()))
        }
    };
    Sentence { rule: Rule::Upcoming, text, view: link(view, |v| v.intervention = intervention), roadmap: true }
}

/// The budget's execution in a fiscal year against the share of the year gone at the date (the plan: a budget
/// spent evenly); left out without budget lines that year or a current budget. A past year is compared with its
/// whole budget.
fn budget_sentence(roadmap: &Roadmap, at: Day, view: &View, lang: Lang) -> Option<Sentence> {
    let (y, _, _) = at.ymd();
    let year = view.year.as_deref().and_then(|y| y.parse::<i64>().ok()).unwrap_or(i64::from(y));
    if !roadmap.fiscal_years().contains(&year) {
        return None;
    }
    let money = roadmap.summary(at, Some(year)).budget;
    let executed = money.execution_pct()?;
    let start = Day::from_ymd(i32::try_from(year).ok()?, 1, 1);
    let end = Day::from_ymd(i32::try_from(year).ok()?, 12, 31);
    let gone = (100.0 * (at.0 - start.0 + 1) as f64 / (end.0 - start.0 + 1) as f64).clamp(0.0, 100.0);
    let text = fill(
        lang.pick(
            "Presupuesto {}: {} ejecutados de {} vigentes ({}), con el {} del año transcurrido al {}.",
            "Budget {}: {} spent of {} current ({}), with {} of the year gone on {}.",
        ),
        &[
            &year.to_string(),
            &format::lempiras(money.executed_hnl),
            &format::lempiras(money.current_hnl),
            &format::percent(executed, 0),
            &format::percent(gone, 0),
            &at.display(),
        ],
    );
    Some(Sentence { rule: Rule::Budget, text, view: link(view, |v| v.year = Some(year.to_string())), roadmap: true })
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // whole numbers and the tile's own arithmetic
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int16Array, RecordBatch, StringArray};

    use super::*;
    use crate::codes::DEMO_TERRITORIES;
    use crate::demo::DemoConfig;
    use crate::roadmap::{BudgetLine, Intervention, Milestone};
    use crate::schema::FactsColumn;
    use crate::targets::Target;

    /// A facts table of (indicator, period, territory, value, status), every disaggregation `_T`.
    fn facts(rows: &[(&str, &str, &str, Option<f64>, &str)]) -> Facts {
        let dict = |values: Vec<&str>| -> ArrayRef {
            let mut codes = values.clone();
            codes.sort_unstable();
            codes.dedup();
            let keys: Vec<i16> = values.iter().map(|v| codes.binary_search(v).expect("listed") as i16).collect();
            Arc::new(DictionaryArray::new(Int16Array::from(keys), Arc::new(StringArray::from(codes))))
        };
        let columns: Vec<ArrayRef> = FactsColumn::ALL
            .iter()
            .map(|c| match c {
                FactsColumn::Indicator => dict(rows.iter().map(|r| r.0).collect()),
                FactsColumn::Period => dict(rows.iter().map(|r| r.1).collect()),
                FactsColumn::Territory => dict(rows.iter().map(|r| r.2).collect()),
                FactsColumn::Value => Arc::new(Float64Array::from(rows.iter().map(|r| r.3).collect::<Vec<_>>())),
                FactsColumn::Status => dict(rows.iter().map(|r| r.4).collect()),
                _ => dict(vec![TOTAL; rows.len()]),
            })
            .collect();
        Facts::try_from(RecordBatch::try_new(crate::schema::facts_schema(), columns).expect("schema")).expect("facts")
    }

    fn target(indicator: &str, territory: &str, value: f64) -> Target {
        Target {
            indicator: indicator.into(),
            year: 2026,
            period: None,
            territory: territory.into(),
            value,
            revision: None,
        }
    }

    fn demo() -> (Facts, Targets) {
        let config = DemoConfig::default();
        (Facts::try_from(crate::demo::facts(&config)).expect("demo"), Targets::demo(&config))
    }

    #[test]
    fn a_template_is_filled_in_order_and_a_missing_part_is_empty() {
        assert_eq!(fill("{} de {}.", &["3", "5"]), "3 de 5.");
        assert_eq!(fill("{}: {}", &["a"]), "a: ");
        assert_eq!(fill("sin huecos", &["x"]), "sin huecos");
    }

    #[test]
    fn the_largest_gaps_are_the_tiles_own_figures_largest_first() {
        let (facts, targets) = demo();
        let book = CodeBook::builtin();
        let tiles: Vec<Tile> = ["COB-01", "INT-05", "COB-02", "DER-02"]
            .map(|i| Tile::compute(&facts, &book, Some(&targets), i, TOTAL, "2025-11", "2026-10", &Place::National))
            .to_vec();
        let indicators = with_target(&tiles);
        assert_eq!(indicators, ["COB-01", "INT-05", "DER-02"], "COB-02 has no target");
        let found = gaps(&facts, &book, &targets, &indicators, "2026-10");
        assert_eq!(found.len(), TOP, "the demo has more than three departments behind: {found:?}");
        for pair in found.windows(2) {
            assert!(pair[0].points_under() >= pair[1].points_under());
        }
        for g in &found {
            // Independently: the tile of that department says the same.
            let place = Place::Department(g.department);
            let tile = Tile::compute(&facts, &book, Some(&targets), &g.indicator, TOTAL, "2026-01", "2026-10", &place);
            assert_eq!(tile.progress, Some(g.progress), "{g:?}");
            assert_eq!(tile.expected, g.expected);
            assert_eq!(tile.annual_target, Some(g.target));
            assert!(g.points_under() > 0.0);
        }
        let view = View { snapshot: Some("demo-2".into()), ..View::default() };
        let s = gap_sentence(&found[0], &book, &view, "2026-10", Lang::Es);
        assert!(
            s.text.contains(found[0].department.name)
                && s.text.contains(&format::value(found[0].unit, found[0].target, Lang::Es)),
            "{}",
            s.text
        );
        assert_eq!(s.view.place.as_deref(), Some(found[0].department.iso));
        assert_eq!(s.view.snapshot.as_deref(), Some("demo-2"), "the link stays on the snapshot shown");
    }

    #[test]
    fn a_gap_is_left_out_without_a_target_with_a_suppressed_cell_or_on_pace() {
        let book = CodeBook::builtin();
        let [a, b, c] = [DEMO_TERRITORIES[0].code, DEMO_TERRITORIES[3].code, DEMO_TERRITORIES[8].code];
        let dept = |t: &str| book.department_of(t).expect("placed");
        assert!(dept(a).iso != dept(b).iso && dept(b).iso != dept(c).iso && dept(a).iso != dept(c).iso);
        let rows = [
            ("INT-05", "2026-01", a, Some(100.0), "reported"),
            ("INT-05", "2026-02", a, Some(100.0), "reported"),
            ("INT-05", "2026-01", b, Some(10.0), "reported"),
            ("INT-05", "2026-02", b, None, "suppressed"),
            ("INT-05", "2026-01", c, Some(5.0), "reported"),
            ("INT-05", "2026-02", c, Some(5.0), "reported"),
        ];
        let facts = facts(&rows);
        let indicators = vec!["INT-05".to_owned()];
        // A: 200 of 2,400 by February (8 %, 17 % expected): behind. B: suppressed. C: no target.
        let targets = Targets(vec![target("INT-05", a, 2_400.0), target("INT-05", b, 2_400.0)]);
        let found = gaps(&facts, &book, &targets, &indicators, "2026-02");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].department.iso, dept(a).iso);
        assert_eq!(found[0].shortfall(), 200.0, "400 by February's pace, 200 done");
        let text = gap_sentence(&found[0], &book, &View::default(), "2026-02", Lang::Es).text;
        assert!(text.contains("faltan 200 para ir al ritmo") && text.contains("de la meta anual de 2,400"), "{text}");
        // On pace: no sentence.
        let easy = Targets(vec![target("INT-05", a, 600.0)]);
        assert!(gaps(&facts, &book, &easy, &indicators, "2026-02").is_empty());
        // No target at all: no sentence.
        assert!(gaps(&facts, &book, &Targets(Vec::new()), &indicators, "2026-02").is_empty());
    }

    #[test]
    fn changes_name_the_largest_revisions_or_say_none_and_need_a_comparison() {
        let config = DemoConfig::default();
        let (now, before) = (
            Facts::try_from(crate::demo::facts(&config)).expect("demo"),
            Facts::try_from(crate::demo::facts(&config.previous())).expect("demo"),
        );
        let book = CodeBook::builtin();
        let list = crate::dashboard::revisions(&before, &now, &book, "INT-05", &Place::National, &Dims::default());
        let revised = list.iter().filter(|r| r.change == Change::Revised).count();
        let added = list.iter().filter(|r| r.change == Change::Added).count();
        assert!(revised > 0 && added > 0);
        let view = View::default();
        let s = changes_sentence(&list, ("demo-1", "2026-09-30"), &book, "INT-05", &view, Lang::Es);
        assert!(s.text.starts_with("Desde la publicación del 30/09/2026, "), "{}", s.text);
        assert!(s.text.contains(&format!("{revised} valores revisados y {added} nuevos")), "{}", s.text);
        let top = list.iter().find(|r| r.change == Change::Revised).expect("a revision");
        let delta = top.after.expect("after") - top.before.expect("before");
        assert!(
            s.text.contains(&format!(
                "{} → {}",
                format::count(top.before.unwrap_or_default()),
                format::count(top.after.unwrap_or_default())
            )),
            "{}",
            s.text
        );
        assert!(s.text.contains(&format::count(delta)));
        assert_eq!(s.view.compare.as_deref(), Some("demo-1"));
        assert_eq!(
            changes_sentence(&[], ("demo-1", "2026-09-30"), &book, "INT-05", &view, Lang::En).text,
            "No value of New jobseeker placements changed since the snapshot of 30/09/2026."
                .replace("New jobseeker placements", &book.indicator_name("INT-05", Lang::En))
        );
        // Nothing compared: no sentence.
        let input = Coverage {
            book: &book,
            gaps: &[],
            view: &view,
            indicator: "INT-05",
            to: "2026-10",
            tiles: &[],
            revisions: None,
        };
        assert!(coverage(&input, Lang::Es).iter().all(|s| s.rule != Rule::Changes));
        let with = Coverage { revisions: Some(("demo-1", "2026-09-30", &list)), ..input };
        assert_eq!(coverage(&with, Lang::Es).iter().filter(|s| s.rule == Rule::Changes).count(), 1);
    }

    #[test]
    fn a_tile_projects_the_year_end_only_where_it_can() {
        let (facts, targets) = demo();
        let book = CodeBook::builtin();
        let tile =
            |i: &str| Tile::compute(&facts, &book, Some(&targets), i, TOTAL, "2025-11", "2026-10", &Place::National);
        // INT-05 adds up over months and has 23 complete months: a projection. COB-01 counts distinct people, DER-02 is
        // a rate, COB-02 has no target; DER-01's January 2025 was not collected in one office.
        let tiles = [tile("INT-05"), tile("COB-01"), tile("DER-02"), tile("COB-02"), tile("DER-01")];
        assert!(matches!(tiles[0].projection, Some(Ok(_))), "{:?}", tiles[0].projection);
        assert_eq!(tiles[1].projection, Some(Err(crate::projection::NoProjection::NotACount)));
        assert_eq!(tiles[2].projection, Some(Err(crate::projection::NoProjection::NotACount)));
        assert_eq!(tiles[3].projection, None, "no target, no projection");
        assert!(matches!(tiles[4].projection, Some(Err(crate::projection::NoProjection::Incomplete(_)))));
        let view = View::default();
        let input = Coverage {
            book: &book,
            gaps: &[],
            view: &view,
            indicator: "INT-05",
            to: "2026-10",
            tiles: &tiles,
            revisions: None,
        };
        let said: Vec<Sentence> =
            coverage(&input, Lang::Es).into_iter().filter(|s| s.rule == Rule::Projection).collect();
        assert_eq!(said.len(), 1, "{said:?}");
        let Some(Ok(p)) = &tiles[0].projection else { unreachable!() };
        assert!(said[0].text.contains(&format::count(p.central)) && said[0].text.contains(&format::count(p.low)));
        assert_eq!(said[0].view.indicator.as_deref(), Some("INT-05"));
    }

    fn milestone(id: &str, planned: &str, status: &str) -> Milestone {
        let day = Day::parse(planned).expect("date");
        Milestone {
            id: id.into(),
            intervention_id: "I1".into(),
            name_es: format!("Hito {id}"),
            name_en: None,
            planned: day,
            baseline: day,
            actual: None,
            status: status.into(),
            weight: 1.0,
        }
    }

    fn plan(milestones: Vec<Milestone>, budget: Vec<BudgetLine>) -> Roadmap {
        let day = Day::parse("2026-01-01").expect("date");
        Roadmap {
            interventions: vec![Intervention {
                id: "I1".into(),
                name_es: "Intervención".into(),
                name_en: None,
                strategy: "ART".into(),
                institution: "DGE-ML".into(),
                co_institutions: vec![],
                territories: vec![],
                planned_start: day,
                planned_end: day.plus(400),
                actual_start: None,
                actual_end: None,
                status: "en_curso".into(),
                priority: 1,
                indicators: vec![],
            }],
            milestones,
            budget,
            risks: vec![],
        }
    }

    fn line(year: i64, current: f64, executed: f64) -> BudgetLine {
        BudgetLine {
            intervention_id: "I1".into(),
            fiscal_year: year,
            funding_source: "TN".into(),
            approved_hnl: current,
            current_hnl: current,
            committed_hnl: executed,
            executed_hnl: executed,
        }
    }

    #[test]
    fn the_roadmap_summary_names_late_and_coming_milestones_and_the_budget_against_the_year() {
        let at = Day::parse("2026-10-31").expect("date");
        let r = plan(
            vec![
                milestone("A", "2026-09-01", "pendiente"),
                milestone("B", "2026-10-15", "en_curso"),
                milestone("C", "2026-11-10", "pendiente"),
                milestone("D", "2026-12-20", "pendiente"),
                milestone("E", "2026-08-01", "cumplido"),
            ],
            vec![line(2026, 1_000_000.0, 250_000.0), line(2026, 1_000_000.0, 250_000.0)],
        );
        let s = roadmap(&r, at, &View::default(), Lang::Es);
        let rules: Vec<Rule> = s.iter().map(|s| s.rule).collect();
        assert_eq!(rules, [Rule::Overdue, Rule::Upcoming, Rule::Budget]);
        assert_eq!(s[0].text, "2 hitos vencidos sin terminar; el más atrasado: «Hito A» (DGE-ML), 60 días después de lo planificado (01/09/2026).".replace("01/09/2026", &Day::parse("2026-09-01").expect("date").display()));
        assert_eq!(s[0].view.intervention.as_deref(), Some("I1"));
        assert!(s[1].text.starts_with("1 hito vence en los próximos 30 días; el primero: «Hito C»"), "{}", s[1].text);
        assert!(
            s[2].text.starts_with(
                "Presupuesto 2026: L 500,000.00 ejecutados de L 2,000,000.00 vigentes (25 %), con el 83 % del año"
            ),
            "{}",
            s[2].text
        );
        assert_eq!(s[2].view.year.as_deref(), Some("2026"));
        assert!(s[0].roadmap && s[2].roadmap);
    }

    #[test]
    fn a_roadmap_sentence_is_left_out_without_milestones_or_a_budget_that_year() {
        let at = Day::parse("2026-10-31").expect("date");
        // No milestones, budget only for 2025: nothing to say for 2026.
        assert!(roadmap(&plan(vec![], vec![line(2025, 100.0, 50.0)]), at, &View::default(), Lang::Es).is_empty());
        // A year with budget lines but no current budget: no execution to state.
        assert!(roadmap(&plan(vec![], vec![line(2026, 0.0, 0.0)]), at, &View::default(), Lang::En).is_empty());
        // The view's fiscal year is the one stated.
        let v = View { year: Some("2025".into()), ..View::default() };
        let s = roadmap(&plan(vec![], vec![line(2025, 100.0, 50.0)]), at, &v, Lang::En);
        assert_eq!(s.len(), 1);
        assert!(s[0].text.contains("(50 %), with 100 % of the year gone"), "{}", s[0].text);
        // Milestones, none late or coming: said, not invented.
        let quiet = plan(vec![milestone("A", "2027-06-01", "pendiente")], vec![]);
        let s = roadmap(&quiet, at, &View::default(), Lang::Es);
        assert_eq!(s[0].text, format!("Ningún hito está vencido sin terminar al {}.", at.display()));
        assert_eq!(s[1].text, "Ningún hito vence en los próximos 30 días.");
        assert_eq!(s.len(), 2);
    }
}
