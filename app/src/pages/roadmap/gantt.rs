//! The Gantt panel: the timeline canvas (as wide as its column, redrawn on resize), its legend in HTML, keyboard
//! navigation (arrows move, Enter opens), a click opening an intervention, and the same data as a table.

use std::sync::Arc;

use leptos::prelude::*;
use plotters::prelude::*;
use shared::Lang;
use shared::catalog::STRATEGIES;
use shared::date::Day;
use shared::format;
use shared::roadmap::Roadmap;
use shared::view::View;

use super::{
    ELECTIONS, actual_span, as_of, institution_name, light_badge, light_label, light_letter, pct_or_dash, status_name,
    strategy_name, window_of,
};
use crate::api::LoadedRoadmap;
use crate::charts::gantt::{self, Item, Layout, Line, Marker};
use crate::charts::scaled::K;
use crate::components::ChartCanvas;
use crate::i18n::t;

/// The timeline's lines: strategies in their order, each with its interventions that overlap the window, by
/// planned start.
pub fn lines(roadmap: &Roadmap, at: Day, window: (Day, Day), focused: Option<&str>, lang: Lang) -> Vec<Line> {
    let mut out = Vec::new();
    for s in &STRATEGIES {
        let mut items: Vec<&shared::roadmap::Intervention> = roadmap
            .interventions
            .iter()
            .filter(|i| i.strategy == s.code)
            .filter(|i| {
                let end = i.actual_end.unwrap_or(i.planned_end).max(i.planned_end);
                let start = i.actual_start.unwrap_or(i.planned_start).min(i.planned_start);
                end >= window.0 && start <= window.1
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        shared::sort_with(&mut items, &|a, b| a.planned_start.cmp(&b.planned_start).then_with(|| a.id.cmp(&b.id)));
        out.push(Line::Group(s.label.get(lang).to_owned()));
        for i in items {
            let light = roadmap.light_of(i, at);
            out.push(Line::Item(Item {
                code: i.id.clone(),
                label: i.name(lang).to_owned(),
                planned: (i.planned_start, i.planned_end),
                actual: i.actual_start.map(|s| (s, i.actual_end.unwrap_or(at).max(s))),
                milestones: roadmap
                    .milestones_of(&i.id)
                    .iter()
                    .map(|m| (m.planned, Marker::of_status(&m.status)))
                    .collect(),
                baselines: roadmap
                    .milestones_of(&i.id)
                    .iter()
                    .filter(|m| m.is_replanned() && !m.is_cancelled())
                    .map(|m| (m.baseline, m.planned))
                    .collect(),
                light,
                light_letter: light_letter(light, lang),
                focused: focused == Some(i.id.as_str()),
            }));
        }
    }
    out
}

fn item_codes(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| match l {
            Line::Item(i) => Some(i.code.clone()),
            Line::Group(_) => None,
        })
        .collect()
}

/// What a key does on the timeline: move the focus, open the focused intervention, or nothing.
enum KeyAction {
    Focus(usize),
    Open(usize),
    None,
}

fn key_action(key: &str, now: Option<usize>, len: usize) -> KeyAction {
    match (key, now) {
        ("ArrowDown", Some(i)) => KeyAction::Focus((i + 1).min(len - 1)),
        ("ArrowUp", Some(i)) => KeyAction::Focus(i.saturating_sub(1)),
        ("ArrowDown" | "ArrowUp" | "Home", None) | ("Home", _) => KeyAction::Focus(0),
        ("End", _) => KeyAction::Focus(len - 1),
        ("Enter" | " ", Some(i)) => KeyAction::Open(i),
        _ => KeyAction::None,
    }
}

#[component]
pub fn GanttPanel(data: StoredValue<Arc<LoadedRoadmap>>, view: RwSignal<View>, lang: RwSignal<Lang>) -> impl IntoView {
    let at = data.with_value(|d| as_of(d));
    let wrap = NodeRef::<leptos::html::Div>::new();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let width = column_width(wrap);
    // The keyboard's place in the timeline (an intervention code); the open detail counts as focused too.
    let focused = RwSignal::new(None::<String>);
    let window = Memo::new(move |_| view.with(|v| data.with_value(|d| window_of(v.window.as_deref(), &d.roadmap, at))));
    let key_date = Memo::new(move |_| {
        view.with(|v| v.key_date.clone()).and_then(|d| Day::parse(&d)).or_else(|| Day::parse(ELECTIONS))
    });
    let lines = Memo::new(move |_| {
        let open = view.with(|v| v.intervention.clone());
        let f = focused.get().or(open);
        data.with_value(|d| lines(&d.roadmap, at, window.get(), f.as_deref(), lang.get()))
    });
    // On a slide the timeline is laid out at half its column and shown at K×: text and markers twice as large.
    let presenting = crate::components::presenting().is_some();
    let layout = Memo::new(move |_| Layout::for_width(if presenting { width.get() / K } else { width.get() }));
    let draw = drawing(layout, lines, window, key_date, view, lang, at);
    let canvas_width = Signal::derive(move || layout.read().width as u32);
    // The time axis again (the timeline without its lines) on a canvas of its own, as high as the axis, over the
    // timeline's own axis: it stays at the top of the screen while a long timeline scrolls under it (a percentage
    // margin is a share of the width, so the overlap follows the scale the canvas is shown at).
    let axis_height = Signal::derive(move || layout.read().axis_height as u32);
    let axis_overlap =
        move || layout.with(|l| format!("-{:.4}%", 100.0 * f64::from(l.axis_height) / f64::from(l.width.max(1))));
    let canvas_height = Signal::derive(move || layout.with(|layout| lines.with(|lines| layout.height(lines))));
    let open = move |code: String| view.update(|v| v.intervention = Some(code));
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(c) = canvas.get_untracked() else { return };
        // Layout pixels per CSS pixel (the canvas holds K device pixels per layout pixel).
        let scale = f64::from(c.height() / K) / f64::from(c.client_height().max(1));
        let y = f64::from(ev.offset_y()) * scale;
        let hit =
            lines.with_untracked(|lines| match layout.get_untracked().line_at(lines, y).and_then(|i| lines.get(i)) {
                Some(Line::Item(item)) => Some(item.code.clone()),
                _ => None,
            });
        if let Some(code) = hit {
            focused.set(Some(code.clone()));
            open(code);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let codes = lines.with_untracked(|l| item_codes(l));
        if codes.is_empty() {
            return;
        }
        let now = focused.get_untracked().and_then(|c| codes.iter().position(|x| *x == c));
        match key_action(&ev.key(), now, codes.len()) {
            KeyAction::Focus(i) => {
                ev.prevent_default();
                focused.set(Some(codes[i].clone()));
            }
            KeyAction::Open(i) => {
                ev.prevent_default();
                open(codes[i].clone());
            }
            KeyAction::None => {}
        }
    };
    let announce = move || {
        let l = lang.get();
        let code = focused.get()?;
        data.with_value(|d| {
            let i = d.roadmap.intervention(&code)?;
            let light = d.roadmap.light_of(i, at);
            Some(format!(
                "{} · {} · {} · {}",
                i.id,
                i.name(l),
                light_label(light, l),
                t(l, "Intro para abrir", "Enter to open")
            ))
        })
    };
    let summary = move || timeline_label(lines.with(|l| item_codes(l).len()), window.get(), lang.get());
    view! {
        <section class="panel gantt-panel" aria-labelledby="gantt-title" data-export="cronograma" data-part="timeline">
            <h2 id="gantt-title">{move || t(lang.get(), "Cronograma de intervenciones", "Intervention timeline")}</h2>
            <Legend lang=lang />
            <div class="gantt-wrap" node_ref=wrap>
                <ChartCanvas class="chart gantt-axis" density=K width=canvas_width height=axis_height test_id="gantt-axis"
                    label=Signal::derive(move || t(lang.get(), "Eje de tiempo del cronograma", "Timeline time axis").to_owned())
                    draw=drawing(layout, Memo::new(|_| Vec::new()), window, key_date, view, lang, at)
                    attr:aria-hidden="true" style:margin-bottom=axis_overlap />
                <ChartCanvas node=canvas class="chart gantt" density=K width=canvas_width height=canvas_height
                    test_id="gantt" label=Signal::derive(summary) draw=draw
                    attr:tabindex="0" attr:aria-describedby="gantt-focus" on:click=on_click on:keydown=on_key
                    on:blur=move |_| focused.set(None) />
            </div>
            <p id="gantt-focus" class="note" aria-live="polite" data-testid="gantt-focus">{announce}</p>
            <details class="table-alt"><summary>{move || t(lang.get(), "Ver tabla del cronograma", "View the timeline as a table")}</summary>
                <GanttTable data=data view=view lang=lang />
            </details>
            <crate::export::Exports name="cronograma" lang=lang png=true no_hxl=true />
        </section>
    }
}

#[component]
fn Legend(lang: RwSignal<Lang>) -> impl IntoView {
    move || {
        let l = lang.get();
        let marker = |m: Marker, es: &'static str, en: &'static str| {
            let RGBColor(r, g, b) = m.colour();
            let shape = match m {
                Marker::Done => format!("<circle cx='9' cy='9' r='6' fill='rgb({r},{g},{b})'/>"),
                Marker::DoneLate => {
                    format!("<polygon points='9,1 17,15 1,15' fill='rgb({r},{g},{b})' stroke='#212529'/>")
                }
                Marker::Pending => {
                    "<circle cx='9' cy='9' r='6' fill='#fff' stroke='#212529' stroke-width='2'/>".to_owned()
                }
                Marker::Missed => {
                    format!("<path d='M3 3 L15 15 M3 15 L15 3' stroke='rgb({r},{g},{b})' stroke-width='3'/>")
                }
                Marker::Cancelled => format!("<path d='M3 9 L15 9' stroke='rgb({r},{g},{b})' stroke-width='3'/>"),
            };
            view! {
                <li><svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" inner_html=shape></svg>{t(l, es, en)}</li>
            }
        };
        view! {
            <ul class="legend" aria-label=t(l, "Leyenda del cronograma", "Timeline legend")>
                <li><span class="swatch planned" aria-hidden="true"></span>{t(l, "Planificado", "Planned")}</li>
                <li><span class="swatch actual" aria-hidden="true"></span>{t(l, "Real", "Actual")}</li>
                {marker(Marker::Done, "Hito cumplido", "Milestone done")}
                {marker(Marker::DoneLate, "Cumplido con retraso", "Done late")}
                {marker(Marker::Pending, "Pendiente", "Pending")}
                {marker(Marker::Missed, "No cumplido", "Missed")}
                {marker(Marker::Cancelled, "Cancelado", "Cancelled")}
                <li><svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true"><path d="M9 2 L16 9 L9 16 L2 9 Z" fill="#fff" stroke="#495057" stroke-width="2"/></svg>{t(l, "Línea de base de un hito replanificado", "Baseline of a replanned milestone")}</li>
                <li><span class="swatch today" aria-hidden="true"></span>{t(l, "Fecha de corte", "Cut-off date")}</li>
                <li><span class="swatch key" aria-hidden="true"></span>{t(l, "Fecha clave", "Key date")}</li>
                <li>{t(l, "Semáforo: V en camino · A atención · R rezagado · – sin evaluar", "Light: G on track · A watch · R off track · – not rated")}</li>
            </ul>
        }
    }
}

#[component]
fn GanttTable(data: StoredValue<Arc<LoadedRoadmap>>, view: RwSignal<View>, lang: RwSignal<Lang>) -> impl IntoView {
    let at = data.with_value(|d| as_of(d));
    move || {
        let l = lang.get();
        let rows = data.with_value(|d| {
            let r = &d.roadmap;
            let mut list: Vec<&shared::roadmap::Intervention> = r.interventions.iter().collect();
            let order = |s: &str| STRATEGIES.iter().position(|c| c.code == s).unwrap_or(usize::MAX);
            shared::sort_with(&mut list, &|a, b| order(&a.strategy).cmp(&order(&b.strategy)).then_with(|| a.planned_start.cmp(&b.planned_start)));
            list.into_iter()
                .map(|i| {
                    let p = r.progress_of(&i.id, at);
                    let light = r.light_of(i, at);
                    let code = i.id.clone();
                    let actual = actual_span(i, l);
                    let moved: Vec<String> = r
                        .milestones_of(&i.id)
                        .into_iter()
                        .filter(|m| m.is_replanned() && !m.is_cancelled())
                        .map(|m| format!("{}: {} → {} ({:+} {})", m.name(l), m.baseline.display(), m.planned.display(), m.replanned_by(), t(l, "días", "days")))
                        .collect();
                    let moved = if moved.is_empty() { "—".to_owned() } else { moved.join("; ") };
                    view! {
                        <tr data-id=i.id.clone()>
                            <th scope="row"><button type="button" class="link" on:click=move |_| view.update(|v| v.intervention = Some(code.clone()))>{format!("{} · {}", i.id, i.name(l))}</button></th>
                            <td>{strategy_name(&i.strategy, l)}</td>
                            <td>{institution_name(&i.institution, l)}</td>
                            <td>{format!("{} – {}", i.planned_start.display(), i.planned_end.display())}</td>
                            <td>{actual}</td>
                            <td>{status_name(&i.status, l)}</td>
                            <td class="num">{pct_or_dash(p.actual_pct, 0)}</td>
                            <td class="num">{pct_or_dash(p.planned_pct, 0)}</td>
                            <td>{light_badge(light, l)}</td>
                            <td>{moved}</td>
                        </tr>
                    }
                })
                .collect_view()
        });
        view! {
            <div class="table-scroll" tabindex="0"><table data-testid="gantt-table">
                <thead><tr>
                    <th scope="col">{t(l, "Intervención", "Intervention")}</th>
                    <th scope="col">{t(l, "Estrategia", "Strategy")}</th>
                    <th scope="col">{t(l, "Responsable", "Responsible")}</th>
                    <th scope="col">{t(l, "Plan", "Plan")}</th>
                    <th scope="col">{t(l, "Real", "Actual")}</th>
                    <th scope="col">{t(l, "Estado", "Status")}</th>
                    <th scope="col" class="num">{t(l, "Avance", "Progress")}</th>
                    <th scope="col" class="num">{t(l, "Planificado", "Planned")}</th>
                    <th scope="col">{t(l, "Semáforo", "Light")}</th>
                    <th scope="col">{t(l, "Hitos replanificados: línea de base → fecha vigente", "Replanned milestones: baseline → current date")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        }
    }
}

/// Draws the timeline (on the canvas that [`ChartCanvas`] sizes to its layout), reading its lines, window, key
/// date and language: the canvas redraws whenever they change.
#[allow(clippy::too_many_arguments)]
fn drawing(
    layout: Memo<Layout>,
    lines: Memo<Vec<Line>>,
    window: Memo<(Day, Day)>,
    key_date: Memo<Option<Day>>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
    at: Day,
) -> impl Fn(crate::charts::scaled::Area) + 'static {
    move |area| {
        let layout = layout.get();
        let l = lang.get();
        let lines = lines.read();
        let custom = view.with_untracked(|v| v.key_date.is_some());
        let words = gantt::Words {
            today: format!("{} {}", t(l, "Corte", "Cut-off"), at.display()),
            key_date: key_date.get().map(|d| {
                let what = if custom { t(l, "Fecha clave", "Key date") } else { t(l, "Elecciones", "Elections") };
                format!("{what} {}", d.display())
            }),
            lang: l,
        };
        let short = |y: i32, m: u32| format::period_short(&format!("{y:04}-{m:02}"), l);
        let dates = gantt::Dates { window: window.get(), today: at, key_date: key_date.get() };
        let _ = gantt::draw(&area, &layout, &lines, dates, &words, short);
    }
}

/// The width of the timeline's column, measured when it mounts and on every window resize.
fn column_width(wrap: NodeRef<leptos::html::Div>) -> RwSignal<u32> {
    let width = RwSignal::new(1200_u32);
    let measure = move || {
        if let Some(div) = wrap.get_untracked() {
            let w = div.client_width();
            if w > 0 && w as u32 != width.get_untracked() {
                width.set(w as u32);
            }
        }
    };
    Effect::new(move |_| {
        if wrap.get().is_some() {
            measure();
        }
    });
    let handle = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || handle.remove());
    width
}

/// The timeline's accessible name: what it shows and how to use it from the keyboard.
fn timeline_label(n: usize, (from, to): (Day, Day), l: Lang) -> String {
    match l {
        Lang::Es => format!(
            "Cronograma de {n} intervenciones del {} al {}: barra clara = planificado, barra oscura = real; use las flechas para recorrerlas e Intro para abrir una.",
            from.display(),
            to.display()
        ),
        Lang::En => format!(
            "Timeline of {n} interventions from {} to {}: light bar = planned, dark bar = actual; use the arrow keys to move and Enter to open one.",
            from.display(),
            to.display()
        ),
    }
}
