//! The roadmap at a glance: physical progress against plan, milestones done against due, budget execution
//! overall and by funding source (chart and table), interventions by traffic light and by strategy × status.

use leptos::prelude::*;
use shared::Lang;
use shared::catalog::{FUNDING_SOURCES, INTERVENTION_STATUSES, STRATEGIES};
use shared::codes;
use shared::date::Day;
use shared::format;
use shared::roadmap::Summary as Figures;

use super::{light_badge, light_label, strategy_name};
use crate::charts::{bars, palette};
use crate::components::ChartCanvas;
use crate::i18n::t;

fn pct(x: Option<f64>) -> String {
    super::pct_or_dash(x, 1)
}

#[component]
pub fn Summary(summary: Memo<Figures>, year: Memo<Option<i64>>, at: Day, lang: RwSignal<Lang>) -> impl IntoView {
    let years = move || {
        year.get().map_or_else(
            || t(lang.get(), "todos los años fiscales", "all fiscal years").to_owned(),
            |y| format!("{} {y}", t(lang.get(), "año fiscal", "fiscal year")),
        )
    };
    let tiles = move || {
        let l = lang.get();
        let s = summary.get();
        let light = s.light;
        let actual = s.progress.actual_pct;
        let planned = s.progress.planned_pct;
        let width = format!("{:.1}%", actual.unwrap_or(0.0).clamp(0.0, 100.0));
        let marker = format!("{:.1}%", planned.unwrap_or(0.0).clamp(0.0, 100.0));
        let behind = s.progress.points_behind().map(|p| match l {
            Lang::Es if p > 0.0 => format!("{} puntos por debajo de lo planificado", format::number(p, 1)),
            Lang::En if p > 0.0 => format!("{} points under plan", format::number(p, 1)),
            Lang::Es => format!("{} puntos por encima de lo planificado", format::number(-p, 1)),
            Lang::En => format!("{} points ahead of plan", format::number(-p, 1)),
        });
        let execution = s.budget.execution_pct();
        let exec_width = format!("{:.1}%", execution.unwrap_or(0.0).clamp(0.0, 100.0));
        let lights = s
            .by_light
            .iter()
            .map(|(light, n)| {
                view! { <li>{light_badge(*light, l)}{format!(" {n}")}</li> }
            })
            .collect_view();
        view! {
            <article class="tile" data-testid="tile-progress">
                <h3>{t(l, "Avance físico", "Physical progress")}</h3>
                <p class="tile-value" data-testid="progress-actual">{pct(actual)}</p>
                <p class="tile-change">{format!("{} {}", t(l, "Planificado a la fecha:", "Planned by now:"), pct(planned))}
                    {(s.progress.baseline_pct != planned).then(|| format!(" · {} {}", t(l, "según la línea de base:", "by the baseline:"), pct(s.progress.baseline_pct)))}</p>
                <div class="progress" role="img" aria-label=format!("{} {} · {} {}", t(l, "Avance", "Progress"), pct(actual), t(l, "planificado", "planned"), pct(planned))>
                    <div class=format!("bar light-{}", light.code()) style:width=width></div>
                    <div class="expected" style:left=marker></div>
                </div>
                <p class="progress-text">{light_badge(light, l)}{behind.map(|b| format!(" {b}"))}</p>
            </article>
            <article class="tile" data-testid="tile-milestones">
                <h3>{t(l, "Hitos", "Milestones")}</h3>
                <p class="tile-value" data-testid="milestones-due-done">{format!("{} / {}", s.milestones_due_done, s.milestones_due)}</p>
                <p class="tile-change">{t(l, "vencidos a la fecha que están cumplidos", "due by now that are done")}</p>
                <p class="progress-text">{match l {
                    Lang::Es => format!("{} atrasados · {} cumplidos de {} en total", s.overdue, s.milestones_done, s.milestones_total),
                    Lang::En => format!("{} overdue · {} done of {} in all", s.overdue, s.milestones_done, s.milestones_total),
                }}</p>
                {(s.replanned > 0).then(|| view! { <p class="progress-text" data-testid="milestones-replanned">{match l {
                    Lang::Es => format!("{} replanificados · {} pasados de su línea de base sin cumplir", s.replanned, s.past_baseline),
                    Lang::En => format!("{} replanned · {} past their baseline and not done", s.replanned, s.past_baseline),
                }}</p> })}
            </article>
            <article class="tile" data-testid="tile-budget">
                <h3>{t(l, "Ejecución presupuestaria", "Budget execution")}</h3>
                <p class="tile-value" data-testid="budget-execution">{pct(execution)}</p>
                <p class="tile-change">{format!("{} {} {} {}", format::lempiras(s.budget.executed_hnl), t(l, "ejecutado de", "executed of"), format::lempiras(s.budget.current_hnl), t(l, "vigente", "current budget"))}</p>
                <div class="progress" role="img" aria-label=format!("{} {}", t(l, "Ejecución", "Execution"), pct(execution))>
                    <div class="bar light-grey" style:width=exec_width></div>
                </div>
                <p class="progress-text" data-testid="budget-gap">{format!("{} {}", t(l, "Brecha por ejecutar:", "Left to execute:"), format::lempiras(s.budget.gap_hnl()))}</p>
            </article>
            <article class="tile" data-testid="tile-lights">
                <h3>{t(l, "Intervenciones por semáforo", "Interventions by traffic light")}</h3>
                <p class="tile-value">{s.by_light.iter().map(|(_, n)| n).sum::<usize>()}</p>
                <ul class="plain">{lights}</ul>
            </article>
        }
    };
    let sentence = move || summary_sentence(&summary.get(), at, &years(), lang.get());
    view! {
        <section class="panel tiles" data-part="progress" aria-labelledby="rm-summary-title">
            <h2 id="rm-summary-title">{move || t(lang.get(), "Resumen de la hoja de ruta", "Roadmap summary")}</h2>
            <p class="summary" data-testid="roadmap-summary">{sentence}</p>
            <div class="tile-grid">{tiles}</div>
        </section>
        <div class="chart-grid">
            <BudgetBySource summary=summary years=Signal::derive(years) lang=lang />
            <StrategyStatus summary=summary lang=lang />
        </div>
    }
}

