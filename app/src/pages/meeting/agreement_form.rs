//! Recording an agreement while presenting: `A` opens a short form beside the slide (what, the responsible
//! institution from the snapshot's own list, the due date, an optional intervention), Enter saves, Esc closes. It is
//! stored with the agenda, the slide, its view and the snapshot the slide shows (`components::Shown`).

use leptos::prelude::*;
use shared::Lang;
use shared::agreement::{AgreementInput, Problem};

use crate::api::workspace;
use crate::components::Shown;
use crate::i18n::t;
use crate::session::{Session, nav};

/// The form is open while `open` is true; `saved` counts the agreements recorded in this meeting.
#[component]
pub fn AgreementForm(
    agenda_id: String,
    /// The slide on screen (from 1) and its view.
    slide: Signal<(usize, String)>,
    shown: RwSignal<Option<Shown>>,
    open: RwSignal<bool>,
    saved: RwSignal<usize>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let nav = nav();
    let text = RwSignal::new(String::new());
    let institution = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let intervention = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let failure = RwSignal::new(None::<String>);
    let first = NodeRef::<leptos::html::Textarea>::new();
    // Opening starts afresh, due in 30 days, with the first field focused.
    Effect::new(move |_| {
        if open.get() {
            text.set(String::new());
            intervention.set(String::new());
            problems.set(Vec::new());
            failure.set(None);
            due.set(crate::api::iso_day(30));
            if let Some(el) = first.get() {
                let _ = el.focus();
            }
        }
    });
    let agenda_id = StoredValue::new(agenda_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let Some(data) = shown.get_untracked() else {
            failure
                .set(Some(t(l, "La diapositiva todavía no muestra datos.", "The slide shows no data yet.").to_owned()));
            return;
        };
        let (n, url) = slide.get_untracked();
        let input = AgreementInput {
            agenda_id: agenda_id.get_value(),
            slide: n,
            view_url: url,
            snapshot_id: data.snapshot_id,
            text: text.get_untracked(),
            institution: institution.get_untracked(),
            due: due.get_untracked(),
            intervention: intervention.get_untracked(),
        };
        let found = shared::agreement::check(&input);
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let csrf = nav.session.with_untracked(Session::csrf);
        leptos::task::spawn_local(async move {
            match workspace::record_agreement(&input, &csrf).await {
                Ok(_) => {
                    saved.update(|n| *n += 1);
                    open.set(false);
                }
                Err(refused) => {
                    problems.set(refused.problems);
                    failure.set(nav.check(refused.failure).map(|f| f.message(l)));
                }
            }
        });
    };
    let institutions = move || institution_options(shown, institution, lang.get());
    let problem_list = move || {
        let l = lang.get();
        let items = problems.get().into_iter().map(|p| view! { <li>{p.message(l).to_owned()}</li> }).collect_view();
        view! { <ul class="problems" data-testid="agreement-problems">{items}</ul> }
    };
    view! {
        <Show when=move || open.get()>
            <form class="agreement-form" role="dialog" aria-labelledby="agreement-title" data-testid="agreement-form" on:submit=submit>
                <h2 id="agreement-title">{move || t(lang.get(), "Nuevo acuerdo", "New agreement")}</h2>
                <label for="agr-text">{move || t(lang.get(), "¿Qué se acordó?", "What was agreed?")}</label>
                <textarea id="agr-text" node_ref=first rows="3" maxlength=shared::agreement::MAX_TEXT.to_string()
                    prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <label for="agr-institution">{move || t(lang.get(), "Institución responsable", "Responsible institution")}</label>
                <select id="agr-institution" on:change=move |ev| institution.set(event_target_value(&ev))>
                    <option value="" selected=move || institution.get().is_empty()>{move || t(lang.get(), "— elija —", "— choose —")}</option>
                    {institutions}
                </select>
                <label for="agr-due">{move || t(lang.get(), "Fecha límite", "Due date")}</label>
                <input id="agr-due" type="date" prop:value=due on:input=move |ev| due.set(event_target_value(&ev)) />
                <label for="agr-intervention">{move || t(lang.get(), "Intervención de la hoja de ruta (opcional)", "Roadmap intervention (optional)")}</label>
                <input id="agr-intervention" type="text" placeholder="HR-ART-002" prop:value=intervention
                    on:input=move |ev| intervention.set(event_target_value(&ev)) />
                {problem_list}
                <p class="error" role="alert">{move || failure.get()}</p>
                <div class="actions">
                    <button type="submit" data-testid="agreement-save">{move || t(lang.get(), "Guardar acuerdo", "Save the agreement")}</button>
                    <button type="button" class="secondary" on:click=move |_| open.set(false)>{move || t(lang.get(), "Cancelar (Esc)", "Cancel (Esc)")}</button>
                </div>
            </form>
        </Show>
    }
}

/// The snapshot's institutions as options, the chosen one selected.
fn institution_options(shown: RwSignal<Option<Shown>>, chosen: RwSignal<String>, l: Lang) -> impl IntoView {
    let list = shown.with(|s| {
        s.as_ref()
            .map(|s| s.book.institutions.iter().map(|i| (i.code.clone(), i.name.get(l).to_owned())).collect::<Vec<_>>())
    });
    list.unwrap_or_default()
        .into_iter()
        .map(|(code, name)| view! { <option value=code.clone() selected=move || chosen.get() == code>{name}</option> })
        .collect_view()
}
