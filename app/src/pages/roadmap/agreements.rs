//! Meeting agreements on the roadmap, beside the late milestones: for signed-in users (they are the ministry's
//! decisions, not open data), open ones first, the overdue marked, each with its responsible institution, due date
//! and a frozen link to the figures it was decided on; analysts and admins mark them done, drop them with a reason,
//! or open them again. A meeting can show it as a slide ("agreements from the last meeting").

use leptos::prelude::*;
use shared::Lang;
use shared::agreement::{Agreement, Status, StatusChange};

use super::institution_name;
use crate::api::workspace::{self, Role};
use crate::i18n::t;

/// Open first (the overdue and the soonest due first), then done and dropped.
fn ordered(mut list: Vec<Agreement>) -> Vec<Agreement> {
    shared::sort_with(&mut list, &|a, b| {
        (a.status != Status::Pending, &a.taken.due, &a.created_at).cmp(&(
            b.status != Status::Pending,
            &b.taken.due,
            &b.created_at,
        ))
    });
    list
}

/// Sends a change of status (asking why for a drop), then reloads the list or says what went wrong.
fn change_status(id: String, status: Status, l: Lang, reload: RwSignal<u32>, message: RwSignal<Option<String>>) {
    let nav = crate::session::nav();
    let reason = if status == Status::Dropped {
        let ask = t(l, "¿Por qué se descarta este acuerdo?", "Why is this agreement dropped?");
        match window().prompt_with_message(ask) {
            Ok(Some(r)) if !r.trim().is_empty() => r,
            _ => return,
        }
    } else {
        String::new()
    };
    let csrf = nav.session.with_untracked(crate::session::Session::csrf);
    leptos::task::spawn_local(async move {
        match workspace::change_agreement(&id, &StatusChange { status, reason }, &csrf).await {
            Ok(_) => {
                message.set(None);
                reload.update(|n| *n += 1);
            }
            Err(refused) => {
                let problems: Vec<String> = refused.problems.iter().map(|p| p.message(l).to_owned()).collect();
                let text = if problems.is_empty() { refused.failure.message(l) } else { problems.join(" ") };
                message.set(nav.check(refused.failure).map(|_| text));
            }
        }
    });
}

/// "2 acuerdos abiertos, 1 vencido."
fn open_and_late(open: usize, late: usize, l: Lang) -> String {
    match l {
        Lang::Es => format!(
            "{open} {} abierto{}, {late} vencido{}.",
            if open == 1 { "acuerdo" } else { "acuerdos" },
            if open == 1 { "" } else { "s" },
            if late == 1 { "" } else { "s" }
        ),
        Lang::En => format!("{open} open agreement{}, {late} overdue.", if open == 1 { "" } else { "s" }),
    }
}

/// In the dashboard: for signed-in users, where the agreements are (the workspace's page).
#[component]
pub fn AgreementsLink(lang: RwSignal<Lang>) -> impl IntoView {
    let nav = crate::session::nav();
    view! {
        <Show when=move || nav.session.with(|s| s.role().is_some())>
            <p class="panel" data-testid="agreements-link">
                <a href=shared::api::AGREEMENTS_PAGE>{move || t(lang.get(), "Acuerdos de reunión y su seguimiento →", "Meeting agreements and their follow-up →")}</a>
            </p>
        </Show>
    }
}

