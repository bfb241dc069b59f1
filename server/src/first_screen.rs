//! What the server adds to the dashboard's pages (`/`, `/hoja-de-ruta`, and their frozen links `/s/{id}/…`) for the
//! snapshot their URL shows (the frozen link's, `s`, or the current one), so that a slow connection shows something
//! true before the wasm has arrived:
//! - a `Link: <…>; rel=preload` header naming the manifest and the tables the page reads first (its code lists too;
//!   for coverage without filters, the rows of `facts` its default view reads instead of the whole table): the
//!   browser fetches them while the wasm downloads, and the app's own requests for the same URLs take those answers;
//! - the page's first screen as HTML: the top bar and the snapshot's banner (title, date of the data, the
//!   synthetic-data label), in the URL's language, with "Cargando datos…" below. The app's elements, added after
//!   it, stay hidden while it is there (the stylesheet); the app removes it once its page has rendered, with the
//!   same banner in the same place.
//!
//! Only for a published snapshot on a server that is not private; every other page is served as built.

use axum::http::HeaderValue;
use shared::Lang;
use shared::manifest::Manifest;
use shared::tables::{BUDGET_LINES, INTERVENTIONS, MILESTONES, RISKS, TARGETS};

use crate::store::Store;

/// The dashboard's first screens, by page, language and snapshot (see `static_files::FirstScreens`).
pub struct Screens {
    pub store: std::sync::Arc<Store>,
    /// A private server shows nothing before sign-in: no first screen, no preload.
    pub private: bool,
}

impl crate::static_files::FirstScreens for Screens {
    /// `page|lang|asked|id|first` for the roadmap (`r`) or coverage (`c`), in `es` or `en`, with the snapshot id the
    /// URL asked for (`current` or an id), the published snapshot it names, and `1` when the page shows the
    /// snapshot's default view (a coverage URL without filters), else `0`. Cheap: no manifest is copied.
    fn key(&self, path: &str, query: &str) -> Option<String> {
        // A frozen link (`/s/{id}/`, `/s/{id}/hoja-de-ruta`) names its snapshot in the path.
        let (frozen, path) = match shared::view::split_frozen(path) {
            Some((id, page)) => (Some(id?), page),
            None => (None, path.to_owned()),
        };
        let page = match path.trim_end_matches('/') {
            "" => 'c',
            shared::api::ROADMAP_PAGE => 'r',
            _ => return None,
        };
        if self.private {
            return None;
        }
        let view = shared::view::View::from_query(query);
        let asked = frozen.as_deref().or(view.snapshot.as_deref()).unwrap_or(shared::api::CURRENT);
        // The app asks for the manifest under the id in its URL; ids are dates and hex digits (nothing to escape).
        if !asked.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return None;
        }
        let id = if asked == shared::api::CURRENT { self.store.current_id().ok()?? } else { asked.to_owned() };
        if self.store.lifecycle(&id).ok()? != Some(shared::api::Lifecycle::Published) {
            return None;
        }
        let lang = if view.lang == Lang::En { "en" } else { "es" };
        // Whether the page shows the snapshot's default view, which the app draws from its first rows.
        let first = u8::from(page == 'c' && view.is_first_view());
        Some(format!("{page}|{lang}|{asked}|{id}|{first}"))
    }

    fn lang(&self, key: &str) -> Lang {
        if key.split('|').nth(1) == Some("en") { Lang::En } else { Lang::Es }
    }

    /// The `Link` header and the first screen's HTML of a key that `key` gave.
    fn build(&self, key: &str) -> Option<(HeaderValue, String)> {
        let mut parts = key.split('|');
        let (page, lang, asked, id) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let view_is_first = parts.next() == Some("1");
        let (manifest, _) = self.store.manifest(id).ok()??;
        let roadmap = page == "r";
        // Coverage: the rows of `facts` its default view reads when the snapshot has them and the URL asks for that
        // view (what the app then fetches first), otherwise the whole table.
        let first_view = !roadmap && view_is_first && manifest.first_view.is_some();
        let tables: &[&str] = if roadmap {
            &[INTERVENTIONS.name, MILESTONES.name, BUDGET_LINES.name, RISKS.name]
        } else if first_view {
            &[TARGETS.name]
        } else {
            &[shared::schema::FACTS, TARGETS.name]
        };
        let link = |url: &str| format!("<{url}>; rel=preload; as=fetch; crossorigin");
        let mut links = vec![link(&shared::api::url(shared::api::route::SNAPSHOT, &[asked]))];
        if first_view {
            links.push(link(&shared::api::first_view_path(id)));
        }
        // Both pages also read the snapshot's code lists, when it has them.
        let tables = tables.iter().chain(&shared::codebook::LIST_TABLES);
        for name in tables.filter(|name| manifest.tables.iter().any(|t| t.name == **name)) {
            links.push(link(&shared::api::table_path(id, name)));
        }
        let links = HeaderValue::from_str(&links.join(", ")).ok()?;
        let lang = if lang == "en" { Lang::En } else { Lang::Es };
        // The app shows a chosen snapshot under its frozen link; the first screen's links keep to it too.
        let base = if asked == shared::api::CURRENT {
            "/".to_owned()
        } else {
            format!("{}{}/", shared::view::FROZEN, shared::view::encode(asked))
        };
        Some((links, html(&manifest, lang, roadmap, &base)))
    }
}

