//! The roadmap's lists: milestones late and due soon (sortable by institution), the institutions' scorecard and
//! articulation matrix, slippage since the compared snapshot, and the risks (probability × impact grid and list).

use std::fmt::Write as _;
use std::sync::Arc;

use leptos::prelude::*;
use shared::Lang;
use shared::catalog::STRATEGIES;
use shared::format;
use shared::roadmap::Milestone;
use shared::view::View;

use super::{as_of, institution_name, light_badge, milestone_status_name, pct_or_dash};
use crate::api::LoadedRoadmap;
use crate::export::Exports;
use crate::i18n::t;

/// A table body's only row when there is nothing to list.
fn none_row(columns: usize, lang: Lang) -> impl IntoView {
    view! { <tr class="empty"><td colspan=columns.to_string()>{t(lang, "Ninguno.", "None.")}</td></tr> }
}

/// The value of `orden` that sorts the lists by institution.
const BY_INSTITUTION: &str = "institucion";

#[component]
pub fn LateAndUpcoming(
    data: StoredValue<Arc<LoadedRoadmap>>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let at = data.with_value(|d| as_of(d));
    let by_institution = Memo::new(move |_| view.with(|v| v.sort.as_deref() == Some(BY_INSTITUTION)));
    let table = move |list: List| {
        let (l, by) = (lang.get(), by_institution.get());
        data.with_value(|d| milestone_rows(&d.roadmap, list, at, by, view, l))
    };
    let head = move || {
        let l = lang.get();
        view! { <thead><tr>
            <th scope="col">{t(l, "Hito", "Milestone")}</th>
            <th scope="col">{t(l, "Intervención", "Intervention")}</th>
            <th scope="col">{t(l, "Institución responsable", "Responsible institution")}</th>
            <th scope="col">{t(l, "Fecha planificada", "Planned date")}</th>
            <th scope="col">{t(l, "Plazo", "Timing")}</th>
            <th scope="col">{t(l, "Estado", "Status")}</th>
        </tr></thead> }
    };
    let sort_button = move |by: bool, es: &'static str, en: &'static str| {
        view! {
            <button type="button" class="secondary" aria-pressed=move || (by_institution.get() == by).to_string()
                on:click=move |_| view.update(|v| v.sort = by.then(|| BY_INSTITUTION.to_owned()))>{move || t(lang.get(), es, en)}</button>
        }
    };
    // The three lists share one layout: late, due soon, and replanned (current date other than the baseline).
    let part = move |list: List| {
        move || {
            let (n, rows) = table(list);
            let l = lang.get();
            let (title, name, test_id) = match list {
                List::Late => (
                    t(l, "Atrasados: vencidos y no cumplidos", "Overdue: past due and not done"),
                    "hitos-atrasados",
                    "overdue",
                ),
                List::Upcoming => {
                    (t(l, "Vencen en los próximos 30 días", "Due in the next 30 days"), "hitos-proximos", "upcoming")
                }
                List::Replanned => (
                    t(
                        l,
                        "Replanificados: fecha vigente distinta de la línea de base",
                        "Replanned: current date other than the baseline",
                    ),
                    "hitos-replanificados",
                    "replanned",
                ),
            };
            // The replanned list's lines are long: it takes the whole width under the other two.
            let wide = if list == List::Replanned { "grid-wide" } else { "" };
            view! { <div class=wide>
                <h3>{format!("{title} ({n})")}</h3>
                <div data-export=name><div class="table-scroll" tabindex="0"><table data-testid=test_id>{head}<tbody>{rows}{(n == 0).then(|| none_row(6, l))}</tbody></table></div><Exports name=name lang=lang no_hxl=true /></div>
            </div> }
        }
    };
    view! {
        <section class="panel" data-part="milestones" aria-labelledby="late-title">
            <h2 id="late-title">{move || t(lang.get(), "Hitos atrasados y próximos", "Late and upcoming milestones")}</h2>
            <div class="toolbar" role="group" aria-label=move || t(lang.get(), "Ordenar", "Sort")>
                <span>{move || t(lang.get(), "Ordenar por:", "Sort by:")}</span>
                {sort_button(false, "Fecha", "Date")}
                {sort_button(true, "Institución", "Institution")}
            </div>
            <div class="chart-grid">
                {part(List::Late)}
                {part(List::Upcoming)}
                {part(List::Replanned)}
            </div>
        </section>
    }
}

