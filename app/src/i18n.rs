//! The interface language: Spanish first, English toggle, kept in the URL (`lang=en`), in `<html lang>` and in the
//! page's description.

use leptos::prelude::*;
use shared::Lang;
use shared::view::View;

/// Picks the string for the language.
pub fn t(lang: Lang, es: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Es => es,
        Lang::En => en,
    }
}

/// The language signal, kept in step with the view (and so with the URL) and with `<html lang>`.
pub fn provide(view: RwSignal<View>) -> RwSignal<Lang> {
    let lang = RwSignal::new(view.with_untracked(|v| v.lang));
    Effect::new(move |_| {
        let l = view.with(|v| v.lang);
        if lang.get_untracked() != l {
            lang.set(l);
        }
    });
    Effect::new(move |_| {
        let l = lang.get();
        if view.with_untracked(|v| v.lang) != l {
            view.update(|v| v.lang = l);
        }
        let code = match l {
            Lang::Es => "es",
            Lang::En => "en",
        };
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", code);
        }
        if let Ok(Some(meta)) = document().query_selector("meta[name=description]") {
            let _ = meta.set_attribute("content", shared::api::PAGE_DESCRIPTION.get(l));
        }
    });
    lang
}
