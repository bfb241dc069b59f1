//! A meeting's minutes (`/reunion/acta?agenda={id}&fecha={ISO date}`, today by default): the agenda, the date, the
//! snapshot on screen and its "Datos al …", each slide with its frozen link, and the agreements taken that day,
//! each with its responsible institution, due date, status and the frozen link of the figures it was decided on.
//! Printed on A4 (the page's print style) or downloaded as CSV (cells that a spreadsheet would run as a formula
//! neutralised).

use leptos::prelude::*;
use shared::Lang;
use shared::agenda::Agenda;
use shared::agreement::Agreement;

use shared::manifest::Manifest;

use crate::api::{self, workspace};
use crate::i18n::t;

/// What the minutes show, loaded together.
#[derive(Clone)]
struct Record {
    agenda: Agenda,
    agreements: Vec<Agreement>,
    /// The current snapshot (its date, and its code book for the institutions' names).
    current: Manifest,
    book: std::sync::Arc<shared::codebook::CodeBook>,
}

/// The `fecha` of the address (ISO), or today in Tegucigalpa.
fn meeting_date() -> String {
    let query = window().location().search().unwrap_or_default();
    let asked = query
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("fecha="))
        .filter(|d| shared::date::Day::parse(d).is_some())
        .map(str::to_owned);
    asked.unwrap_or_else(|| api::iso_day(0))
}

#[component]
pub fn Minutes(lang: RwSignal<Lang>) -> impl IntoView {
    let nav = crate::session::nav();
    let agenda_id = nav.view.with_untracked(|v| v.agenda.clone()).unwrap_or_default();
    let date = meeting_date();
    let record = LocalResource::new(move || {
        let id = agenda_id.clone();
        async move {
            let agenda = workspace::agenda(&id).await?;
            let agreements = workspace::agreements(Some(&id)).await?;
            let (current, _) = api::manifest(shared::api::CURRENT).await?;
            let book = api::book(&current).await?;
            Ok::<_, api::FetchError>(Record { agenda, agreements, current, book })
        }
    });
    view! {
        <crate::pages::RequireRole min=workspace::Role::Viewer lang=lang>
            {
                let date = date.clone();
                move || match record.get() {
                    None => view! { <p class="loading" role="status">{move || t(lang.get(), "Cargando el acta…", "Loading the minutes…")}</p> }.into_any(),
                    Some(Err(e)) => view! { <crate::components::ErrorView message=e.message(lang.get_untracked()) lang=lang /> }.into_any(),
                    Some(Ok(r)) => view! { <Sheet record=r date=date.clone() lang=lang /> }.into_any(),
                }
            }
        </crate::pages::RequireRole>
    }
}

#[component]
fn Sheet(record: Record, date: String, lang: RwSignal<Lang>) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    let Record { agenda, agreements, current, book } = record;
    let taken: Vec<Agreement> =
        agreements.into_iter().filter(|a| a.created_at.get(..10) == Some(date.as_str())).collect();
    let taken_count = taken.len();
    let csv = {
        let (taken, origin, book) = (taken.clone(), origin.clone(), std::sync::Arc::clone(&book));
        let file_date = date.clone();
        move |_| {
            let l = lang.get_untracked();
            let mut out = String::from("\u{feff}");
            let head = [
                t(l, "acuerdo", "agreement"),
                t(l, "institucion_responsable", "responsible_institution"),
                t(l, "fecha_limite", "due"),
                t(l, "estado", "status"),
                t(l, "motivo", "reason"),
                t(l, "diapositiva", "slide"),
                t(l, "enlace_fijo", "frozen_link"),
            ];
            out.push_str(&head.join(","));
            out.push_str("\r\n");
            for a in &taken {
                let cells = [
                    a.taken.text.clone(),
                    book.institution_name(&a.taken.institution, l),
                    a.taken.due.clone(),
                    a.status.label().get(l).to_owned(),
                    a.reason.clone(),
                    a.taken.slide.to_string(),
                    format!("{origin}{}", a.frozen_link()),
                ];
                let line: Vec<String> = cells.iter().map(|c| shared::format::csv_cell(c)).collect();
                out.push_str(&line.join(","));
                out.push_str("\r\n");
            }
            let name = format!("{}-{file_date}.csv", t(l, "acta-acuerdos", "minutes-agreements"));
            crate::export::download_text(&name, &out, "text/csv;charset=utf-8");
        }
    };
    let day = shared::date::Day::parse(&date).map_or_else(|| date.clone(), shared::date::Day::display);
    let m = current;
    let slides = agenda
        .slides
        .iter()
        .map(|s| {
            let (path, query) = s.url.split_once('?').unwrap_or((&s.url, ""));
            let (id, page) = shared::view::split_frozen(path).unwrap_or((None, path.to_owned()));
            let id = id.unwrap_or_else(|| m.snapshot_id.clone());
            let link =
                format!("{origin}{}", shared::view::frozen_path(&id, &page, &shared::view::View::from_query(query)));
            let title = if s.title.trim().is_empty() { None } else { Some(s.title.clone()) };
            let part = s.part;
            let view = shared::view::View::from_query(query);
            let roadmap = shared::agenda::is_roadmap_url(&s.url);
            let words_book = std::sync::Arc::clone(&book);
            view! {
                <li data-testid="minutes-slide">
                    {move || title.clone().unwrap_or_else(|| part.label().get(lang.get()).to_owned())}
                    " · " <span data-testid="minutes-filters">{move || view_in_words(&view, roadmap, &words_book, lang.get())}</span>
                    " — " <a href=link.clone()>{link.clone()}</a>
                </li>
            }
        })
        .collect_view();
    let book = std::sync::Arc::clone(&book);
    let rows = move || {
        let l = lang.get();
        taken
            .iter()
            .map(|a| {
                let link = format!("{origin}{}", a.frozen_link());
                view! {
                    <tr data-testid="minutes-agreement">
                        <th scope="row">{a.taken.text.clone()}</th>
                        <td>{book.institution_name(&a.taken.institution, l)}</td>
                        <td>{a.due_shown()}</td>
                        <td>{if a.reason.is_empty() { a.status.label().get(l).to_owned() } else { format!("{}: {}", a.status.label().get(l), a.reason) }}</td>
                        <td class="num">{a.taken.slide}</td>
                        <td class="link-cell"><a href=link.clone()>{link.clone()}</a></td>
                    </tr>
                }
            })
            .collect_view()
    };
    let nothing_taken = taken_count == 0;
    view! {
        <article class="panel minutes" data-testid="minutes">
            <h1>{move || format!("{}: {}", t(lang.get(), "Acta de reunión", "Meeting minutes"), agenda.name)}</h1>
            <dl>
                <dt>{move || t(lang.get(), "Fecha", "Date")}</dt><dd data-testid="minutes-date">{day.clone()}</dd>
                <dt>{move || t(lang.get(), "Publicación vigente", "Current snapshot")}</dt>
                <dd>{let m = m.clone(); move || format!("{} · {} {}", m.title(lang.get()), t(lang.get(), "Datos al", "Data as of"), shared::format::date(&m.as_of))}</dd>
            </dl>
            {m.synthetic.then(|| view! { <p class="synthetic">{move || shared::demo::SYNTHETIC_LABEL.get(lang.get())}</p> })}
            <h2>{move || t(lang.get(), "Diapositivas", "Slides")}</h2>
            <ol>{slides}</ol>
            <h2>{move || t(lang.get(), "Acuerdos tomados", "Agreements taken")}</h2>
            {if nothing_taken {
                view! { <p data-testid="minutes-none">{move || t(lang.get(), "No se registraron acuerdos ese día.", "No agreements were recorded that day.")}</p> }.into_any()
            } else {
                agreements_table(lang, rows).into_any()
            }}
            <div class="actions no-print">
                <button type="button" on:click=move |_| { let _ = window().print(); }>{move || t(lang.get(), "Imprimir", "Print")}</button>
                <button type="button" class="secondary" on:click=csv>{move || t(lang.get(), "Descargar CSV", "Download CSV")}</button>
            </div>
        </article>
    }
}

