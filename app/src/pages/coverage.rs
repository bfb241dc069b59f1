//! The coverage dashboard: who SI EMPLEO's services reach, where, and whether it is on target.
//!
//! Data flow: the snapshot (and the one compared with) load once; every filter lives in the URL view; memos turn
//! the view into a `Resolved` view, then into one `Breakdown` (one pass over the Arrow columns) and the KPI tiles;
//! the canvases and tables read those memos. Nothing is decoded again on a filter change.

use std::sync::Arc;

use leptos::prelude::*;
use plotters::prelude::*;
use shared::Lang;
use shared::catalog::Unit;
use shared::codes::{self, TOTAL};
use shared::dashboard::{self, Breakdown, Change, Place, Revision, Tile};
use shared::format;
use shared::view::View;

use crate::api::{self, Listed, Loaded};
use crate::charts::{bars, map, palette, scaled, series};
use crate::components::{
    ChartCanvas, CompareSelect, ErrorView, IndicatorInfo, InfoButton, PrintCover, SlideHead, SnapshotBanner,
};
use crate::export::Exports;
use crate::i18n::t;
use crate::model::{self, Resolved, format_value, place_name};

#[component]
pub fn Coverage(view: RwSignal<View>, lang: RwSignal<Lang>) -> impl IntoView {
    let super::Loads { listed, main, compare } =
        super::load_with(view, |id: String| async move { api::load(&id).await }, |l: &Loaded| &l.manifest);
    move || match main.get() {
        None => {
            view! { <p class="loading" role="status">{move || t(lang.get(), "Cargando datos…", "Loading data…")}</p> }
                .into_any()
        }
        Some(Err(e)) => {
            crate::components::first_screen_done();
            view! { <ErrorView message=e.message(lang.get_untracked()) gone=e.is_gone() lang=lang /> }.into_any()
        }
        Some(Ok(loaded)) => {
            crate::components::first_screen_done();
            view! { <Dashboard loaded=loaded compare=compare listed=listed view=view lang=lang /> }.into_any()
        }
    }
}

/// Sets one field of the view (one history entry).
fn set(view: RwSignal<View>, f: impl FnOnce(&mut View)) {
    view.update(f);
}

/// One part of the resolved view as its own memo: what reads it re-runs only when that part changes, so a sex
/// filter does not rebuild the indicator, place or month pickers, nor re-render what shows the other filters.
fn part<T: PartialEq + Send + Sync + 'static>(resolved: Memo<Resolved>, f: fn(&Resolved) -> T) -> Memo<T> {
    Memo::new(move |_| f(&resolved.read()))
}

/// The view in words, computed once per change for every title and caption that shows it.
#[derive(Clone, Copy)]
struct Words {
    /// The indicator's code.
    indicator: Memo<String>,
    /// The indicator's name.
    name: Memo<String>,
    /// The filters: place, period, and any disaggregation.
    caption: Memo<String>,
}

impl Words {
    fn new(resolved: Memo<Resolved>, lang: RwSignal<Lang>) -> Self {
        let indicator = part(resolved, |r| r.indicator.clone());
        Self {
            indicator,
            name: Memo::new(move |_| resolved.read_untracked().book.indicator_name(&indicator.read(), lang.get())),
            caption: Memo::new(move |_| resolved.read().caption(lang.get())),
        }
    }

    /// "Name · caption".
    fn title(self) -> String {
        format!("{} · {}", self.name.read(), self.caption.read())
    }
}

fn non_total(value: String) -> Option<String> {
    (!value.is_empty() && value != TOTAL).then_some(value)
}

#[component]
fn Dashboard(
    loaded: Arc<Loaded>,
    compare: Signal<Option<Arc<Loaded>>>,
    listed: Signal<Vec<Listed>>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let data = StoredValue::new(Arc::clone(&loaded));
    // Each memo recomputes only when what it reads changes: the months of an indicator once per indicator, the
    // comparison's coverage once per indicator and end month, the tiles once per period and place.
    let book = Arc::clone(&loaded.book);
    provide_context(Arc::clone(&book));
    let indicators = StoredValue::new(model::indicators_in(&loaded.facts, &book));
    let headlines = StoredValue::new(indicators.with_value(|i| book.headlines(i)));
    let indicator = Memo::new(move |_| {
        view.with(|v| {
            indicators
                .with_value(|i| headlines.with_value(|h| model::pick(v.indicator.as_deref(), i, &h.default_indicator)))
        })
    });
    let months = Memo::new(move |_| data.with_value(|d| dashboard::months(&d.facts, &indicator.read())));
    let resolved = Memo::new(move |_| {
        view.with(|v| {
            indicators.with_value(|i| {
                months.with(|m| headlines.with_value(|h| data.with_value(|d| Resolved::new(v, i, m, h, &d.book))))
            })
        })
    });
    let breakdown = Memo::new(move |_| {
        resolved.with(|r| {
            data.with_value(|d| {
                Breakdown::compute(&d.facts, &d.book, &r.indicator, &r.from, &r.to, &r.place, &r.dims())
            })
        })
    });
    // Tiles depend on the period, the place and the chosen fifth indicator only.
    let tile_key =
        Memo::new(move |_| resolved.with(|r| (r.from.clone(), r.to.clone(), r.place.clone(), r.kpi.clone())));
    let tiles_of = move |d: &Loaded| {
        let (from, to, place, kpi) = tile_key.get();
        headlines
            .with_value(|h| model::tiles(&d.facts, &d.book, d.targets.as_ref(), &h.tiles, &from, &to, &place, &kpi))
    };
    let tiles = Memo::new(move |_| data.with_value(|d| tiles_of(d)));
    // Values are compared only when the other snapshot covers the whole period: a month it did not have yet is
    // new data, not a revision (the list of changes says so).
    let to = Memo::new(move |_| resolved.read().to.clone());
    let covers = Memo::new(move |_| {
        compare
            .with(|c| c.as_ref().is_some_and(|c| dashboard::months(&c.facts, &indicator.read()).contains(&to.read())))
    });
    let compare_tiles = Memo::new(move |_| compare.with(|c| c.as_ref().filter(|_| covers.get()).map(|c| tiles_of(c))));
    let compare_breakdown = Memo::new(move |_| {
        compare.with(|c| {
            let c = c.as_ref().filter(|_| covers.get())?;
            resolved.with(|r| Breakdown::compute(&c.facts, &c.book, &r.indicator, &r.from, &r.to, &r.place, &r.dims()))
        })
    });
    // The list of revisions waits until the map and charts are drawn: it is computed in the next task after a
    // view change, so a filter change redraws the visuals first and the list a moment later.
    let settled = RwSignal::new(0_u32);
    Effect::new(move |_| {
        resolved.track();
        set_timeout(move || settled.update(|n| *n += 1), std::time::Duration::ZERO);
    });
    let revisions = Memo::new(move |_| {
        settled.track();
        compare.with(|c| {
            let c = c.as_ref()?;
            Some(resolved.with_untracked(|r| {
                data.with_value(|d| {
                    dashboard::revisions(&c.facts, &d.facts, &d.book, &r.indicator, &r.place, &r.dims())
                })
            }))
        })
    });
    // Timings for the browser benchmark: decoding, and decoding's first aggregation.
    let first = api::now_ms();
    let _ = (breakdown.get_untracked(), tiles.get_untracked());
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-decode-ms", &format!("{:.1}", loaded.decode_ms));
        let _ = body.set_attribute("data-aggregate-ms", &format!("{:.1}", api::now_ms() - first));
        let _ = body.set_attribute("data-rows", &loaded.facts.len().to_string());
    }
    crate::components::Painted::provide();
    let info = RwSignal::new(None::<String>);
    let manifest = loaded.manifest.clone();
    let words = Words::new(resolved, lang);
    view! {
        <PrintCover manifest=loaded.manifest.clone() page=shared::Label { es: "Cobertura de servicios", en: "Service coverage" }
            filters=Signal::derive(move || words.title()) lang=lang />
        {crate::components::presenting().map(|_| view! {
            <SlideHead as_of=loaded.manifest.as_of.clone() lang=lang caption=Signal::derive(move || words.title()) />
        })}
        <SnapshotBanner manifest=manifest listed=listed view=view lang=lang draft=loaded.draft />
        <Filters resolved=resolved listed=listed view=view lang=lang info=info />
        <Tiles tiles=tiles fixed=headlines.with_value(|h| h.tiles.len()) compare_tiles=compare_tiles resolved=resolved view=view lang=lang info=info />
        <section class="panel" data-part="map" aria-labelledby="where-title" data-subject=words.name>
            <h2 id="where-title">
                {words.name}
                <InfoButton id=words.indicator info=info lang=lang />
                <span class="subtitle">{words.caption}</span>
            </h2>
            <p class="summary" data-testid="summary">{move || overall_summary(&resolved.read(), breakdown.read().as_ref(), lang.get())}</p>
            <div class="grid">
                <MapPanel breakdown=breakdown resolved=resolved words=words view=view lang=lang />
                <DepartmentTable breakdown=breakdown compare=compare_breakdown resolved=resolved words=words view=view lang=lang />
            </div>
        </section>
        <Charts breakdown=breakdown resolved=resolved words=words data=data lang=lang />
        <Revisions revisions=revisions resolved=resolved words=words compare=compare lang=lang />
        <IndicatorInfo info=info lang=lang />
    }
}

