//! The map by department (offices as markers, hit-tested under the pointer) and its table.

use std::sync::Arc;

use leptos::prelude::*;
use shared::Lang;
use shared::catalog::Unit;
use shared::dashboard::{self, Breakdown, Place};
use shared::format;
use shared::view::View;

use super::charts::{estimate_legend, status_head, value_cell};
use super::municipalities::{self, Drill};
use super::{Words, part, set};
use crate::charts::{map, scaled};
use crate::components::ChartCanvas;
use crate::export::Exports;
use crate::i18n::t;
use crate::model::{self, Resolved, format_value, place_name, prose};

#[component]
pub(super) fn MapPanel(
    breakdown: Memo<Option<Breakdown>>,
    resolved: Memo<Resolved>,
    words: Words,
    drill: Drill,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let country = StoredValue::new(shared::geo::departments().ok().map(Arc::new));
    // The regions drawn: the drilled department's municipalities once fetched, else the departments.
    let shown = move || match drill.ready() {
        Some((d, geo)) => Some((geo, Some(d))),
        None => country.get_value().map(|geo| (geo, None)),
    };
    // Layout pixels. On a slide the map is wider than tall (the legend keeps to the empty south-east) and shown
    // at about 1.75×: its 14 px labels read at 24 px or more on a 1920 × 1080 projector.
    let presenting = crate::components::presenting().is_some();
    let size = if presenting { (1040_u32, 460_u32) } else { (960_u32, 600_u32) };
    let node = NodeRef::<leptos::html::Canvas>::new();
    let tooltip = RwSignal::new(None::<(f64, f64, String)>);
    // Department values as drawn (absolute, or per 10,000 inhabitants).
    let per_10k = part(resolved, |r| r.per_10k);
    let values =
        move || breakdown.read().as_ref().map_or_else(Vec::new, |b| model::department_values(b, per_10k.get()));
    let book = Arc::clone(&resolved.read_untracked().book);
    let offices = {
        let book = Arc::clone(&book);
        move || breakdown.read().as_ref().map_or_else(Vec::new, |b| model::offices(&book, b))
    };
    let offices = StoredValue::new(offices);
    // The offices on the map drawn: every one, or the drilled department's.
    let offices = move || {
        let (all, book) = (offices.with_value(|f| f()), resolved.read_untracked().book.clone());
        let Some(d) = drill.department() else { return all };
        all.into_iter().filter(|o| book.department_of(&o.code).is_some_and(|x| x.iso == d.iso)).collect::<Vec<_>>()
    };
    let municipal = {
        let book = Arc::clone(&book);
        move |d, geo: &shared::geo::Regions| {
            let b = breakdown.read();
            b.as_ref().map(|b| municipalities::rows(&book, b, d, geo, lang.get()))
        }
    };
    let municipal = StoredValue::new(municipal);
    let draw = move |area: scaled::Area| {
        let (l, values, offices) = (lang.get(), values(), offices());
        let Some((geo, drilled)) = shown() else { return };
        let rows = drilled.and_then(|d| municipal.with_value(|f| f(d, &geo))).unwrap_or_default();
        draw_map(&area, &geo, &resolved.read(), drilled.is_some(), &rows, &values, &offices, l);
    };
    // Pointer → what is under it: an office marker first, then a department or a municipality.
    let hit = move |ev: &leptos::ev::MouseEvent| -> Option<(f64, f64, String)> {
        let canvas = node.get()?;
        // Offsets are relative to the canvas' padding box; the drawing is scaled by CSS to its client width.
        let shown_px = f64::from(canvas.client_width());
        if shown_px <= 0.0 {
            return None;
        }
        let (cx, cy) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let scale = f64::from(size.0) / shown_px;
        let offices = untrack(offices);
        let positions: Vec<Option<(f64, f64)>> = offices.iter().map(|o| o.lon_lat).collect();
        let (geo, drilled) = untrack(shown)?;
        match map::hit(&geo, size, drilled.is_some(), &positions, (cx * scale, cy * scale))? {
            map::Hit::Office(i) => Some((cx, cy, offices[i].code.clone())),
            map::Hit::Region(id) => Some((cx, cy, id.to_owned())),
        }
    };
    // Drilled into a department, the municipality of that code.
    let row_at = move |code: &str| {
        let (d, geo) = untrack(|| drill.ready())?;
        municipal.with_value(|f| f(d, &geo))?.into_iter().find(|m| m.code == code)
    };
    let describe = move |code: &str| -> String {
        let (r, l) = (resolved.read_untracked(), lang.get_untracked());
        match (row_at(code), breakdown.read_untracked().as_ref()) {
            (Some(row), Some(b)) => municipalities::tooltip(&row, b, l),
            _ => prose::map_tooltip(code, &untrack(offices), &untrack(values), r.unit, r.per_10k, l),
        }
    };
    // A click on a municipality selects its office (the first, if several); again, back to its department.
    let office_of = move |code: String| match row_at(&code) {
        Some(m) => m.offices.into_iter().next().map(|(office, _)| office),
        None => Some(code),
    };
    let click = move |ev: &leptos::ev::MouseEvent| {
        let Some(code) = hit(ev).and_then(|(_, _, c)| office_of(c)) else { return };
        let back = untrack(|| drill.department()).map(|d| d.iso.to_owned());
        set(view, |v| v.place = if v.place.as_deref() == Some(&code) { back } else { Some(code) });
    };
    let label = move || municipalities::map_label(drill.department(), &words.name.read(), lang.get());
    view! {
        <figure class="figure map-figure" data-png="mapa">
            <figcaption>{move || format!("{} · {}", municipalities::map_title(drill.department().is_some(), lang.get()), words.caption.read())}</figcaption>
            {municipalities::drill_controls(drill, view, lang, presenting)}
            <div class="map-wrap">
                <ChartCanvas node=node class="chart map" width=size.0 height=size.1 test_id="map" draw=draw
                    label=Signal::derive(label)
                    on:mousemove=move |ev| tooltip.set(hit(&ev).map(|(x, y, code)| (x, y, describe(&code))))
                    on:mouseleave=move |_| tooltip.set(None)
                    on:click=move |ev| click(&ev) />
                {move || tooltip.get().map(|(x, y, text)| view! {
                    <div class="tooltip" role="status" style:left=format!("{x:.0}px") style:top=format!("{y:.0}px")>{text}</div>
                })}
            </div>
            {move || {
                let (geo, drilled) = shown().filter(|_| !wide())?;
                let rows = drilled.and_then(|d| municipal.with_value(|f| f(d, &geo))).unwrap_or_default();
                let (legend, text) = legend_of(&resolved.read(), drilled.is_some(), &rows, &values(), &offices(), lang.get());
                Some(view! { <MapLegend rows=legend text=text /> })
            }}
            <p class="attribution">{move || shared::geo::ATTRIBUTION.get(lang.get())}</p>
            {move || no_coordinates(&offices(), lang.get())}
            <p class="note">{move || map_note(drill.department().is_some(), per_10k.get(), lang.get())}</p>
            <p class="exports"><crate::export::PngButton name="mapa" lang=lang /></p>
        </figure>
    }
}

