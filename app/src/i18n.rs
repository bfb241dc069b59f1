//! The interface language: Spanish first, English toggle, kept in the `<html lang>` attribute too.

use leptos::prelude::*;
use shared::Lang;

/// Picks the string for the language.
pub fn t(lang: Lang, es: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Es => es,
        Lang::En => en,
    }
}

/// Creates the language signal (from `?lang=en` when present) and keeps `<html lang>` in step.
pub fn provide() -> RwSignal<Lang> {
    let initial = window()
        .location()
        .search()
        .ok()
        .filter(|s| s.split(['?', '&']).any(|p| p == "lang=en"))
        .map_or(Lang::Es, |_| Lang::En);
    let lang = RwSignal::new(initial);
    Effect::new(move |_| {
        let code = match lang.get() {
            Lang::Es => "es",
            Lang::En => "en",
        };
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", code);
        }
    });
    lang
}
