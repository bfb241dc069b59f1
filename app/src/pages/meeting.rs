//! Meeting mode (`/reunion`): agendas of saved views, presented full screen one slide at a time
//! (`/reunion?agenda={id}&diapositiva={n}`), and, for analysts and admins, the agenda editor.
//!
//! A slide is a view of the dashboard (its URL) and the part of it shown: the page itself is rendered with the
//! slide's view and a [`Presenting`] context, which makes it show that part only, at projector size.

use leptos::prelude::*;
use shared::Lang;
use shared::agenda::{Agenda, AgendaInput, Part, Problem, Slide};

use crate::Page;
use crate::api::workspace::{self, Role};
use crate::components::ErrorView;
use crate::i18n::t;
use crate::session::{Session, nav};

mod agreement_form;
pub mod minutes;

#[component]
pub fn Meeting(lang: RwSignal<Lang>) -> impl IntoView {
    let view = nav().view;
    let agenda = Memo::new(move |_| view.with(|v| v.agenda.clone()));
    move || match agenda.get() {
        Some(id) => view! { <Presenter id=id lang=lang /> }.into_any(),
        None => view! { <Agendas lang=lang /> }.into_any(),
    }
}

/// The URL that presents an agenda from slide `n` (from 1).
pub fn present_url(id: &str, n: usize, lang: Lang) -> String {
    let view = shared::view::View {
        agenda: Some(id.to_owned()),
        slide: (n > 1).then(|| n.to_string()),
        lang,
        ..shared::view::View::default()
    };
    crate::state::url(Page::Meeting, &view)
}

/// What a key does in a presentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Next,
    Previous,
    First,
    Last,
    Digit(usize),
    Leave,
}

fn step_of(key: &str) -> Option<Step> {
    Some(match key {
        "ArrowRight" | "ArrowDown" | " " | "PageDown" | "Enter" => Step::Next,
        "ArrowLeft" | "ArrowUp" | "PageUp" | "Backspace" => Step::Previous,
        "Home" => Step::First,
        "End" => Step::Last,
        "Escape" => Step::Leave,
        k => Step::Digit(k.parse().ok().filter(|_| k.len() == 1)?),
    })
}

/// Whether a key scrolls a tall slide before it changes slide: `Some(true)` down, `Some(false)` up.
fn scrolls(key: &str) -> Option<bool> {
    match key {
        "ArrowDown" | "PageDown" => Some(true),
        "ArrowUp" | "PageUp" => Some(false),
        _ => None,
    }
}

/// Scrolls the page most of a screen down (or up) when more of the slide is that way, above the slide bar; false
/// at its end. The slide's own box is measured: hidden pieces of the page (a tooltip) do not count.
fn scroll_within(down: bool) -> bool {
    let w = window();
    let (Some(y), Some(height)) = (w.scroll_y().ok(), w.inner_height().ok().and_then(|h| h.as_f64())) else {
        return false;
    };
    let bottom = |selector: &str, edge: fn(&web_sys::DomRect) -> f64| {
        document().query_selector(selector).ok().flatten().map(|e| edge(&e.get_bounding_client_rect()))
    };
    let (Some(slide_bottom), Some(bar_top)) =
        (bottom(".meeting .slide", |r| r.bottom()), bottom(".slide-bar", |r| r.top()))
    else {
        return false;
    };
    // A step leaves a sixth of the screen in common with the last; a few pixels more are not a screenful to show.
    let step = height * 5.0 / 6.0;
    let more = if down { slide_bottom > bar_top + 48.0 } else { y > 0.5 };
    if more {
        w.scroll_to_with_x_and_y(0.0, if down { y + step.min(slide_bottom - bar_top) } else { (y - step).max(0.0) });
    }
    more
}