/// Draws the departments (`values`) or, drilled into one, its municipalities (`rows`), with the offices shown.
#[allow(clippy::too_many_arguments)] // what the map shows, each part computed by its own memo
fn draw_map(
    area: &scaled::Area,
    geo: &shared::geo::Regions,
    r: &Resolved,
    drilled: bool,
    rows: &[municipalities::Row],
    values: &[(&'static shared::codes::Department, Option<f64>, bool)],
    offices: &[model::Office],
    l: Lang,
) {
    let region_values = region_values(drilled, rows, values, r.unit);
    let markers: Vec<map::Marker> = offices
        .iter()
        .filter_map(|o| Some(map::Marker { lon_lat: o.lon_lat?, selected: r.place.code() == Some(&o.code) }))
        .collect();
    let selected = match (&r.place, drilled) {
        (Place::Department(d), false) => Some(d.iso),
        (Place::Territory(code), true) => r.book.territory(code).and_then(|t| t.municipality.as_deref()),
        _ => None,
    };
    let _ = map::draw(area, geo, &region_values, &markers, selected, &map_text(r, drilled, l));
}

/// The regions' values as the map draws them: the departments', or the drilled department's municipalities'.
fn region_values<'a>(
    drilled: bool,
    rows: &'a [municipalities::Row],
    values: &'a [(&'static shared::codes::Department, Option<f64>, bool)],
    unit: Unit,
) -> Vec<map::RegionValue<'a>> {
    if drilled {
        return municipalities::region_values(rows, unit);
    }
    values
        .iter()
        .map(|(d, v, suppressed)| map::RegionValue {
            id: d.iso,
            label: d.iso.trim_start_matches("HN-"),
            value: *v,
            suppressed: *suppressed,
        })
        .collect()
}

