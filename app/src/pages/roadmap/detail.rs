//! An intervention's detail, in a modal dialog named in the URL (`intervencion=`): owner and co-responsible
//! institutions, milestones, budget lines, risks, and links that open the coverage view on its indicators.

use std::sync::Arc;

use leptos::prelude::*;
use shared::Lang;
use shared::catalog::FUNDING_SOURCES;
use shared::codes;
use shared::date::Day;
use shared::format;
use shared::view::View;

use super::{
    actual_span, as_of, institution_name, light_badge, milestone_status_name, pct_or_dash, status_name, strategy_name,
};
use crate::api::LoadedRoadmap;
use crate::i18n::t;

/// The coverage view's link for an indicator, keeping the snapshot and the language.
fn coverage_link(indicator: &str, view: &View) -> String {
    let target = View {
        indicator: Some(indicator.to_owned()),
        snapshot: view.snapshot.clone(),
        lang: view.lang,
        ..View::default()
    };
    format!("/{}", target.to_query())
}

#[component]
pub fn Detail(data: StoredValue<Arc<LoadedRoadmap>>, view: RwSignal<View>, lang: RwSignal<Lang>) -> impl IntoView {
    let at = data.with_value(|d| as_of(d));
    // Focus goes to the dialog itself, so it opens at its top (its close button is at the end).
    let dialog = NodeRef::<leptos::html::Div>::new();
    let open = Memo::new(move |_| view.with(|v| v.intervention.clone()));
    let close = move || view.update(|v| v.intervention = None);
    Effect::new(move |_| {
        if open.get().is_some()
            && let Some(b) = dialog.get()
        {
            let _ = b.focus();
        }
    });
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && open.get_untracked().is_some() {
            close();
        }
    });
    on_cleanup(move || handle.remove());
    move || {
        let code = open.get()?;
        let l = lang.get();
        data.with_value(|d| {
            let r = &d.roadmap;
            let item = r.intervention(&code)?.clone();
            let progress = r.progress_of(&item.id, at);
            let light = r.light_of(&item, at);
            let pct = |x: Option<f64>| pct_or_dash(x, 0);
            let (co, territories, actual) = words(&item, l);
            let milestones = milestone_rows(r, &item.id, at, l);
            let budget = budget_rows(r, &item.id, l);
            let risks = risk_list(r, &item.id, l);
            let links = {
                let v = view.get_untracked();
                item.indicators
                    .iter()
                    .map(|ind| {
                        let href = coverage_link(ind, &v);
                        let name = crate::components::book().indicator_name(ind, l);
                        view! { <li><a href=href>{format!("{ind} · {name}")}</a></li> }
                    })
                    .collect_view()
            };
            let title = format!("{} · {}", item.id, item.name(l));
            Some(view! {
                <div class="dialog-backdrop" on:click=move |_| close()>
                    <div class="dialog wide" node_ref=dialog tabindex="-1" role="dialog" aria-modal="true" aria-labelledby="detail-title" data-testid="intervention-detail" on:click=|ev| ev.stop_propagation()>
                        <h2 id="detail-title">{title}</h2>
                        <dl>
                            <dt>{t(l, "Estrategia", "Strategy")}</dt><dd>{strategy_name(&item.strategy, l)}</dd>
                            <dt>{t(l, "Responsable", "Responsible")}</dt><dd data-testid="detail-owner">{institution_name(&item.institution, l)}</dd>
                            <dt>{t(l, "Corresponsables", "Co-responsible")}</dt><dd>{co}</dd>
                            <dt>{t(l, "Territorios", "Territories")}</dt><dd>{territories}</dd>
                            <dt>{t(l, "Plan", "Plan")}</dt><dd>{format!("{} – {}", item.planned_start.display(), item.planned_end.display())}</dd>
                            <dt>{t(l, "Real", "Actual")}</dt><dd>{actual}</dd>
                            <dt>{t(l, "Estado", "Status")}</dt><dd>{status_name(&item.status, l)}</dd>
                            <dt>{t(l, "Avance", "Progress")}</dt>
                            <dd>{light_badge(light, l)}{format!(" {} {} · {} {}", pct(progress.actual_pct), t(l, "real", "actual"), pct(progress.planned_pct), t(l, "planificado", "planned"))}
                                {(progress.baseline_pct != progress.planned_pct).then(|| format!(" · {} {}", pct(progress.baseline_pct), t(l, "según la línea de base", "by the baseline")))}</dd>
                        </dl>
                        <h3>{t(l, "Hitos", "Milestones")}</h3>
                        <div class="table-scroll" tabindex="0"><table data-testid="detail-milestones">
                            <thead><tr>
                                <th scope="col">{t(l, "Hito", "Milestone")}</th>
                                <th scope="col">{t(l, "Fecha planificada", "Planned date")}</th>
                                <th scope="col">{t(l, "Fecha real", "Actual date")}</th>
                                <th scope="col">{t(l, "Estado", "Status")}</th>
                                <th scope="col" class="num">{t(l, "Peso", "Weight")}</th>
                            </tr></thead>
                            <tbody>{milestones}</tbody>
                        </table></div>
                        <h3>{t(l, "Presupuesto", "Budget")}</h3>
                        <div class="table-scroll" tabindex="0"><table>
                            <thead><tr>
                                <th scope="col">{t(l, "Año", "Year")}</th>
                                <th scope="col">{t(l, "Fuente", "Source")}</th>
                                <th scope="col" class="num">{t(l, "Vigente", "Current")}</th>
                                <th scope="col" class="num">{t(l, "Ejecutado", "Executed")}</th>
                                <th scope="col" class="num">{t(l, "% ejecución", "% executed")}</th>
                            </tr></thead>
                            <tbody>{budget}</tbody>
                        </table></div>
                        {risks}
                        <h3>{t(l, "Indicadores vinculados", "Linked indicators")}</h3>
                        <ul data-testid="detail-indicators">{links}</ul>
                        {(crate::session::nav().bundle.intervention_agreements)(item.id.clone(), lang)}
                        <button type="button" on:click=move |_| close()>{t(l, "Cerrar", "Close")}</button>
                    </div>
                </div>
            })
        })
    }
}

