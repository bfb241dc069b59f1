//! The map by department (offices as markers, hit-tested under the pointer) and its table.

use std::sync::Arc;

use leptos::prelude::*;
use shared::Lang;
use shared::catalog::Unit;
use shared::codes;
use shared::dashboard::{self, Breakdown, Place};
use shared::format;
use shared::view::View;

use super::charts::{estimate_legend, status_head, value_cell};
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
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let geo = StoredValue::new(shared::geo::departments().ok());
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
    let offices = move || breakdown.read().as_ref().map_or_else(Vec::new, |b| model::offices(&book, b));
    let offices = StoredValue::new(offices);
    let offices = move || offices.with_value(|f| f());
    let draw = move |area: scaled::Area| {
        let l = lang.get();
        let values = values();
        let offices = offices();
        let r = resolved.read();
        geo.with_value(|geo| {
            let Some(regions) = geo.as_ref() else { return };
            let region_values = region_values(&values);
            let markers: Vec<map::Marker> = offices
                .iter()
                .filter_map(|o| Some(map::Marker { lon_lat: o.lon_lat?, selected: r.place.code() == Some(&o.code) }))
                .collect();
            let selected = match &r.place {
                Place::Department(d) => Some(d.iso),
                _ => None,
            };
            let text = map_text(&r, l);
            let _ = map::draw(&area, regions, &region_values, &markers, selected, &text);
        });
    };
    // Pointer → what is under it: an office marker first, then a department.
    let hit = move |ev: &leptos::ev::MouseEvent| -> Option<(f64, f64, String)> {
        let canvas = node.get()?;
        // Offsets are relative to the canvas' padding box; the drawing is scaled by CSS to its client width.
        let shown = f64::from(canvas.client_width());
        if shown <= 0.0 {
            return None;
        }
        let (cx, cy) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let scale = f64::from(size.0) / shown;
        let offices = untrack(offices);
        let positions: Vec<Option<(f64, f64)>> = offices.iter().map(|o| o.lon_lat).collect();
        geo.with_value(|geo| match map::hit(geo.as_ref()?, size, &positions, (cx * scale, cy * scale))? {
            map::Hit::Office(i) => Some((cx, cy, offices[i].code.clone())),
            map::Hit::Region(id) => Some((cx, cy, id.to_owned())),
        })
    };
    let describe = move |code: &str| -> String {
        let r = resolved.read_untracked();
        prose::map_tooltip(code, &untrack(offices), &untrack(values), r.unit, r.per_10k, lang.get_untracked())
    };
    view! {
        <figure class="figure map-figure" data-png="mapa">
            <figcaption>{move || format!("{} · {}", t(lang.get(), "Mapa por departamento", "Map by department"), words.caption.read())}</figcaption>
            <div class="map-wrap">
                <ChartCanvas node=node class="chart map" width=size.0 height=size.1 test_id="map" draw=draw
                    label=Signal::derive(move || format!("{}: {}", t(lang.get(), "Mapa de Honduras", "Map of Honduras"), words.name.read()))
                    on:mousemove=move |ev| tooltip.set(hit(&ev).map(|(x, y, code)| (x, y, describe(&code))))
                    on:mouseleave=move |_| tooltip.set(None)
                    on:click=move |ev| {
                        let code = hit(&ev).map(|(_, _, c)| c);
                        set(view, |v| v.place = if v.place == code { None } else { code });
                    } />
                {move || tooltip.get().map(|(x, y, text)| view! {
                    <div class="tooltip" role="status" style:left=format!("{x:.0}px") style:top=format!("{y:.0}px")>{text}</div>
                })}
            </div>
            {move || (!wide()).then(|| {
                let r = resolved.read();
                let text = map_text(&r, lang.get());
                let values = values();
                let region_values = region_values(&values);
                let rows = map::legend_rows(map::classes_of(&region_values).as_ref(), &region_values, !offices().is_empty(), &text);
                view! { <MapLegend rows=rows text=text /> }
            })}
            <p class="attribution">{move || shared::geo::ATTRIBUTION.get(lang.get())}</p>
            {move || {
                let l = lang.get();
                let unplaced: Vec<String> = offices().iter().filter(|o| o.lon_lat.is_none()).map(|o| o.name.get(l).to_owned()).collect();
                (!unplaced.is_empty()).then(|| view! {
                    <p class="note" data-testid="no-coordinates">{format!("{} {}.", t(l, "Oficinas sin coordenadas en la lista de territorios de la publicación (no se marcan en el mapa; sus cifras cuentan en su departamento):", "Offices without coordinates in the snapshot's territories list (not marked on the map; their figures count in their department):"), unplaced.join(", "))}</p>
                })
            }}
            <p class="note">{move || if per_10k.get() {
                t(lang.get(), "Tasas con población aproximada de 2024 (proyección del INE).", "Rates use approximate 2024 population (INE projection).")
            } else {
                t(lang.get(), "Haga clic en un departamento u oficina para filtrar todo el tablero; otro clic lo quita.", "Click a department or office to filter the whole dashboard; click again to clear.")
            }}</p>
            <p class="exports"><crate::export::PngButton name="mapa" lang=lang /></p>
        </figure>
    }
}