/// Whether the map is shown wide enough for its own labels and legend (not at a phone's width).
fn wide() -> bool {
    crate::charts::scaled::chart_width() >= 600 || crate::components::presenting().is_some()
}

fn map_text(r: &Resolved, drilled: bool, l: Lang) -> map::MapText {
    let no_data = if drilled {
        ("Sin oficina o sin datos", "No office or no data")
    } else {
        ("Sin datos (sin oficina)", "No data (no office)")
    };
    let per_10k = r.per_10k && !drilled;
    map::MapText {
        legend_title: model::unit_words(r.unit, per_10k, l).to_owned(),
        classes: t(l, "Clases: cortes naturales (Jenks)", "Classes: natural breaks (Jenks)").to_owned(),
        no_data: t(l, no_data.0, no_data.1).to_owned(),
        zero: t(l, "Cero", "Zero").to_owned(),
        suppressed: t(l, "Suprimido (protección de datos)", "Suppressed (data protection)").to_owned(),
        office: t(l, "Oficina SI EMPLEO", "SI EMPLEO office").to_owned(),
        decimals: usize::from(per_10k || r.unit != Unit::Count),
        labels: wide(),
        legend: wide(),
        legend_aside: drilled,
    }
}

/// The legend's rows and words for the map as drawn (the departments, or the drilled department's municipalities).
fn legend_of(
    r: &Resolved,
    drilled: bool,
    rows: &[municipalities::Row],
    values: &[(&'static shared::codes::Department, Option<f64>, bool)],
    offices: &[model::Office],
    l: Lang,
) -> (Vec<(map::Key, String)>, map::MapText) {
    let region_values = region_values(drilled, rows, values, r.unit);
    let text = map_text(r, drilled, l);
    let markers = offices.iter().any(|o| o.lon_lat.is_some());
    (map::legend_rows(map::classes_of(&region_values).as_ref(), &region_values, markers, &text), text)
}

/// The offices the map cannot place (no coordinates in the territories list), named under it.
fn no_coordinates(offices: &[model::Office], l: Lang) -> Option<impl IntoView + use<>> {
    let unplaced: Vec<String> =
        offices.iter().filter(|o| o.lon_lat.is_none()).map(|o| o.name.get(l).to_owned()).collect();
    (!unplaced.is_empty()).then(|| view! {
        <p class="note" data-testid="no-coordinates">{format!("{} {}.", t(l, "Oficinas sin coordenadas en la lista de territorios de la publicación (no se marcan en el mapa; sus cifras cuentan en su departamento):", "Offices without coordinates in the snapshot's territories list (not marked on the map; their figures count in their department):"), unplaced.join(", "))}</p>
    })
}

/// The map's legend in the page's own text, where the map is shown too small for the one drawn into it.
#[component]
fn MapLegend(rows: Vec<(map::Key, String)>, text: map::MapText) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|(key, label)| {
            let swatch = match key {
                map::Key::Fill(plotters::style::RGBColor(r, g, b)) => {
                    view! { <span class="swatch" aria-hidden="true" style:background=format!("rgb({r},{g},{b})")></span> }.into_any()
                }
                map::Key::Hatched => view! { <span class="swatch hatched" aria-hidden="true"></span> }.into_any(),
                map::Key::Office => view! { <span class="swatch office" aria-hidden="true"></span> }.into_any(),
            };
            view! { <li>{swatch}{label}</li> }
        })
        .collect_view();
    view! {
        <div class="map-legend" data-testid="map-legend">
            <p><strong>{text.legend_title}</strong>" · "{text.classes}</p>
            <ul class="legend">{rows}</ul>
        </div>
    }
}

/// The sentence under the map: how to use it, or how its rates are made.
fn map_note(drilled: bool, per_10k: bool, l: Lang) -> &'static str {
    match (drilled, per_10k) {
        (true, true) => t(
            l,
            "Por municipio, valores absolutos: las tasas por 10,000 habitantes son por departamento.",
            "By municipality, absolute values: rates per 10,000 inhabitants are by department.",
        ),
        (true, false) => t(
            l,
            "Haga clic en una oficina o su municipio para filtrar el tablero; otro clic vuelve al departamento.",
            "Click an office or its municipality to filter the dashboard; click again to return to the department.",
        ),
        (false, true) => t(
            l,
            "Tasas con población aproximada de 2024 (proyección del INE).",
            "Rates use approximate 2024 population (INE projection).",
        ),
        (false, false) => t(
            l,
            "Haga clic en un departamento u oficina para filtrar todo el tablero; otro clic lo quita.",
            "Click a department or office to filter the whole dashboard; click again to clear.",
        ),
    }
}