/// One sentence on the selected indicator, for everyone (and screen readers first).
fn overall_summary(r: &Resolved, b: Option<&Breakdown>, lang: Lang) -> String {
    let Some(b) = b else {
        return t(lang, "La publicación no tiene este indicador.", "The snapshot does not have this indicator.")
            .to_owned();
    };
    let Some(value) = b.value() else {
        return t(
            lang,
            "No hay datos para esta combinación de filtros.",
            "There is no data for this combination of filters.",
        )
        .to_owned();
    };
    let name = r.book.indicator_name(&r.indicator, lang);
    let v = format_value(b.unit, value, lang);
    let place = place_name(&r.book, &r.place, lang);
    let period = r.period(lang);
    // With a place selected: its share of the country (for counts). Otherwise: the leading departments.
    if r.place != Place::National {
        let national: f64 = b.by_department.iter().filter_map(|(_, s)| s.as_ref()).map(|s| s.value).sum::<f64>()
            + b.unplaced.iter().map(|(_, s)| s.value).sum::<f64>();
        let share = (b.unit == Unit::Count && national > 0.0).then(|| format::percent(100.0 * value / national, 1));
        return match (lang, share) {
            (Lang::Es, Some(share)) => format!("{name}: {v} en {period} ({place}), el {share} del total del país."),
            (Lang::En, Some(share)) => format!("{name}: {v} in {period} ({place}), {share} of the national total."),
            (Lang::Es, None) => format!("{name}: {v} en {period} ({place})."),
            (Lang::En, None) => format!("{name}: {v} in {period} ({place})."),
        };
    }
    let ranked = ranked_departments(b);
    let top: Vec<String> =
        ranked.iter().take(2).map(|(d, v)| format!("{} ({})", d.name, format_value(b.unit, *v, lang))).collect();
    let missing: Vec<&str> = b.by_department.iter().filter(|(_, s)| s.is_none()).map(|(d, _)| d.name).collect();
    let unplaced: Vec<String> = b.unplaced.iter().map(|(c, _)| r.book.territory_name(c, lang)).collect();
    let unplaced = match (lang, unplaced.is_empty()) {
        (_, true) => String::new(),
        (Lang::Es, false) => format!(" Sin departamento conocido (cuentan en el total): {}.", unplaced.join(", ")),
        (Lang::En, false) => format!(" No known department (counted in the total): {}.", unplaced.join(", ")),
    };
    match lang {
        Lang::Es => format!(
            "{name}: {v} en {period} ({place}). Mayores valores: {}. Sin oficina ni datos: {}.{unplaced}",
            top.join(" y "),
            if missing.is_empty() { "ninguno".to_owned() } else { missing.join(", ") }
        ),
        Lang::En => format!(
            "{name}: {v} in {period} ({place}). Highest: {}. No office or data: {}.{unplaced}",
            top.join(" and "),
            if missing.is_empty() { "none".to_owned() } else { missing.join(", ") }
        ),
    }
}

