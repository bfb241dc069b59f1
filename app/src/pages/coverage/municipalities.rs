//! The map's municipal level: a department's municipalities (fetched when it is drilled into), each with the
//! figures of the offices the territories list places there, "sin oficina" elsewhere; and the rows the places'
//! table shows for them instead of the departments.
//! The URL's `municipios` names the department, shown while the place is that department or one of its offices.

use std::sync::Arc;

use leptos::prelude::*;
use shared::Lang;
use shared::aggregate::{Sum, by_municipality};
use shared::codebook::CodeBook;
use shared::codes::Department;
use shared::dashboard::{self, Breakdown};
use shared::geo::Regions;
use shared::view::View;

use super::set;
use crate::api::{self, FetchError};
use crate::i18n::t;
use crate::model::format_value;

/// The last department's municipalities fetched, by ISO code (the browser keeps the immutable file for a second
/// visit).
type Fetched = Option<(&'static str, Result<Arc<Regions>, FetchError>)>;

/// Where the map is: the place's department and whether it is drilled into, and the municipalities fetched.
#[derive(Clone, Copy)]
pub(super) struct Drill {
    /// The department of the place (itself, or an office's), and whether the URL drills into it.
    place: Memo<Option<(&'static Department, bool)>>,
    fetched: RwSignal<Fetched>,
}

impl Drill {
    pub fn new(view: RwSignal<View>, book: Arc<CodeBook>) -> Self {
        let place = Memo::new(move |_| {
            view.with(|v| {
                let d = book.department_of(v.place.as_deref()?)?;
                Some((d, v.municipalities.as_deref() == Some(d.iso)))
            })
        });
        let fetched = RwSignal::new(None);
        let drill = Self { place, fetched };
        Effect::new(move |_| {
            let Some(d) = drill.department() else { return };
            if fetched.with_untracked(|f: &Fetched| f.as_ref().is_some_and(|(iso, _)| *iso == d.iso)) {
                return;
            }
            leptos::task::spawn_local(async move {
                let got = api::municipalities(d.iso).await.map(Arc::new);
                let _ = fetched.try_set(Some((d.iso, got)));
            });
        });
        drill
    }

    /// The department whose municipalities the map shows (`None`: the country).
    pub fn department(self) -> Option<&'static Department> {
        self.place.get().filter(|p| p.1).map(|p| p.0)
    }

    /// The department of the place, which the drill-down button opens.
    pub fn offer(self) -> Option<&'static Department> {
        self.place.get().map(|p| p.0)
    }

    /// The drilled department and its municipalities, when they are there to draw.
    pub fn ready(self) -> Option<(&'static Department, Arc<Regions>)> {
        let d = self.department()?;
        self.fetched.with(|f| match f {
            Some((iso, Ok(geo))) if *iso == d.iso => Some((d, Arc::clone(geo))),
            _ => None,
        })
    }

    /// Whether the drilled department's municipalities are loading or could not be loaded, in words (else empty).
    fn status(self, l: Lang) -> String {
        let Some(d) = self.department() else { return String::new() };
        self.fetched.with(|f| match f {
            Some((iso, Ok(_))) if *iso == d.iso => String::new(),
            Some((iso, Err(e))) if *iso == d.iso => format!(
                "{} {}: {}",
                t(l, "No se pudieron cargar los municipios de", "Could not load the municipalities of"),
                d.name,
                e.message(l)
            ),
            _ => t(l, "Cargando los municipios…", "Loading the municipalities…").to_owned(),
        })
    }
}

/// Opens the municipalities of the place's department, or goes back to the whole country (place cleared): one
/// history entry either way.
pub(super) fn toggle(view: RwSignal<View>, drill: Drill) {
    match drill.place.get_untracked() {
        Some((_, true)) => set(view, |v| (v.municipalities, v.place) = (None, None)),
        Some((d, false)) => set(view, |v| v.municipalities = Some(d.iso.to_owned())),
        None => {}
    }
}

/// One municipality as the map and its table show it.
pub(super) struct Row {
    pub code: String,
    pub name: String,
    /// The offices the list places there, by code and name (a municipality without is "sin oficina").
    pub offices: Vec<(String, String)>,
    /// What its offices add up to in the view (`None`: no rows).
    pub sum: Option<Sum>,
}

/// A department's municipalities in INE order (what no municipality of it holds is `by_municipality`'s second list).
pub(super) fn rows(book: &CodeBook, b: &Breakdown, d: &'static Department, geo: &Regions, lang: Lang) -> Vec<Row> {
    let sums = by_municipality(book, &b.by_territory, d).0;
    geo.regions
        .iter()
        .map(|m| Row {
            offices: book
                .territories
                .iter()
                .filter(|o| o.department.is_some_and(|x| x.iso == d.iso) && o.municipality.as_ref() == Some(&m.id))
                .map(|o| (o.code.clone(), o.name.get(lang).to_owned()))
                .collect(),
            sum: sums.iter().find(|(code, _)| *code == m.id).map(|(_, s)| *s),
            code: m.id.clone(),
            name: m.name.clone(),
        })
        .collect()
}