/// Whether the compared snapshot gave any department another value.
fn revised_any(b: Option<&Breakdown>, c: Option<&Breakdown>) -> bool {
    let (Some(b), Some(c)) = (b, c) else { return false };
    b.by_department.iter().zip(&c.by_department).any(|((_, new), (_, old))| {
        new.as_ref().and_then(|s| dashboard::display(b.unit, s))
            != old.as_ref().and_then(|s| dashboard::display(c.unit, s))
    })
}

/// A row of the places' table (a department, or a municipality of the one drilled into): its name selects it (an
/// office's municipality selects the office; a second click, `back`), then its value, rate and compared value as
/// the columns shown (`per_10k`, `comparing`) ask.
fn place_row(
    r: municipalities::PlaceRow,
    unit: Unit,
    l: Lang,
    (per_10k, comparing): (bool, bool),
    selected: Option<&str>,
    back: Option<&'static str>,
    view: RwSignal<View>,
) -> impl IntoView + use<> {
    let revised = comparing && r.old != r.value;
    let is_selected = r.select.is_some() && selected == r.select.as_deref();
    let (select, name) = (r.select.clone(), r.name.clone());
    view! {
        <tr data-iso=r.iso data-code=r.code class:selected=is_selected class:revised=revised>
            <th scope="row" data-csv=name>
                <button type="button" class="link" aria-pressed=is_selected.to_string() disabled=r.select.is_none()
                    on:click=move |_| set(view, |v| v.place = if v.place == select { back.map(str::to_owned) } else { select.clone() })>
                    {r.name}
                </button>
            </th>
            {value_cell(unit, r.value, r.status, l, Some("dept-value"))}
            {per_10k.then(|| view! { <td class="num" data-csv=r.rate.map(|r| format::plain(r, 1)).unwrap_or_default()>{r.rate.map_or_else(|| "—".to_owned(), |r| format::number(r, 1))}</td> })}
            {comparing.then(|| view! {
                <td class="num" data-csv=r.old.map(|v| model::plain_value(unit, v)).unwrap_or_default()>
                    {r.old.map_or_else(|| "—".to_owned(), |v| format_value(unit, v, l))}
                    {revised.then(|| view! { <span class="revised-mark">{t(l, " (revisado)", " (revised)")}</span> })}
                </td>
            })}
        </tr>
    }
}

/// The departments as the places' table shows them.
fn department_rows(b: &Breakdown, c: Option<&Breakdown>, per_10k: bool) -> Vec<municipalities::PlaceRow> {
    b.by_department
        .iter()
        .map(|(d, s)| {
            let value = s.as_ref().and_then(|s| dashboard::display(b.unit, s));
            municipalities::PlaceRow {
                iso: Some(d.iso),
                code: None,
                name: d.name.to_owned(),
                select: Some(d.iso.to_owned()),
                value,
                status: dashboard::status(b.unit, s.as_ref()),
                rate: if per_10k { value.and_then(|v| model::per_10k(v, f64::from(d.population))) } else { None },
                old: c.and_then(|c| {
                    c.by_department
                        .iter()
                        .find(|(x, _)| x.iso == d.iso)
                        .and_then(|(_, s)| s.as_ref())
                        .and_then(|s| dashboard::display(c.unit, s))
                }),
            }
        })
        .collect()
}

/// Whether a value of the department table adds up an estimate (its legend then says what the "e" means).
fn any_estimate(b: &Breakdown) -> bool {
    b.total.estimated > 0 || b.by_department.iter().any(|(_, s)| s.is_some_and(|s| s.estimated > 0))
}