/// On a frozen link (`snapshot`): the agreements taken on its snapshot in meetings whose agenda shows them, for
/// whoever opens it, donors included: what, who answers for it, by when, its status and the figures; nothing when
/// there are none.
#[component]
pub fn SharedAgreements(snapshot: String, lang: RwSignal<Lang>) -> impl IntoView {
    let list = LocalResource::new(move || {
        let id = snapshot.clone();
        async move { crate::api::shared_agreements(&id).await.ok() }
    });
    move || {
        let list = list.get().flatten().filter(|l| !l.is_empty())?;
        let l = lang.get();
        let rows = list
            .into_iter()
            .map(|a| {
                view! {
                    <tr data-testid="shared-agreement" data-status=a.status.code()>
                        <th scope="row">{a.text.clone()}</th>
                        <td>{institution_name(&a.institution, l)}</td>
                        <td>{a.due_shown()}</td>
                        <td>{a.status.label().get(l)}</td>
                        <td><a href=a.link.clone()>{t(l, "Cifras del acuerdo", "The figures")}</a></td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <section class="panel" data-testid="shared-agreements" aria-labelledby="shared-agreements-title">
                <h2 id="shared-agreements-title">{t(l, "Acuerdos tomados con estas cifras", "Agreements taken on these figures")}</h2>
                <div class="table-scroll" tabindex="0"><table>
                    <thead><tr>
                        <th scope="col">{t(l, "Acuerdo", "Agreement")}</th>
                        <th scope="col">{t(l, "Institución responsable", "Responsible institution")}</th>
                        <th scope="col">{t(l, "Fecha límite", "Due")}</th>
                        <th scope="col">{t(l, "Estado", "Status")}</th>
                        <th scope="col">{t(l, "Vista", "View")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            </section>
        })
    }
}

/// In the dashboard's intervention detail: for signed-in users, where that intervention's agreements are.
#[component]
pub fn InterventionAgreementsLink(intervention: String, lang: RwSignal<Lang>) -> impl IntoView {
    let nav = crate::session::nav();
    let href = format!("{}?intervencion={}", shared::api::AGREEMENTS_PAGE, shared::view::encode(&intervention));
    view! {
        <Show when=move || nav.session.with(|s| s.role().is_some())>
            <p data-testid="detail-agreements-link">
                <a href=href.clone()>{move || t(lang.get(), "Acuerdos de reunión sobre esta intervención →", "Meeting agreements on this intervention →")}</a>
            </p>
        </Show>
    }
}

/// The agreements and their follow-up: all of them (the roadmap, the agreements page), or those that follow up one
/// `intervention` (its detail, `in_detail`; the agreements page under `?intervencion=`).
#[component]
pub fn Agreements(
    lang: RwSignal<Lang>,
    #[prop(optional)] intervention: Option<String>,
    /// Shown inside the intervention's detail (a heading of its level), not as a panel of its own.
    #[prop(optional)]
    in_detail: bool,
) -> impl IntoView {
    let nav = crate::session::nav();
    let signed_in = move || nav.session.with(|s| s.role().is_some());
    let may_write = move || nav.session.with(|s| s.role().is_some_and(|r| r >= Role::Analyst));
    let reload = RwSignal::new(0_u32);
    let one = intervention.clone();
    let list = LocalResource::new(move || {
        reload.track();
        let signed_in = signed_in();
        let one = one.clone();
        async move {
            if !signed_in {
                return None;
            }
            let list = workspace::agreements(None).await.ok()?;
            Some(ordered(
                list.into_iter().filter(|a| one.as_ref().is_none_or(|i| a.taken.intervention == *i)).collect(),
            ))
        }
    });
    let message = RwSignal::new(None::<String>);
    let change = move |id: String, status: Status| change_status(id, status, lang.get_untracked(), reload, message);
    let rows = move || {
        let l = lang.get();
        let today = crate::api::iso_day(0);
        let list = list.get().flatten().unwrap_or_default();
        let open = list.iter().filter(|a| a.status == Status::Pending).count();
        let late = list.iter().filter(|a| a.overdue(&today)).count();
        let rows = list
            .into_iter()
            .map(|a| {
                let overdue = a.overdue(&today);
                let state = match a.status {
                    Status::Dropped => format!("{}: {}", a.status.label().get(l), a.reason),
                    s if overdue => format!("{} · {}", s.label().get(l), t(l, "vencido", "overdue")),
                    s => s.label().get(l).to_owned(),
                };
                let actions = may_write().then(|| {
                    let (done_id, drop_id, again_id) = (a.id.clone(), a.id.clone(), a.id.clone());
                    if a.status == Status::Pending {
                        view! {
                            <button type="button" class="secondary" data-testid="agreement-done" on:click=move |_| change(done_id.clone(), Status::Done)>{t(l, "Cumplido", "Done")}</button>
                            <button type="button" class="secondary" on:click=move |_| change(drop_id.clone(), Status::Dropped)>{t(l, "Descartar…", "Drop…")}</button>
                        }
                        .into_any()
                    } else {
                        view! { <button type="button" class="secondary" on:click=move |_| change(again_id.clone(), Status::Pending)>{t(l, "Reabrir", "Reopen")}</button> }.into_any()
                    }
                });
                view! {
                    <tr data-testid="agreement" data-status=a.status.code() class:overdue=overdue>
                        <th scope="row">{a.taken.text.clone()}</th>
                        <td>{institution_name(&a.taken.institution, l)}</td>
                        <td>{a.due_shown()}</td>
                        <td>{state}</td>
                        <td><a href=a.frozen_link()>{t(l, "Cifras del acuerdo", "The figures")}</a></td>
                        <td class="actions">{actions}</td>
                    </tr>
                }
            })
            .collect_view();
        let summary = open_and_late(open, late, l);
        view! {
            <p data-testid="agreements-summary">{summary}</p>
            <div class="table-scroll" tabindex="0"><table data-testid="agreements">
                <thead><tr>
                    <th scope="col">{t(l, "Acuerdo", "Agreement")}</th>
                    <th scope="col">{t(l, "Institución responsable", "Responsible institution")}</th>
                    <th scope="col">{t(l, "Fecha límite", "Due")}</th>
                    <th scope="col">{t(l, "Estado", "Status")}</th>
                    <th scope="col">{t(l, "Tomado sobre", "Taken on")}</th>
                    <th scope="col"><span class="visually-hidden">{t(l, "Acciones", "Actions")}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
    };
    if in_detail {
        return view! {
            <Show when=signed_in>
                <div data-testid="detail-agreements">
                    <h3>{move || t(lang.get(), "Acuerdos de reunión", "Meeting agreements")}</h3>
                    <p class="error" role="alert">{move || message.get()}</p>
                    {rows}
                </div>
            </Show>
        }
        .into_any();
    }
    view! {
        <Show when=signed_in>
            <section class="panel" data-part="agreements" aria-labelledby="agreements-title">
                <h2 id="agreements-title">{move || t(lang.get(), "Acuerdos de reunión", "Meeting agreements")}</h2>
                <p class="error" role="alert">{move || message.get()}</p>
                {rows}
            </section>
        </Show>
    }
    .into_any()
}