/// The milestone lists of [`LateAndUpcoming`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Late,
    Upcoming,
    Replanned,
}

/// One list's rows (and how many): late, due soon or replanned, by date or by institution.
fn milestone_rows(
    r: &shared::roadmap::Roadmap,
    list: List,
    at: shared::date::Day,
    by_institution: bool,
    view: RwSignal<View>,
    l: Lang,
) -> (usize, impl IntoView + use<>) {
    let owner = |m: &Milestone| r.intervention(&m.intervention_id).map(|i| i.institution.clone()).unwrap_or_default();
    let mut milestones: Vec<&Milestone> = match list {
        List::Late => r.overdue(at),
        List::Upcoming => r.upcoming(at),
        List::Replanned => r.replanned(),
    };
    if by_institution {
        shared::sort_with(&mut milestones, &|a, b| {
            (institution_name(&owner(a), l), a.planned, &a.id).cmp(&(institution_name(&owner(b), l), b.planned, &b.id))
        });
    }
    let count = milestones.len();
    let rows = milestones
        .into_iter()
        .map(|m| {
            let name = r.intervention(&m.intervention_id).map_or_else(String::new, |i| i.name(l).to_owned());
            let days = (m.planned.0 - at.0).abs();
            let mut when = match (list, l) {
                (List::Late, Lang::Es) => format!("{days} días de atraso"),
                (List::Late, Lang::En) => format!("{days} days late"),
                (List::Upcoming, Lang::Es) => format!("en {days} días"),
                (List::Upcoming, Lang::En) => format!("in {days} days"),
                (List::Replanned, _) => m.baseline_note(at, l).unwrap_or_default(),
            };
            // A replanned milestone's delay from its baseline, which the replan does not reset.
            if list != List::Replanned && m.is_replanned() && at > m.baseline {
                let since = t(l, "desde la línea de base", "from the baseline");
                let _ = write!(when, " · {} {since}", at.0 - m.baseline.0);
            }
            let code = m.intervention_id.clone();
            let baseline = m.is_replanned().then(|| format!("{} {}", t(l, "Línea de base:", "Baseline:"), m.baseline.display()));
            view! {
                <tr data-id=m.id.clone()>
                    <th scope="row">{m.name(l).to_owned()}</th>
                    <td><button type="button" class="link" on:click=move |_| view.update(|v| v.intervention = Some(code.clone()))>{format!("{} · {name}", m.intervention_id)}</button></td>
                    <td>{institution_name(&owner(m), l)}</td>
                    <td>{m.planned.display()}<br /><span class="muted">{baseline}</span></td>
                    <td data-testid=(list == List::Replanned).then_some("baseline-note")>{when}</td>
                    <td>{milestone_status_name(&m.status, l)}</td>
                </tr>
            }
        })
        .collect_view();
    (count, rows)
}

