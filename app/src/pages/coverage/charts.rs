//! The four charts (service, population × sex, age, monthly series), each with its table.

use std::sync::Arc;

use leptos::prelude::*;
use plotters::prelude::*;
use shared::Lang;
use shared::aggregate::Sum;
use shared::catalog::{Combine, Unit};
use shared::codes::{self, TOTAL};
use shared::dashboard::{self, Breakdown};
use shared::format;

use super::Words;
use crate::api::Loaded;
use crate::charts::{bars, palette, series};
use crate::components::ChartCanvas;
use crate::export::Exports;
use crate::i18n::t;
use crate::model::prose;
use crate::model::{self, Resolved, format_value};

/// The services and the age groups an indicator reports.
type Reported = (Vec<String>, Vec<String>);

/// A chart category as the charts' memos hold it.
type Row = prose::Category;

#[component]
pub(super) fn Charts(
    breakdown: Memo<Option<Breakdown>>,
    resolved: Memo<Resolved>,
    words: Words,
    data: RwSignal<Arc<Loaded>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let unit = move || breakdown.read().as_ref().map_or(Unit::Count, |b| b.unit);
    // The services and age groups the indicator reports: once per indicator, not per filter change.
    let indicator = words.indicator;
    let reported_codes = Memo::new(move |_| {
        let i = indicator.read();
        data.with(|d| {
            let f = &d.facts;
            (dashboard::codes_of(f, &i, &f.service), dashboard::codes_of(f, &i, &f.age_group))
        })
    });
    // A chart's categories as its memo holds them: the dimension's list, its sums, the codes the indicator reports.
    let rows_of = move |list: &'static [codes::Code],
                        sums: fn(&Breakdown) -> &[(String, Sum)],
                        reported: fn(&Reported) -> &[String]| {
        Memo::new(move |_| {
            let l = lang.get();
            breakdown
                .read()
                .as_ref()
                .map(|b| prose::categories(list, sums(b), reported(&reported_codes.read()), b.unit, l))
                .unwrap_or_default()
        })
    };
    let services = rows_of(&codes::SERVICES, |b| &b.by_service, |r| &r.0);
    let ages = rows_of(&codes::AGE_GROUPS, |b| &b.by_age, |r| &r.1);
    let bars_chart = move |items: Memo<Vec<Row>>, selected: fn(&Resolved) -> &str, test_id: &'static str| {
        let height = Signal::derive(move || (items.read().len().max(1) as u32) * bars::ROW + 8);
        view! {
            <ChartCanvas width=Signal::derive(crate::charts::scaled::chart_width) height=height label=Signal::derive(move || prose::summary_of(&items.read(), unit(), lang.get())) test_id=test_id draw=move |area| {
                let l = lang.get();
                let r = resolved.read();
                let chosen = selected(&r).to_owned();
                let u = unit();
                let data: Vec<bars::Bar> = items
                    .read()
                    .iter()
                    .map(|c| bars::Bar {
                        label: c.label.clone(),
                        value: c.value,
                        highlight: c.code == chosen,
                        note: if c.suppressed { t(l, "suprimido (protección de datos)", "suppressed (data protection)") } else { t(l, "sin datos", "no data") }.to_owned(),
                        estimated: c.status == "estimated",
                    })
                    .collect();
                let _ = bars::draw(&area, &data, |v| format_value(u, v, l));
            } />
        }
    };
    let service_table = move || {
        category_table(services.get(), unit(), lang.get(), t(lang.get(), "Servicio", "Service"), "#activity+name")
    };
    let age_table = move || {
        category_table(ages.get(), unit(), lang.get(), t(lang.get(), "Grupo de edad", "Age group"), "#affected+age")
    };
    let chart_title = move |es: &'static str, en: &'static str| {
        move || format!("{} · {}", t(lang.get(), es, en), words.caption.read())
    };
    view! {
        <section class="panel charts" aria-label=move || t(lang.get(), "Desgloses", "Breakdowns")>
            <div class="chart-grid">
                <figure class="figure" data-testid="chart-service" data-export="servicio" data-part="services">
                    <figcaption>{chart_title("Por servicio", "By service")}</figcaption>
                    <p class="chart-summary">{move || prose::summary_of(&services.read(), unit(), lang.get())}</p>
                    {bars_chart(services, |r| r.service.as_str(), "chart-service-canvas")}
                    {move || estimate_legend(services.read().iter().any(|c| c.status == "estimated"), lang.get())}
                    <details class="table-alt"><summary>{move || t(lang.get(), "Ver tabla", "View table")}</summary>{service_table}</details>
                    <Exports name="servicio" lang=lang png=true />
                </figure>
                <PopulationChart breakdown=breakdown resolved=resolved words=words lang=lang />
                <TimeSeries breakdown=breakdown resolved=resolved words=words data=data lang=lang />
                <figure class="figure" data-testid="chart-age" data-export="edad" data-part="ages">
                    <figcaption>{chart_title("Por grupo de edad", "By age group")}</figcaption>
                    <p class="chart-summary">{move || prose::summary_of(&ages.read(), unit(), lang.get())}</p>
                    {bars_chart(ages, |r| r.age.as_str(), "chart-age-canvas")}
                    {move || estimate_legend(ages.read().iter().any(|c| c.status == "estimated"), lang.get())}
                    <details class="table-alt"><summary>{move || t(lang.get(), "Ver tabla", "View table")}</summary>{age_table}</details>
                    <Exports name="edad" lang=lang png=true />
                </figure>
            </div>
        </section>
    }
}