#[component]
fn Presenter(id: String, lang: RwSignal<Lang>) -> impl IntoView {
    let nav = nav();
    let loaded = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { workspace::agenda(&id).await }
        }
    });
    let count = Memo::new(move |_| loaded.get().and_then(Result::ok).map_or(0, |a| a.slides.len()));
    // The slide shown (from 1), from the URL: back and forward step through slides too.
    let at = Memo::new(move |_| {
        let n = nav.view.with(|v| v.slide.as_deref().and_then(|s| s.parse::<usize>().ok()).unwrap_or(1));
        n.clamp(1, count.get().max(1))
    });
    let go_to = move |n: usize| {
        let n = n.clamp(1, count.get_untracked().max(1));
        if n != at.get_untracked() {
            nav.view.update(|v| v.slide = (n > 1).then(|| n.to_string()));
        }
    };
    let leave = move || {
        if document().fullscreen_element().is_some() {
            document().exit_fullscreen();
        }
        nav.go(&crate::state::url(
            Page::Meeting,
            &shared::view::View { lang: lang.get_untracked(), ..Default::default() },
        ));
    };
    // The agreement form: `A` opens it for analysts and admins, Esc closes it; what the slide shows is told by
    // its page.
    let shown = RwSignal::new(None::<crate::components::Shown>);
    provide_context(shown);
    let form_open = RwSignal::new(false);
    let saved = RwSignal::new(0_usize);
    let may_record = move || nav.session.with(|s| s.role().is_some_and(|r| r >= Role::Analyst));
    // A number typed within a second of the previous digit extends it: "1", "2" jumps to slide 12.
    let typed = StoredValue::new((String::new(), 0.0_f64));
    let on_key = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        if form_open.get_untracked() {
            if ev.key() == "Escape" {
                ev.prevent_default();
                form_open.set(false);
            }
            return;
        }
        // Keys typed into a control (a filter, a button) are the control's.
        let in_control = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "A"));
        if !in_control && matches!(ev.key().as_str(), "a" | "A") && may_record() {
            ev.prevent_default();
            form_open.set(true);
            return;
        }
        let Some(step) = step_of(&ev.key()) else { return };
        if in_control && !matches!(step, Step::Leave) {
            return;
        }
        ev.prevent_default();
        // A slide taller than the screen (a long timeline, the risks) scrolls first: ↓ and PageDown show its next
        // screenful, ↑ and PageUp the previous one, and only at its end do they change slide (→, ←, space and
        // Enter always do).
        if let Some(down) = scrolls(&ev.key())
            && scroll_within(down)
        {
            return;
        }
        let now = crate::api::now_ms();
        match step {
            Step::Next => go_to(at.get_untracked() + 1),
            Step::Previous => go_to(at.get_untracked().saturating_sub(1)),
            Step::First => go_to(1),
            Step::Last => go_to(count.get_untracked()),
            Step::Leave => leave(),
            Step::Digit(d) => {
                let number = typed.with_value(|(digits, when)| {
                    if now - when < 1000.0 && !digits.is_empty() { format!("{digits}{d}") } else { d.to_string() }
                });
                typed.set_value((number.clone(), now));
                if let Ok(n) = number.parse::<usize>()
                    && n >= 1
                {
                    go_to(n);
                }
            }
        }
    });
    on_cleanup(move || on_key.remove());
    // The page around the slide disappears (the top bar, the scroll): the slide fills the screen.
    if let Some(root) = document().document_element() {
        let _ = root.class_list().add_1("presenting");
    }
    on_cleanup(|| {
        if let Some(root) = document().document_element() {
            let _ = root.class_list().remove_1("presenting");
        }
    });
    let full_screen = move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.request_fullscreen();
        }
    };
    move || {
        match loaded.get() {
        None => view! { <p class="loading" role="status">{move || t(lang.get(), "Cargando la agenda…", "Loading the agenda…")}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorView message=e.message(lang.get_untracked()) lang=lang /> }.into_any(),
        Some(Ok(agenda)) => {
            let name = agenda.name.clone();
            let slides = agenda.slides.clone();
            let urls: Vec<String> = slides.iter().map(|s| s.url.clone()).collect();
            let slide = Signal::derive(move || (at.get(), urls.get(at.get() - 1).cloned().unwrap_or_default()));
            view! {
                <div class="meeting" data-testid="meeting">
                    {move || {
                        let n = at.get();
                        // The next slide's page tells what it shows once its data has loaded.
                        shown.set(None);
                        slides.get(n - 1).cloned().map(|s| view! { <SlideView slide=s lang=lang /> })
                    }}
                    <agreement_form::AgreementForm agenda_id=agenda.id.clone() slide=slide shown=shown open=form_open saved=saved lang=lang />
                    <footer class="slide-bar">
                        <span class="slide-agenda">{name}</span>
                        <span class="slide-count" data-testid="slide-count" aria-live="polite">{move || format!("{} / {}", at.get(), count.get())}</span>
                        <span class="slide-keys">{move || t(lang.get(), "→ siguiente · ← anterior · número: ir · Esc: salir", "→ next · ← previous · number: go to · Esc: leave")}</span>
                        <Show when=may_record>
                            <span role="status" data-testid="agreements-saved">{move || match (saved.get(), lang.get()) {
                                (0, _) => String::new(),
                                (1, Lang::Es) => "1 acuerdo registrado".to_owned(),
                                (1, Lang::En) => "1 agreement recorded".to_owned(),
                                (n, Lang::Es) => format!("{n} acuerdos registrados"),
                                (n, Lang::En) => format!("{n} agreements recorded"),
                            }}</span>
                            <button type="button" class="secondary" data-testid="agreement-open" on:click=move |_| form_open.set(true)>{move || t(lang.get(), "Acuerdo (A)", "Agreement (A)")}</button>
                        </Show>
                        <button type="button" class="secondary" on:click=full_screen>{move || t(lang.get(), "Pantalla completa", "Full screen")}</button>
                        <button type="button" class="secondary" data-testid="leave" on:click=move |_| leave()>{move || t(lang.get(), "Salir", "Leave")}</button>
                    </footer>
                </div>
            }
            .into_any()
        }
    }
    }
}

