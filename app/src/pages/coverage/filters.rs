//! The filter form: indicator, period, place, disaggregations, map measure, comparison.

use std::sync::Arc;

use leptos::prelude::*;
use shared::Lang;
use shared::catalog::Unit;
use shared::codebook::CodeBook;
use shared::codes::{self, TOTAL};
use shared::dashboard::Place;
use shared::format;
use shared::view::View;

use super::{non_total, part, set};
use crate::api::Listed;
use crate::components::{CompareSelect, InfoButton};
use crate::i18n::t;
use crate::model::Resolved;

#[component]
#[allow(clippy::too_many_lines)] // one view of the form's eleven fields; splitting it would pass every signal twice
pub(super) fn Filters(
    resolved: Memo<Resolved>,
    listed: Signal<Vec<Listed>>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
    info: RwSignal<Option<String>>,
) -> impl IntoView {
    let months = part(resolved, |r| r.months.clone());
    let indicators = part(resolved, |r| r.indicators.clone());
    let indicator = part(resolved, |r| r.indicator.clone());
    let place = part(resolved, |r| r.place.clone());
    let (service, population) = (part(resolved, |r| r.service.clone()), part(resolved, |r| r.population.clone()));
    let (sex, age) = (part(resolved, |r| r.sex.clone()), part(resolved, |r| r.age.clone()));
    let (from, to) = (part(resolved, |r| r.from.clone()), part(resolved, |r| r.to.clone()));
    let counts = part(resolved, |r| r.unit == Unit::Count);
    let per_10k = part(resolved, |r| r.per_10k);
    let book = Arc::clone(&resolved.read_untracked().book);
    let code_options = move |list: &'static [codes::Code], selected: String| {
        let l = lang.get();
        options(list.iter().map(|c| (c.code.to_owned(), c.label.get(l).to_owned())).collect(), &selected, l)
    };
    let population_options = {
        let book = Arc::clone(&book);
        move |selected: String| {
            let l = lang.get();
            options(book.populations.iter().map(|p| (p.code.clone(), p.name.get(l).to_owned())).collect(), &selected, l)
        }
    };
    let book2 = Arc::clone(&book);
    let place_options = move || place_options(&book, &place.read(), lang.get());
    let indicator_options = move |selected: String| {
        let l = lang.get();
        indicators
            .read()
            .iter()
            .map(|i| {
                view! { <option value=i.clone() selected={*i == selected}>{format!("{i} · {}", book2.indicator_name(i, l))}</option> }
            })
            .collect_view()
    };
    let field = |id: &'static str, es: &'static str, en: &'static str| {
        view! { <label for=id>{move || t(lang.get(), es, en)}</label> }
    };
    // On a phone the form is folded behind one button, so the headline comes first (`style/main.css`); the button
    // says how many filters are on.
    let unfolded = RwSignal::new(false);
    let active = move || {
        view.with(|v| {
            [&v.place, &v.service, &v.population, &v.sex, &v.age]
                .into_iter()
                .filter(|f| f.as_deref().is_some_and(|f| !f.is_empty() && f != TOTAL))
                .count()
        })
    };
    view! {
        <button type="button" class="secondary filters-toggle" data-testid="filters-toggle" aria-controls="filters"
            aria-expanded=move || unfolded.get().to_string() on:click=move |_| unfolded.update(|u| *u = !*u)>
            {move || {
                let (l, n) = (lang.get(), active());
                let word = t(l, "Filtros", "Filters");
                let arrow = if unfolded.get() { "▴" } else { "▾" };
                match (n, l) {
                    (0, _) => format!("{word} {arrow}"),
                    (n, Lang::Es) => format!("{word} ({n} {}) {arrow}", if n == 1 { "activo" } else { "activos" }),
                    (n, Lang::En) => format!("{word} ({n} on) {arrow}"),
                }
            }}
        </button>
        <form id="filters" class="filters" class:folded=move || !unfolded.get() aria-label=move || t(lang.get(), "Filtros", "Filters") on:submit=|ev| ev.prevent_default()>
            <div class="field wide">
                {field("f-indicator", "Indicador", "Indicator")}
                <div class="with-info">
                    <select id="f-indicator" on:change=move |ev| set(view, |v| v.indicator = Some(event_target_value(&ev)))>
                        {move || indicator_options(indicator.get())}
                    </select>
                    <InfoButton id=indicator info=info lang=lang />
                </div>
            </div>
            <div class="field">
                {field("f-from", "Desde", "From")}
                <MonthSelect id="f-from" months=months lang=lang value=from
                    on_change=move |m| set(view, |v| v.from = Some(m)) />
            </div>
            <div class="field">
                {field("f-to", "Hasta", "To")}
                <MonthSelect id="f-to" months=months lang=lang value=to
                    on_change=move |m| set(view, |v| v.to = Some(m)) />
            </div>
            <div class="field">
                {field("f-place", "Lugar", "Place")}
                <select id="f-place" data-testid="place" on:change=move |ev| set(view, |v| v.place = non_total(event_target_value(&ev)))>
                    {place_options}
                </select>
            </div>
            <div class="field">
                {field("f-service", "Servicio", "Service")}
                <select id="f-service" on:change=move |ev| set(view, |v| v.service = non_total(event_target_value(&ev)))>
                    {move || code_options(&codes::SERVICES, service.get())}
                </select>
            </div>
            <div class="field">
                {field("f-population", "Tipo de población", "Population type")}
                <select id="f-population" on:change=move |ev| set(view, |v| v.population = non_total(event_target_value(&ev)))>
                    {move || population_options(population.get())}
                </select>
            </div>
            <div class="field">
                {field("f-sex", "Sexo", "Sex")}
                <select id="f-sex" data-testid="sex" on:change=move |ev| set(view, |v| v.sex = non_total(event_target_value(&ev)))>
                    {move || code_options(&codes::SEXES, sex.get())}
                </select>
            </div>
            <div class="field">
                {field("f-age", "Edad", "Age")}
                <select id="f-age" on:change=move |ev| set(view, |v| v.age = non_total(event_target_value(&ev)))>
                    {move || code_options(&codes::AGE_GROUPS, age.get())}
                </select>
            </div>
            <div class="field">
                {field("f-measure", "Medida del mapa", "Map measure")}
                <select id="f-measure" disabled=move || !counts.get()
                    on:change=move |ev| set(view, |v| v.per_10k = event_target_value(&ev) == "tasa")>
                    <option value="" selected=move || !per_10k.get()>{move || t(lang.get(), "Valor absoluto", "Absolute value")}</option>
                    <option value="tasa" selected=per_10k>{move || t(lang.get(), "Por 10,000 habitantes", "Per 10,000 inhabitants")}</option>
                </select>
            </div>
            <div class="field wide">
                {field("f-compare", "Comparar con", "Compare with")}
                <CompareSelect listed=listed view=view lang=lang />
            </div>
            <div class="field actions">
                <button type="button" class="secondary" on:click=move |_| {
                    set(view, |v| *v = View { snapshot: v.snapshot.clone(), lang: v.lang, ..View::default() });
                }>{move || t(lang.get(), "Quitar filtros", "Clear filters")}</button>
            </div>
        </form>
    }
}

