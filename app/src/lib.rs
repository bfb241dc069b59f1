//! Rumbo's single-page app (Leptos, client-side rendered, wasm32).
//!
//! Module map:
//! - [`api`]: the only user of gloo-net: fetches manifests and Arrow tables, decodes them into `shared` types.
//! - [`model`]: view models computed from Arrow columns (plain Rust, no Leptos).
//! - [`charts`]: map, chart and timeline drawing over plotters' `DrawingBackend` (no Leptos).
//! - [`components`]: small view pieces that take props and never fetch.
//! - [`pages`]: routes (coverage `/`, roadmap `/hoja-de-ruta`); they own data loading.
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
use shared::Lang;

use crate::i18n::t;

/// The app's pages, by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Coverage,
    Roadmap,
}

impl Page {
    pub fn from_path(path: &str) -> Self {
        if path.trim_end_matches('/') == shared::api::ROADMAP_PAGE { Self::Roadmap } else { Self::Coverage }
    }

    pub const fn path(self) -> &'static str {
        match self {
            Self::Coverage => shared::api::COVERAGE_PAGE,
            Self::Roadmap => shared::api::ROADMAP_PAGE,
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            Self::Coverage => t(lang, "Cobertura de servicios", "Service coverage"),
            Self::Roadmap => t(lang, "Hoja de ruta", "Roadmap"),
        }
    }
}

fn pathname() -> String {
    window().location().pathname().unwrap_or_default()
}

/// The root: the page (from the path), the view state (from the query), the language, and the navigation.
#[component]
pub fn App() -> impl IntoView {
    let view = state::provide();
    let lang = i18n::provide(view);
    let page = RwSignal::new(Page::from_path(&pathname()));
    // Back and forward within a page change only the view: setting the same page again would remount it.
    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        let now = Page::from_path(&pathname());
        if page.get_untracked() != now {
            page.set(now);
        }
    });
    on_cleanup(move || handle.remove());
    Effect::new(move |_| document().set_title(&format!("{} — Rumbo · SETRASS / DGE", page.get().title(lang.get()))));
    let go = move |to: Page| {
        move |ev: leptos::ev::MouseEvent| {
            // Modified clicks open a new tab as links do; a plain click stays in the app.
            if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
                return;
            }
            ev.prevent_default();
            if page.get_untracked() != to {
                let query = view.with_untracked(shared::view::View::to_query);
                if let Ok(history) = window().history() {
                    let url = format!("{}{query}", to.path());
                    let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
                }
                page.set(to);
                window().scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    };
    let link = move |to: Page| {
        view! {
            <a href=move || format!("{}{}", to.path(), view.with(shared::view::View::to_query))
                aria-current=move || (page.get() == to).then_some("page")
                on:click=go(to)>{move || to.title(lang.get())}</a>
        }
    };
    view! {
        <a class="skip-link" href="#contenido">{move || t(lang.get(), "Saltar al contenido", "Skip to content")}</a>
        <header class="topbar">
            <div class="brand">
                <span class="brand-name">"Rumbo"</span>
                <span class="brand-org">"SETRASS · DGE · SI EMPLEO"</span>
            </div>
            <nav class="nav" aria-label=move || t(lang.get(), "Secciones", "Sections")>
                {link(Page::Coverage)}
                {link(Page::Roadmap)}
            </nav>
            <components::LangToggle lang=lang />
        </header>
        <main id="contenido">
            {move || match page.get() {
                Page::Coverage => view! { <pages::coverage::Coverage view=view lang=lang /> }.into_any(),
                Page::Roadmap => view! { <pages::roadmap::Roadmap view=view lang=lang /> }.into_any(),
            }}
        </main>
    }
}
