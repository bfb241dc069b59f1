//! The executive summary of a view (issue 31): the sentences `shared::summary` writes, each one a link to the view
//! that shows its figure. It leads the page, the printed cover and a meeting's summary slide.

use leptos::prelude::*;
use shared::Lang;
use shared::summary::Sentence;

use crate::Page;
use crate::i18n::t;

#[component]
pub fn ExecSummary(
    /// The sentences, in the order the rules write them.
    #[prop(into)]
    sentences: Signal<Vec<Sentence>>,
    /// The part a meeting's slide shows it as (`summary` or `roadmap-summary`).
    part: shared::agenda::Part,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let nav = crate::session::nav();
    // No sentence: the list is empty and the stylesheet hides the section (no markup of its own for "nothing").
    let items = move || {
        sentences
            .get()
            .into_iter()
            .map(|s| {
                let href = crate::state::url(if s.roadmap { Page::Roadmap } else { Page::Coverage }, &s.view);
                let go = href.clone();
                view! {
                    <li data-rule=s.rule.code()>
                        <a href=href on:click=move |ev: leptos::ev::MouseEvent| { ev.prevent_default(); nav.go(&go); }>{s.text}</a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel exec-summary" data-part=part.code() data-testid="exec-summary" aria-labelledby=format!("exec-{}", part.code())>
            <h2 id=format!("exec-{}", part.code())>{move || t(lang.get(), "Resumen ejecutivo", "Executive summary")}</h2>
            <ul>{items}</ul>
        </section>
    }
}
