//! The page and the view state live in the URL: the app reads them at start and on back/forward, and writes a
//! history entry whenever they change, so copying the URL reproduces the view.
//!
//! A dashboard page showing a chosen snapshot is a *frozen link*: `/s/{snapshot-id}/` (coverage) and
//! `/s/{snapshot-id}/hoja-de-ruta` pin every view to that snapshot, whatever is published later. The older
//! spelling `?s={id}` is still read, and rewritten to the frozen form in place.

use leptos::prelude::*;
use shared::view::{self, View};

use crate::Page;

pub use shared::view::FROZEN;

/// The page and view a URL names (`path`, and `query` with or without its `?`).
pub fn parse(path: &str, query: &str) -> (Page, View) {
    let mut v = View::from_query(query);
    let Some((id, page)) = view::split_frozen(path) else { return (Page::from_path(path), v) };
    if id.is_some() {
        v.snapshot = id;
    }
    let page = view::embedded_part(&page).map_or_else(|| Page::from_path(&page), Page::Embed);
    (page, v)
}

/// The URL of a page and view: frozen when a dashboard page shows a chosen snapshot.
pub fn url(page: Page, v: &View) -> String {
    match (page, &v.snapshot) {
        (Page::Embed(part), Some(id)) => view::embed_url(id, part, v),
        (Page::Coverage | Page::Roadmap, Some(id)) => view::frozen_path(id, page.path(), v),
        _ => format!("{}{}", page.path(), v.to_query()),
    }
}

/// The current path and query.
pub fn here() -> String {
    let l = window().location();
    format!("{}{}", l.pathname().unwrap_or_default(), l.search().unwrap_or_default())
}

fn location() -> (Page, View) {
    let l = window().location();
    parse(&l.pathname().unwrap_or_default(), &l.search().unwrap_or_default())
}

/// Puts `want`, the URL of the page and view, in the address bar (a new history entry unless it is already there).
fn follow(page: RwSignal<Page>, view: RwSignal<View>, want: &str) {
    if want == here() {
        return;
    }
    let Ok(history) = window().history() else { return };
    // The same view spelt differently (`?s=` for a frozen link) is replaced, not added: back stays useful.
    let same = location() == (page.get_untracked(), view.get_untracked());
    let _ = if same {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(want))
    } else {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(want))
    };
}

/// Creates the page and view signals from the URL and keeps the three in step.
pub fn provide() -> (RwSignal<Page>, RwSignal<View>) {
    let (p, v) = location();
    let page = RwSignal::new(p);
    let view = RwSignal::new(v);
    Effect::new(move |_| {
        let want = view.with(|v| url(page.get(), v));
        // The address follows in the next task, after the redraw: `pushState` is a synchronous call into the
        // browser (about a millisecond) that nothing on screen waits for.
        set_timeout(move || follow(page, view, &want), std::time::Duration::ZERO);
    });
    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        let (p, v) = location();
        // Setting the same page again would remount it: back and forward within a page change only the view.
        if page.get_untracked() != p {
            page.set(p);
        }
        view.set(v);
    });
    on_cleanup(move || handle.remove());
    (page, view)
}