fn milestone_rows(r: &shared::roadmap::Roadmap, id: &str, at: Day, l: Lang) -> impl IntoView + use<> {
    r
        .milestones_of(id)
        .into_iter()
        .map(|m| {
            let late = m.is_overdue(at);
            view! {
                <tr data-id=m.id.clone() class:late=late>
                    <th scope="row">{m.name(l).to_owned()}</th>
                    <td>{m.planned.display()}{m.baseline_note(at, l).map(|n| view! { <br /><span class="muted" data-testid="baseline-note">{n}</span> })}</td>
                    <td>{m.actual.map_or_else(|| "—".to_owned(), Day::display)}</td>
                    <td>{milestone_status_name(&m.status, l)}{late.then(|| format!(" · {}", t(l, "atrasado", "overdue")))}</td>
                    <td class="num">{format::number(m.weight, 0)}</td>
                </tr>
            }
        })
        .collect_view()
}

fn budget_rows(r: &shared::roadmap::Roadmap, id: &str, l: Lang) -> impl IntoView + use<> {
    r.budget_of(id)
        .into_iter()
        .map(|b| {
            view! {
                <tr>
                    <th scope="row">{b.fiscal_year}</th>
                    <td>{codes::label_of(&FUNDING_SOURCES, &b.funding_source, l)}</td>
                    <td class="num">{format::lempiras(b.current_hnl)}</td>
                    <td class="num">{format::lempiras(b.executed_hnl)}</td>
                    <td class="num">{pct_or_dash(b.execution_pct(), 1)}</td>
                </tr>
            }
        })
        .collect_view()
}

/// The detail's words for co-responsible institutions, territories and actual dates.
fn words(item: &shared::roadmap::Intervention, l: Lang) -> (String, String, String) {
    let co = if item.co_institutions.is_empty() {
        "—".to_owned()
    } else {
        item.co_institutions.iter().map(|c| institution_name(c, l)).collect::<Vec<_>>().join(", ")
    };
    let territories = if item.territories.is_empty() {
        t(l, "Nacional", "National").to_owned()
    } else {
        let book = crate::components::book();
        item.territories.iter().map(|c| book.territory_name(c, l)).collect::<Vec<_>>().join(", ")
    };
    let actual = actual_span(item, l);
    (co, territories, actual)
}

fn risk_list(r: &shared::roadmap::Roadmap, id: &str, l: Lang) -> Option<impl IntoView + use<>> {
    let risks = r.risks_of(id);
    (!risks.is_empty()).then(|| {
        let items = risks
            .into_iter()
            .map(|k| {
                view! {
                    <li>{format!("{} · {} ({} {} × {} {}) · {}: ", k.id, k.description(l), t(l, "probabilidad", "probability"), k.probability, t(l, "impacto", "impact"), k.impact, t(l, "mitigación", "mitigation"))}<span lang="es">{k.mitigation.clone()}</span></li>
                }
            })
            .collect_view();
        view! { <h3>{t(l, "Riesgos", "Risks")}</h3><ul>{items}</ul> }
    })
}
