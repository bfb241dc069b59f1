//! Rumbo's single-page app (Leptos, client-side rendered, wasm32).
//!
//! Module map:
//! - [`api`]: the only user of gloo-net: fetches manifests and Arrow tables, decodes them into `shared` types.
//! - [`model`]: view models computed from Arrow columns (plain Rust, no Leptos).
//! - [`charts`]: map and chart drawing over plotters' `DrawingBackend` (no Leptos).
//! - [`components`]: small view pieces that take props and never fetch.
//! - [`pages`]: routes; they own data loading.
//! - [`i18n`]: the interface language.

// Leptos components take their props by value.
#![allow(clippy::needless_pass_by_value)]

pub mod api;
pub mod charts;
pub mod components;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod state;

use leptos::prelude::*;

/// The root: the view state (from the URL), the language, and the page. Routing arrives with more pages.
#[component]
pub fn App() -> impl IntoView {
    let view = state::provide();
    let lang = i18n::provide(view);
    view! {
        <a class="skip-link" href="#contenido">{move || i18n::t(lang.get(), "Saltar al contenido", "Skip to content")}</a>
        <header class="topbar">
            <div class="brand">
                <span class="brand-name">"Rumbo"</span>
                <span class="brand-org">"SETRASS · DGE · SI EMPLEO"</span>
            </div>
            <components::LangToggle lang=lang />
        </header>
        <main id="contenido">
            <pages::coverage::Coverage view=view lang=lang />
        </main>
    }
}