/// One slide: its page rendered with its own view (never the address bar's) and the part to show.
#[component]
fn SlideView(slide: Slide, lang: RwSignal<Lang>) -> impl IntoView {
    let (path, query) = slide.url.split_once('?').unwrap_or((&slide.url, ""));
    let (page, mut slide_view) = crate::state::parse(path, query);
    slide_view.lang = lang.get_untracked();
    view! {
        <super::PartView part=slide.part view=RwSignal::new(slide_view) lang=lang roadmap=page == Page::Roadmap
            title=slide.title.clone() />
    }
}

/// The list of agendas, with "Presentar" for everyone and the editor for analysts and admins.
#[component]
fn Agendas(lang: RwSignal<Lang>) -> impl IntoView {
    let nav = nav();
    let reload = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        reload.track();
        workspace::agendas()
    });
    let editing = RwSignal::new(None::<Draft>);
    let may_edit = move || nav.session.with(|s| s.role().is_some_and(|r| r >= Role::Analyst));
    let message = RwSignal::new(None::<String>);
    let remove = move |a: Agenda| {
        let l = lang.get_untracked();
        let ask = format!("{} «{}»?", t(l, "¿Eliminar la agenda", "Delete the agenda"), a.name);
        if !window().confirm_with_message(&ask).unwrap_or(false) {
            return;
        }
        let csrf = nav.session.with_untracked(Session::csrf);
        leptos::task::spawn_local(async move {
            match workspace::delete_agenda(&a.id, &csrf).await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(f) => message.set(nav.check(f).map(|f| f.message(l))),
            }
        });
    };
    let rows = move || {
        let l = lang.get();
        match list.get() {
            None => view! { <p class="loading" role="status">{t(l, "Cargando agendas…", "Loading agendas…")}</p> }
                .into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{e.message(l)}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => {
                view! { <p>{t(l, "Todavía no hay agendas guardadas.", "No agendas saved yet.")}</p> }.into_any()
            }
            Some(Ok(list)) => {
                let items = list
                    .into_iter()
                    .map(|a| {
                        let href = present_url(&a.id, 1, l);
                        let go = href.clone();
                        let edit = a.clone();
                        let del = a.clone();
                        view! {
                            <tr data-testid="agenda-row" data-id=a.id.clone()>
                                <th scope="row">{a.name.clone()}</th>
                                <td class="num">{a.slides.len()}</td>
                                <td>{format!("{} · {}", super::timestamp(&a.updated_at), a.created_by)}</td>
                                <td class="actions">
                                    <a class="button" href=href data-testid="present" on:click=move |ev: leptos::ev::MouseEvent| {
                                        ev.prevent_default();
                                        nav.go(&go);
                                    }>{t(l, "Presentar", "Present")}</a>
                                    <a class="button secondary" data-testid="minutes-link"
                                        href=format!("{}?agenda={}{}", shared::api::MINUTES_PAGE, workspace::encode(&a.id), if l == Lang::En { "&lang=en" } else { "" })>
                                        {t(l, "Acta de hoy", "Today's minutes")}</a>
                                    <Show when=may_edit>
                                        <button type="button" class="secondary" data-testid="edit" on:click={
                                            let edit = edit.clone();
                                            move |_| editing.set(Some(Draft::of(&edit)))
                                        }>{t(l, "Editar", "Edit")}</button>
                                        <button type="button" class="secondary danger" on:click={
                                            let del = del.clone();
                                            move |_| remove(del.clone())
                                        }>{t(l, "Eliminar", "Delete")}</button>
                                    </Show>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-scroll" tabindex="0"><table data-testid="agendas">
                        <thead><tr>
                            <th scope="col">{t(l, "Agenda", "Agenda")}</th>
                            <th scope="col" class="num">{t(l, "Diapositivas", "Slides")}</th>
                            <th scope="col">{t(l, "Actualizada", "Updated")}</th>
                            <th scope="col"><span class="visually-hidden">{t(l, "Acciones", "Actions")}</span></th>
                        </tr></thead>
                        <tbody>{items}</tbody>
                    </table></div>
                }
                .into_any()
            }
        }
    };
    view! {
        <section class="panel">
            <h1 class="page-title">{move || t(lang.get(), "Modo reunión", "Meeting mode")}</h1>
            <p>{move || t(lang.get(),
                "Una agenda es una lista de vistas guardadas del tablero. Al presentarla, cada vista ocupa la pantalla: flechas o barra espaciadora para avanzar, un número para saltar, Esc para salir.",
                "An agenda is a list of saved dashboard views. Presented, each view fills the screen: arrows or space to move on, a number to jump, Esc to leave.")}</p>
            {rows}
            {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <Show when=move || may_edit() && editing.with(Option::is_none)>
                <button type="button" data-testid="new-agenda" on:click=move |_| editing.set(Some(Draft::new(nav.last_view.get_untracked())))>
                    {move || t(lang.get(), "Nueva agenda", "New agenda")}</button>
            </Show>
        </section>
        {move || editing.get().map(|d| view! { <Editor draft=d editing=editing reload=reload lang=lang /> })}
    }
}

/// An agenda being edited: its id (`None` when new), name and slides.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Draft {
    id: Option<String>,
    name: String,
    slides: Vec<Slide>,
    public_agreements: bool,
}

impl Draft {
    fn of(a: &Agenda) -> Self {
        Self {
            id: Some(a.id.clone()),
            name: a.name.clone(),
            slides: a.slides.clone(),
            public_agreements: a.public_agreements,
        }
    }

    /// A new agenda, starting from the last dashboard view opened (or the coverage page).
    fn new(last: Option<String>) -> Self {
        let url = last.unwrap_or_else(|| "/".to_owned());
        Self { id: None, name: String::new(), slides: vec![first_slide(url)], public_agreements: false }
    }
}

fn first_slide(url: String) -> Slide {
    let part = if shared::agenda::is_roadmap_url(&url) { Part::Progress } else { Part::Map };
    Slide { url, part, title: String::new() }
}

#[component]
fn Editor(
    draft: Draft,
    editing: RwSignal<Option<Draft>>,
    reload: RwSignal<u32>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let nav = nav();
    let id = draft.id.clone();
    let name = RwSignal::new(draft.name);
    let slides = RwSignal::new(draft.slides);
    let public = RwSignal::new(draft.public_agreements);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let failure = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let edit = move |i: usize, f: Box<dyn FnOnce(&mut Slide)>| {
        slides.update(|s| {
            if let Some(slide) = s.get_mut(i) {
                f(slide);
            }
        });
    };
    let swap = move |i: usize, j: usize| {
        slides.update(|s| {
            if i < s.len() && j < s.len() {
                s.swap(i, j);
            }
        });
    };
    let save = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let input = AgendaInput {
                name: name.get_untracked(),
                slides: slides.get_untracked(),
                public_agreements: public.get_untracked(),
            };
            // The same checks as the server, before sending: every problem at once.
            let found = shared::agenda::check(&input);
            problems.set(found.clone());
            failure.set(None);
            if !found.is_empty() {
                return;
            }
            let csrf = nav.session.with_untracked(Session::csrf);
            let id = id.clone();
            saving.set(true);
            leptos::task::spawn_local(async move {
                let l = lang.get_untracked();
                match workspace::save_agenda(id.as_deref(), &input, &csrf).await {
                    Ok(_) => {
                        editing.set(None);
                        reload.update(|n| *n += 1);
                    }
                    Err(refused) => {
                        problems.set(refused.problems);
                        failure.set(nav.check(refused.failure).map(|f| f.message(l)));
                    }
                }
                saving.set(false);
            });
        }
    };
    let rows = move || {
        let l = lang.get();
        let n = slides.with(Vec::len);
        slides
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let number = i + 1;
                let part_options = Part::ALL
                    .into_iter()
                    .map(|p| view! { <option value=p.code() selected=p == s.part>{format!("{} — {}", if p.is_roadmap() { t(l, "Hoja de ruta", "Roadmap") } else { t(l, "Cobertura", "Coverage") }, p.label().get(l))}</option> })
                    .collect_view();
                let url_id = format!("slide-url-{number}");
                let part_id = format!("slide-part-{number}");
                let title_id = format!("slide-title-{number}");
                let first = i == 0;
                let last = i + 1 == n;
                view! {
                    <li class="slide-row" data-testid="slide-row">
                        <span class="slide-number">{number}</span>
                        <div class="field wide">
                            <label for=url_id.clone()>{t(l, "Enlace de la vista", "Link to the view")}</label>
                            <input id=url_id type="text" prop:value=s.url.clone() data-testid="slide-url"
                                on:change=move |ev| { let v = event_target_value(&ev); edit(i, Box::new(move |s| s.url = shared::agenda::relative(&v))) } />
                        </div>
                        <div class="field">
                            <label for=part_id.clone()>{t(l, "Parte", "Part")}</label>
                            <select id=part_id data-testid="slide-part" on:change=move |ev| {
                                if let Some(p) = Part::from_code(&event_target_value(&ev)) { edit(i, Box::new(move |s| s.part = p)) }
                            }>{part_options}</select>
                        </div>
                        <div class="field">
                            <label for=title_id.clone()>{t(l, "Título (opcional)", "Title (optional)")}</label>
                            <input id=title_id type="text" prop:value=s.title.clone()
                                on:change=move |ev| { let v = event_target_value(&ev); edit(i, Box::new(move |s| s.title = v)) } />
                        </div>
                        <div class="field actions">
                            <button type="button" class="secondary" disabled=first aria-label=format!("{} {number}", t(l, "Subir la diapositiva", "Move up slide"))
                                on:click=move |_| swap(i, i.wrapping_sub(1))>"↑"</button>
                            <button type="button" class="secondary" disabled=last aria-label=format!("{} {number}", t(l, "Bajar la diapositiva", "Move down slide"))
                                on:click=move |_| swap(i, i + 1)>"↓"</button>
                            <button type="button" class="secondary" aria-label=format!("{} {number}", t(l, "Quitar la diapositiva", "Remove slide"))
                                on:click=move |_| slides.update(|s| { if i < s.len() { s.remove(i); } })>"✕"</button>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    let add = move |_| {
        let url = nav.last_view.get_untracked().unwrap_or_else(|| "/".to_owned());
        slides.update(|s| s.push(first_slide(url)));
    };
    view! {
        <form class="panel editor" data-testid="agenda-editor" on:submit=save>
            <h2>{move || if id.is_some() { t(lang.get(), "Editar agenda", "Edit agenda") } else { t(lang.get(), "Nueva agenda", "New agenda") }}</h2>
            <p class="hint">{move || t(lang.get(),
                "Abra en el tablero la vista que quiere mostrar (filtros, indicador, lugar) y copie su enlace con «Compartir», o pegue aquí cualquier enlace del tablero. La nueva diapositiva empieza con la última vista que abrió.",
                "Open the view you want in the dashboard (filters, indicator, place) and copy its link with “Share”, or paste any dashboard link here. A new slide starts from the last view you opened.")}</p>
            <div class="field wide">
                <label for="agenda-name">{move || t(lang.get(), "Nombre", "Name")}</label>
                <input id="agenda-name" type="text" data-testid="agenda-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            </div>
            <ol class="slides">{rows}</ol>
            <p><button type="button" class="secondary" data-testid="add-slide" on:click=add>{move || t(lang.get(), "Añadir diapositiva", "Add slide")}</button></p>
            <p class="check">
                <input id="agenda-public" type="checkbox" data-testid="agenda-public" prop:checked=move || public.get() on:change=move |ev| public.set(event_target_checked(&ev)) />
                <label for="agenda-public">{move || t(lang.get(),
                    "Mostrar los acuerdos de estas reuniones en los enlaces fijos de la publicación en que se tomaron (qué, quién, para cuándo y su estado; nunca quién lo registró ni por qué se descartó)",
                    "Show these meetings' agreements on the frozen links of the snapshot they were taken on (what, who, by when and their status; never who recorded one or why it was dropped)")}</label>
            </p>
            {move || {
                let l = lang.get();
                let list = problems.get();
                (!list.is_empty()).then(|| view! {
                    <div class="error" role="alert" data-testid="agenda-problems">
                        <p>{t(l, "La agenda no se guardó:", "The agenda was not saved:")}</p>
                        <ul>{list.iter().map(|p| view! { <li>{p.message(l).to_owned()}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            {move || failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <p class="actions">
                <button type="submit" data-testid="save-agenda" disabled=move || saving.get()>{move || t(lang.get(), "Guardar agenda", "Save agenda")}</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>{move || t(lang.get(), "Cancelar", "Cancel")}</button>
            </p>
        </form>
    }
}
