//! The view state lives in the URL: the app reads it at start and on back/forward, and pushes a history entry
//! whenever it changes, so copying the URL reproduces the view.

use leptos::prelude::*;
use shared::view::View;

fn search() -> String {
    window().location().search().unwrap_or_default()
}

/// Creates the view signal from the URL and keeps the two in step.
pub fn provide() -> RwSignal<View> {
    let view = RwSignal::new(View::from_query(&search()));
    Effect::new(move |_| {
        let query = view.with(View::to_query);
        if query != search() {
            let path = window().location().pathname().unwrap_or_else(|_| "/".to_owned());
            if let Ok(history) = window().history() {
                let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{query}")));
            }
        }
    });
    let handle = window_event_listener(leptos::ev::popstate, move |_| view.set(View::from_query(&search())));
    on_cleanup(move || handle.remove());
    view
}
