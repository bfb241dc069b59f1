//! Where a monthly count ends the year at its current pace (issue 31): last year's monthly profile scaled to this
//! year's months so far, with a band from the errors of the same projection made in past months.
//!
//! The method, for a view ending in month `m` of year `y`:
//! - pace: this year's January to `m`, divided by last year's January to `m` (the same months);
//! - year end: this year to date, plus last year's months `m + 1` to December times the pace;
//! - band: the same projection of the next `12 − m` months made from each earlier month whose outcome is known
//!   (its own year to date against the year before), each one's relative error; the band is the central value of
//!   the remaining months ± the largest of those errors (over the last [`PAST_MONTHS`] months).
//!
//! Only counts that add up over months ([`Combine::Sum`], monthly) are projected: distinct people of a year are not
//! the months' people added up, and a rate's year is not a sum. A month with a value missing, suppressed or absent
//! makes the months that need it unusable (never read as zero), and fewer than [`MIN_ERRORS`] past projections
//! give no band: then there is no projection, and [`NoProjection`] says why.

use crate::Lang;
use crate::aggregate::Sum;
use crate::catalog::Combine;
use crate::dashboard::{is_month, shift_month};
use crate::format;

/// The fewest past projections whose errors give a band.
pub const MIN_ERRORS: usize = 3;
/// How far back the past projections go, in months: the last five years' errors speak for the current pace (and a
/// series of centuries, such as the 10M-row benchmark's, is not replayed month by month).
pub const PAST_MONTHS: i32 = 60;

/// Whether the annual target is reached at year end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Even the band's unfavourable end reaches it.
    Met,
    /// Not even the band's favourable end reaches it.
    Missed,
    /// The target lies within the band.
    Open,
}

/// A year-end projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub year: i32,
    /// The last month counted (the view's end).
    pub through: String,
    pub year_to_date: f64,
    /// This year's pace against last year's same months (1.05: 5 % more).
    pub pace: f64,
    pub central: f64,
    pub low: f64,
    pub high: f64,
    /// How many past projections the band comes from, and the largest relative error among them.
    pub errors: usize,
    pub max_error: f64,
    /// The remaining months, each with its central projection.
    pub months: Vec<(String, f64)>,
}

/// Why a series has no projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoProjection {
    /// Not a monthly count that adds up over months (distinct people, rates, medians, quarterly series).
    NotACount,
    /// The view ends in December: the year is complete, there is nothing to project.
    YearComplete,
    /// Months this year or last year that the projection needs have no complete value (missing, suppressed or
    /// absent), oldest first.
    Incomplete(Vec<String>),
    /// Fewer than [`MIN_ERRORS`] earlier months from which the same projection could be checked.
    TooFewPast(usize),
}

impl NoProjection {
    /// The reason in words.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Self::NotACount => lang
                .pick(
                    "Sin proyección al cierre del año: solo se proyectan conteos mensuales que se suman (no personas distintas del año, tasas ni medianas).",
                    "No year-end projection: only monthly counts that add up are projected (not distinct people over the year, rates or medians).",
                )
                .to_owned(),
            Self::YearComplete => {
                lang.pick("El año está completo: no hay nada que proyectar.", "The year is complete: nothing to project.").to_owned()
            }
            Self::Incomplete(months) => {
                let list: Vec<String> = months.iter().take(3).map(|m| format::period(m, lang)).collect();
                let more = if months.len() > 3 { lang.pick(" y otros", " and others") } else { "" };
                crate::summary::fill(
                    lang.pick(
                        "Sin proyección al cierre del año: faltan datos completos (valores no recogidos, suprimidos o ausentes) de {}{}.",
                        "No year-end projection: complete data (not collected, suppressed or absent values) is missing for {}{}.",
                    ),
                    &[&list.join(", "), more],
                )
            }
            Self::TooFewPast(n) => crate::summary::fill(
                lang.pick(
                    "Sin proyección al cierre del año: la historia es corta para medir su error (meses anteriores con resultado conocido: {}; se necesitan {}).",
                    "No year-end projection: the history is too short to measure its error (earlier months with a known outcome: {}; it needs {}).",
                ),
                &[&n.to_string(), &MIN_ERRORS.to_string()],
            ),
        }
    }
}