/// The HXL hashtag of a sex's column: `+f`, `+m`, or the code.
fn sex_hxl(code: &str) -> String {
    match code {
        "mujer" => "#indicator+value+f".to_owned(),
        "hombre" => "#indicator+value+m".to_owned(),
        other => format!("#indicator+value+{}", other.replace('_', "")),
    }
}

/// The status column's name in an export, beside the column of values it describes.
pub(super) fn status_head(lang: Lang) -> &'static str {
    t(lang, "Estado", "Status")
}

/// A value as a table cell shows it (a number, or why there is none) with its plain number and status for the
/// exports.
pub(super) fn value_cell(
    unit: Unit,
    value: Option<f64>,
    status: &'static str,
    lang: Lang,
    test_id: Option<&'static str>,
) -> impl IntoView {
    let shown = match (value, status) {
        (Some(v), _) => format_value(unit, v, lang),
        (None, "suppressed") => t(lang, "Suprimido", "Suppressed").to_owned(),
        (None, "not_collected") => t(lang, "No recolectado", "Not collected").to_owned(),
        (None, "not_combinable") => t(lang, "No se puede sumar", "Cannot be added up").to_owned(),
        (None, super::municipalities::NO_OFFICE) => t(lang, "Sin oficina", "No office").to_owned(),
        (None, _) => t(lang, "Sin datos", "No data").to_owned(),
    };
    let plain = value.map(|v| model::plain_value(unit, v)).unwrap_or_default();
    // An estimate is marked "e" by the stylesheet (after the number, so the cell's text stays the number).
    let title = (status == "estimated").then(|| t(lang, "Valor estimado", "Estimated value"));
    view! { <td class="num" data-csv=plain data-status=status data-testid=test_id title=title>{shown}</td> }
}

/// The legend of the "e" beside estimated values, under a table that has one.
pub(super) fn estimate_legend(any: bool, lang: Lang) -> impl IntoView {
    any.then(|| {
        view! {
            <p class="note estimate-legend" data-testid="estimate-legend">
                {t(lang, "e: valor estimado (al menos una oficina lo estimó en lugar de contarlo; en el CSV, estado «estimated»).", "e: estimated value (at least one office estimated it rather than counting it; in the CSV, status \"estimated\").")}
            </p>
        }
    })
}