fn ranked_departments(b: &Breakdown) -> Vec<(&'static codes::Department, f64)> {
    let mut v: Vec<(&'static codes::Department, f64)> = b
        .by_department
        .iter()
        .filter_map(|(d, s)| s.as_ref().and_then(|s| dashboard::display(b.unit, s)).map(|v| (*d, v)))
        .collect();
    shared::sort_with(&mut v, &|a, b| b.1.total_cmp(&a.1).then(a.0.name.cmp(b.0.name)));
    v
}

#[component]
fn Filters(
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
    let options = move |list: Vec<(String, String)>, selected: String| {
        let l = lang.get();
        let all = view! { <option value="" selected={selected == TOTAL}>{t(l, "Todos", "All")}</option> };
        let rest = list
            .into_iter()
            .map(|(code, label)| view! { <option selected={code == selected} value=code>{label}</option> })
            .collect_view();
        (all, rest)
    };
    let code_options = move |list: &'static [codes::Code], selected: String| {
        let l = lang.get();
        options(list.iter().map(|c| (c.code.to_owned(), c.label.get(l).to_owned())).collect(), selected)
    };
    let population_options = {
        let book = Arc::clone(&book);
        move |selected: String| {
            let l = lang.get();
            options(book.populations.iter().map(|p| (p.code.clone(), p.name.get(l).to_owned())).collect(), selected)
        }
    };
    let book2 = Arc::clone(&book);
    let place_options = move || {
        let l = lang.get();
        let selected = place.read().code().map(str::to_owned).unwrap_or_default();
        let s = selected.clone();
        let departments = codes::DEPARTMENTS
            .iter()
            .map(|d| view! { <option value=d.iso selected={d.iso == s}>{d.name}</option> })
            .collect_view();
        let offices = book
            .territories
            .iter()
            .map(|o| view! { <option value=o.code.clone() selected={o.code == selected}>{format!("SI EMPLEO {}", o.name.get(l))}</option> })
            .collect_view();
        view! {
            <option value="" selected={*place.read() == Place::National}>{t(l, "Todo el país", "Whole country")}</option>
            <optgroup label=t(l, "Departamentos", "Departments")>{departments}</optgroup>
            <optgroup label=t(l, "Oficinas SI EMPLEO", "SI EMPLEO offices")>{offices}</optgroup>
        }
    };
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
    view! {
        <form class="filters" aria-label=move || t(lang.get(), "Filtros", "Filters") on:submit=|ev| ev.prevent_default()>
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

/// A month picker. Its options render once per list of months (years of monthly data make long lists); the
/// selection is set on the element, so a filter change does not rebuild them.
#[component]
fn MonthSelect(
    id: &'static str,
    months: Memo<Vec<String>>,
    #[prop(into)] value: Signal<String>,
    lang: RwSignal<Lang>,
    on_change: impl Fn(String) + 'static,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Select>::new();
    let options = move || {
        let l = lang.get();
        months
            .read()
            .iter()
            .rev()
            .map(|m| view! { <option value=m.clone()>{format::period_short(m, l)}</option> })
            .collect_view()
    };
    Effect::new(move |_| {
        let _ = (months.read(), lang.get());
        if let Some(select) = node.get() {
            select.set_value(&value.get());
        }
    });
    view! { <select id=id node_ref=node on:change=move |ev| on_change(event_target_value(&ev))>{options}</select> }
}

#[component]
fn Tiles(
    tiles: Memo<Vec<Tile>>,
    /// How many fixed tiles come before the reader's own (the snapshot's headline tiles, at most four).
    fixed: usize,
    compare_tiles: Memo<Option<Vec<Tile>>>,
    resolved: Memo<Resolved>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
    info: RwSignal<Option<String>>,
) -> impl IntoView {
    let card = move |i: usize| {
        let tile = move || tiles.read().get(i).cloned();
        let before = move || compare_tiles.read().as_ref().and_then(|c| c.get(i).cloned());
        let title = move || {
            let l = lang.get();
            let book = Arc::clone(&resolved.read_untracked().book);
            tile().map(|tile| {
                let name = book.indicator_name(&tile.indicator, l);
                if tile.population == TOTAL {
                    name
                } else {
                    format!("{name}: {}", book.population_name(&tile.population, l))
                }
            })
        };
        let id = Signal::derive(move || tile().map(|t| t.indicator).unwrap_or_default());
        let test_id = move || tile().map(|t| format!("tile-{}-{}", t.indicator, t.population)).unwrap_or_default();
        let body = move || {
            let l = lang.get();
            let Some(tile) = tile() else { return ().into_any() };
            let value =
                tile.value.map_or_else(|| t(l, "Sin datos", "No data").to_owned(), |v| format_value(tile.unit, v, l));
            let revised = before().and_then(|b| (b.value != tile.value).then_some(b.value)).map(|old| {
                let old = old.map_or_else(|| t(l, "sin dato", "no value").to_owned(), |v| format_value(tile.unit, v, l));
                view! { <p class="tile-revised" data-testid="revised">{format!("{} {old}", t(l, "Revisado; antes:", "Revised; was:"))}</p> }
            });
            let change = tile.change().map(|c| {
                let (arrow, words) = if c >= 0.0 {
                    ("▲", t(l, "más que", "more than"))
                } else {
                    ("▼", t(l, "menos que", "less than"))
                };
                format!(
                    "{arrow} {} {words} {}",
                    format::percent(c.abs(), 1),
                    t(l, "el periodo anterior", "the previous period")
                )
            });
            let progress = tile.progress.map(|p| {
                let label = tile.light.label().get(l);
                let expected = format::percent(tile.expected, 0);
                let width = format!("{:.1}%", p.clamp(0.0, 100.0));
                let marker = format!("{:.1}%", tile.expected.clamp(0.0, 100.0));
                let target = tile.annual_target.map(|x| format_value(tile.unit, x, l)).unwrap_or_default();
                view! {
                    <div class="progress" role="img" aria-label=format!("{} {} · {label}", format::percent(p, 0), t(l, "de la meta anual", "of the annual target"))>
                        <div class=format!("bar light-{}", tile.light.code()) style:width=width></div>
                        <div class="expected" style:left=marker></div>
                    </div>
                    <p class="progress-text">
                        <span class=format!("light light-{}", tile.light.code())>{label}</span>
                        {format!(" {} {} {target} · {} {expected}", format::percent(p, 0), t(l, "de la meta anual de", "of the annual target of"), t(l, "esperado", "expected"))}
                    </p>
                }
            });
            let no_target = tile
                .progress
                .is_none()
                .then(|| view! { <p class="progress-text muted">{tile.light.label().get(l)}</p> });
            view! {
                <p class="tile-value" data-testid="tile-value">{value}</p>
                {revised}
                <p class="tile-change">{change}</p>
                {progress}
                {no_target}
                <Sparkline values=tile.spark.clone() />
            }
            .into_any()
        };
        view! {
            <article class="tile" data-testid=test_id>
                <h3>{title}<InfoButton id=id info=info lang=lang /></h3>
                {body}
            </article>
        }
    };
    let (kpi, indicators) = (part(resolved, |r| r.kpi.clone()), part(resolved, |r| r.indicators.clone()));
    // Tiles follow the place and the period only.
    let scope = Memo::new(move |_| {
        let (r, l) = (resolved.read(), lang.get());
        format!("{} · {}", place_name(&r.book, &r.place, l), r.period(l))
    });
    let kpi_select = move || {
        let l = lang.get();
        let selected = kpi.get();
        indicators
            .read()
            .iter()
            .map(|i| view! { <option value=i.clone() selected={*i == selected}>{format!("{i} · {}", resolved.read_untracked().book.indicator_name(i, l))}</option> })
            .collect_view()
    };
    view! {
        <section class="tiles" data-part="tiles" aria-label=move || t(lang.get(), "Indicadores principales", "Headline indicators")>
            // The tiles' titles are h3: this keeps the heading levels in order for screen readers.
            <h2 class="visually-hidden">{move || t(lang.get(), "Indicadores principales", "Headline indicators")}</h2>
            // Tiles follow the place and the period only: say so, rather than show a filter they ignore.
            <p class="tiles-caption" data-testid="tiles-caption">{move || {
                let l = lang.get();
                format!("{} · {}", scope.read(), t(l, "todas las personas (sin filtros de servicio, población, sexo ni edad)", "everyone (no service, population, sex or age filter)"))
            }}</p>
            <div class="tile-grid">
                {(0..fixed).map(card).collect_view()}
                <div class="tile-choice">
                    <label for="f-kpi">{move || t(lang.get(), "Indicador a elección", "Indicator of your choice")}</label>
                    <select id="f-kpi" on:change=move |ev| set(view, |v| v.kpi = Some(event_target_value(&ev)))>{kpi_select}</select>
                    {card(fixed)}
                </div>
            </div>
        </section>
    }
}

/// A 12-month sparkline (inline SVG: crisp at any size, no canvas needed for 12 points).
#[component]
fn Sparkline(values: Vec<Option<f64>>) -> impl IntoView {
    let max = values.iter().flatten().fold(0.0_f64, |a, &b| a.max(b));
    let (w, h) = (120.0, 28.0);
    let n = values.len().max(2) as f64;
    let points: String = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * w / (n - 1.0),
                h - 2.0 - if max > 0.0 { v / max * (h - 4.0) } else { 0.0 }
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="sparkline" viewBox="0 0 120 28" width="120" height="28" aria-hidden="true" focusable="false">
            <polyline points=points fill="none" stroke="currentColor" stroke-width="2" />
        </svg>
    }
}

/// An office with rows in the period, as the map marks it.
#[derive(Debug, Clone, PartialEq)]
struct Office {
    code: String,
    name: shared::codebook::Names,
    lon_lat: Option<(f64, f64)>,
    value: Option<f64>,
}

#[component]
fn MapPanel(
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
    let values = move || -> Vec<(&'static codes::Department, Option<f64>, bool)> {
        let per_10k = per_10k.get();
        breakdown.read().as_ref().map_or_else(Vec::new, |b| {
            b.by_department
                .iter()
                .map(|(d, s)| {
                    let v = s.as_ref().and_then(|s| dashboard::display(b.unit, s));
                    let v = if per_10k { v.and_then(|v| model::per_10k(v, f64::from(d.population))) } else { v };
                    (*d, v, s.is_some_and(|s| s.reported == 0 && s.suppressed > 0))
                })
                .collect()
        })
    };
    let book = Arc::clone(&resolved.read_untracked().book);
    // Offices with rows in the period: code, name, position (when the list gives one) and value.
    let offices = {
        let book = Arc::clone(&book);
        move || -> Vec<Office> {
            breakdown.read().as_ref().map_or_else(Vec::new, |b| {
                b.by_territory
                    .iter()
                    .filter_map(|(code, s)| {
                        let o = book.territory(code)?;
                        Some(Office {
                            code: code.clone(),
                            name: o.name.clone(),
                            lon_lat: o.lon_lat,
                            value: dashboard::display(b.unit, s),
                        })
                    })
                    .collect()
            })
        }
    };
    let offices = StoredValue::new(offices);
    let offices = move || offices.with_value(|f| f());
    let turn = crate::components::Painted::turn(use_context::<crate::components::Painted>());
    Effect::new(move |_| {
        if !turn.get() {
            return;
        }
        let Some(canvas) = node.get() else { return };
        let l = lang.get();
        let values = values();
        let offices = offices();
        let r = resolved.read();
        let k = scaled::density(presenting);
        if canvas.width() != size.0 * k {
            canvas.set_width(size.0 * k);
            canvas.set_height(size.1 * k);
        }
        let Some(area) = scaled::area(canvas, k) else { return };
        geo.with_value(|geo| {
            let Some(regions) = geo.as_ref() else { return };
            let region_values: Vec<map::RegionValue> = values
                .iter()
                .map(|(d, v, suppressed)| map::RegionValue {
                    id: d.iso,
                    label: d.iso.trim_start_matches("HN-"),
                    value: *v,
                    suppressed: *suppressed,
                })
                .collect();
            let markers: Vec<map::Marker> = offices
                .iter()
                .filter_map(|o| Some(map::Marker { lon_lat: o.lon_lat?, selected: r.place.code() == Some(&o.code) }))
                .collect();
            let selected = match &r.place {
                Place::Department(d) => Some(d.iso),
                _ => None,
            };
            let text = map::MapText {
                legend_title: model::unit_words(r.unit, r.per_10k, l).to_owned(),
                no_data: t(l, "Sin datos (sin oficina)", "No data (no office)").to_owned(),
                zero: t(l, "Cero", "Zero").to_owned(),
                suppressed: t(l, "Suprimido (menos de 5)", "Suppressed (under 5)").to_owned(),
                office: t(l, "Oficina SI EMPLEO", "SI EMPLEO office").to_owned(),
                decimals: usize::from(r.per_10k || r.unit != Unit::Count),
            };
            let _ = map::draw(&area, regions, &region_values, &markers, selected, &text);
        });
    });
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
        let (x, y) = (cx * scale, cy * scale);
        geo.with_value(|geo| {
            let geo = geo.as_ref()?;
            let projection = shared::geo::Projection::for_map(geo, size);
            let near = untrack(offices)
                .iter()
                .find(|o| {
                    o.lon_lat.is_some_and(|at| {
                        let (px, py) = projection.px(at);
                        (f64::from(px) - x).hypot(f64::from(py) - y) <= f64::from(map::MARKER_RADIUS + 4)
                    })
                })
                .map(|o| o.code.clone());
            if let Some(code) = near {
                return Some((cx, cy, code));
            }
            let region = geo.at(projection.lon_lat((x, y)))?;
            Some((cx, cy, region.id.clone()))
        })
    };
    let describe = move |code: &str| -> String {
        let l = lang.get_untracked();
        let r = resolved.get_untracked();
        let unit = r.unit;
        let fmt = |v: Option<f64>| {
            v.map_or_else(
                || t(l, "sin datos", "no data").to_owned(),
                |v| {
                    if r.per_10k {
                        format!("{} {}", format::number(v, 1), model::unit_words(unit, true, l))
                    } else {
                        format_value(unit, v, l)
                    }
                },
            )
        };
        if let Some(o) = untrack(offices).into_iter().find(|o| o.code == code) {
            let v = o.value.map_or_else(|| t(l, "sin datos", "no data").to_owned(), |v| format_value(unit, v, l));
            return format!("SI EMPLEO {}: {v}", o.name.get(l));
        }
        let found = values().into_iter().find(|(d, _, _)| d.iso == code);
        match found {
            Some((d, v, true)) if v.is_none() => {
                format!("{}: {}", d.name, t(l, "suprimido (menos de 5)", "suppressed (under 5)"))
            }
            Some((d, v, _)) => format!("{}: {}", d.name, fmt(v)),
            None => code.to_owned(),
        }
    };
    view! {
        <figure class="figure map-figure" data-png="mapa">
            <figcaption>{move || format!("{} · {}", t(lang.get(), "Mapa por departamento", "Map by department"), words.caption.read())}</figcaption>
            <div class="map-wrap">
                <canvas
                    node_ref=node
                    class="chart map"
                    width=size.0 * untrack(|| scaled::density(presenting))
                    height=size.1 * untrack(|| scaled::density(presenting))
                    role="img"
                    data-testid="map"
                    aria-label=move || format!("{}: {}", t(lang.get(), "Mapa de Honduras", "Map of Honduras"), words.name.read())
                    on:mousemove=move |ev| tooltip.set(hit(&ev).map(|(x, y, code)| (x, y, describe(&code))))
                    on:mouseleave=move |_| tooltip.set(None)
                    on:click=move |ev| {
                        let code = hit(&ev).map(|(_, _, c)| c);
                        set(view, |v| v.place = if v.place == code { None } else { code });
                    }
                ></canvas>
                {move || tooltip.get().map(|(x, y, text)| view! {
                    <div class="tooltip" role="status" style:left=format!("{x:.0}px") style:top=format!("{y:.0}px")>{text}</div>
                })}
            </div>
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

#[component]
fn DepartmentTable(
    breakdown: Memo<Option<Breakdown>>,
    compare: Memo<Option<Breakdown>>,
    resolved: Memo<Resolved>,
    words: Words,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let (place, per_10k) = (part(resolved, |r| r.place.clone()), part(resolved, |r| r.per_10k));
    let rows = move || {
        let l = lang.get();
        let b = breakdown.read();
        let Some(b) = b.as_ref() else { return Vec::new() };
        let before = compare.read();
        let selected = place.read().code().map(str::to_owned);
        let per_10k = per_10k.get();
        b.by_department
            .iter()
            .map(|(d, s)| {
                let value = s.as_ref().and_then(|s| dashboard::display(b.unit, s));
                let shown = match (value, s) {
                    (Some(v), _) => format_value(b.unit, v, l),
                    (None, Some(s)) if s.suppressed > 0 => t(l, "Suprimido", "Suppressed").to_owned(),
                    _ => t(l, "Sin datos", "No data").to_owned(),
                };
                let rate = if per_10k { value.and_then(|v| model::per_10k(v, f64::from(d.population))).map(|r| format::number(r, 1)) } else { None };
                let old = before.as_ref().and_then(|c| {
                    let old = c.by_department.iter().find(|(x, _)| x.iso == d.iso).and_then(|(_, s)| s.as_ref()).and_then(|s| dashboard::display(c.unit, s));
                    (old != value).then(|| old.map_or_else(|| "—".to_owned(), |v| format_value(b.unit, v, l)))
                });
                let iso = d.iso;
                let revised = old.is_some();
                let is_selected = selected.as_deref() == Some(iso);
                view! {
                    <tr data-iso=iso class:selected=is_selected class:revised=revised>
                        <th scope="row">
                            <button type="button" class="link" aria-pressed=is_selected.to_string()
                                on:click=move |_| set(view, |v| v.place = if v.place.as_deref() == Some(iso) { None } else { Some(iso.to_owned()) })>
                                {d.name}
                            </button>
                        </th>
                        <td class="num" data-testid="dept-value">{shown}</td>
                        {per_10k.then(|| view! { <td class="num">{rate.unwrap_or_else(|| "—".to_owned())}</td> })}
                        <td class="num">{old.map(|o| format!("{} {o}", t(l, "antes", "was")))}</td>
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
                let shown = dashboard::display(b.unit, s)
                    .map_or_else(|| t(l, "Sin datos", "No data").to_owned(), |v| format_value(b.unit, v, l));
                let name = format!("{} ({})", book.territory_name(code, l), t(l, "sin departamento", "no department"));
                view! {
                    <tr data-testid="unplaced">
                        <th scope="row">{name}</th>
                        <td class="num" data-testid="dept-value">{shown}</td>
                        {per_10k.get().then(|| view! { <td class="num">"—"</td> })}
                        <td></td>
                    </tr>
                }
            })
            .collect::<Vec<_>>()
    };
    let total = move || {
        let l = lang.get();
        breakdown
            .read()
            .as_ref()
            .and_then(|b| b.value().map(|v| format_value(b.unit, v, l)))
            .unwrap_or_else(|| "—".to_owned())
    };
    view! {
        <div data-export="departamentos">
        <div class="table-scroll" tabindex="0">
            <table data-testid="department-table">
                <caption>{move || words.title()}</caption>
                <thead>
                    <tr>
                        <th scope="col" data-hxl="#adm1+name">{move || t(lang.get(), "Departamento (clic para filtrar)", "Department (click to filter)")}</th>
                        <th scope="col" class="num" data-hxl="#indicator+value">{move || t(lang.get(), "Valor", "Value")}</th>
                        {move || per_10k.get().then(|| view! { <th scope="col" class="num" data-hxl="#indicator+value+per10k">{t(lang.get(), "Por 10,000 hab.", "Per 10,000 inh.")}</th> })}
                        <th scope="col" class="num" data-hxl="#indicator+value+previous">{move || t(lang.get(), "Revisión", "Revision")}</th>
                    </tr>
                </thead>
                <tbody>{rows}{unplaced}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{move || place_name(&resolved.read_untracked().book, &place.read(), lang.get())}</th>
                        <td class="num" data-testid="total">{total}</td>
                        {move || per_10k.get().then(|| view! { <td></td> })}
                        <td></td>
                    </tr>
                </tfoot>
            </table>
        </div>
        <Exports name="departamentos" lang=lang />
        </div>
    }
}

/// A chart category as the charts' memos hold it: code, label, value, suppressed.
type Row = (String, String, Option<f64>, bool);

/// One category of a chart with its value as shown.
struct Category {
    code: String,
    label: String,
    value: Option<f64>,
    suppressed: bool,
}

/// The categories of a chart, in catalogue order: each one the indicator reports (`reported`, whatever the
/// filters), with its sum under the filters or none. A filter thus leaves a category "sin datos" rather than
/// removing it, and the chart keeps its rows (and its canvas its size) as filters change.
fn categories(
    list: &'static [codes::Code],
    sums: &[(String, shared::aggregate::Sum)],
    reported: &[String],
    unit: Unit,
    lang: Lang,
) -> Vec<Category> {
    list.iter()
        .filter_map(|c| {
            let sum = sums.iter().find(|(code, _)| code == c.code).map(|(_, s)| s);
            if sum.is_none() && !reported.iter().any(|r| r == c.code) {
                return None;
            }
            Some(Category {
                code: c.code.to_owned(),
                label: c.label.get(lang).to_owned(),
                value: sum.and_then(|s| dashboard::display(unit, s)),
                suppressed: sum.is_some_and(|s| s.reported == 0 && s.suppressed > 0),
            })
        })
        .collect()
}

/// "X is the largest: 1,234 (32.1 %)" for a chart's one-line summary.
fn largest_sentence(items: &[Category], unit: Unit, lang: Lang) -> String {
    let total: f64 = items.iter().filter_map(|c| c.value).sum();
    let Some(top) = items
        .iter()
        .filter(|c| c.value.is_some())
        .max_by(|a, b| a.value.unwrap_or(0.0).total_cmp(&b.value.unwrap_or(0.0)))
    else {
        return t(
            lang,
            "No hay datos para esta combinación de filtros.",
            "There is no data for this combination of filters.",
        )
        .to_owned();
    };
    let v = top.value.unwrap_or(0.0);
    let share = if unit == Unit::Count && total > 0.0 {
        format!(" ({})", format::percent(100.0 * v / total, 1))
    } else {
        String::new()
    };
    match lang {
        Lang::Es => format!("El mayor valor es {}: {}{share}.", top.label, format_value(unit, v, lang)),
        Lang::En => format!("The largest is {}: {}{share}.", top.label, format_value(unit, v, lang)),
    }
}

#[component]
fn Charts(
    breakdown: Memo<Option<Breakdown>>,
    resolved: Memo<Resolved>,
    words: Words,
    data: StoredValue<Arc<Loaded>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let unit = move || breakdown.read().as_ref().map_or(Unit::Count, |b| b.unit);
    // The services and age groups the indicator reports: once per indicator, not per filter change.
    let indicator = words.indicator;
    let reported = Memo::new(move |_| {
        let i = indicator.read();
        data.with_value(|d| {
            let f = &d.facts;
            (dashboard::codes_of(f, &i, &f.service), dashboard::codes_of(f, &i, &f.age_group))
        })
    });
    let services = Memo::new(move |_| {
        let l = lang.get();
        breakdown
            .read()
            .as_ref()
            .map(|b| categories(&codes::SERVICES, &b.by_service, &reported.read().0, b.unit, l))
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.code, c.label, c.value, c.suppressed))
            .collect::<Vec<_>>()
    });
    let ages = Memo::new(move |_| {
        let l = lang.get();
        breakdown
            .read()
            .as_ref()
            .map(|b| categories(&codes::AGE_GROUPS, &b.by_age, &reported.read().1, b.unit, l))
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.code, c.label, c.value, c.suppressed))
            .collect::<Vec<_>>()
    });
    let bars_chart = move |items: Memo<Vec<Row>>, selected: fn(&Resolved) -> &str, test_id: &'static str| {
        let height = Signal::derive(move || (items.read().len().max(1) as u32) * bars::ROW + 8);
        view! {
            <ChartCanvas width=760 height=height label=Signal::derive(move || summary_of(&items.read(), unit(), lang.get())) test_id=test_id draw=move |area| {
                let l = lang.get();
                let r = resolved.read();
                let chosen = selected(&r).to_owned();
                let u = unit();
                let data: Vec<bars::Bar> = items
                    .read()
                    .iter()
                    .map(|(code, label, value, suppressed)| bars::Bar {
                        label: label.clone(),
                        value: *value,
                        highlight: *code == chosen,
                        note: if *suppressed { t(l, "suprimido (menos de 5)", "suppressed (under 5)") } else { t(l, "sin datos", "no data") }.to_owned(),
                    })
                    .collect();
                let _ = bars::draw(&area, &data, |v| format_value(u, v, l));
            } />
        }
    };
    let service_table = move || {
        category_table(services.get(), unit(), lang.get(), t(lang.get(), "Servicio", "Service"), "#activity+name")
    };
    let age_table = move || {
        category_table(ages.get(), unit(), lang.get(), t(lang.get(), "Grupo de edad", "Age group"), "#affected+age")
    };
    let chart_title = move |es: &'static str, en: &'static str| {
        move || format!("{} · {}", t(lang.get(), es, en), words.caption.read())
    };
    view! {
        <section class="panel charts" aria-label=move || t(lang.get(), "Desgloses", "Breakdowns")>
            <div class="chart-grid">
                <figure class="figure" data-testid="chart-service" data-export="servicio" data-part="services">
                    <figcaption>{chart_title("Por servicio", "By service")}</figcaption>
                    <p class="chart-summary">{move || summary_of(&services.read(), unit(), lang.get())}</p>
                    {bars_chart(services, |r| r.service.as_str(), "chart-service-canvas")}
                    <details class="table-alt"><summary>{move || t(lang.get(), "Ver tabla", "View table")}</summary>{service_table}</details>
                    <Exports name="servicio" lang=lang png=true />
                </figure>
                <PopulationChart breakdown=breakdown resolved=resolved words=words lang=lang />
                <TimeSeries breakdown=breakdown resolved=resolved words=words data=data lang=lang />
                <figure class="figure" data-testid="chart-age" data-export="edad" data-part="ages">
                    <figcaption>{chart_title("Por grupo de edad", "By age group")}</figcaption>
                    <p class="chart-summary">{move || summary_of(&ages.read(), unit(), lang.get())}</p>
                    {bars_chart(ages, |r| r.age.as_str(), "chart-age-canvas")}
                    <details class="table-alt"><summary>{move || t(lang.get(), "Ver tabla", "View table")}</summary>{age_table}</details>
                    <Exports name="edad" lang=lang png=true />
                </figure>
            </div>
        </section>
    }
}