impl Projection {
    /// Whether the target is reached at year end (counts where more is better).
    pub fn verdict(&self, target: f64) -> Verdict {
        if self.low >= target {
            Verdict::Met
        } else if self.high < target {
            Verdict::Missed
        } else {
            Verdict::Open
        }
    }

    /// "Al ritmo actual, 2026 cerraría en 14,100 (entre 13,500 y 14,600): se alcanza la meta de 14,040."
    pub fn text(&self, target: Option<f64>, lang: Lang) -> String {
        let head = crate::summary::fill(
            lang.pick(
                "Al ritmo actual, {} cerraría en {} (entre {} y {})",
                "At the current pace, {} would end at {} (between {} and {})",
            ),
            &[
                &self.year.to_string(),
                &format::count(self.central),
                &format::count(self.low),
                &format::count(self.high),
            ],
        );
        let Some(t) = target else { return head + "." };
        let verdict = match self.verdict(t) {
            Verdict::Met => lang.pick("se alcanza la meta de", "the target is met:"),
            Verdict::Missed => lang.pick("no se alcanza la meta de", "the target is missed:"),
            Verdict::Open => lang.pick("la meta queda dentro del margen:", "the target lies within the band:"),
        };
        crate::summary::fill("{}: {} {}.", &[&head, verdict, &format::count(t)])
    }
}

/// The method in words, for the indicator's information dialog.
pub const METHOD: crate::Label = crate::Label {
    es: "Proyección al cierre del año: lo acumulado en el año más los meses que faltan del año pasado, escalados por el ritmo de este año (enero al último mes, frente a los mismos meses del año pasado). El margen es el mayor error relativo de la misma proyección hecha en meses anteriores cuyo resultado ya se conoce; sin al menos tres, no hay proyección. Solo para conteos mensuales que se suman; un mes incompleto (no recogido o suprimido) no se lee como cero.",
    en: "Year-end projection: the year to date plus last year's remaining months, scaled by this year's pace (January to the last month, against the same months last year). The band is the largest relative error of the same projection made in earlier months whose outcome is known; without at least three, there is no projection. Only for monthly counts that add up; an incomplete month (not collected or suppressed) is never read as zero.",
};

/// A series' complete months (those with a value and nothing missing or suppressed), in month order: looked up
/// by binary search (a series of the 10M-row demo has 11,500 months; a hash map cost the wasm more code).
struct Complete<'a>(Vec<(&'a str, f64)>);

impl<'a> Complete<'a> {
    fn of(series: &'a [(String, Sum)]) -> Self {
        let mut months: Vec<(&str, f64)> = series
            .iter()
            .filter(|(m, s)| is_month(m) && s.reported > 0 && s.missing == 0 && s.suppressed == 0)
            .map(|(m, s)| (m.as_str(), s.value))
            .collect();
        crate::sort_with(&mut months, &|a, b| a.0.cmp(b.0));
        Self(months)
    }

    fn get(&self, month: &str) -> Option<f64> {
        self.0.binary_search_by(|(m, _)| (*m).cmp(month)).ok().map(|k| self.0[k].1)
    }
}

/// The months `first` to `first + n − 1`.
fn run(first: &str, n: i32) -> Vec<String> {
    (0..n).filter_map(|i| shift_month(first, i)).collect()
}

fn month_of(code: &str) -> Option<i32> {
    code.get(5..7)?.parse().ok()
}

/// The sum of months, or the months lacking a complete value.
fn total(values: &Complete, months: &[String]) -> Result<f64, Vec<String>> {
    let mut lacking = Vec::new();
    let mut sum = 0.0;
    for m in months {
        match values.get(m) {
            Some(v) => sum += v,
            None => lacking.push(m.clone()),
        }
    }
    if lacking.is_empty() { Ok(sum) } else { Err(lacking) }
}

