//! The roadmap view (*hoja de ruta*): what is on track, what is late, who owns it, and whether the money is being
//! spent. The snapshot's roadmap tables (and the previous snapshot's, for slippage) load once; every choice lives
//! in the URL view; the numbers come from `shared::roadmap`, so the page only lays them out.

pub mod agreements;
mod detail;
mod gantt;
mod lists;
mod summary;

use std::sync::Arc;

use leptos::prelude::*;
use shared::Lang;
use shared::codes;
use shared::dashboard::Light;
use shared::date::Day;
use shared::view::View;

use crate::api::{self, Listed, LoadedRoadmap};
use crate::components::{CompareSelect, ErrorView, PrintCover, SnapshotBanner};
use crate::i18n::t;

/// The key date marked on the Gantt when the URL names none: the general elections the roadmap's first year
/// had to beat (DOMAIN.md §5).
pub const ELECTIONS: &str = "2025-11-30";

#[component]
pub fn Roadmap(view: RwSignal<View>, lang: RwSignal<Lang>) -> impl IntoView {
    let super::Loads { listed, main, compare } = super::load_with(
        view,
        |id: String, _shown: bool| async move { api::load_roadmap(&id).await },
        |l: &LoadedRoadmap| &l.manifest,
    );
    move || {
        let main = main.get();
        if main.is_some() {
            crate::components::first_screen_done();
        }
        match main {
        None => view! { <p class="loading" role="status">{move || t(lang.get(), "Cargando la hoja de ruta…", "Loading the roadmap…")}</p> }
            .into_any(),
        Some(Err(e)) => view! { <ErrorView message=e.message(lang.get_untracked()) gone=e.is_gone() lang=lang /> }.into_any(),
        Some(Ok(loaded)) if loaded.roadmap.is_empty() => view! {
            <SnapshotBanner manifest=loaded.manifest.clone() listed=listed view=view lang=lang draft=loaded.draft />
            <p class="note" role="status">{move || t(lang.get(), "Esta publicación no incluye la hoja de ruta (tablas de intervenciones e hitos).", "This snapshot has no roadmap (interventions and milestones tables).")}</p>
        }
        .into_any(),
        Some(Ok(loaded)) => view! { <Page loaded=loaded compare=compare listed=listed view=view lang=lang /> }.into_any(),
    }
    }
}

/// The snapshot's date: what "today" means on every roadmap figure. A draft has none until it is published: its
/// upload day stands in.
pub fn as_of(loaded: &LoadedRoadmap) -> Day {
    let m = &loaded.manifest;
    Day::parse(&m.as_of).or_else(|| Day::parse(m.published_at.get(..10).unwrap_or_default())).unwrap_or(Day(0))
}

/// The roadmap's words for a traffic light (grey means not rated here, not "no target").
pub fn light_label(light: Light, lang: Lang) -> &'static str {
    match light {
        Light::Grey => t(lang, "Sin evaluar", "Not rated"),
        other => other.label().get(lang),
    }
}

/// The letter in a light's badge: the colour never speaks alone.
pub fn light_letter(light: Light, lang: Lang) -> &'static str {
    match (light, lang) {
        (Light::Green, Lang::Es) => "V",
        (Light::Green, Lang::En) => "G",
        (Light::Amber, _) => "A",
        (Light::Red, _) => "R",
        (Light::Grey, _) => "–",
    }
}

/// A traffic light's badge: its colour and, always, its words.
pub fn light_badge(light: Light, lang: Lang) -> impl IntoView {
    view! { <span class=format!("light light-{}", light.code())>{light_label(light, lang)}</span> }
}

/// A percentage, or a dash when there is none.
pub fn pct_or_dash(x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "—".to_owned(), |x| shared::format::percent(x, decimals))
}

/// An intervention's actual dates: "13/01/2026 – en curso" while unfinished, "sin iniciar" before it starts.
pub fn actual_span(i: &shared::roadmap::Intervention, lang: Lang) -> String {
    match (i.actual_start, i.actual_end) {
        (Some(s), Some(e)) => format!("{} – {}", s.display(), e.display()),
        (Some(s), None) => format!("{} – {}", s.display(), t(lang, "en curso", "ongoing")),
        _ => t(lang, "sin iniciar", "not started").to_owned(),
    }
}

/// An institution's name from the shown snapshot's code book.
pub fn institution_name(code: &str, lang: Lang) -> String {
    crate::components::book().institution_name(code, lang)
}

pub fn strategy_name(code: &str, lang: Lang) -> String {
    codes::label_of(&shared::catalog::STRATEGIES, code, lang)
}

pub fn status_name(code: &str, lang: Lang) -> String {
    codes::label_of(&shared::catalog::INTERVENTION_STATUSES, code, lang)
}

pub fn milestone_status_name(code: &str, lang: Lang) -> String {
    codes::label_of(&shared::catalog::MILESTONE_STATUSES, code, lang)
}

