//! Small view pieces: they take props, emit callbacks, and never fetch.

use leptos::prelude::*;
use shared::Lang;
use shared::manifest::Manifest;
use web_sys::HtmlCanvasElement;

use crate::i18n::t;

/// The Español / English switch.
#[component]
pub fn LangToggle(lang: RwSignal<Lang>) -> impl IntoView {
    let next = move || match lang.get() {
        Lang::Es => Lang::En,
        Lang::En => Lang::Es,
    };
    view! {
        <button
            class="lang-toggle"
            type="button"
            lang=move || if next() == Lang::En { "en" } else { "es" }
            on:click=move |_| lang.set(next())
        >
            {move || t(lang.get(), "English", "Español")}
        </button>
    }
}

/// The snapshot banner: title, data "as of", and the synthetic-data label when it applies.
#[component]
pub fn Banner(manifest: Manifest, lang: RwSignal<Lang>) -> impl IntoView {
    let synthetic = manifest.synthetic;
    let as_of = shared::format::date(&manifest.as_of);
    let published = shared::format::date(manifest.published_at.get(..10).unwrap_or_default());
    let title = {
        let m = manifest.clone();
        move || m.title(lang.get()).to_owned()
    };
    view! {
        <section class="banner" aria-label=move || t(lang.get(), "Publicación", "Snapshot")>
            <h1 class="banner-title">{title}</h1>
            <p class="banner-meta">
                {move || t(lang.get(), "Datos al ", "Data as of ")} <strong>{as_of.clone()}</strong>
                " · " {move || t(lang.get(), "publicado ", "published ")} {published.clone()}
            </p>
            <Show when=move || synthetic>
                <p class="synthetic" role="note">{move || shared::demo::SYNTHETIC_LABEL.get(lang.get())}</p>
            </Show>
        </section>
    }
}

/// A canvas drawn by `draw` whenever the signals it reads change. Charts are images with a text label;
/// the same numbers are always given as a table beside them.
#[component]
pub fn ChartCanvas<F>(
    width: u32,
    height: u32,
    /// Accessible name of the chart (what it shows).
    #[prop(into)]
    label: Signal<String>,
    /// Stable hook for end-to-end tests.
    test_id: &'static str,
    draw: F,
) -> impl IntoView
where
    F: Fn(HtmlCanvasElement) + 'static,
{
    let node = NodeRef::<leptos::html::Canvas>::new();
    Effect::new(move |_| {
        if let Some(canvas) = node.get() {
            draw(canvas);
        }
    });
    view! {
        <canvas
            node_ref=node
            class="chart"
            width=width
            height=height
            role="img"
            aria-label=move || label.get()
            data-testid=test_id
        ></canvas>
    }
}

/// The one way errors are shown: a plain sentence, never a stack trace.
#[component]
pub fn ErrorView(message: String, lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <div class="error" role="alert">
            <h2>{move || t(lang.get(), "No se pudieron cargar los datos", "The data could not be loaded")}</h2>
            <p>{message}</p>
            <p>{move || t(lang.get(), "Recargue la página o intente más tarde.", "Reload the page or try again later.")}</p>
        </div>
    }
}