/// The top bar and the banner, with the app's classes (the stylesheet is already loaded), in `lang`; the
/// dashboard's links start with `base` (`/`, or a frozen link's `/s/{id}/`).
fn html(manifest: &Manifest, lang: Lang, roadmap: bool, base: &str) -> String {
    let t = |es: &'static str, en: &'static str| if lang == Lang::En { en } else { es };
    let query = if lang == Lang::En { "?lang=en" } else { "" };
    let current = |here: bool| if here { " aria-current=\"page\"" } else { "" };
    let synthetic = if manifest.synthetic {
        format!("<p class=\"synthetic\" role=\"note\">{}</p>", shared::demo::SYNTHETIC_LABEL.get(lang))
    } else {
        String::new()
    };
    let other = if lang == Lang::En { ("", "es", "Español") } else { ("?lang=en", "en", "English") };
    format!(
        "<div id=\"{id}\" lang=\"{code}\"><header class=\"topbar\"><div class=\"brand\"><span class=\"brand-name\">Rumbo</span>\
         <span class=\"brand-org\">SETRASS · DGE · SI EMPLEO</span></div>\
         <nav class=\"nav\" aria-label=\"{nav}\"><a href=\"{base}{query}\"{coverage_current}>{coverage}</a>\
         <a href=\"{base}hoja-de-ruta{query}\"{roadmap_current}>{roadmap_label}</a><a href=\"/reunion{query}\">{meeting}</a></nav>\
         <a class=\"user-link\" href=\"/entrar{query}\">{sign_in}</a>\
         <a class=\"lang-toggle\" href=\"{here}{other_query}\" lang=\"{other_lang}\">{other_label}</a></header>\
         <main><section class=\"banner\" aria-label=\"{snapshot}\"><div class=\"banner-text\">\
         <h1 class=\"banner-title\">{title}</h1><p class=\"banner-meta\">{as_of} <strong>{date}</strong> · {published} {on}</p>\
         {synthetic}</div></section><p class=\"loading\" role=\"status\">{loading}</p></main></div>",
        id = shared::api::FIRST_SCREEN_ID,
        code = if lang == Lang::En { "en" } else { "es" },
        here = if roadmap { format!("{base}hoja-de-ruta") } else { base.to_owned() },
        other_query = other.0,
        other_lang = other.1,
        other_label = other.2,
        nav = t("Secciones", "Sections"),
        coverage_current = current(!roadmap),
        coverage = t("Cobertura", "Coverage"),
        roadmap_current = current(roadmap),
        roadmap_label = t("Hoja de ruta", "Roadmap"),
        meeting = t("Reunión", "Meeting"),
        sign_in = t("Entrar", "Sign in"),
        snapshot = t("Publicación", "Snapshot"),
        title = escape(manifest.title(lang)),
        as_of = t("Datos al", "Data as of"),
        date = shared::format::date(&manifest.as_of),
        published = t("publicado", "published"),
        on = shared::format::date(manifest.published_at.get(..10).unwrap_or_default()),
        loading = t("Cargando datos…", "Loading data…"),
    )
}

/// Text for HTML element content.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn titles_cannot_inject_markup() {
        assert_eq!(escape("A & B <script>"), "A &amp; B &lt;script&gt;");
    }
}