/// The fiscal year chosen for budget figures, when the roadmap has it.
fn year_of(view: &View, roadmap: &shared::roadmap::Roadmap) -> Option<i64> {
    view.year.as_deref().and_then(|y| y.parse().ok()).filter(|y| roadmap.fiscal_years().contains(y))
}

#[component]
fn Page(
    loaded: Arc<LoadedRoadmap>,
    compare: Signal<Option<Arc<LoadedRoadmap>>>,
    listed: Signal<Vec<Listed>>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    // The summary and lists show first; the budget chart and the Gantt draw after the first paint, a task each.
    crate::components::Painted::provide();
    provide_context(Arc::clone(&loaded.book));
    crate::components::tell_shown(&loaded.manifest.snapshot_id, &loaded.book);
    let data = StoredValue::new(Arc::clone(&loaded));
    let at = as_of(&loaded);
    let year = Memo::new(move |_| view.with(|v| data.with_value(|d| year_of(v, &d.roadmap))));
    let summary = Memo::new(move |_| data.with_value(|d| d.roadmap.summary(at, year.get())));
    let exec =
        Memo::new(move |_| view.with(|v| data.with_value(|d| shared::summary::roadmap(&d.roadmap, at, v, lang.get()))));
    let manifest = loaded.manifest.clone();
    let filters = move || {
        let l = lang.get();
        view.with(|v| {
            format!(
                "{}: {} · {}: {} · {}: {}",
                t(l, "Ventana", "Window"),
                v.window.as_deref().map_or_else(
                    || t(l, "todo el plan", "the whole plan").to_owned(),
                    |w| shared::format::period(w, l)
                ),
                t(l, "Año fiscal", "Fiscal year"),
                v.year.clone().unwrap_or_else(|| t(l, "todos", "all").to_owned()),
                t(l, "Fecha clave", "Key date"),
                shared::format::date(v.key_date.as_deref().unwrap_or(ELECTIONS)),
            )
        })
    };
    // The exports' first lines: which page and which filters.
    provide_context(crate::export::ExportMeta(Signal::derive(move || {
        vec![("page", t(lang.get(), "Hoja de ruta", "Roadmap").to_owned()), ("filters", filters())]
    })));
    view! {
        <PrintCover manifest=loaded.manifest.clone() page=shared::Label { es: "Hoja de ruta", en: "Roadmap" } filters=Signal::derive(filters) summary=exec lang=lang />
        {crate::components::presenting().map(|_| view! {
            <crate::components::SlideHead manifest=loaded.manifest.clone() view=view lang=lang caption=Signal::derive(filters) />
        })}
        <SnapshotBanner manifest=manifest listed=listed view=view lang=lang draft=loaded.draft />
        <crate::components::ExecSummary sentences=exec part=shared::agenda::Part::RoadmapSummary lang=lang />
        <Filters data=data listed=listed view=view lang=lang />
        <summary::Summary summary=summary year=year at=at lang=lang />
        <gantt::GanttPanel data=data view=view lang=lang />
        <lists::LateAndUpcoming data=data view=view lang=lang />
        {(crate::session::nav().bundle.agreements)(lang)}
        {view.with_untracked(|v| v.snapshot.clone()).map(|id| view! { <agreements::SharedAgreements snapshot=id lang=lang /> })}
        <lists::Institutions data=data year=year lang=lang />
        <lists::Slippage data=data compare=compare view=view lang=lang />
        <lists::Risks data=data lang=lang />
        <detail::Detail data=data view=view lang=lang />
    }
}

/// The Gantt's time windows: the whole plan, each year it spans, each quarter of those years.
pub fn windows(roadmap: &shared::roadmap::Roadmap, at: Day) -> Vec<String> {
    let (first, last) = plan_span(roadmap, at);
    let (y0, y1) = (first.ymd().0, last.ymd().0);
    let mut out = Vec::new();
    for y in y0..=y1 {
        out.push(y.to_string());
        out.extend((1..=4).map(|q| format!("{y}-T{q}")));
    }
    out
}

/// From the first planned or actual start to the last end (or the snapshot date), whole months.
pub fn plan_span(roadmap: &shared::roadmap::Roadmap, at: Day) -> (Day, Day) {
    let starts = roadmap.interventions.iter().flat_map(|i| [Some(i.planned_start), i.actual_start]).flatten();
    let ends = roadmap.interventions.iter().flat_map(|i| [Some(i.planned_end), i.actual_end]).flatten();
    let first = starts.min().unwrap_or(at);
    let last = ends.chain(std::iter::once(at)).max().unwrap_or(at);
    let (y, m, _) = first.ymd();
    let (y1, m1, _) = last.ymd();
    (Day::from_ymd(y, m, 1), Day::last_of_month(y1, m1))
}