/// The agreements' table.
fn agreements_table<F, V>(lang: RwSignal<Lang>, rows: F) -> impl IntoView
where
    F: Fn() -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <table data-testid="minutes-agreements">
            <thead><tr>
                <th scope="col">{move || t(lang.get(), "Acuerdo", "Agreement")}</th>
                <th scope="col">{move || t(lang.get(), "Institución responsable", "Responsible institution")}</th>
                <th scope="col">{move || t(lang.get(), "Fecha límite", "Due")}</th>
                <th scope="col">{move || t(lang.get(), "Estado", "Status")}</th>
                <th scope="col" class="num">{move || t(lang.get(), "Diapositiva", "Slide")}</th>
                <th scope="col">{move || t(lang.get(), "Enlace fijo a las cifras", "Frozen link to the figures")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// A slide's view in words, as its page would title it (the minutes hold no figures, so no table is loaded): the
/// indicator, the place, the months when the link fixes them, and each filter; for the roadmap, its year, window
/// and intervention.
fn view_in_words(v: &shared::view::View, roadmap: bool, book: &shared::codebook::CodeBook, l: Lang) -> String {
    use shared::codes;
    let mut parts: Vec<String> = Vec::new();
    if roadmap {
        parts.push(t(l, "Hoja de ruta", "Roadmap").to_owned());
        if let Some(year) = &v.year {
            parts.push(format!("{} {year}", t(l, "año fiscal", "fiscal year")));
        }
        if let Some(id) = &v.intervention {
            parts.push(id.clone());
        }
    } else {
        parts.push(v.indicator.as_ref().map_or_else(
            || t(l, "indicador principal", "headline indicator").to_owned(),
            |i| book.indicator_name(i, l),
        ));
        let place = shared::dashboard::Place::from_code(book, v.place.as_deref());
        parts.push(crate::model::place_name(book, &place, l));
        parts.push(match (&v.from, &v.to) {
            (Some(a), Some(z)) if a == z => shared::format::period(a, l),
            (Some(a), Some(z)) => format!("{} – {}", shared::format::period(a, l), shared::format::period(z, l)),
            (Some(a), None) => format!("{} {}", t(l, "desde", "from"), shared::format::period(a, l)),
            (None, Some(z)) => format!("{} {}", t(l, "hasta", "to"), shared::format::period(z, l)),
            (None, None) => t(l, "periodo más reciente", "latest period").to_owned(),
        });
        if let Some(p) = &v.population {
            parts.push(book.population_name(p, l));
        }
        for (list, code) in
            [(&codes::SERVICES[..], &v.service), (&codes::SEXES[..], &v.sex), (&codes::AGE_GROUPS[..], &v.age)]
        {
            if let Some(code) = code {
                parts.push(codes::label_of(list, code, l));
            }
        }
    }
    parts.join(" · ")
}