/// The projection made at `origin` (a month) of the next `ahead` months: the pace of its year to date against the
/// same months a year earlier, times those months a year earlier. With the pace and the months' central values.
fn ahead_of(values: &Complete, origin: &str, ahead: i32) -> Result<(f64, Vec<f64>), Vec<String>> {
    let m = month_of(origin).unwrap_or(12);
    let january = shift_month(origin, 1 - m).unwrap_or_default();
    let last_january = shift_month(&january, -12).unwrap_or_default();
    let (now, before) = (run(&january, m), run(&last_january, m));
    let later = run(&shift_month(origin, -11).unwrap_or_default(), ahead);
    let mut lacking = Vec::new();
    let mut sum = |months: &[String]| {
        total(values, months).unwrap_or_else(|l| {
            lacking.extend(l);
            0.0
        })
    };
    let (now, before) = (sum(&now), sum(&before));
    let profile: Vec<f64> = later.iter().map(|m| values.get(m).unwrap_or(0.0)).collect();
    let _ = sum(&later);
    if !lacking.is_empty() {
        crate::sort_with(&mut lacking, &|a, b| a.cmp(b));
        lacking.dedup();
        return Err(lacking);
    }
    if before <= 0.0 {
        return Err(run(&last_january, m));
    }
    let pace = now / before;
    Ok((pace, profile.into_iter().map(|v| v * pace).collect()))
}