/// The municipalities with an office as the map colours them, named; those without are left out ("sin oficina").
pub(super) fn region_values(rows: &[Row], unit: shared::catalog::Unit) -> Vec<crate::charts::map::RegionValue<'_>> {
    rows.iter()
        .filter(|m| !m.offices.is_empty())
        .map(|m| crate::charts::map::RegionValue {
            id: &m.code,
            label: &m.name,
            value: m.sum.as_ref().and_then(|s| dashboard::display(unit, s)),
            suppressed: m.sum.is_some_and(|s| s.reported == 0 && s.suppressed > 0),
        })
        .collect()
}

/// The button beside the map: into the place's department, then back to the country (Esc too, unless a dialog is
/// open, where Esc closes it); and whether the municipalities are loading or could not be.
pub(super) fn drill_controls(
    drill: Drill,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
    presenting: bool,
) -> impl IntoView {
    if !presenting {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            let dialog = || document().query_selector("[aria-modal=true]").ok().flatten().is_some();
            if ev.key() == "Escape" && drill.place.get_untracked().is_some_and(|p| p.1) && !dialog() {
                toggle(view, drill);
            }
        });
        on_cleanup(move || handle.remove());
    }
    let words = move || {
        let l = lang.get();
        match drill.place.get() {
            Some((_, true)) => t(l, "← Volver al mapa del país (Esc)", "← Back to the country map (Esc)").to_owned(),
            Some((d, false)) => format!("{} {} →", t(l, "Ver los municipios de", "See the municipalities of"), d.name),
            None => String::new(),
        }
    };
    // One button, so the focus stays on it across the drill-down and back.
    view! {
        <p class="drill" hidden=move || drill.offer().is_none()>
            <button type="button" data-testid=move || if drill.department().is_some() { "drill-back" } else { "drill" }
                on:click=move |_| toggle(view, drill)>{words}</button>
            <span class="note" role="status" data-testid="drill-status">{move || drill.status(lang.get())}</span>
        </p>
    }
}

/// The map's caption, before the place and period (which name the department already).
pub(super) fn map_title(drilled: bool, l: Lang) -> &'static str {
    if drilled {
        t(l, "Mapa por municipio", "Map by municipality")
    } else {
        t(l, "Mapa por departamento", "Map by department")
    }
}

/// The map canvas' accessible name: what it shows, of which indicator.
pub(super) fn map_label(drilled: Option<&Department>, indicator: &str, l: Lang) -> String {
    let map = match drilled {
        Some(d) => format!("{} {}", t(l, "Mapa de los municipios de", "Map of the municipalities of"), d.name),
        None => t(l, "Mapa de Honduras", "Map of Honduras").to_owned(),
    };
    format!("{map}: {indicator}")
}

/// A municipality under the pointer, in words: its value, or why it has none.
pub(super) fn tooltip(row: &Row, b: &Breakdown, l: Lang) -> String {
    let said = match row.sum.as_ref().and_then(|s| dashboard::display(b.unit, s)) {
        _ if row.offices.is_empty() => t(l, "sin oficina", "no office").to_owned(),
        Some(v) => format_value(b.unit, v, l),
        None => t(l, "sin datos", "no data").to_owned(),
    };
    format!("{}: {said}", row.name)
}

/// A row of the places' table: a department, or drilled into one, a municipality (one row view for both).
pub(super) struct PlaceRow {
    /// A department's ISO code.
    pub iso: Option<&'static str>,
    /// A municipality's INE code.
    pub code: Option<String>,
    pub name: String,
    /// What a click on the name selects: the department, or the municipality's (first) office; `None` without one.
    pub select: Option<String>,
    pub value: Option<f64>,
    pub status: &'static str,
    /// Per 10,000 inhabitants (departments only: municipal populations are not in the data).
    pub rate: Option<f64>,
    /// In the compared snapshot.
    pub old: Option<f64>,
}

/// The drilled department's municipalities as the places' table shows them: "Sin oficina" where the list places
/// no office.
pub(super) fn table_rows(
    book: &CodeBook,
    b: &Breakdown,
    c: Option<&Breakdown>,
    d: &'static Department,
    geo: &Regions,
    l: Lang,
) -> Vec<PlaceRow> {
    let before = c.map(|c| by_municipality(book, &c.by_territory, d).0);
    rows(book, b, d, geo, l)
        .into_iter()
        .map(|m| {
            let old = before
                .as_ref()
                .and_then(|o| o.iter().find(|(x, _)| *x == m.code))
                .and_then(|(_, s)| c.and_then(|c| dashboard::display(c.unit, s)));
            PlaceRow {
                iso: None,
                select: m.offices.first().map(|(o, _)| o.clone()),
                value: m.sum.as_ref().and_then(|s| dashboard::display(b.unit, s)),
                status: if m.offices.is_empty() { NO_OFFICE } else { dashboard::status(b.unit, m.sum.as_ref()) },
                rate: None,
                old,
                name: m.name,
                code: Some(m.code),
            }
        })
        .collect()
}

/// The status of a municipality where the territories list places no office (its cell says "Sin oficina").
pub(super) const NO_OFFICE: &str = "no_office";