#[component]
pub(super) fn DepartmentTable(
    breakdown: Memo<Option<Breakdown>>,
    compare: Memo<Option<Breakdown>>,
    resolved: Memo<Resolved>,
    words: Words,
    drill: Drill,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let (place, per_10k) = (part(resolved, |r| r.place.clone()), part(resolved, |r| r.per_10k));
    // The compared snapshot's column: shown only when a compared snapshot covers the period and revised a value
    // of this table (an empty column says nothing), then filled for every department.
    let revised_any = Memo::new(move |_| revised_any(breakdown.read().as_ref(), compare.read().as_ref()));
    let book = Arc::clone(&resolved.read_untracked().book);
    let rows = {
        let book = Arc::clone(&book);
        move || {
            let l = lang.get();
            let b = breakdown.read();
            let Some(b) = b.as_ref() else { return Vec::new() };
            let before = compare.read();
            let selected = place.read().code().map(str::to_owned);
            let per_10k = per_10k.get();
            let comparing = revised_any.get();
            // Drilled into a department: its municipalities, and a second click goes back to the department.
            let (list, back) = match drill.ready() {
                Some((d, geo)) => (municipalities::table_rows(&book, b, before.as_ref(), d, &geo, l), Some(d.iso)),
                None => (department_rows(b, before.as_ref(), per_10k), None),
            };
            let row = |r| place_row(r, b.unit, l, (per_10k, comparing), selected.as_deref(), back, view);
            list.into_iter().map(row).collect::<Vec<_>>()
        }
    };
    // Rows no list places in a department: shown, never left out of what the total adds.
    let unplaced = move || {
        let l = lang.get();
        let b = breakdown.read();
        let Some(b) = b.as_ref() else { return Vec::new() };
        // Drilled into a department, what none of its municipalities holds.
        let (list, words) = match drill.department() {
            Some(d) => {
                (shared::aggregate::by_municipality(&book, &b.by_territory, d).1, ("sin municipio", "no municipality"))
            }
            None => (b.unplaced.clone(), ("sin departamento", "no department")),
        };
        list.iter()
            .map(|(code, s)| {
                let name = format!("{} ({})", book.territory_name(code, l), t(l, words.0, words.1));
                view! {
                    <tr data-testid="unplaced">
                        <th scope="row">{name}</th>
                        {value_cell(b.unit, dashboard::display(b.unit, s), dashboard::status(b.unit, Some(s)), l, Some("dept-value"))}
                        {per_10k.get().then(|| view! { <td class="num">"—"</td> })}
                        {revised_any.get().then(|| view! { <td class="num">"—"</td> })}
                    </tr>
                }
            })
            .collect::<Vec<_>>()
    };
    let head = move || match drill.department() {
        Some(_) => t(lang.get(), "Municipio", "Municipality"),
        None => t(lang.get(), "Departamento", "Department"),
    };
    let total = move || {
        let b = breakdown.read();
        b.as_ref().map(|b| {
            value_cell(b.unit, b.value(), dashboard::status(b.unit, Some(&b.total)), lang.get(), Some("total"))
        })
    };
    view! {
        <div data-export="departamentos">
        <div class="table-scroll" tabindex="0">
            <table data-testid="department-table">
                <caption>{move || words.title()}</caption>
                <thead>
                    <tr>
                        <th scope="col" data-hxl=move || if drill.department().is_some() { "#adm2+name" } else { "#adm1+name" } data-csv=head>
                            {head}
                            <span class="th-hint">{move || t(lang.get(), " (clic para filtrar)", " (click to filter)")}</span>
                        </th>
                        <th scope="col" class="num" data-hxl="#indicator+value" data-status-head=move || status_head(lang.get())>{move || t(lang.get(), "Valor", "Value")}</th>
                        {move || per_10k.get().then(|| view! { <th scope="col" class="num" data-hxl="#indicator+value+per10k" data-csv=t(lang.get(), "Por 10000 habitantes", "Per 10000 inhabitants")>{t(lang.get(), "Por 10,000 hab.", "Per 10,000 inh.")}</th> })}
                        {move || revised_any.get().then(|| view! { <th scope="col" class="num" data-hxl="#indicator+value+previous">{t(lang.get(), "En la publicación comparada", "In the compared snapshot")}</th> })}
                    </tr>
                </thead>
                <tbody>{rows}{unplaced}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{move || place_name(&resolved.read_untracked().book, &place.read(), lang.get())}</th>
                        {total}
                        {move || per_10k.get().then(|| view! { <td></td> })}
                        {move || revised_any.get().then(|| view! { <td></td> })}
                    </tr>
                </tfoot>
            </table>
        </div>
        {move || estimate_legend(breakdown.read().as_ref().is_some_and(any_estimate), lang.get())}
        <Exports name="departamentos" lang=lang />
        </div>
    }
}