/// The year-end projection of a monthly series from the view's last month `to`; `combine` is the indicator's
/// ([`crate::codebook::CodeBook::combine`]): only [`Combine::Sum`] is projected.
pub fn project(series: &[(String, Sum)], combine: Combine<&str>, to: &str) -> Result<Projection, NoProjection> {
    if combine != Combine::Sum || !series.iter().all(|(m, _)| is_month(m)) || !is_month(to) {
        return Err(NoProjection::NotACount);
    }
    let m = month_of(to).unwrap_or(12);
    if m >= 12 {
        return Err(NoProjection::YearComplete);
    }
    let ahead = 12 - m;
    let values = Complete::of(series);
    let (pace, rest) = ahead_of(&values, to, ahead).map_err(NoProjection::Incomplete)?;
    // Each earlier origin whose next `ahead` months are known: the relative error of its projection.
    let mut errors = Vec::new();
    let first = series.first().map_or(to, |(m, _)| m.as_str());
    let mut origin = shift_month(to, -ahead).unwrap_or_default();
    let oldest = shift_month(to, -PAST_MONTHS).unwrap_or_default();
    while origin.as_str() >= first && origin >= oldest {
        let next = run(&shift_month(&origin, 1).unwrap_or_default(), ahead);
        if let (Ok((_, predicted)), Ok(actual)) = (ahead_of(&values, &origin, ahead), total(&values, &next)) {
            let predicted: f64 = predicted.iter().sum();
            if predicted > 0.0 {
                errors.push(actual / predicted - 1.0);
            }
        }
        origin = shift_month(&origin, -1).unwrap_or_default();
    }
    if errors.len() < MIN_ERRORS {
        return Err(NoProjection::TooFewPast(errors.len()));
    }
    let max_error = errors.iter().fold(0.0_f64, |a, e| a.max(e.abs()));
    let january = shift_month(to, 1 - m).unwrap_or_default();
    let year_to_date = total(&values, &run(&january, m)).map_err(NoProjection::Incomplete)?;
    let remaining: f64 = rest.iter().sum();
    Ok(Projection {
        year: to.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0),
        through: to.to_owned(),
        year_to_date,
        pace,
        central: year_to_date + remaining,
        low: year_to_date + remaining * (1.0 - max_error).max(0.0),
        high: year_to_date + remaining * (1.0 + max_error),
        errors: errors.len(),
        max_error,
        months: run(&shift_month(to, 1).unwrap_or_default(), ahead).into_iter().zip(rest).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(v: f64) -> Sum {
        Sum { value: v, reported: 1, ..Sum::default() }
    }

    /// `n` months ending at `last`, each `f(index)`.
    fn series(last: &str, n: i32, f: &dyn Fn(i32) -> Option<Sum>) -> Vec<(String, Sum)> {
        let first = shift_month(last, 1 - n).expect("month");
        (0..n).filter_map(|i| Some((shift_month(&first, i)?, f(i)?))).collect()
    }

    /// A trend of 1 % a month times a ±25 % season, with a deterministic wobble of ±3 %.
    fn seasonal(i: i32) -> f64 {
        let season = 1.0 + 0.25 * (f64::from(i % 12) / 12.0 * std::f64::consts::TAU).sin();
        let wobble = 1.0 + 0.03 * f64::from((i * 7919) % 13 - 6) / 6.0;
        1_000.0 * (1.0 + 0.01 * f64::from(i)) * season * wobble
    }

    #[test]
    fn a_series_with_known_trend_and_season_ends_the_year_within_its_band() {
        // 36 months, January 2024 to December 2026; project from each month of 2026 with a band, check December.
        let whole = series("2026-12", 36, &|i| Some(sum(seasonal(i))));
        let actual: f64 = whole.iter().filter(|(m, _)| m.starts_with("2026")).map(|(_, s)| s.value).sum();
        let mut checked = 0;
        for to in run("2026-03", 9) {
            let known: Vec<(String, Sum)> = whole.iter().filter(|(m, _)| *m <= to).cloned().collect();
            let p = project(&known, Combine::Sum, &to).expect("36 months give a projection");
            assert!(p.low <= actual && actual <= p.high, "{to}: {actual} outside {}–{}", p.low, p.high);
            assert!((p.central - actual).abs() / actual < 0.05, "{to}: central {} far from {actual}", p.central);
            assert_eq!(p.months.len() as i32, 12 - month_of(&to).expect("month"));
            checked += 1;
        }
        assert_eq!(checked, 9);
        // A year 10 % above the one before, month by month: the pace is 1.1 and the year end 1.1 × last year's.
        let exact = series("2026-06", 30, &|i| {
            Some(sum(if i < 24 { 100.0 } else { 110.0 } * (1.0 + f64::from(i % 12) / 10.0)))
        });
        let p = project(&exact, Combine::Sum, "2026-06").expect("projection");
        let last_year: f64 = (0..12).map(|k| 100.0 * (1.0 + f64::from(k) / 10.0)).sum();
        assert!((p.pace - 1.1).abs() < 1e-9, "pace {}", p.pace);
        assert!((p.central - 1.1 * last_year).abs() < 1e-6, "central {}", p.central);
    }

    #[test]
    fn what_cannot_be_projected_says_why() {
        let full = series("2026-10", 24, &|i| Some(sum(seasonal(i))));
        assert_eq!(project(&full, Combine::Unique, "2026-10"), Err(NoProjection::NotACount));
        assert_eq!(
            project(&full, Combine::Ratio { numerator: "A", denominator: "B" }, "2026-10"),
            Err(NoProjection::NotACount)
        );
        let quarters = vec![("2026-T1".to_owned(), sum(1.0))];
        assert_eq!(project(&quarters, Combine::Sum, "2026-T1"), Err(NoProjection::NotACount));
        assert_eq!(project(&full, Combine::Sum, "2025-12"), Err(NoProjection::YearComplete));
        // Twelve months of last year are needed: a series starting in March 2025 lacks January and February.
        let short = series("2026-10", 20, &|i| Some(sum(seasonal(i))));
        assert_eq!(
            project(&short, Combine::Sum, "2026-10"),
            Err(NoProjection::Incomplete(vec!["2025-01".to_owned(), "2025-02".to_owned()]))
        );
        // A suppressed month is not read as zero.
        let suppressed = series("2026-10", 24, &|i| {
            Some(if i == 5 { Sum { suppressed: 1, ..Sum::default() } } else { sum(seasonal(i)) })
        });
        assert_eq!(
            project(&suppressed, Combine::Sum, "2026-10"),
            Err(NoProjection::Incomplete(vec!["2025-04".to_owned()]))
        );
        // From June, six months ahead: the earlier origins with a known outcome need 2024, which 24 months lack.
        assert_eq!(project(&full, Combine::Sum, "2026-06"), Err(NoProjection::TooFewPast(0)));
        // From October, two months ahead: January to August 2026 are checked.
        let p = project(&full, Combine::Sum, "2026-10").expect("projection");
        assert_eq!(p.errors, 8);
        assert!(NoProjection::TooFewPast(2).text(Lang::Es).contains("se necesitan 3"));
        assert!(NoProjection::Incomplete(vec!["2025-04".to_owned()]).text(Lang::En).contains("April 2025"));
    }

    #[test]
    fn the_verdict_reads_the_band() {
        let p = Projection {
            year: 2026,
            through: "2026-10".to_owned(),
            year_to_date: 10_000.0,
            pace: 1.0,
            central: 12_000.0,
            low: 11_500.0,
            high: 12_500.0,
            errors: 5,
            max_error: 0.25,
            months: Vec::new(),
        };
        assert_eq!(p.verdict(11_000.0), Verdict::Met);
        assert_eq!(p.verdict(13_000.0), Verdict::Missed);
        assert_eq!(p.verdict(12_200.0), Verdict::Open);
        assert_eq!(
            p.text(Some(11_000.0), Lang::Es),
            "Al ritmo actual, 2026 cerraría en 12,000 (entre 11,500 y 12,500): se alcanza la meta de 11,000."
        );
        assert_eq!(
            p.text(None, Lang::En),
            "At the current pace, 2026 would end at 12,000 (between 11,500 and 12,500)."
        );
    }

    /// The back-test of BENCHMARKS.md: on 48 months of the demo's generator (November 2022 to October 2026), the
    /// national year end of each count projected from every month of 2024 and 2025, against the year's actual
    /// total. `cargo test -p shared --lib projection::tests::back_test -- --nocapture` prints the table.
    #[test]
    fn back_test_on_the_demo_history() {
        use crate::codebook::CodeBook;
        use crate::dashboard::{Dims, Place, monthly};
        let config = crate::demo::DemoConfig { months: 48, ..crate::demo::DemoConfig::default() };
        let facts = crate::facts::Facts::try_from(crate::demo::facts(&config)).expect("canonical");
        let book = CodeBook::builtin();
        let (mut inside, mut all, mut abs_errors) = (0, 0, Vec::new());
        println!(
            "| indicator | from | projected | band | actual | error | in band |\n|---|---|---:|---|---:|---:|---|"
        );
        for indicator in ["COB-02", "INT-05", "DER-01"] {
            let series = monthly(&facts, &book, indicator, &Place::National, &Dims::default());
            for year in ["2024", "2025"] {
                let actual: f64 = series.iter().filter(|(m, _)| m.starts_with(year)).map(|(_, s)| s.value).sum();
                for to in run(&format!("{year}-01"), 11) {
                    let known: Vec<(String, Sum)> = series.iter().filter(|(m, _)| *m <= to).cloned().collect();
                    let p = match project(&known, book.combine(indicator), &to) {
                        Ok(p) => p,
                        Err(why) => {
                            println!(
                                "| {indicator} | {to} | none: {} | | {} | | |",
                                why.text(Lang::En),
                                format::count(actual)
                            );
                            continue;
                        }
                    };
                    let error = 100.0 * (p.central / actual - 1.0);
                    let within = p.low <= actual && actual <= p.high;
                    println!(
                        "| {indicator} | {to} | {} | {}–{} | {} | {} % | {} |",
                        format::count(p.central),
                        format::count(p.low),
                        format::count(p.high),
                        format::count(actual),
                        format::number(error, 1),
                        if within { "yes" } else { "no" }
                    );
                    all += 1;
                    inside += usize::from(within);
                    abs_errors.push(error.abs());
                }
            }
        }
        let mean = abs_errors.iter().sum::<f64>() / abs_errors.len().max(1) as f64;
        let worst = abs_errors.iter().fold(0.0_f64, |a, b| a.max(*b));
        println!(
            "\n{all} projections; mean absolute error {} %, largest {} %; actual within the band: {inside}",
            format::number(mean, 2),
            format::number(worst, 2)
        );
        // The later origins of each year have enough history; DER-01's 2024 needs January 2023, not collected.
        assert!(all >= 30, "{all} projections");
        assert!(mean < 3.0, "mean absolute error {mean} %");
        assert!(inside * 10 >= all * 8, "{inside} of {all} within the band");
    }
}
