//! The coverage dashboard: who SI EMPLEO's services reach, where, and whether it is on target.
//!
//! Data flow: the snapshot (and the one compared with) load once; every filter lives in the URL view; memos turn
//! the view into a `Resolved` view, then into one `Breakdown` (one pass over the Arrow columns) and the KPI tiles;
//! the canvases and tables read those memos. Nothing is decoded again on a filter change.
//!
//! Modules: [`filters`] (the form), [`tiles`] (the KPI tiles), [`places`] (the map and the department table),
//! [`municipalities`] (the map's municipal level and its table),
//! [`charts`] (the four charts and their tables), [`revisions`] (what changed since the compared snapshot). The
//! sentences they show are plain Rust in [`crate::model::prose`].

mod charts;
mod filters;
mod municipalities;
mod places;
mod revisions;
mod tiles;

use std::sync::Arc;

use leptos::prelude::*;
use shared::Lang;
use shared::codes::TOTAL;
use shared::dashboard::{self, Breakdown};
use shared::view::View;

use crate::api::{self, Listed, Loaded};
use crate::components::{ErrorView, ExecSummary, IndicatorInfo, InfoButton, PrintCover, SlideHead, SnapshotBanner};
use crate::i18n::t;
use crate::model::prose;
use crate::model::{self, Resolved};

use charts::Charts;
use filters::Filters;
use places::{DepartmentTable, MapPanel};
use revisions::Revisions;
use tiles::Tiles;