/// A select's options: "all" (the total), then each code with its label.
fn options(list: Vec<(String, String)>, selected: &str, l: Lang) -> impl IntoView + use<> {
    let all = view! { <option value="" selected={selected == TOTAL}>{t(l, "Todos", "All")}</option> };
    let rest = list
        .into_iter()
        .map(|(code, label)| view! { <option selected={code == selected} value=code>{label}</option> })
        .collect_view();
    (all, rest)
}

/// The place picker's options: the country, the 18 departments, then the snapshot's offices.
fn place_options(book: &CodeBook, place: &Place, l: Lang) -> impl IntoView + use<> {
    let selected = place.code().map(str::to_owned).unwrap_or_default();
    let departments = codes::DEPARTMENTS
        .iter()
        .map(|d| view! { <option value=d.iso selected={d.iso == selected}>{d.name}</option> })
        .collect_view();
    let offices = book
        .territories
        .iter()
        .map(|o| view! { <option value=o.code.clone() selected={o.code == selected}>{format!("SI EMPLEO {}", o.name.get(l))}</option> })
        .collect_view();
    view! {
        <option value="" selected={*place == Place::National}>{t(l, "Todo el país", "Whole country")}</option>
        <optgroup label=t(l, "Departamentos", "Departments")>{departments}</optgroup>
        <optgroup label=t(l, "Oficinas SI EMPLEO", "SI EMPLEO offices")>{offices}</optgroup>
    }
}

/// A month picker. Its options render once per list of months (years of monthly data make long lists); the
/// selection is set on the element, so a filter change does not rebuild them. Until the page's charts are drawn it
/// holds the selected month alone: at 10M rows the demo has centuries of months, thousands of options that held
/// the first chart back by over a second (BENCHMARKS.md, first load).
#[component]
pub(super) fn MonthSelect(
    id: &'static str,
    months: Memo<Vec<String>>,
    #[prop(into)] value: Signal<String>,
    lang: RwSignal<Lang>,
    on_change: impl Fn(String) + 'static,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Select>::new();
    let every = RwSignal::new(false);
    crate::components::Painted::then(
        use_context(),
        Box::new(move || {
            let _ = every.try_set(true);
        }),
    );
    let options = move || {
        let l = lang.get();
        let one = (!every.get()).then(|| value.get());
        months
            .read()
            .iter()
            .rev()
            .filter(|m| one.as_ref().is_none_or(|one| one == *m))
            .map(|m| view! { <option value=m.clone()>{format::period_short(m, l)}</option> })
            .collect_view()
    };
    Effect::new(move |_| {
        let _ = (months.read(), lang.get(), every.get());
        if let Some(select) = node.get() {
            select.set_value(&value.get());
        }
    });
    view! { <select id=id node_ref=node on:change=move |ev| on_change(event_target_value(&ev))>{options}</select> }
}