/// The window a URL value names (`2026`, `2026-T4`), or the whole plan.
pub fn window_of(value: Option<&str>, roadmap: &shared::roadmap::Roadmap, at: Day) -> (Day, Day) {
    let parsed = value.and_then(|v| {
        let (y, q) = match v.split_once("-T") {
            Some((y, q)) => (y.parse::<i32>().ok()?, Some(q.parse::<u32>().ok().filter(|q| (1..=4).contains(q))?)),
            None => (v.parse::<i32>().ok()?, None),
        };
        (1900..=2200).contains(&y).then_some(())?;
        Some(match q {
            Some(q) => (Day::from_ymd(y, q * 3 - 2, 1), Day::last_of_month(y, q * 3)),
            None => (Day::from_ymd(y, 1, 1), Day::from_ymd(y, 12, 31)),
        })
    });
    parsed.unwrap_or_else(|| plan_span(roadmap, at))
}

#[component]
fn Filters(
    data: StoredValue<Arc<LoadedRoadmap>>,
    listed: Signal<Vec<Listed>>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let (years, windows) = data.with_value(|d| (d.roadmap.fiscal_years(), windows(&d.roadmap, as_of(d))));
    let year_options = move || {
        let l = lang.get();
        let chosen = view.with(|v| v.year.clone());
        let rest = years
            .iter()
            .map(|y| {
                let y = y.to_string();
                view! { <option value=y.clone() selected={chosen.as_deref() == Some(y.as_str())}>{y.clone()}</option> }
            })
            .collect_view();
        view! { <option value="" selected=chosen.is_none()>{t(l, "Todos los años", "All years")}</option> {rest} }
    };
    let window_options = move || {
        let l = lang.get();
        let chosen = view.with(|v| v.window.clone());
        let rest = windows
            .iter()
            .map(|w| {
                let label = match w.split_once("-T") {
                    Some((y, q)) => format!("{} {q} · {y}", t(l, "Trimestre", "Quarter")),
                    None => format!("{} {w}", t(l, "Año", "Year")),
                };
                view! { <option value=w.clone() selected={chosen.as_deref() == Some(w.as_str())}>{label}</option> }
            })
            .collect_view();
        view! { <option value="" selected=chosen.is_none()>{t(l, "Todo el plan", "Whole plan")}</option> {rest} }
    };
    let field = |id: &'static str, es: &'static str, en: &'static str| {
        view! { <label for=id>{move || t(lang.get(), es, en)}</label> }
    };
    let key_date = move || {
        let iso = view.with(|v| v.key_date.clone()).unwrap_or_else(|| ELECTIONS.to_owned());
        Day::parse(&iso).map_or(iso, Day::display)
    };
    let bad_date = RwSignal::new(false);
    view! {
        <form class="filters" aria-label=move || t(lang.get(), "Opciones de la hoja de ruta", "Roadmap options") on:submit=|ev| ev.prevent_default()>
            <div class="field">
                {field("r-window", "Ventana del cronograma", "Timeline window")}
                <select id="r-window" data-testid="window" on:change=move |ev| {
                    let value = event_target_value(&ev);
                    view.update(|v| v.window = (!value.is_empty()).then_some(value));
                }>{window_options}</select>
            </div>
            <div class="field">
                {field("r-year", "Año fiscal del presupuesto", "Budget fiscal year")}
                <select id="r-year" data-testid="year" on:change=move |ev| {
                    let value = event_target_value(&ev);
                    view.update(|v| v.year = (!value.is_empty()).then_some(value));
                }>{year_options}</select>
            </div>
            <div class="field">
                {field("r-key-date", "Fecha clave marcada", "Key date marked")}
                <input id="r-key-date" type="text" inputmode="numeric" placeholder="dd/mm/aaaa" autocomplete="off"
                    data-testid="key-date" aria-describedby="r-key-date-hint" aria-invalid=move || bad_date.get().to_string()
                    prop:value=key_date on:change=move |ev| {
                        let value = event_target_value(&ev);
                        match Day::parse_display(&value) {
                            Some(day) => {
                                bad_date.set(false);
                                let iso = day.iso();
                                view.update(|v| v.key_date = (iso != ELECTIONS).then_some(iso));
                            }
                            None => bad_date.set(true),
                        }
                    } />
                <span id="r-key-date-hint" class=move || if bad_date.get() { "hint bad" } else { "hint" }>
                    {move || if bad_date.get() {
                        t(lang.get(), "Fecha no válida: escríbala como dd/mm/aaaa.", "Not a date: write it as dd/mm/yyyy.")
                    } else {
                        t(lang.get(), "dd/mm/aaaa; por defecto, las elecciones generales.", "dd/mm/yyyy; the general elections by default.")
                    }}
                </span>
            </div>
            <div class="field wide">
                {field("f-compare", "Comparar con", "Compare with")}
                <CompareSelect listed=listed view=view lang=lang />
            </div>
        </form>
    }
}