#[component]
pub fn Coverage(view: RwSignal<View>, lang: RwSignal<Lang>) -> impl IntoView {
    // The shown snapshot of a URL without filters starts from the rows its default view reads (issue 33); the
    // snapshot compared with is read whole (its figures and the revisions compare whole tables).
    let load = move |id: String, shown: bool| {
        let first_view = shown && view.with_untracked(View::is_first_view);
        async move { api::load(&id, first_view).await }
    };
    let super::Loads { listed, main, compare } = super::load_with(view, load, |l: &Loaded| &l.manifest);
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

/// Fetches the whole `facts` of a snapshot shown from the rows its default view reads, and swaps it in: every memo
/// recomputes from it (the default view's figures are the same, so nothing on screen changes), then a filter chosen
/// meanwhile is shown. `timed` then writes the benchmark's timings. A failure is said beside the figures, which stay.
fn fetch_whole(data: RwSignal<Arc<Loaded>>, failed: RwSignal<Option<api::FetchError>>, timed: impl Fn() + 'static) {
    let id = data.with_untracked(|d| d.manifest.snapshot_id.clone());
    leptos::task::spawn_local(async move {
        match api::whole_facts(&id).await {
            Ok((facts, decode_ms)) => {
                let swapped = data.try_update(|d| {
                    *d = Arc::new(Loaded { facts, decode_ms, whole: true, ..Loaded::clone(d) });
                });
                if swapped.is_some() {
                    timed();
                }
            }
            Err(e) => {
                let _ = failed.try_set(Some(e));
            }
        }
    });
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

/// What the coverage view's exports say about it in their first lines: indicator, unit, period, place, filters.
fn export_meta(r: &Resolved, lang: Lang) -> Vec<(&'static str, String)> {
    vec![
        ("indicator", format!("{} {}", r.indicator, r.book.indicator_name(&r.indicator, lang))),
        ("unit", model::unit_words(r.unit, r.per_10k, lang).to_owned()),
        ("period", format!("{}/{} ({})", r.from, r.to, r.period(lang))),
        (
            "place",
            format!(
                "{} {}",
                r.place.code().unwrap_or(shared::codes::NATIONAL),
                model::place_name(&r.book, &r.place, lang)
            ),
        ),
        ("filters", r.caption(lang)),
    ]
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
    // The snapshot's data: at first perhaps only the rows of `facts` its default view reads (`Loaded::whole`), until
    // `fetch_whole` swaps the whole table in.
    let data = RwSignal::new(Arc::clone(&loaded));
    let whole = Memo::new(move |_| data.with(|d| d.whole));
    // Each memo recomputes only when what it reads changes: the months of an indicator once per indicator, the
    // comparison's coverage once per indicator and end month, the tiles once per period and place.
    let book = Arc::clone(&loaded.book);
    provide_context(Arc::clone(&book));
    crate::components::tell_shown(&loaded.manifest.snapshot_id, &book);
    // The first rows hold every code of every dictionary: the same indicators and headlines as the whole table.
    let indicators = StoredValue::new(model::indicators_in(&loaded.facts, &book));
    let headlines = StoredValue::new(indicators.with_value(|i| book.headlines(i)));
    // The view the figures show: the URL's, but until the whole table is there its first view (the default view,
    // which the first rows show exactly): a filter chosen meanwhile waits for the table, the figures shown stay.
    let shown = Memo::new(move |_| if whole.get() { view.get() } else { view.with(View::first_view) });
    let indicator = Memo::new(move |_| {
        shown.with(|v| {
            indicators
                .with_value(|i| headlines.with_value(|h| model::pick(v.indicator.as_deref(), i, &h.default_indicator)))
        })
    });
    let months = Memo::new({
        let book = Arc::clone(&book);
        move |_| {
            data.with(|d| {
                let i = indicator.read();
                (dashboard::months(&d.facts, &i), dashboard::opening(&d.facts, &book, &i))
            })
        }
    });
    let resolved = Memo::new(move |_| {
        shown.with(|v| {
            indicators.with_value(|i| {
                months.with(|(m, o)| headlines.with_value(|h| Resolved::new(v, i, m, o.as_ref(), h, &book)))
            })
        })
    });
    let breakdown = Memo::new(move |_| {
        resolved.with(|r| {
            data.with(|d| Breakdown::compute(&d.facts, &d.book, &r.indicator, &r.from, &r.to, &r.place, &r.dims()))
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
    let tiles = Memo::new(move |_| data.with(|d| tiles_of(d)));
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
    // The list of revisions waits until the map and charts are on screen: it is computed in the task after the
    // frame that follows a view change, so a filter change shows the visuals first and the list a moment later. (A
    // task queued at once ran before that frame whenever the frame was not yet due, and at a million rows its
    // comparison delayed the frame: BENCHMARKS.md, redraw measured to the pixels.)
    let settled = RwSignal::new(0_u32);
    Effect::new(move |_| {
        resolved.track();
        request_animation_frame(move || {
            set_timeout(
                move || {
                    // The page may have gone before this task runs: then there is nothing to do.
                    let _ = settled.try_update(|n| *n += 1);
                },
                std::time::Duration::ZERO,
            );
        });
    });
    // Revisions compare whole tables: none until the whole table is there.
    let revisions = Memo::new(move |_| {
        settled.track();
        compare.with(|c| {
            let c = c.as_ref().filter(|_| whole.get())?;
            Some(resolved.with_untracked(|r| {
                data.with_untracked(|d| {
                    dashboard::revisions(&c.facts, &d.facts, &d.book, &r.indicator, &r.place, &r.dims())
                })
            }))
        })
    });
    // The executive summary: the gaps to target read the table once per period (and tiles); the sentences follow
    // the view, the language, the tiles' projections and the revisions once they are there.
    // The indicators with a target change far less often than the tiles (not with the place or the first month): a
    // memo of their own keeps a filter change from reading the table again for the gaps.
    let with_target = Memo::new(move |_| tiles.with(|t| shared::summary::with_target(t)));
    let gaps = Memo::new(move |_| {
        let to = to.get();
        let indicators = with_target.get();
        data.with(|d| match d.targets.as_ref() {
            Some(targets) => shared::summary::gaps(&d.facts, &d.book, targets, &indicators, &to),
            None => Vec::new(),
        })
    });
    let exec = Memo::new(move |_| {
        let compared = compare.with(|c| c.as_ref().map(|c| (c.manifest.snapshot_id.clone(), c.manifest.as_of.clone())));
        let (r, revisions, tiles, gaps, view) =
            (resolved.read(), revisions.read(), tiles.read(), gaps.read(), view.read());
        // The tiles' projections need last year's months: the first view's rows do not hold them.
        let tiles: &[shared::dashboard::Tile] = if whole.get() { &tiles } else { &[] };
        let input = shared::summary::Coverage {
            book: &r.book,
            gaps: &gaps,
            view: &view,
            indicator: &r.indicator,
            to: &r.to,
            tiles,
            revisions: compared
                .as_ref()
                .zip(revisions.as_deref())
                .map(|((id, as_of), list)| (id.as_str(), as_of.as_str(), list)),
        };
        shared::summary::coverage(&input, lang.get())
    });
    // Timings for the browser benchmark, once the whole table is there: decoding it, and its first aggregation.
    let timed = move || {
        let first = api::now_ms();
        let _ = (breakdown.get_untracked(), tiles.get_untracked());
        let aggregate_ms = api::now_ms() - first;
        if let Some(body) = document().body() {
            data.with_untracked(|d| {
                let _ = body.set_attribute("data-facts", if d.whole { "whole" } else { "first-view" });
                if d.whole {
                    let _ = body.set_attribute("data-decode-ms", &format!("{:.1}", d.decode_ms));
                    let _ = body.set_attribute("data-aggregate-ms", &format!("{aggregate_ms:.1}"));
                    let _ = body.set_attribute("data-rows", &d.facts.len().to_string());
                }
            });
        }
    };
    timed();
    crate::components::Painted::provide();
    // The whole table once the first view's charts are drawn: at 10M rows, decoding it holds the page for a second.
    let failed = RwSignal::new(None::<api::FetchError>);
    if !loaded.whole {
        crate::components::Painted::then(use_context(), Box::new(move || fetch_whole(data, failed, timed)));
    }
    let info = RwSignal::new(None::<String>);
    let manifest = loaded.manifest.clone();
    let words = Words::new(resolved, lang);
    let drill = municipalities::Drill::new(view, Arc::clone(&loaded.book));
    provide_context(crate::export::ExportMeta(Signal::derive(move || export_meta(&resolved.read(), lang.get()))));
    view! {
        <PrintCover manifest=loaded.manifest.clone() page=shared::Label { es: "Cobertura de servicios", en: "Service coverage" }
            filters=Signal::derive(move || words.title()) summary=exec lang=lang />
        {crate::components::presenting().map(|_| view! {
            <SlideHead manifest=loaded.manifest.clone() view=view lang=lang caption=Signal::derive(move || words.title()) />
        })}
        <SnapshotBanner manifest=manifest listed=listed view=view lang=lang draft=loaded.draft />
        <Filters resolved=resolved listed=listed view=view lang=lang info=info />
        <Tiles tiles=tiles data=data fixed=headlines.with_value(|h| h.tiles.len()) compare_tiles=compare_tiles resolved=resolved view=view lang=lang info=info />
        // After the tiles: on a phone the headline figures stay on the first screen, the summary right under them.
        <ExecSummary sentences=exec part=shared::agenda::Part::Summary lang=lang />
        <section class="panel" data-part="map" aria-labelledby="where-title" data-subject=words.name>
            <h2 id="where-title">
                {words.name}
                <InfoButton id=words.indicator info=info lang=lang />
                <span class="subtitle">{words.caption}</span>
            </h2>
            <p class="summary" data-testid="summary">{move || prose::overall_summary(&resolved.read(), breakdown.read().as_ref(), lang.get())}</p>
            <div class="grid">
                <MapPanel breakdown=breakdown resolved=resolved words=words drill=drill view=view lang=lang />
                <DepartmentTable breakdown=breakdown compare=compare_breakdown resolved=resolved words=words drill=drill view=view lang=lang />
            </div>
        </section>
        {move || failed.get().map(|e| view! {
            <p class="note" role="status" data-testid="whole-failed">{move || format!("{} {}", e.message(lang.get()),
                t(lang.get(), "Los filtros necesitan la tabla completa; recargue la página para intentarlo de nuevo.",
                    "Filters need the whole table; reload the page to try again."))}</p>
        })}
        <Charts breakdown=breakdown resolved=resolved words=words data=data lang=lang />
        <Revisions revisions=revisions resolved=resolved words=words compare=compare lang=lang />
        {view.with_untracked(|v| v.snapshot.clone()).map(|id| view! { <crate::pages::roadmap::agreements::SharedAgreements snapshot=id lang=lang /> })}
        <IndicatorInfo info=info lang=lang />
    }
}