#[component]
pub fn Institutions(
    data: StoredValue<Arc<LoadedRoadmap>>,
    year: Memo<Option<i64>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let at = data.with_value(|d| as_of(d));
    let scorecard = move || {
        let l = lang.get();
        let rows = data.with_value(|d| {
            d.roadmap
                .scorecards(at, year.get())
                .into_iter()
                .map(|c| {
                    let on_track = c.on_track_pct().map_or_else(
                        || "—".to_owned(),
                        |p| format!("{} ({}/{})", format::percent(p, 0), c.on_track, c.rated),
                    );
                    view! {
                        <tr data-code=c.institution.clone()>
                            <th scope="row">{institution_name(&c.institution, l)}</th>
                            <td class="num">{c.owned}</td>
                            <td class="num">{on_track}</td>
                            <td class="num">{c.overdue_milestones}</td>
                            <td class="num">{pct_or_dash(c.budget.execution_pct(), 1)}</td>
                        </tr>
                    }
                })
                .collect_view()
        });
        view! {
            <div data-export="instituciones"><div class="table-scroll" tabindex="0"><table data-testid="scorecard">
                <thead><tr>
                    <th scope="col">{t(l, "Institución responsable", "Responsible institution")}</th>
                    <th scope="col" class="num">{t(l, "Intervenciones", "Interventions")}</th>
                    <th scope="col" class="num">{t(l, "En camino", "On track")}</th>
                    <th scope="col" class="num">{t(l, "Hitos atrasados", "Overdue milestones")}</th>
                    <th scope="col" class="num">{t(l, "Ejecución presupuestaria", "Budget execution")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div><Exports name="instituciones" lang=lang no_hxl=true /></div>
        }
    };
    let matrix = move || {
        let l = lang.get();
        let head = STRATEGIES.iter().map(|s| view! { <th scope="col">{s.label.get(l)}</th> }).collect_view();
        let rows = data.with_value(|d| {
            d.roadmap
                .articulation()
                .into_iter()
                .map(|row| {
                    let cells = row
                        .cells
                        .iter()
                        .map(|&(leads, supports)| {
                            let words = match (leads, supports, l) {
                                (0, 0, _) => "—".to_owned(),
                                (a, 0, Lang::Es) => format!("lidera {a}"),
                                (a, 0, Lang::En) => format!("leads {a}"),
                                (0, b, Lang::Es) => format!("apoya {b}"),
                                (0, b, Lang::En) => format!("supports {b}"),
                                (a, b, Lang::Es) => format!("lidera {a} · apoya {b}"),
                                (a, b, Lang::En) => format!("leads {a} · supports {b}"),
                            };
                            let level = (leads * 2 + supports).min(6);
                            view! { <td class=format!("heat heat-{level}")>{words}</td> }
                        })
                        .collect_view();
                    view! { <tr><th scope="row">{institution_name(&row.institution, l)}</th>{cells}</tr> }
                })
                .collect_view()
        });
        view! {
            <div data-export="articulacion"><div class="table-scroll" tabindex="0"><table data-testid="articulation">
                <caption>{t(l, "Matriz de articulación: intervenciones que cada institución lidera o apoya, por estrategia", "Articulation matrix: interventions each institution leads or supports, by strategy")}</caption>
                <thead><tr><th scope="col">{t(l, "Institución", "Institution")}</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table></div><Exports name="articulacion" lang=lang no_hxl=true /></div>
        }
    };
    view! {
        <section class="panel" data-part="institutions" aria-labelledby="inst-title">
            <h2 id="inst-title">{move || t(lang.get(), "Instituciones", "Institutions")}</h2>
            <div class="chart-grid">
                <div>{scorecard}</div>
                <div>{matrix}</div>
            </div>
        </section>
    }
}

#[component]
pub fn Slippage(
    data: StoredValue<Arc<LoadedRoadmap>>,
    compare: Signal<Option<Arc<LoadedRoadmap>>>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let at = data.with_value(|d| as_of(d));
    move || {
        let l = lang.get();
        let before = compare.get()?;
        let before_at = as_of(&before);
        data.with_value(|d| {
            let r = &d.roadmap;
            let slip = r.slippage_since(at, &before.roadmap, before_at);
            let name_of = |id: &str| {
                let milestone = r.milestones.iter().find(|m| m.id == id);
                let owner = milestone.and_then(|m| r.intervention(&m.intervention_id));
                format!("{} · {}", owner.map_or("", |i| i.id.as_str()), milestone.map_or(id, |m| m.name(l)))
            };
            let open = move |code: String| move |_| view.update(|v| v.intervention = Some(code.clone()));
            let moved = slip
                .moved
                .iter()
                .map(|(id, was, now)| {
                    let days = |d: i64| format!("{}{d} {}", if d > 0 { "+" } else { "" }, t(l, "días", "days"));
                    // The baseline stays where it was: the total move since it, beside this snapshot's move.
                    let baseline = r.milestones.iter().find(|m| m.id == *id).map_or(*was, |m| m.baseline);
                    let since = if baseline == *was {
                        days(now.0 - baseline.0)
                    } else {
                        format!("{} ({} {})", days(now.0 - baseline.0), t(l, "base", "baseline"), baseline.display())
                    };
                    view! { <tr data-id=id.clone()><th scope="row">{name_of(id)}</th><td>{was.display()}</td><td>{now.display()}</td><td class="num">{days(now.0 - was.0)}</td><td class="num">{since}</td></tr> }
                })
                .collect_view();
            let status = slip
                .status_changed
                .iter()
                .map(|(id, was, now)| view! { <tr data-id=id.clone()><th scope="row">{name_of(id)}</th><td>{milestone_status_name(was, l)}</td><td>{milestone_status_name(now, l)}</td></tr> })
                .collect_view();
            let lights = slip
                .light_changed
                .iter()
                .map(|(id, was, now)| {
                    let name = r.intervention(id).map_or_else(String::new, |i| i.name(l).to_owned());
                    view! { <tr data-id=id.clone()>
                        <th scope="row"><button type="button" class="link" on:click=open(id.clone())>{format!("{id} · {name}")}</button></th>
                        <td>{light_badge(*was, l)}</td>
                        <td>{light_badge(*now, l)}</td>
                    </tr> }
                })
                .collect_view();
            let heading = match l {
                Lang::Es => format!("Qué se movió desde la publicación del {}", before_at.display()),
                Lang::En => format!("What moved since the snapshot of {}", before_at.display()),
            };
            let sentence = match l {
                Lang::Es => format!("{} hitos reprogramados, {} hitos cambiaron de estado, {} intervenciones cambiaron de semáforo.", slip.moved.len(), slip.status_changed.len(), slip.light_changed.len()),
                Lang::En => format!("{} milestones replanned, {} milestones changed status, {} interventions changed traffic light.", slip.moved.len(), slip.status_changed.len(), slip.light_changed.len()),
            };
            Some(view! {
                <section class="panel" aria-labelledby="slip-title" data-testid="slippage">
                    <h2 id="slip-title">{heading}</h2>
                    <p>{sentence}</p>
                    <div class="chart-grid">
                        <div>
                            <h3>{t(l, "Hitos cuya fecha planificada cambió", "Milestones whose planned date moved")}</h3>
                            <div class="table-scroll" tabindex="0"><table data-testid="slip-moved">
                                <thead><tr><th scope="col">{t(l, "Hito", "Milestone")}</th><th scope="col">{t(l, "Antes", "Before")}</th><th scope="col">{t(l, "Ahora", "Now")}</th><th scope="col" class="num">{t(l, "Cambio", "Change")}</th><th scope="col" class="num">{t(l, "Desde la línea de base", "From the baseline")}</th></tr></thead>
                                <tbody>{moved}{slip.moved.is_empty().then(|| none_row(5, l))}</tbody>
                            </table></div>
                        </div>
                        <div>
                            <h3>{t(l, "Hitos que cambiaron de estado", "Milestones whose status changed")}</h3>
                            <div class="table-scroll" tabindex="0"><table data-testid="slip-status">
                                <thead><tr><th scope="col">{t(l, "Hito", "Milestone")}</th><th scope="col">{t(l, "Antes", "Before")}</th><th scope="col">{t(l, "Ahora", "Now")}</th></tr></thead>
                                <tbody>{status}{slip.status_changed.is_empty().then(|| none_row(3, l))}</tbody>
                            </table></div>
                        </div>
                        <div>
                            <h3>{t(l, "Intervenciones que cambiaron de semáforo", "Interventions whose traffic light changed")}</h3>
                            <div class="table-scroll" tabindex="0"><table data-testid="slip-lights">
                                <thead><tr><th scope="col">{t(l, "Intervención", "Intervention")}</th><th scope="col">{t(l, "Antes", "Before")}</th><th scope="col">{t(l, "Ahora", "Now")}</th></tr></thead>
                                <tbody>{lights}{slip.light_changed.is_empty().then(|| none_row(3, l))}</tbody>
                            </table></div>
                        </div>
                    </div>
                </section>
            })
        })
    }
}

#[component]
pub fn Risks(data: StoredValue<Arc<LoadedRoadmap>>, lang: RwSignal<Lang>) -> impl IntoView {
    move || {
        let l = lang.get();
        data.with_value(|d| {
            let r = &d.roadmap;
            let grid = r.risk_grid();
            let head = (1..=5).map(|i| view! { <th scope="col" class="num">{i}</th> }).collect_view();
            let rows = grid
                .iter()
                .enumerate()
                .map(|(row, cells)| {
                    let p = 5 - row;
                    let cells = cells
                        .iter()
                        .enumerate()
                        .map(|(col, n)| {
                            let score = p * (col + 1);
                            let zone = if score >= 15 { "high" } else if score >= 8 { "mid" } else { "low" };
                            view! { <td class=format!("num risk-{zone}") data-p=p.to_string() data-i={(col + 1).to_string()}>{if *n == 0 { String::new() } else { n.to_string() }}</td> }
                        })
                        .collect_view();
                    view! { <tr><th scope="row" class="num">{p}</th>{cells}</tr> }
                })
                .collect_view();
            let list = r
                .risks_ranked()
                .into_iter()
                .map(|k| {
                    let state = shared::codes::label_of(&shared::catalog::RISK_STATES, &k.state, l);
                    // Category and mitigation are written once, in Spanish (the `risks` table has no English
                    // for them), and so is a description without its English: marked for screen readers.
                    let described = k.description(l);
                    let described_lang = (described == k.description_es).then_some("es");
                    view! { <tr data-id=k.id.clone()>
                        <th scope="row" lang=described_lang>{format!("{} · {described}", k.id)}</th>
                        <td lang="es">{k.category.clone()}</td>
                        <td class="num nowrap">{format!("{} × {} = {}", k.probability, k.impact, k.score())}</td>
                        <td lang="es">{k.mitigation.clone()}</td>
                        <td>{institution_name(&k.owner, l)}</td>
                        <td>{state}</td>
                    </tr> }
                })
                .collect_view();
            let open: usize = grid.iter().flatten().sum();
            let high = r.risks.iter().filter(|k| k.state != shared::roadmap::CLOSED_RISK && k.score() >= 15).count();
            let sentence = match l {
                Lang::Es => format!("{open} riesgos abiertos o mitigados; {high} en la zona alta (probabilidad × impacto de 15 o más)."),
                Lang::En => format!("{open} risks open or mitigated; {high} in the high zone (probability × impact of 15 or more)."),
            };
            view! {
                <section class="panel" data-part="risks" aria-labelledby="risk-title">
                    <h2 id="risk-title">{t(l, "Riesgos", "Risks")}</h2>
                    <p data-testid="risk-summary">{sentence}</p>
                    <div class="risk-layout">
                        <div class="table-scroll" tabindex="0"><table class="risk-grid" data-testid="risk-grid">
                            <caption>{t(l, "Riesgos no cerrados por probabilidad (filas) e impacto (columnas); zonas: baja, media (8 a 14), alta (15 o más)", "Risks not closed by probability (rows) and impact (columns); zones: low, medium (8 to 14), high (15 or more)")}</caption>
                            <thead><tr><th scope="col">{t(l, "Prob. \\ Impacto", "Prob. \\ Impact")}</th>{head}</tr></thead>
                            <tbody>{rows}</tbody>
                        </table></div>
                        <div class="table-scroll" tabindex="0"><table data-testid="risk-list">
                            <thead><tr>
                                <th scope="col">{t(l, "Riesgo", "Risk")}</th>
                                <th scope="col">{t(l, "Categoría", "Category")}</th>
                                <th scope="col" class="num">{t(l, "P × I", "P × I")}</th>
                                <th scope="col">{t(l, "Mitigación", "Mitigation")}</th>
                                <th scope="col">{t(l, "Responsable", "Owner")}</th>
                                <th scope="col">{t(l, "Estado", "State")}</th>
                            </tr></thead>
                            <tbody>{list}</tbody>
                        </table></div>
                    </div>
                </section>
            }
        })
    }
}