#[component]
fn BudgetBySource(summary: Memo<Figures>, years: Signal<String>, lang: RwSignal<Lang>) -> impl IntoView {
    let source_name = |code: &str, l: Lang| codes::label_of(&FUNDING_SOURCES, code, l);
    let label = move || {
        let l = lang.get();
        let s = summary.get();
        let parts: Vec<String> = s
            .budget_by_source
            .iter()
            .map(|(code, m)| format!("{} {}", source_name(code, l), pct(m.execution_pct())))
            .collect();
        format!("{}: {}", t(l, "Ejecución por fuente", "Execution by source"), parts.join(", "))
    };
    let height =
        Signal::derive(move || (summary.read().budget_by_source.len().max(1) as u32) * bars::group_height(2) + 8);
    let rows = move || {
        let l = lang.get();
        summary
            .get()
            .budget_by_source
            .iter()
            .map(|(code, m)| {
                view! {
                    <tr data-code=code.clone()>
                        <th scope="row">{source_name(code, l)}</th>
                        <td class="num">{format::lempiras(m.current_hnl)}</td>
                        <td class="num">{format::lempiras(m.executed_hnl)}</td>
                        <td class="num">{pct(m.execution_pct())}</td>
                        <td class="num">{format::lempiras(m.gap_hnl())}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <figure class="figure panel" data-testid="chart-budget" data-export="presupuesto">
            <figcaption>{move || format!("{} · {}", t(lang.get(), "Presupuesto vigente y ejecutado por fuente de financiamiento", "Current and executed budget by funding source"), years.get())}</figcaption>
            <p class="chart-summary">{label}</p>
            <ChartCanvas width=Signal::derive(crate::charts::scaled::chart_width) height=height label=Signal::derive(label) test_id="chart-budget-canvas" draw=move |area| {
                let l = lang.get();
                let s = summary.read();
                let groups: Vec<bars::Group> = s
                    .budget_by_source
                    .iter()
                    .map(|(code, m)| bars::Group {
                        label: format!("{} · {} {}", source_name(code, l), pct(m.execution_pct()), t(l, "ejecutado", "executed")),
                        values: vec![Some(m.current_hnl), Some(m.executed_hnl)],
                    })
                    .collect();
                let series = [
                    (t(l, "Vigente", "Current").to_owned(), palette::SERIES[2]),
                    (t(l, "Ejecutado", "Executed").to_owned(), palette::SERIES[0]),
                ];
                let _ = bars::draw_grouped(&area, &groups, &series, "—", format::lempiras);
            } />
            <details class="table-alt"><summary>{move || t(lang.get(), "Ver tabla", "View table")}</summary>
                <div class="table-scroll" tabindex="0"><table>
                    <thead><tr>
                        <th scope="col">{move || t(lang.get(), "Fuente", "Source")}</th>
                        <th scope="col" class="num" data-csv=move || t(lang.get(), "Vigente (HNL)", "Current (HNL)")>{move || t(lang.get(), "Vigente", "Current")}</th>
                        <th scope="col" class="num" data-csv=move || t(lang.get(), "Ejecutado (HNL)", "Executed (HNL)")>{move || t(lang.get(), "Ejecutado", "Executed")}</th>
                        <th scope="col" class="num">{move || t(lang.get(), "% ejecución", "% executed")}</th>
                        <th scope="col" class="num" data-csv=move || t(lang.get(), "Por ejecutar (HNL)", "Left (HNL)")>{move || t(lang.get(), "Por ejecutar", "Left")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            </details>
            <crate::export::Exports name="presupuesto" lang=lang png=true no_hxl=true />
        </figure>
    }
}

#[component]
fn StrategyStatus(summary: Memo<Figures>, lang: RwSignal<Lang>) -> impl IntoView {
    move || {
        let l = lang.get();
        let s = summary.get();
        let statuses: Vec<&str> = INTERVENTION_STATUSES
            .iter()
            .map(|c| c.code)
            .filter(|code| s.by_strategy_status.values().any(|m| m.contains_key(*code)))
            .collect();
        let head = statuses
            .iter()
            .map(|code| view! { <th scope="col" class="num">{super::status_name(code, l)}</th> })
            .collect_view();
        let rows = STRATEGIES
            .iter()
            .filter_map(|st| {
                let counts = s.by_strategy_status.get(st.code)?;
                let cells = statuses
                    .iter()
                    .map(|code| {
                        let n = counts.get(*code).copied().unwrap_or(0);
                        view! { <td class="num">{if n == 0 { "·".to_owned() } else { n.to_string() }}</td> }
                    })
                    .collect_view();
                let total: usize = counts.values().sum();
                Some(view! { <tr><th scope="row">{strategy_name(st.code, l)}</th>{cells}<td class="num"><strong>{total}</strong></td></tr> })
            })
            .collect_view();
        view! {
            <section class="figure panel" data-testid="strategy-status" aria-labelledby="rm-strategy-title">
                <h3 id="rm-strategy-title" class="figcaption">{t(l, "Intervenciones por estrategia y estado", "Interventions by strategy and status")}</h3>
                <div class="table-scroll" tabindex="0"><table>
                    <thead><tr><th scope="col">{t(l, "Estrategia", "Strategy")}</th>{head}<th scope="col" class="num">{t(l, "Total", "Total")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            </section>
        }
    }
}

/// The summary in one sentence, for everyone (and screen readers first). The light's label is lower-cased as ASCII:
/// its capitals are ASCII letters, and full Unicode case mapping would cost the wasm its case tables.
fn summary_sentence(s: &Figures, at: Day, years: &str, l: Lang) -> String {
    let date = at.display();
    match l {
        Lang::Es => format!(
            "Al {date}, la hoja de ruta lleva {} de avance físico frente a {} planificado ({}); {} de {} hitos vencidos están cumplidos y {} están atrasados. Se ha ejecutado {} del presupuesto vigente ({}).",
            pct(s.progress.actual_pct),
            pct(s.progress.planned_pct),
            light_label(s.light, l).to_ascii_lowercase(),
            s.milestones_due_done,
            s.milestones_due,
            s.overdue,
            pct(s.budget.execution_pct()),
            years
        ),
        Lang::En => format!(
            "As of {date}, the roadmap is {} done against {} planned ({}); {} of {} milestones due are done and {} are overdue. {} of the current budget has been executed ({}).",
            pct(s.progress.actual_pct),
            pct(s.progress.planned_pct),
            light_label(s.light, l).to_ascii_lowercase(),
            s.milestones_due_done,
            s.milestones_due,
            s.overdue,
            pct(s.budget.execution_pct()),
            years
        ),
    }
}