fn category_table(items: Vec<Row>, unit: Unit, lang: Lang, head: &'static str, hxl: &'static str) -> impl IntoView {
    let total: f64 = items.iter().filter_map(|i| i.value).sum();
    let rows = items
        .into_iter()
        .map(|c| {
            let share = match (unit, c.value) {
                (Unit::Count, Some(v)) if total > 0.0 => Some(100.0 * v / total),
                _ => None,
            };
            let shown_share = share.map(|s| format::percent(s, 1)).unwrap_or_default();
            let plain_share = share.map(|s| format::plain(s, 1)).unwrap_or_default();
            view! { <tr data-code=c.code><th scope="row">{c.label}</th>{value_cell(unit, c.value, c.status, lang, None)}<td class="num" data-csv=plain_share>{shown_share}</td></tr> }
        })
        .collect_view();
    view! {
        <table>
            <thead><tr><th scope="col" data-hxl=hxl>{head}</th><th scope="col" class="num" data-hxl="#indicator+value" data-status-head=status_head(lang)>{t(lang, "Valor", "Value")}</th><th scope="col" class="num" data-hxl="#indicator+pct">{t(lang, "% del total", "% of total")}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
pub(super) fn PopulationChart(
    breakdown: Memo<Option<Breakdown>>,
    resolved: Memo<Resolved>,
    words: Words,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let book = Arc::clone(&resolved.read_untracked().book);
    // Rows: population types with data; columns: women, men, not stated.
    let grid = Memo::new(move |_| {
        let l = lang.get();
        let b = breakdown.read();
        let Some(b) = b.as_ref() else { return (Unit::Count, Vec::new()) };
        let rows = book
            .populations
            .iter()
            .filter_map(|p| {
                let cells: Vec<(Option<f64>, bool, &'static str)> = codes::SEXES
                    .iter()
                    .map(|s| {
                        b.by_population_sex.iter().find(|((pp, ss), _)| *pp == p.code && ss == s.code).map_or(
                            (None, false, dashboard::status(b.unit, None)),
                            |(_, sum)| {
                                (
                                    dashboard::display(b.unit, sum),
                                    sum.reported == 0 && sum.suppressed > 0,
                                    dashboard::status(b.unit, Some(sum)),
                                )
                            },
                        )
                    })
                    .collect();
                cells.iter().any(|c| c.0.is_some() || c.1).then(|| (p.code.clone(), p.name.get(l).to_owned(), cells))
            })
            .collect::<Vec<_>>();
        (b.unit, rows)
    });
    let height =
        Signal::derive(move || (grid.read().1.len().max(1) as u32) * bars::group_height(codes::SEXES.len()) + 8);
    let summary = move || {
        let l = lang.get();
        let (unit, rows) = grid.get();
        if rows.is_empty() {
            return t(
                l,
                "Este indicador no se desagrega por población y sexo con los filtros elegidos.",
                "This indicator has no population × sex breakdown for the chosen filters.",
            )
            .to_owned();
        }
        let women: f64 = rows.iter().filter_map(|r| r.2[0].0).sum();
        let men: f64 = rows.iter().filter_map(|r| r.2[1].0).sum();
        let all: f64 = rows.iter().flat_map(|r| r.2.iter().filter_map(|c| c.0)).sum();
        let suppressed = rows.iter().flat_map(|r| r.2.iter()).filter(|c| c.1).count();
        if unit != Unit::Count || all <= 0.0 {
            return String::new();
        }
        match l {
            Lang::Es => format!(
                "Mujeres: {} del total; hombres: {}. Celdas suprimidas para proteger datos sensibles: {suppressed}.",
                format::percent(100.0 * women / all, 1),
                format::percent(100.0 * men / all, 1)
            ),
            Lang::En => format!(
                "Women: {} of the total; men: {}. Cells suppressed to protect sensitive data: {suppressed}.",
                format::percent(100.0 * women / all, 1),
                format::percent(100.0 * men / all, 1)
            ),
        }
    };
    let table = move || {
        let l = lang.get();
        let (unit, rows) = grid.get();
        let estimated = rows.iter().any(|r| r.2.iter().any(|c| c.2 == "estimated"));
        let body = rows
            .into_iter()
            .map(|(code, label, cells)| {
                let tds = cells.into_iter().map(|(v, _, status)| value_cell(unit, v, status, l, None)).collect_view();
                view! { <tr data-code=code><th scope="row">{label}</th>{tds}</tr> }
            })
            .collect_view();
        let heads = codes::SEXES
            .iter()
            .map(|s| view! { <th scope="col" class="num" data-hxl=sex_hxl(s.code) data-status-head=format!("{} ({})", status_head(l), s.label.get(l))>{s.label.get(l)}</th> })
            .collect_view();
        view! {
            <table><thead><tr><th scope="col" data-hxl="#affected+type">{t(l, "Tipo de población", "Population type")}</th>{heads}</tr></thead><tbody>{body}</tbody></table>
            {estimate_legend(estimated, l)}
        }
    };
    view! {
        <figure class="figure" data-testid="chart-population" data-export="poblacion-sexo" data-part="populations">
            <figcaption>{move || format!("{} · {}", t(lang.get(), "Por tipo de población y sexo", "By population type and sex"), words.caption.read())}</figcaption>
            <p class="chart-summary">{summary}</p>
            <ChartCanvas width=Signal::derive(crate::charts::scaled::chart_width) height=height label=Signal::derive(summary) test_id="chart-population-canvas" draw=move |area| {
                let l = lang.get();
                let (unit, rows) = grid.get();
                let groups: Vec<bars::Group> = rows.iter().map(|(_, label, cells)| bars::Group { label: label.clone(), values: cells.iter().map(|c| c.0).collect() }).collect();
                let series: Vec<(String, RGBColor)> = codes::SEXES.iter().zip(palette::SERIES).map(|(s, c)| (s.label.get(l).to_owned(), c)).collect();
                let missing = t(l, "suprimido o sin dato", "suppressed or no value");
                let _ = bars::draw_grouped(&area, &groups, &series, missing, |v| format_value(unit, v, l));
            } />
            <details class="table-alt"><summary>{move || t(lang.get(), "Ver tabla", "View table")}</summary>{table}</details>
            <Exports name="poblacion-sexo" lang=lang png=true />
        </figure>
    }
}

/// One month of the monthly chart: its value, the same month a year earlier, and the pace of that month's year's
/// target (each year its own: a window across two years shows two paces).
#[derive(Debug, Clone, PartialEq)]
struct MonthRow {
    month: String,
    value: Option<f64>,
    status: &'static str,
    previous: Option<f64>,
    previous_status: &'static str,
    target: Option<f64>,
}

/// The months of the view with their values and the target's monthly pace of each month's year.
fn month_rows(r: &Resolved, b: &Breakdown, d: &Loaded) -> Vec<MonthRow> {
    let at = |m: &str| b.by_month.iter().find(|(p, _)| p == m).map(|(_, s)| s);
    let all_dims = r.service == TOTAL && r.population == TOTAL && r.sex == TOTAL && r.age == TOTAL;
    let by_quarter = b.by_month.first().is_some_and(|(p, _)| p.contains("-T"));
    let per_year = if by_quarter { 4.0 } else { 12.0 };
    let mut paces: Vec<(i32, Option<f64>)> = Vec::new();
    let mut pace_of = |month: &str| -> Option<f64> {
        let year: i32 = month.get(..4).and_then(|y| y.parse().ok())?;
        if let Some((_, pace)) = paces.iter().find(|(y, _)| *y == year) {
            return *pace;
        }
        let pace = all_dims
            .then(|| d.targets.as_ref()?.annual(&d.book, &r.indicator, year, &r.place, b.unit))
            .flatten()
            .and_then(|t| match r.book.combine(&r.indicator) {
                // A count's year spreads over its months or quarters; a rate's target holds for each one. Distinct
                // people over a year are not the months' people added up: no monthly pace for them.
                Combine::Sum => Some(t / per_year),
                Combine::Ratio { .. } => Some(t),
                Combine::Unique | Combine::None => None,
            });
        paces.push((year, pace));
        pace
    };
    // A quarterly indicator's series is by quarter: its quarters within the view.
    let periods: Vec<String> = if by_quarter {
        b.by_month
            .iter()
            .map(|(p, _)| p.clone())
            .filter(|p| dashboard::span_of(p, "").is_some_and(|(a, z)| a >= r.from && z <= r.to))
            .collect()
    } else {
        r.months.iter().filter(|m| **m >= r.from && **m <= r.to).cloned().collect()
    };
    let year_before = |p: &str| match p.split_once("-T") {
        Some((year, quarter)) => year.parse::<i32>().ok().map(|year| format!("{}-T{quarter}", year - 1)),
        None => dashboard::shift_month(p, -12),
    };
    periods
        .iter()
        .map(|m| {
            let now = at(m);
            let before = year_before(m).and_then(|p| at(&p));
            MonthRow {
                month: m.clone(),
                value: now.and_then(|s| dashboard::display(b.unit, s)),
                status: dashboard::status(b.unit, now),
                previous: before.and_then(|s| dashboard::display(b.unit, s)),
                previous_status: dashboard::status(b.unit, before),
                target: pace_of(m),
            }
        })
        .collect()
}

/// The sentence above the series chart: its highest month (or quarter) and how many reached their target pace.
fn series_summary(unit: Unit, rows: &[MonthRow], l: Lang) -> String {
    let Some((peak_m, peak)) =
        rows.iter().filter_map(|r| r.value.map(|v| (r.month.clone(), v))).max_by(|a, b| a.1.total_cmp(&b.1))
    else {
        return t(
            l,
            "No hay datos mensuales para esta combinación de filtros.",
            "There is no monthly data for this combination of filters.",
        )
        .to_owned();
    };
    let quarterly = rows.first().is_some_and(|r| r.month.contains("-T"));
    let with_target = rows.iter().filter(|r| r.target.is_some()).count();
    let over = rows.iter().filter(|r| r.value.zip(r.target).is_some_and(|(v, t)| v >= t)).count();
    let target_text = match (with_target, l) {
        (0, _) => String::new(),
        (n, Lang::Es) => format!(
            " {over} de {n} {} con meta alcanzaron el ritmo de la meta de su año.",
            if quarterly { "trimestres" } else { "meses" }
        ),
        (n, Lang::En) => format!(
            " {over} of {n} {} with a target reached their year's target pace.",
            if quarterly { "quarters" } else { "months" }
        ),
    };
    match l {
        Lang::Es => format!(
            "{} más alto fue {} con {}.{target_text}",
            if quarterly { "El trimestre" } else { "El mes" },
            format::period(&peak_m, l),
            format_value(unit, peak, l)
        ),
        Lang::En => format!(
            "The highest {} was {} with {}.{target_text}",
            if quarterly { "quarter" } else { "month" },
            format::period(&peak_m, l),
            format_value(unit, peak, l)
        ),
    }
}

/// Where the year ends at this pace (at the place and filters; against the target when every person counts), or
/// why not where the view has a target; nothing until the whole table is there.
#[allow(clippy::type_complexity)] // a memo of the projection and the target it is compared with
fn projection_of(
    resolved: Memo<Resolved>,
    breakdown: Memo<Option<Breakdown>>,
    data: RwSignal<Arc<Loaded>>,
) -> Memo<Option<(Result<shared::projection::Projection, shared::projection::NoProjection>, Option<f64>)>> {
    Memo::new(move |_| {
        // The whole table only: the first view's rows hold the view's months, not last year's.
        if !data.with(|d| d.whole) {
            return None;
        }
        let r = resolved.read();
        let b = breakdown.read();
        let b = b.as_ref()?;
        let upto: Vec<_> = b.by_month.iter().filter(|(m, _)| *m <= r.to).cloned().collect();
        let all_dims = r.service == TOTAL && r.population == TOTAL && r.sex == TOTAL && r.age == TOTAL;
        let year = r.to.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
        let target = data.with(|d| {
            all_dims.then(|| d.targets.as_ref()?.annual(&d.book, &r.indicator, year, &r.place, b.unit)).flatten()
        });
        let p = shared::projection::project(&upto, r.book.combine(&r.indicator), &r.to);
        (p.is_ok() || target.is_some()).then_some((p, target))
    })
}

#[component]
pub(super) fn TimeSeries(
    breakdown: Memo<Option<Breakdown>>,
    resolved: Memo<Resolved>,
    words: Words,
    data: RwSignal<Arc<Loaded>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    // The selected months, the same months a year earlier, and the target's monthly pace for the place.
    let series_data = Memo::new(move |_| {
        let r = resolved.read();
        let b = breakdown.read();
        let Some(b) = b.as_ref() else { return (Unit::Count, Vec::new()) };
        (b.unit, data.with(|d| month_rows(&r, b, d)))
    });
    let projection = projection_of(resolved, breakdown, data);
    // The chart's sentence: its peak and months at the target's pace, then the year-end projection (or why none):
    // one paragraph, so the wasm holds no markup of its own for it.
    let summary = move || {
        let l = lang.get();
        let said = series_data.with(|(unit, rows)| series_summary(*unit, rows, l));
        match projection.get() {
            Some((Ok(p), target)) => format!("{said} {}", p.text(target, l)),
            Some((Err(why), _)) => format!("{said} {}", why.text(l)),
            None => said,
        }
    };
    let table = move || {
        let l = lang.get();
        let (unit, rows) = series_data.get();
        let quarterly = rows.first().is_some_and(|r| r.month.contains("-T"));
        let f = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format_value(unit, v, l));
        let plain = |v: Option<f64>| v.map(|v| model::plain_value(unit, v)).unwrap_or_default();
        let body = rows
            .into_iter()
            .map(|r| {
                view! {
                    <tr data-month=r.month.clone()>
                        <th scope="row" data-csv=r.month.clone()>{format::period(&r.month, l)}</th>
                        {value_cell(unit, r.value, r.status, l, None)}
                        {value_cell(unit, r.previous, r.previous_status, l, None)}
                        <td class="num" data-csv=plain(r.target)>{f(r.target)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0"><table>
                <thead><tr>
                    <th scope="col" data-hxl="#date+month">{if quarterly { t(l, "Trimestre", "Quarter") } else { t(l, "Mes", "Month") }}</th>
                    <th scope="col" class="num" data-hxl="#indicator+value" data-status-head=status_head(l)>{t(l, "Valor", "Value")}</th>
                    <th scope="col" class="num" data-hxl="#indicator+value+previous_year" data-status-head=format!("{} ({})", status_head(l), t(l, "año anterior", "previous year"))>{if quarterly { t(l, "Mismo trimestre, año anterior", "Same quarter, previous year") } else { t(l, "Mismo mes, año anterior", "Same month, previous year") }}</th>
                    <th scope="col" class="num" data-hxl="#indicator+target+pace" data-csv=t(l, "Ritmo de la meta de su año", "Target pace of its year")
                        title=t(l, "El ritmo mensual de la meta del año de cada mes", "The monthly pace of each month's year's target")>{t(l, "Ritmo de la meta", "Target pace")}</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table></div>
        }
    };
    view! {
        <figure class="figure" data-testid="chart-series" data-export="mensual" data-part="monthly">
            <figcaption>{move || {
                let quarterly = series_data.with(|(_, rows)| rows.first().is_some_and(|r| r.month.contains("-T")));
                let title = if quarterly { t(lang.get(), "Evolución trimestral", "Quarterly trend") } else { t(lang.get(), "Evolución mensual", "Monthly trend") };
                format!("{title} · {}", words.caption.read())
            }}</figcaption>
            <p class="chart-summary" data-testid="series-summary">{summary}</p>
            <ChartCanvas width=Signal::derive(crate::charts::scaled::chart_width) height=Signal::derive(|| 360) label=Signal::derive(summary) test_id="chart-series-canvas" draw=move |area| {
                let l = lang.get();
                let (unit, rows) = series_data.get();
                let mut labels: Vec<String> = rows.iter().map(|r| format::period_short(&r.month, l)).collect();
                let mut current: Vec<Option<f64>> = rows.iter().map(|r| r.value).collect();
                let mut previous: Vec<Option<f64>> = rows.iter().map(|r| r.previous).collect();
                let mut target: Vec<Option<f64>> = rows.iter().map(|r| r.target).collect();
                // The year's remaining months at this pace, each with the band's share, after the view's months.
                let mut band: Vec<Option<(f64, f64, f64)>> = vec![None; rows.len()];
                if let Some((Ok(p), _)) = projection.get() {
                    let pace = target.last().copied().flatten();
                    for (m, v) in &p.months {
                        labels.push(format::period_short(m, l));
                        current.push(None);
                        previous.push(None);
                        target.push(pace);
                        band.push(Some((v * (1.0 - p.max_error).max(0.0), *v, v * (1.0 + p.max_error))));
                    }
                }
                let text = series::SeriesText {
                    current: t(l, "Periodo elegido", "Selected period").to_owned(),
                    previous: t(l, "Año anterior", "Previous year").to_owned(),
                    target: t(l, "Ritmo de la meta", "Target pace").to_owned(),
                    projected: t(l, "Proyección y margen", "Projection and band").to_owned(),
                };
                let estimated: Vec<bool> = rows.iter().map(|r| r.status == "estimated").collect();
                let _ = series::draw(&area, &labels, &series::Lines { current: &current, previous: &previous, target: &target, band: &band }, |v| format_value(unit, v, l), &text, &estimated);
            } />
            {move || {
                let any = series_data.read().1.iter().any(|r| r.status == "estimated" || r.previous_status == "estimated");
                estimate_legend(any, lang.get())
            }}
            <details class="table-alt"><summary>{move || t(lang.get(), "Ver tabla", "View table")}</summary>{table}</details>
            <Exports name="mensual" lang=lang png=true />
        </figure>
    }
}