/// The HXL hashtag of a sex's column: `+f`, `+m`, or the code.
fn sex_hxl(code: &str) -> String {
    match code {
        "mujer" => "#indicator+value+f".to_owned(),
        "hombre" => "#indicator+value+m".to_owned(),
        other => format!("#indicator+value+{}", other.replace('_', "")),
    }
}

fn summary_of(items: &[(String, String, Option<f64>, bool)], unit: Unit, lang: Lang) -> String {
    let cats: Vec<Category> = items
        .iter()
        .map(|(code, label, value, suppressed)| Category {
            code: code.clone(),
            label: label.clone(),
            value: *value,
            suppressed: *suppressed,
        })
        .collect();
    if cats.is_empty() {
        return t(
            lang,
            "Este indicador no tiene este desglose con los filtros elegidos.",
            "This indicator has no such breakdown for the chosen filters.",
        )
        .to_owned();
    }
    largest_sentence(&cats, unit, lang)
}

fn category_table(
    items: Vec<(String, String, Option<f64>, bool)>,
    unit: Unit,
    lang: Lang,
    head: &'static str,
    hxl: &'static str,
) -> impl IntoView {
    let total: f64 = items.iter().filter_map(|i| i.2).sum();
    let rows = items
        .into_iter()
        .map(|(code, label, value, suppressed)| {
            let shown = match value {
                Some(v) => format_value(unit, v, lang),
                None if suppressed => t(lang, "Suprimido", "Suppressed").to_owned(),
                None => t(lang, "Sin datos", "No data").to_owned(),
            };
            let share = match (unit, value) {
                (Unit::Count, Some(v)) if total > 0.0 => format::percent(100.0 * v / total, 1),
                _ => String::new(),
            };
            view! { <tr data-code=code><th scope="row">{label}</th><td class="num">{shown}</td><td class="num">{share}</td></tr> }
        })
        .collect_view();
    view! {
        <table>
            <thead><tr><th scope="col" data-hxl=hxl>{head}</th><th scope="col" class="num" data-hxl="#indicator+value">{t(lang, "Valor", "Value")}</th><th scope="col" class="num" data-hxl="#indicator+pct">{t(lang, "% del total", "% of total")}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn PopulationChart(
    breakdown: Memo<Option<Breakdown>>,
    resolved: Memo<Resolved>,
    words: Words,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let book = Arc::clone(&resolved.read_untracked().book);
    // Rows: population types with data; columns: women, men, not stated.
    let grid = Memo::new(move |_| {
        let l = lang.get();
        let b = breakdown.read();
        let Some(b) = b.as_ref() else { return (Unit::Count, Vec::new()) };
        let rows = book
            .populations
            .iter()
            .filter_map(|p| {
                let cells: Vec<(Option<f64>, bool)> = codes::SEXES
                    .iter()
                    .map(|s| {
                        b.by_population_sex
                            .iter()
                            .find(|((pp, ss), _)| *pp == p.code && ss == s.code)
                            .map_or((None, false), |(_, sum)| {
                                (dashboard::display(b.unit, sum), sum.reported == 0 && sum.suppressed > 0)
                            })
                    })
                    .collect();
                cells.iter().any(|c| c.0.is_some() || c.1).then(|| (p.code.clone(), p.name.get(l).to_owned(), cells))
            })
            .collect::<Vec<_>>();
        (b.unit, rows)
    });
    let height =
        Signal::derive(move || (grid.read().1.len().max(1) as u32) * bars::group_height(codes::SEXES.len()) + 8);
    let summary = move || {
        let l = lang.get();
        let (unit, rows) = grid.get();
        if rows.is_empty() {
            return t(
                l,
                "Este indicador no se desagrega por población y sexo con los filtros elegidos.",
                "This indicator has no population × sex breakdown for the chosen filters.",
            )
            .to_owned();
        }
        let women: f64 = rows.iter().filter_map(|r| r.2[0].0).sum();
        let men: f64 = rows.iter().filter_map(|r| r.2[1].0).sum();
        let all: f64 = rows.iter().flat_map(|r| r.2.iter().filter_map(|c| c.0)).sum();
        let suppressed = rows.iter().flat_map(|r| r.2.iter()).filter(|c| c.1).count();
        if unit != Unit::Count || all <= 0.0 {
            return String::new();
        }
        match l {
            Lang::Es => format!(
                "Mujeres: {} del total; hombres: {}. Celdas suprimidas por ser menores de 5: {suppressed}.",
                format::percent(100.0 * women / all, 1),
                format::percent(100.0 * men / all, 1)
            ),
            Lang::En => format!(
                "Women: {} of the total; men: {}. Cells suppressed for being under 5: {suppressed}.",
                format::percent(100.0 * women / all, 1),
                format::percent(100.0 * men / all, 1)
            ),
        }
    };
    let table = move || {
        let l = lang.get();
        let (unit, rows) = grid.get();
        let body = rows
            .into_iter()
            .map(|(code, label, cells)| {
                let tds = cells
                    .into_iter()
                    .map(|(v, s)| {
                        let text = match v {
                            Some(v) => format_value(unit, v, l),
                            None if s => t(l, "Suprimido", "Suppressed").to_owned(),
                            None => "—".to_owned(),
                        };
                        view! { <td class="num">{text}</td> }
                    })
                    .collect_view();
                view! { <tr data-code=code><th scope="row">{label}</th>{tds}</tr> }
            })
            .collect_view();
        let heads = codes::SEXES
            .iter()
            .map(|s| view! { <th scope="col" class="num" data-hxl=sex_hxl(s.code)>{s.label.get(l)}</th> })
            .collect_view();
        view! { <table><thead><tr><th scope="col" data-hxl="#affected+type">{t(l, "Tipo de población", "Population type")}</th>{heads}</tr></thead><tbody>{body}</tbody></table> }
    };
    view! {
        <figure class="figure" data-testid="chart-population" data-export="poblacion-sexo" data-part="populations">
            <figcaption>{move || format!("{} · {}", t(lang.get(), "Por tipo de población y sexo", "By population type and sex"), words.caption.read())}</figcaption>
            <p class="chart-summary">{summary}</p>
            <ChartCanvas width=760 height=height label=Signal::derive(summary) test_id="chart-population-canvas" draw=move |area| {
                let l = lang.get();
                let (unit, rows) = grid.get();
                let groups: Vec<bars::Group> = rows.iter().map(|(_, label, cells)| bars::Group { label: label.clone(), values: cells.iter().map(|c| c.0).collect() }).collect();
                let series: Vec<(String, RGBColor)> = codes::SEXES.iter().zip(palette::SERIES).map(|(s, c)| (s.label.get(l).to_owned(), c)).collect();
                let missing = t(l, "suprimido o sin dato", "suppressed or no value");
                let _ = bars::draw_grouped(&area, &groups, &series, missing, |v| format_value(unit, v, l));
            } />
            <details class="table-alt"><summary>{move || t(lang.get(), "Ver tabla", "View table")}</summary>{table}</details>
            <Exports name="poblacion-sexo" lang=lang png=true />
        </figure>
    }
}

#[component]
fn TimeSeries(
    breakdown: Memo<Option<Breakdown>>,
    resolved: Memo<Resolved>,
    words: Words,
    data: StoredValue<Arc<Loaded>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    // The selected months, the same months a year earlier, and the target's monthly pace for the place.
    let series_data = Memo::new(move |_| {
        let r = resolved.read();
        let b = breakdown.read();
        let Some(b) = b.as_ref() else { return (Unit::Count, Vec::new(), None) };
        let months: Vec<String> = r.months.iter().filter(|m| **m >= r.from && **m <= r.to).cloned().collect();
        let at = |m: &str| b.by_month.iter().find(|(p, _)| p == m).and_then(|(_, s)| dashboard::display(b.unit, s));
        let rows: Vec<(String, Option<f64>, Option<f64>)> =
            months.iter().map(|m| (m.clone(), at(m), dashboard::shift_month(m, -12).and_then(|p| at(&p)))).collect();
        let year: i32 = r.to.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
        let all_dims = r.service == TOTAL && r.population == TOTAL && r.sex == TOTAL && r.age == TOTAL;
        let target = if all_dims {
            data.with_value(|d| {
                d.targets.as_ref().and_then(|t| t.annual(&d.book, &r.indicator, year, &r.place, b.unit))
            })
            .map(|t| if b.unit == Unit::Count { t / 12.0 } else { t })
        } else {
            None
        };
        (b.unit, rows, target)
    });
    let summary = move || {
        let l = lang.get();
        let (unit, rows, target) = series_data.get();
        let Some((peak_m, peak)) =
            rows.iter().filter_map(|(m, v, _)| v.map(|v| (m.clone(), v))).max_by(|a, b| a.1.total_cmp(&b.1))
        else {
            return t(
                l,
                "No hay datos mensuales para esta combinación de filtros.",
                "There is no monthly data for this combination of filters.",
            )
            .to_owned();
        };
        let over = target.map(|t| rows.iter().filter(|r| r.1.is_some_and(|v| v >= t)).count());
        let target_text = match (target, over, l) {
            (Some(t), Some(n), Lang::Es) => {
                format!(" {n} de {} meses alcanzaron el ritmo de la meta ({}).", rows.len(), format_value(unit, t, l))
            }
            (Some(t), Some(n), Lang::En) => {
                format!(" {n} of {} months reached the target pace ({}).", rows.len(), format_value(unit, t, l))
            }
            _ => String::new(),
        };
        match l {
            Lang::Es => format!(
                "El mes más alto fue {} con {}.{target_text}",
                format::period(&peak_m, l),
                format_value(unit, peak, l)
            ),
            Lang::En => format!(
                "The highest month was {} with {}.{target_text}",
                format::period(&peak_m, l),
                format_value(unit, peak, l)
            ),
        }
    };
    let table = move || {
        let l = lang.get();
        let (unit, rows, target) = series_data.get();
        let f = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format_value(unit, v, l));
        let body = rows
            .into_iter()
            .map(|(m, v, p)| view! { <tr data-month=m.clone()><th scope="row">{format::period(&m, l)}</th><td class="num">{f(v)}</td><td class="num">{f(p)}</td><td class="num">{f(target)}</td></tr> })
            .collect_view();
        view! {
            <table>
                <thead><tr>
                    <th scope="col" data-hxl="#date+month">{t(l, "Mes", "Month")}</th>
                    <th scope="col" class="num" data-hxl="#indicator+value">{t(l, "Valor", "Value")}</th>
                    <th scope="col" class="num" data-hxl="#indicator+value+previous_year">{t(l, "Mismo mes, año anterior", "Same month, previous year")}</th>
                    <th scope="col" class="num" data-hxl="#indicator+target+pace">{t(l, "Ritmo de la meta", "Target pace")}</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        }
    };
    view! {
        <figure class="figure" data-testid="chart-series" data-export="mensual" data-part="monthly">
            <figcaption>{move || format!("{} · {}", t(lang.get(), "Evolución mensual", "Monthly trend"), words.caption.read())}</figcaption>
            <p class="chart-summary">{summary}</p>
            <ChartCanvas width=760 height=Signal::derive(|| 360) label=Signal::derive(summary) test_id="chart-series-canvas" draw=move |area| {
                let l = lang.get();
                let (unit, rows, target) = series_data.get();
                let labels: Vec<String> = rows.iter().map(|r| format::period_short(&r.0, l)).collect();
                let current: Vec<Option<f64>> = rows.iter().map(|r| r.1).collect();
                let previous: Vec<Option<f64>> = rows.iter().map(|r| r.2).collect();
                let text = series::SeriesText {
                    current: t(l, "Periodo elegido", "Selected period").to_owned(),
                    previous: t(l, "Año anterior", "Previous year").to_owned(),
                    target: t(l, "Ritmo de la meta", "Target pace").to_owned(),
                };
                let _ = series::draw(&area, &labels, &current, &previous, target, |v| format_value(unit, v, l), &text);
            } />
            <details class="table-alt"><summary>{move || t(lang.get(), "Ver tabla", "View table")}</summary>{table}</details>
            <Exports name="mensual" lang=lang png=true />
        </figure>
    }
}

#[component]
fn Revisions(
    revisions: Memo<Option<Vec<Revision>>>,
    resolved: Memo<Resolved>,
    words: Words,
    compare: Signal<Option<Arc<Loaded>>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let unit = part(resolved, |r| r.unit);
    let book = Arc::clone(&resolved.read_untracked().book);
    move || {
        let l = lang.get();
        let compared = compare.get()?;
        let list = revisions.get()?;
        let unit = unit.get();
        let f =
            |v: Option<f64>| v.map_or_else(|| t(l, "sin dato", "no value").to_owned(), |v| format_value(unit, v, l));
        let added = list.iter().filter(|r| r.change == Change::Added).count();
        let removed = list.iter().filter(|r| r.change == Change::Removed).count();
        let revised: Vec<Revision> = list.into_iter().filter(|r| r.change == Change::Revised).collect();
        let count = revised.len();
        let rows = revised
            .into_iter()
            .take(10)
            .map(|r| {
                let delta = r.delta();
                let sign = if delta >= 0.0 { "+" } else { "" };
                view! {
                    <tr>
                        <th scope="row">{book.territory_name(&r.territory, l)}</th>
                        <td>{format::period(&r.period, l)}</td>
                        <td class="num">{f(r.before)}</td>
                        <td class="num">{f(r.after)}</td>
                        <td class="num">{format!("{sign}{}", format_value(unit, delta, l))}</td>
                    </tr>
                }
            })
            .collect_view();
        let heading = match l {
            Lang::Es => format!("Qué cambió desde la publicación del {}", format::date(&compared.manifest.as_of)),
            Lang::En => format!("What changed since the snapshot of {}", format::date(&compared.manifest.as_of)),
        };
        let sentence = match l {
            Lang::Es => format!(
                "{}: {count} valores revisados, {added} valores nuevos (meses que la publicación anterior no tenía), {removed} retirados. Mayores revisiones:",
                words.name.read()
            ),
            Lang::En => format!(
                "{}: {count} values revised, {added} new values (months the earlier snapshot did not have), {removed} removed. Largest revisions:",
                words.name.read()
            ),
        };
        Some(view! {
            <section class="panel changes" aria-labelledby="changes-title" data-testid="revisions">
                <h2 id="changes-title">{heading}</h2>
                <p>{sentence}</p>
                <div class="table-scroll" tabindex="0">
                    <table>
                        <thead><tr>
                            <th scope="col">{t(l, "Territorio", "Territory")}</th>
                            <th scope="col">{t(l, "Mes", "Month")}</th>
                            <th scope="col" class="num">{t(l, "Antes", "Before")}</th>
                            <th scope="col" class="num">{t(l, "Ahora", "Now")}</th>
                            <th scope="col" class="num">{t(l, "Cambio", "Change")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        })
    }
}
