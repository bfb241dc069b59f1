//! The KPI tiles: the snapshot's headline indicators and the reader's own, each with its sparkline.

use std::sync::Arc;

use leptos::prelude::*;
use shared::Lang;
use shared::codes::TOTAL;
use shared::dashboard::Tile;
use shared::format;
use shared::view::View;

use super::{part, set};
use crate::api::Loaded;
use crate::components::InfoButton;
use crate::i18n::t;
use crate::model::{Resolved, format_value, place_name, prose};

#[component]
pub(super) fn Tiles(
    tiles: Memo<Vec<Tile>>,
    /// The snapshot: its targets say whether a tile's annual target was revised.
    data: RwSignal<Arc<Loaded>>,
    /// How many fixed tiles come before the reader's own (the snapshot's headline tiles, at most four).
    fixed: usize,
    compare_tiles: Memo<Option<Vec<Tile>>>,
    resolved: Memo<Resolved>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
    info: RwSignal<Option<String>>,
) -> impl IntoView {
    // The last month of the view: the year-to-date the progress counts ends there.
    let to = part(resolved, |r| r.to.clone());
    let from = part(resolved, |r| r.from.clone());
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
            let value = value_lines(&tile, &from.read(), &to.read(), l);
            let revised = before().and_then(|b| (b.value != tile.value).then_some(b.value)).map(|old| {
                let old = old.map_or_else(|| t(l, "sin dato", "no value").to_owned(), |v| format_value(tile.unit, v, l));
                view! { <p class="tile-revised" data-testid="revised">{format!("{} {old}", t(l, "Revisado; antes:", "Revised; was:"))}</p> }
            });
            let change = change_line(&tile, l);
            let progress = tile.progress.map(|p| {
                let label = tile.light.label().get(l);
                let expected = format::percent(tile.expected, 0);
                let width = format!("{:.1}%", p.clamp(0.0, 100.0));
                let marker = format!("{:.1}%", tile.expected.clamp(0.0, 100.0));
                view! {
                    <div class="progress" role="img" aria-label=format!("{} {} · {label}", format::percent(p, 0), t(l, "de la meta anual", "of the annual target"))>
                        <div class=format!("bar light-{}", tile.light.code()) style:width=width></div>
                        <div class="expected" style:left=marker></div>
                    </div>
                    <p class="progress-text">
                        <span class=format!("light light-{}", tile.light.code())>{label}</span>
                        {format!(" {} · {} {expected}", prose::tile_progress(&tile, &to.read(), l).unwrap_or_default(), t(l, "esperado", "expected"))}
                    </p>
                }
            });
            // Where the year ends at this pace, or why that is not said (only a tile with an annual target): the same
            // markup as the revised target's line below, so the wasm holds its code once.
            let line = data.with(|d| target_revision(d, resolved, &tile, to, l));
            let target_revised = line.map(|s| view! { <p class="tile-note" data-testid="target-revised">{s}</p> });
            let no_target = tile
                .progress
                .is_none()
                .then(|| view! { <p class="progress-text muted">{tile.light.label().get(l)}</p> });
            view! {
                {value}
                {revised}
                {change}
                {progress}
                {projection_line(&tile, data.with(|d| d.whole), l)}
                {target_revised}
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

/// The line saying a tile's annual target was revised, if it was (the markup of the line before it, so the wasm
/// holds its code once): "Meta revisada el 15/06/2026 por DGE-OML
/// (antes 58,000): «motivo»" (the reason as the analyst wrote it, in Spanish).
#[inline(never)]
fn target_revision(d: &Loaded, resolved: Memo<Resolved>, tile: &Tile, to: Memo<String>, l: Lang) -> Option<String> {
    if tile.population != TOTAL || tile.annual_target.is_none() {
        return None;
    }
    let year = to.read().get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let r = resolved.read_untracked();
    let revision = d.targets.as_ref()?.revision(&r.book, &tile.indicator, year, &r.place, tile.unit)?;
    let before = revision.previous.map(|v| format_value(tile.unit, v, l));
    let line = revision.note(before.as_deref(), l);
    Some(match &revision.reason {
        Some(why) => format!("{line}: «{why}»"),
        None => line,
    })
}

/// Where the year ends at this pace, or why that is not said (only a tile with an annual target), projected from
/// the whole table only (the first view's rows hold the view's months, not last year's): the same markup as the
/// revised target's line, so the wasm holds its code once.
fn projection_line(tile: &Tile, whole: bool, l: Lang) -> Option<impl IntoView + use<>> {
    let text = match tile.projection.as_ref().filter(|_| whole)? {
        Ok(p) => p.text(tile.annual_target, l),
        Err(why) => why.text(l),
    };
    Some(view! { <p class="tile-note" data-testid="tile-projection">{text}</p> })
}

/// A tile's big number, the months it counts, and, when it adds up an estimate, an "e" beside it (its words for
/// screen readers in its title) and a line saying what the "e" means.
fn value_lines(tile: &Tile, from: &str, to: &str, l: Lang) -> impl IntoView + use<> {
    let value = match tile.value {
        Some(v) => format_value(tile.unit, v, l),
        None if tile.not_combinable => t(l, "No se puede sumar", "Cannot be added up").to_owned(),
        None => t(l, "Sin datos", "No data").to_owned(),
    };
    let why = tile.not_combinable.then(|| {
        view! {
            <p class="tile-note" data-testid="tile-not-combinable">
                {t(l, "No se suman meses de personas distintas ni medianas: elija un mes, un trimestre, el año hasta la fecha o una oficina.", "Months of distinct people, and medians, do not add up: choose a month, a quarter, the year to date or an office.")}
            </p>
        }
    });
    let estimated = tile.estimated && tile.value.is_some();
    let mark = estimated.then(|| {
        view! { <abbr class="estimate-mark" title=t(l, "incluye valores estimados", "includes estimated values")>"e"</abbr> }
    });
    let note = estimated.then(|| {
        view! { <p class="tile-note" data-testid="tile-estimated">{t(l, "e: incluye valores estimados", "e: includes estimated values")}</p> }
    });
    let period = prose::tile_period(from, to, l);
    view! {
        <p class="tile-value" class:in-words=tile.value.is_none()><span data-testid="tile-value">{value}</span>{mark}</p>
        <p class="tile-period" data-testid="tile-period">{period}</p>
        {note}
        {why}
    }
}

/// A tile's change against the previous period, or why it gives none.
fn change_line(tile: &Tile, l: Lang) -> Option<AnyView> {
    prose::tile_change(tile, l)
        .map(|c| view! { <p class="tile-change" data-testid="tile-change">{c}</p> }.into_any())
        .or_else(|| {
            prose::tile_no_change(tile, l)
                .map(|why| view! { <p class="tile-change no-change" data-testid="tile-change">{why}</p> }.into_any())
        })
}

/// A 12-month sparkline (inline SVG: crisp at any size, no canvas needed for 12 points).
#[component]
pub(super) fn Sparkline(values: Vec<Option<f64>>) -> impl IntoView {
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
