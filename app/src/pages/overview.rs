//! The first screen: people served by department over the last 12 months, as a map, a bar chart and a table.

use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use shared::Lang;
use shared::format;

use crate::api::{self, Loaded};
use crate::charts::{bars, map};
use crate::components::{Banner, ChartCanvas, ErrorView};
use crate::i18n::t;
use crate::model::{DepartmentFigure, Overview as OverviewModel};

#[component]
pub fn Overview(lang: RwSignal<Lang>) -> impl IntoView {
    let data = LocalResource::new(api::current);
    move || match data.get() {
        None => view! { <p class="loading">{move || t(lang.get(), "Cargando datos…", "Loading data…")}</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorView message=e.message(lang.get_untracked()) lang=lang /> }.into_any(),
        Some(Ok(loaded)) => view! { <OverviewLoaded loaded=loaded lang=lang /> }.into_any(),
    }
}

#[component]
fn OverviewLoaded(loaded: Loaded, lang: RwSignal<Lang>) -> impl IntoView {
    let Some(model) = OverviewModel::compute(&loaded.facts) else {
        let message = t(
            lang.get_untracked(),
            "La publicación no tiene datos mensuales de personas atendidas.",
            "The snapshot has no monthly data on people served.",
        );
        return view! { <Banner manifest=loaded.manifest lang=lang /> <ErrorView message=message.to_owned() lang=lang /> }.into_any();
    };
    let model = StoredValue::new(model);
    let period = move || {
        let m = model.read_value();
        let l = lang.get();
        format!("{} – {}", format::period(&m.period_from, l), format::period(&m.period_to, l))
    };
    let heading = move || t(lang.get(), "Personas atendidas por departamento", "People served by department");
    view! {
        <Banner manifest=loaded.manifest lang=lang />
        <section class="panel" aria-labelledby="overview-title">
            <h2 id="overview-title">{heading} <span class="subtitle">{period}</span></h2>
            <p class="summary" data-testid="summary">{move || summary(&model.read_value(), lang.get())}</p>
            <div class="grid">
                <figure class="figure">
                    <figcaption>{move || t(lang.get(), "Mapa por departamento", "Map by department")}</figcaption>
                    <MapCanvas model=model lang=lang />
                    <p class="attribution">{move || shared::geo::ATTRIBUTION.get(lang.get())}</p>
                </figure>
                <figure class="figure">
                    <figcaption>{move || t(lang.get(), "Departamentos de mayor a menor", "Departments, largest first")}</figcaption>
                    <BarsCanvas model=model lang=lang />
                </figure>
            </div>
            <DepartmentTable model=model lang=lang />
        </section>
    }
    .into_any()
}

#[component]
fn MapCanvas(model: StoredValue<OverviewModel>, lang: RwSignal<Lang>) -> impl IntoView {
    let geo = StoredValue::new(shared::geo::departments());
    let label = Signal::derive(move || {
        t(
            lang.get(),
            "Mapa de Honduras: personas atendidas por departamento",
            "Map of Honduras: people served by department",
        )
        .to_owned()
    });
    view! {
        <ChartCanvas width=960 height=560 label=label test_id="map" draw=move |canvas| {
            let l = lang.get();
            let Some(backend) = CanvasBackend::with_canvas_object(canvas) else { return };
            let geo = geo.read_value();
            let Ok(regions) = geo.as_ref() else { return };
            let m = model.read_value();
            let values: Vec<map::RegionValue> = m
                .departments
                .iter()
                .map(|d| map::RegionValue { id: d.iso, label: d.iso.trim_start_matches("HN-"), value: d.value() })
                .collect();
            let text = map::MapText {
                legend_title: t(l, "Personas atendidas", "People served").to_owned(),
                no_data: t(l, "Sin datos (sin oficina)", "No data (no office)").to_owned(),
            };
            let _ = map::draw(&backend.into_drawing_area(), regions, &values, &text);
        } />
    }
}

#[component]
fn BarsCanvas(model: StoredValue<OverviewModel>, lang: RwSignal<Lang>) -> impl IntoView {
    let label = Signal::derive(move || {
        t(
            lang.get(),
            "Gráfico de barras: personas atendidas por departamento",
            "Bar chart: people served by department",
        )
        .to_owned()
    });
    let rows = model.read_value().ranked().len() as u32;
    view! {
        <ChartCanvas width=640 height={rows * 30 + 8} label=label test_id="bars" draw=move |canvas| {
            let _ = lang.get();
            let Some(backend) = CanvasBackend::with_canvas_object(canvas) else { return };
            let m = model.read_value();
            let data: Vec<bars::Bar> =
                m.ranked().iter().map(|d| bars::Bar { label: d.name.to_owned(), value: d.value().unwrap_or(0.0) }).collect();
            let _ = bars::draw(&backend.into_drawing_area(), &data, format::count);
        } />
    }
}

#[component]
fn DepartmentTable(model: StoredValue<OverviewModel>, lang: RwSignal<Lang>) -> impl IntoView {
    let rows = move || {
        let m = model.read_value();
        let total = m.total();
        let l = lang.get();
        m.departments
            .iter()
            .map(|d: &DepartmentFigure| {
                let (value, share) = match d.value() {
                    Some(v) => (format::count(v), format::percent(100.0 * v / total, 1)),
                    None => (t(l, "Sin datos", "No data").to_owned(), String::new()),
                };
                view! {
                    <tr data-iso=d.iso>
                        <th scope="row">{d.name}</th>
                        <td>{d.iso}</td>
                        <td class="num">{value}</td>
                        <td class="num">{share}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let total = move || format::count(model.read_value().total());
    view! {
        <details class="table-alt" open>
            <summary>{move || t(lang.get(), "Ver tabla", "View table")}</summary>
            <table data-testid="department-table">
                <caption>{move || t(lang.get(), "Personas atendidas por departamento, últimos 12 meses", "People served by department, last 12 months")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || t(lang.get(), "Departamento", "Department")}</th>
                        <th scope="col">{move || t(lang.get(), "Código ISO", "ISO code")}</th>
                        <th scope="col" class="num">{move || t(lang.get(), "Personas atendidas", "People served")}</th>
                        <th scope="col" class="num">{move || t(lang.get(), "% del total", "% of total")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{move || t(lang.get(), "Total nacional", "National total")}</th>
                        <td></td>
                        <td class="num" data-testid="total">{total}</td>
                        <td class="num">"100.0 %"</td>
                    </tr>
                </tfoot>
            </table>
        </details>
    }
}

/// The one-line text summary for screen readers (and everyone).
fn summary(m: &OverviewModel, lang: Lang) -> String {
    let ranked = m.ranked();
    let total = m.total();
    let top: Vec<String> =
        ranked.iter().take(2).map(|d| format!("{} ({})", d.name, format::count(d.value().unwrap_or(0.0)))).collect();
    let top_share = ranked.iter().take(2).filter_map(|d| d.value()).sum::<f64>() / total * 100.0;
    let missing: Vec<&str> = m.departments.iter().filter(|d| d.value().is_none()).map(|d| d.name).collect();
    match lang {
        Lang::Es => format!(
            "SI EMPLEO atendió a {} personas en 12 meses. {} concentran el {} del total. Sin datos: {}.",
            format::count(total),
            top.join(" y "),
            format::percent(top_share, 1),
            missing.join(", ")
        ),
        Lang::En => format!(
            "SI EMPLEO served {} people in 12 months. {} account for {} of the total. No data: {}.",
            format::count(total),
            top.join(" and "),
            format::percent(top_share, 1),
            missing.join(", ")
        ),
    }
}