/// Whether the map is shown wide enough for its own labels and legend (not at a phone's width).
fn wide() -> bool {
    crate::charts::scaled::chart_width() >= 600 || crate::components::presenting().is_some()
}

fn region_values<'a>(values: &'a [(&'static codes::Department, Option<f64>, bool)]) -> Vec<map::RegionValue<'a>> {
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

fn map_text(r: &Resolved, l: Lang) -> map::MapText {
    let wide = wide();
    map::MapText {
        legend_title: model::unit_words(r.unit, r.per_10k, l).to_owned(),
        classes: t(l, "Clases: cortes naturales (Jenks)", "Classes: natural breaks (Jenks)").to_owned(),
        no_data: t(l, "Sin datos (sin oficina)", "No data (no office)").to_owned(),
        zero: t(l, "Cero", "Zero").to_owned(),
        suppressed: t(l, "Suprimido (protección de datos)", "Suppressed (data protection)").to_owned(),
        office: t(l, "Oficina SI EMPLEO", "SI EMPLEO office").to_owned(),
        decimals: usize::from(r.per_10k || r.unit != Unit::Count),
        labels: wide,
        legend: wide,
    }
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

/// Whether the compared snapshot gave any department another value.
fn revised_any(b: Option<&Breakdown>, c: Option<&Breakdown>) -> bool {
    let (Some(b), Some(c)) = (b, c) else { return false };
    b.by_department.iter().zip(&c.by_department).any(|((_, new), (_, old))| {
        new.as_ref().and_then(|s| dashboard::display(b.unit, s))
            != old.as_ref().and_then(|s| dashboard::display(c.unit, s))
    })
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
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let (place, per_10k) = (part(resolved, |r| r.place.clone()), part(resolved, |r| r.per_10k));
    // The compared snapshot's column: shown only when a compared snapshot covers the period and revised a value
    // of this table (an empty column says nothing), then filled for every department.
    let revised_any = Memo::new(move |_| revised_any(breakdown.read().as_ref(), compare.read().as_ref()));
    let rows = move || {
        let l = lang.get();
        let b = breakdown.read();
        let Some(b) = b.as_ref() else { return Vec::new() };
        let before = compare.read();
        let selected = place.read().code().map(str::to_owned);
        let per_10k = per_10k.get();
        let comparing = revised_any.get();
        b.by_department
            .iter()
            .map(|(d, s)| {
                let value = s.as_ref().and_then(|s| dashboard::display(b.unit, s));
                let status = dashboard::status(b.unit, s.as_ref());
                let rate = if per_10k { value.and_then(|v| model::per_10k(v, f64::from(d.population))) } else { None };
                let old = before.as_ref().and_then(|c| {
                    c.by_department.iter().find(|(x, _)| x.iso == d.iso).and_then(|(_, s)| s.as_ref()).and_then(|s| dashboard::display(c.unit, s))
                });
                let iso = d.iso;
                let revised = comparing && old != value;
                let is_selected = selected.as_deref() == Some(iso);
                view! {
                    <tr data-iso=iso class:selected=is_selected class:revised=revised>
                        <th scope="row" data-csv=d.name>
                            <button type="button" class="link" aria-pressed=is_selected.to_string()
                                on:click=move |_| set(view, |v| v.place = if v.place.as_deref() == Some(iso) { None } else { Some(iso.to_owned()) })>
                                {d.name}
                            </button>
                        </th>
                        {value_cell(b.unit, value, status, l, Some("dept-value"))}
                        {per_10k.then(|| view! { <td class="num" data-csv=rate.map(|r| format::plain(r, 1)).unwrap_or_default()>{rate.map_or_else(|| "—".to_owned(), |r| format::number(r, 1))}</td> })}
                        {comparing.then(|| view! {
                            <td class="num" data-csv=old.map(|v| model::plain_value(b.unit, v)).unwrap_or_default()>
                                {old.map_or_else(|| "—".to_owned(), |v| format_value(b.unit, v, l))}
                                {revised.then(|| view! { <span class="revised-mark">{t(l, " (revisado)", " (revised)")}</span> })}
                            </td>
                        })}
                    </tr>
                }
            })
            .collect::<Vec<_>>()
    };
    // Rows no list places in a department: shown, never left out of what the total adds.
    let unplaced = move || {
        let l = lang.get();
        let b = breakdown.read();
        let Some(b) = b.as_ref() else { return Vec::new() };
        let book = Arc::clone(&resolved.read_untracked().book);
        b.unplaced
            .iter()
            .map(|(code, s)| {
                let name = format!("{} ({})", book.territory_name(code, l), t(l, "sin departamento", "no department"));
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
                        <th scope="col" data-hxl="#adm1+name" data-csv=move || t(lang.get(), "Departamento", "Department")>
                            {move || t(lang.get(), "Departamento", "Department")}
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
