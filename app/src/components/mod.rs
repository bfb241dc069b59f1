//! Small view pieces: they take props, emit callbacks, and never fetch.

use leptos::prelude::*;
use shared::Lang;
use shared::manifest::Manifest;
use shared::view::View;

use crate::api::Listed;
use crate::charts::scaled::{Area, area};

use crate::i18n::t;

mod summary;
pub use summary::ExecSummary;

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

/// The snapshot banner on every view: title, "Datos al … · publicado … · versión N", a selector of published
/// snapshots, and the synthetic-data label when it applies. Its `data-as-of`, `data-snapshot` and
/// `data-synthetic` are read by the PNG export's footer; with `data-snapshot-id` and `data-as-of-iso`, by the CSV
/// exports' header block.
#[component]
#[allow(clippy::too_many_lines)] // one view of the banner's parts; splitting it would pass every value twice
pub fn SnapshotBanner(
    manifest: Manifest,
    listed: Signal<Vec<Listed>>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
    /// A draft being previewed: watermarked on every part of the page, and listed first in the selector.
    #[prop(optional)]
    draft: bool,
) -> impl IntoView {
    let synthetic = manifest.synthetic;
    let as_of = shared::format::date(&manifest.as_of);
    let published = shared::format::date(manifest.published_at.get(..10).unwrap_or_default());
    let id = manifest.snapshot_id.clone();
    let title = {
        let m = manifest.clone();
        move || match m.title(lang.get()) {
            "" => t(lang.get(), "Borrador sin título", "Untitled draft").to_owned(),
            title => title.to_owned(),
        }
    };
    let publisher = manifest.publisher.clone();
    let published_on = published.clone();
    // Version N: the snapshot's place among published ones, oldest first.
    let version = {
        let id = id.clone();
        move || {
            let list = listed.read();
            list.iter().position(|s| s.manifest.snapshot_id == id).map(|i| list.len() - i)
        }
    };
    let is_current = {
        let id = id.clone();
        move || listed.read().iter().find(|s| s.manifest.snapshot_id == id).is_none_or(|s| s.current)
    };
    let draft_id = id.clone();
    let data_snapshot_id = id.clone();
    let nav = crate::session::nav();
    let share_id = id.clone();
    let as_of_offline = manifest.as_of.clone();
    let back = format!("/publicar?s={}", crate::api::workspace::encode(&id));
    let (data_as_of, data_title) = (as_of.clone(), title.clone());
    let options = move || {
        let l = lang.get();
        let draft_option = draft.then(|| view! { <option value=draft_id.clone() selected=true>{t(l, "Borrador (no publicado)", "Draft (not published)")}</option> });
        let published = listed
            .read()
            .iter()
            .map(|s| {
                let label = format!(
                    "{} · {}{}",
                    shared::format::date(&s.manifest.as_of),
                    s.manifest.title(l),
                    if s.current { t(l, " (vigente)", " (current)") } else { "" }
                );
                let value = s.manifest.snapshot_id.clone();
                let selected = value == id;
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view();
        (draft_option, published)
    };
    view! {
        <Show when=move || draft>
            <div class="draft-watermark" aria-hidden="true" data-testid="draft-watermark">{move || t(lang.get(), "BORRADOR — no publicado", "DRAFT — not published")}</div>
            <p class="draft-note" role="note" data-testid="draft-note">
                <strong>{move || t(lang.get(), "BORRADOR — no publicado. ", "DRAFT — not published. ")}</strong>
                {move || t(lang.get(), "Vista previa comparada con la publicación vigente; nadie más la ve. ", "A preview compared with the current snapshot; nobody else sees it. ")}
                <a href=back.clone()>{move || t(lang.get(), "Volver a publicar", "Back to publishing")}</a>
            </p>
        </Show>
        <section class=if draft { "banner draft" } else { "banner" } aria-label=move || t(lang.get(), "Publicación", "Snapshot")
            data-as-of=data_as_of data-snapshot=data_title data-synthetic=synthetic.to_string()
            data-snapshot-id=data_snapshot_id data-as-of-iso=manifest.as_of.clone()>
            <div class="banner-text">
                <h1 class="banner-title">{title}</h1>
                <p class="banner-meta" data-testid="banner-meta">
                    <Show when=move || !draft fallback=move || {
                        // A draft has no title or date until it is published.
                        format!("{} {} {} {}", t(lang.get(), "Subido el", "Uploaded on"), published_on, t(lang.get(), "por", "by"), publisher)
                    }>
                        {move || t(lang.get(), "Datos al ", "Data as of ")} <strong>{as_of.clone()}</strong>
                        " · " {move || t(lang.get(), "publicado ", "published ")} {published.clone()}
                        {let version = version.clone(); move || version().map(|n| format!(" · {} {n}", t(lang.get(), "versión", "version")))}
                    </Show>
                </p>
                <OfflineNote as_of=as_of_offline.clone() lang=lang />
                <Show when=move || synthetic>
                    <p class="synthetic" role="note">{move || shared::demo::SYNTHETIC_LABEL.get(lang.get())}</p>
                </Show>
                <Show when=move || !is_current() && !draft>
                    <p class="older" role="note" data-testid="newer">
                        {move || t(lang.get(), "Está viendo una publicación anterior, no la vigente: hay una más reciente. ", "You are viewing an earlier snapshot, not the current one: there is a newer one. ")}
                        <a href=move || view.with(|v| crate::state::url(nav.page.get(), &View { snapshot: None, compare: None, ..v.clone() }))>{move || t(lang.get(), "Ver la vigente", "See the current one")}</a>
                    </p>
                </Show>
                <Show when=move || !draft>
                    <ShareButton id=share_id.clone() view=view lang=lang />
                </Show>
            </div>
            <Show when=move || !listed.read().is_empty()>
                <div class="field">
                    <label for="f-snapshot">{move || t(lang.get(), "Publicación", "Snapshot")}</label>
                    <select id="f-snapshot" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let current = listed.read_untracked().iter().find(|s| s.current).map(|s| s.manifest.snapshot_id.clone());
                        view.update(|v| {
                            v.snapshot = (Some(&value) != current.as_ref()).then_some(value);
                            v.compare = None;
                        });
                    }>{options.clone()}</select>
                </div>
            </Show>
        </section>
    }
}

/// The cover page of a printed view (hidden on screen): what the view is, which snapshot, as of when, with which
/// filters, from which sources, and its frozen link, so a printed or PDF copy stands on its own.
#[component]
pub fn PrintCover(
    manifest: Manifest,
    /// The page's name (coverage, roadmap).
    page: shared::Label,
    /// The view's filters in words.
    #[prop(into)]
    filters: Signal<String>,
    /// The view's executive summary, which leads the cover (as text: paper has no links).
    #[prop(into)]
    summary: Signal<Vec<shared::summary::Sentence>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let nav = crate::session::nav();
    let m = StoredValue::new(manifest);
    let link = move || {
        let id = m.with_value(|m| m.snapshot_id.clone());
        let path = nav.view.with(|v| crate::state::url(nav.page.get(), &View { snapshot: Some(id), ..v.clone() }));
        format!("{}{path}", window().location().origin().unwrap_or_default())
    };
    let printed = js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
    move || {
        let l = lang.get();
        m.with_value(|m| view! {
            <section class="print-cover" data-testid="print-cover">
                <p class="print-org">"Rumbo · SETRASS · DGE · SI EMPLEO"</p>
                <h1>{format!("{}: {}", page.get(l), m.title(l))}</h1>
                <h2>{t(l, "Resumen ejecutivo", "Executive summary")}</h2>
                <ul class="print-summary">{summary.get().into_iter().map(|s| view! { <li>{s.text}</li> }).collect_view()}</ul>
                <dl>
                    <dt>{t(l, "Datos al", "Data as of")}</dt><dd>{shared::format::date(&m.as_of)}</dd>
                    <dt>{t(l, "Publicación", "Snapshot")}</dt>
                    <dd>{format!("{} · {} {} · {}", m.snapshot_id, t(l, "publicada el", "published on"), shared::format::date(m.published_at.get(..10).unwrap_or_default()), m.publisher)}</dd>
                    <dt>{t(l, "Filtros", "Filters")}</dt><dd>{filters.get()}</dd>
                    <dt>{t(l, "Fuentes", "Sources")}</dt>
                    <dd>{sources(m, l)} " " {shared::geo::ATTRIBUTION.get(l)}</dd>
                    <dt>{t(l, "Enlace fijo", "Frozen link")}</dt><dd>{link()}</dd>
                    <dt>{t(l, "Impreso", "Printed")}</dt><dd>{shared::format::date(printed.get(..10).unwrap_or_default())}</dd>
                </dl>
                {m.synthetic.then(|| view! { <p class="synthetic">{shared::demo::SYNTHETIC_LABEL.get(l)}</p> })}
            </section>
        })
    }
}

/// "Sin conexión — datos al …" when the data shown is the service worker's copy (the network is gone).
#[component]
fn OfflineNote(as_of: String, lang: RwSignal<Lang>) -> impl IntoView {
    crate::api::offline().then(|| {
        let day = shared::format::date(&as_of);
        view! {
            <p class="offline" role="status" data-testid="offline">{move || format!("{} {day}", t(lang.get(), "Sin conexión — datos al", "Offline — data as of"))}</p>
        }
    })
}

/// "Compartir enlace fijo": copies the frozen link of the view on screen (this snapshot, these filters) and
/// shows it, for when the clipboard is not allowed.
#[component]
fn ShareButton(id: String, view: RwSignal<View>, lang: RwSignal<Lang>) -> impl IntoView {
    let nav = crate::session::nav();
    let shared_link = RwSignal::new(None::<String>);
    let embed_id = id.clone();
    let share = move |_| {
        let frozen = view.with_untracked(|v| {
            crate::state::url(nav.page.get_untracked(), &View { snapshot: Some(id.clone()), ..v.clone() })
        });
        let link = format!("{}{frozen}", window().location().origin().unwrap_or_default());
        let _ = window().navigator().clipboard().write_text(&link);
        shared_link.set(Some(link));
    };
    view! {
        <p class="share">
            <button type="button" class="secondary" data-testid="share" on:click=share>{move || t(lang.get(), "Compartir enlace fijo", "Share a frozen link")}</button>
            <span role="status" data-testid="share-link">{move || shared_link.get().map(|l| format!("{} {l}", t(lang.get(), "Enlace copiado: muestra siempre estos datos.", "Link copied: it always shows this data.")))}</span>
        </p>
        <EmbedCode id=embed_id view=view lang=lang />
    }
}

/// "Insertar en otro sitio": for each part of this published view, the `<iframe>` snippet that shows it on another
/// site, when the server allows it (`rumbo serve --embed-origins`; asked when the reader opens the control). Written
/// as one HTML string (every text escaped): a view per part cost 5 KB of the first load.
#[component]
fn EmbedCode(id: String, view: RwSignal<View>, lang: RwSignal<Lang>) -> impl IntoView {
    use std::fmt::Write as _;
    let roadmap = crate::session::nav().page.get_untracked() == crate::Page::Roadmap;
    let origins = RwSignal::new(None::<Result<Vec<String>, String>>);
    let opened = move |_| {
        if origins.get_untracked().is_none() {
            leptos::task::spawn_local(async move {
                let answer = crate::api::embed_origins().await;
                origins.set(Some(answer.map(|o| o.origins).map_err(|e| e.message(lang.get_untracked()))));
            });
        }
    };
    let id = StoredValue::new(id);
    let html = move || {
        let l = lang.get();
        let mut out = String::new();
        let list = match origins.get() {
            None => return String::new(),
            Some(Err(e)) => return format!("<p class=\"error\" role=\"alert\">{}</p>", escape(&e)),
            Some(Ok(list)) => list,
        };
        if list.is_empty() {
            let off = t(
                l,
                "Este servidor no permite insertar vistas en otros sitios. Quien lo administra puede permitirlo para sitios concretos (rumbo serve --embed-origins).",
                "This server does not allow views to be embedded on other sites. Its administrator can allow it for given sites (rumbo serve --embed-origins).",
            );
            return format!("<p data-testid=\"embed-off\">{off}</p>");
        }
        let origin = window().location().origin().unwrap_or_default();
        let _ = write!(
            out,
            "<p>{}</p>",
            t(
                l,
                "Pegue el código de una parte en la página del otro sitio: muestra siempre estos datos.",
                "Paste a part's code into the other site's page: it always shows this data."
            )
        );
        for part in shared::agenda::Part::ALL.into_iter().filter(|p| p.is_roadmap() == roadmap) {
            let src =
                view.with(|v| id.with_value(|id| shared::view::embed_url(id, part, &View { lang: l, ..v.clone() })));
            let (code, label) = (part.code(), part.label().get(l));
            let snippet = format!(
                "<iframe src=\"{origin}{src}\" title=\"{label} — Rumbo\" width=\"100%\" height=\"{}\" style=\"border:0\" loading=\"lazy\"></iframe>",
                if part == shared::agenda::Part::Timeline { 900 } else { 640 }
            );
            let _ = write!(
                out,
                "<label for=\"embed-{code}\">{label}</label><textarea id=\"embed-{code}\" data-snippet=\"{code}\" readonly rows=\"3\">{}</textarea>",
                escape(&snippet)
            );
        }
        let _ = write!(
            out,
            "<p class=\"note\">{} {}</p>",
            t(l, "Sitios permitidos:", "Allowed sites:"),
            escape(&list.join(", "))
        );
        out
    };
    view! {
        <details class="embed-code" data-testid="embed-code" on:toggle=opened>
            <summary>{move || t(lang.get(), "Insertar en otro sitio", "Embed on another site")}</summary>
            <div inner_html=html></div>
        </details>
    }
}

/// Text made safe inside HTML (content or a quoted attribute).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The shown snapshot's code book, which its page provides (the built-in lists outside a page).
pub fn book() -> std::sync::Arc<shared::codebook::CodeBook> {
    use_context::<std::sync::Arc<shared::codebook::CodeBook>>().unwrap_or_default()
}

/// The "i" button next to an indicator's name: opens its definition.
#[component]
pub fn InfoButton(
    #[prop(into)] id: Signal<String>,
    info: RwSignal<Option<String>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let book = book();
    view! {
        <button
            type="button"
            class="info-button"
            aria-label=move || format!("{}: {}", t(lang.get(), "Qué mide", "What it measures"), book.indicator_name(&id.get(), lang.get()))
            on:click=move |_| info.set(Some(id.get()))
        >"i"</button>
    }
}

/// The indicator's definition, unit, source and frequency, in a modal dialog closed by its button or Escape.
#[component]
pub fn IndicatorInfo(info: RwSignal<Option<String>>, lang: RwSignal<Lang>) -> impl IntoView {
    let close = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if info.read().is_some()
            && let Some(button) = close.get()
        {
            let _ = button.focus();
        }
    });
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && info.get_untracked().is_some() {
            info.set(None);
        }
    });
    on_cleanup(move || handle.remove());
    let book = book();
    move || {
        let id = info.get()?;
        let l = lang.get();
        let entry = book.indicator(&id);
        let unit = entry.map_or("—", |i| match (i.unit, l) {
            (shared::catalog::Unit::Count, Lang::Es) => "número de personas o casos",
            (shared::catalog::Unit::Count, Lang::En) => "number of people or cases",
            (shared::catalog::Unit::Percent, _) => "%",
            (shared::catalog::Unit::Days, Lang::Es) => "días (mediana)",
            (shared::catalog::Unit::Days, Lang::En) => "days (median)",
            (shared::catalog::Unit::Score, Lang::Es) => "puntaje de 0 a 1",
            (shared::catalog::Unit::Score, Lang::En) => "score from 0 to 1",
            (shared::catalog::Unit::Points, Lang::Es) => "puntos porcentuales",
            (shared::catalog::Unit::Points, Lang::En) => "percentage points",
        });
        let frequency = entry.map_or("—", |i| match (i.frequency.as_str(), l) {
            ("M", Lang::Es) => "mensual",
            ("M", Lang::En) => "monthly",
            ("T", Lang::Es) => "trimestral",
            ("T", Lang::En) => "quarterly",
            (_, Lang::Es) => "anual",
            (_, Lang::En) => "yearly",
        });
        let direction = entry.map_or("—", |i| match (i.higher_is_better, l) {
            (true, Lang::Es) => "mayor es mejor",
            (true, Lang::En) => "higher is better",
            (false, Lang::Es) => "menor es mejor",
            (false, Lang::En) => "lower is better",
        });
        let definition = entry.map_or_else(
            || {
                t(
                    l,
                    "Indicador fuera del catálogo: consulte a quien lo publicó.",
                    "Indicator outside the catalogue: ask its publisher.",
                )
                .to_owned()
            },
            |i| i.definition.get(l).to_owned(),
        );
        let name = book.indicator_name(&id, l);
        let source = entry.map_or_else(|| "—".to_owned(), |i| i.source.clone());
        let combines = combine_words(&book, &id, l);
        let projection =
            if book.combine(&id) == shared::catalog::Combine::Sum && entry.is_some_and(|i| i.frequency == "M") {
                shared::projection::METHOD.get(l).to_owned()
            } else {
                shared::projection::NoProjection::NotACount.text(l)
            };
        let baseline = entry.and_then(|i| i.baseline.as_ref()).map(|(v, date)| {
            let value = entry.map_or_else(String::new, |i| crate::model::format_value(i.unit, *v, l));
            view! { <dt>{t(l, "Línea de base", "Baseline")}</dt><dd>{format!("{value} ({})", shared::format::date(date))}</dd> }
        });
        Some(view! {
            <div class="dialog-backdrop" on:click=move |_| info.set(None)>
                <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="info-title" data-testid="indicator-info" on:click=|ev| ev.stop_propagation()>
                    <h2 id="info-title">{format!("{id} · {name}")}</h2>
                    <p>{definition}</p>
                    <dl>
                        <dt>{t(l, "Unidad", "Unit")}</dt><dd>{unit}</dd>
                        <dt>{t(l, "Fuente", "Source")}</dt><dd>{source}</dd>
                        <dt>{t(l, "Frecuencia", "Frequency")}</dt><dd>{frequency}</dd>
                        <dt>{t(l, "Sentido", "Direction")}</dt><dd>{direction}</dd>
                        <dt>{t(l, "Cómo se combina", "How it combines")}</dt><dd data-testid="info-combine">{combines}</dd>
                        <dt>{t(l, "Proyección al cierre del año", "Year-end projection")}</dt><dd data-testid="info-projection">{projection}</dd>
                        {baseline}
                    </dl>
                    <button type="button" node_ref=close on:click=move |_| info.set(None)>{t(l, "Cerrar", "Close")}</button>
                </div>
            </div>
        })
    }
}

/// How an indicator's values combine over offices and months, in words (`docs/reglas-de-datos.md`).
fn combine_words(book: &shared::codebook::CodeBook, id: &str, l: Lang) -> String {
    use shared::catalog::Combine;
    match (book.combine(id), l) {
        (Combine::Sum, Lang::Es) => "se suma entre oficinas y meses".to_owned(),
        (Combine::Sum, Lang::En) => "added up over offices and months".to_owned(),
        (Combine::Unique, Lang::Es) => {
            "personas distintas: se suman entre oficinas, nunca entre meses (un periodo más largo usa su propio valor publicado, como el año hasta la fecha)".to_owned()
        }
        (Combine::Unique, Lang::En) => {
            "distinct people: added up over offices, never over months (a longer period uses its own published value, such as the year to date)".to_owned()
        }
        (Combine::Ratio { numerator, denominator }, Lang::Es) => format!(
            "suma de «{}» ÷ suma de «{}»: nunca un promedio de tasas",
            book.indicator_name(numerator, l),
            book.indicator_name(denominator, l)
        ),
        (Combine::Ratio { numerator, denominator }, Lang::En) => format!(
            "sum of \"{}\" ÷ sum of \"{}\": never an average of rates",
            book.indicator_name(numerator, l),
            book.indicator_name(denominator, l)
        ),
        (Combine::None, Lang::Es) => "no se combina: se muestra donde una sola fila da el valor".to_owned(),
        (Combine::None, Lang::En) => "does not combine: shown where a single row gives the value".to_owned(),
    }
}

/// Removes the first screen the server wrote into the page (`shared::api::FIRST_SCREEN_ID`: the top bar and the
/// snapshot's banner, shown before the wasm arrived), which kept the app's elements hidden: a page calls it once it
/// has rendered its own banner, error or content, so the two are swapped in one frame.
pub fn first_screen_done() {
    if let Some(shell) = document().get_element_by_id(shared::api::FIRST_SCREEN_ID) {
        shell.remove();
    }
}

/// When a page's canvases draw: after its first paint, one canvas per task (a context; pages without one draw at
/// once). The page's text (titles, tiles, tables) shows first, then each canvas draws in a task of its own, in the
/// order the canvases were made: the first content comes sooner and no task holds more than one chart (Lighthouse's
/// LCP and total blocking time on a slow phone, BENCHMARKS.md). A canvas made once every turn was given draws at
/// once, as do redraws.
#[derive(Clone, Copy)]
pub struct Painted {
    /// Turns given so far: canvas `n` may draw once `given >= n`.
    given: RwSignal<u32>,
    /// Turns handed out to canvases so far.
    taken: StoredValue<u32>,
    /// Every turn handed out has been given; later canvases need not wait.
    done: StoredValue<bool>,
}

impl Painted {
    /// Provides the context for a page's canvases; the first turn comes in the task after the browser's next paint.
    pub fn provide() {
        let painted = Self { given: RwSignal::new(0), taken: StoredValue::new(0), done: StoredValue::new(false) };
        provide_context(painted);
        request_animation_frame(move || painted.give_next());
    }

    /// Gives the next turn in a task of its own, and so on until every canvas made so far has had one.
    fn give_next(self) {
        set_timeout(
            move || {
                // The page may have gone (its signals disposed) before this task runs: then there is nothing to do.
                let (Some(given), Some(taken)) = (self.given.try_get_untracked(), self.taken.try_get_value()) else {
                    return;
                };
                if given >= taken {
                    self.done.try_set_value(true);
                    return;
                }
                self.given.try_update(|n| *n += 1);
                self.give_next();
            },
            std::time::Duration::ZERO,
        );
    }

    /// Runs `f` in a task after every canvas made so far has had its turn (in the next task without the context):
    /// work that would hold the page's first charts back waits for them.
    pub fn then(painted: Option<Self>, f: Box<dyn FnOnce()>) {
        set_timeout(
            move || match painted {
                Some(p) if p.done.try_get_value() == Some(false) => Self::then(Some(p), f),
                _ => f(),
            },
            std::time::Duration::from_millis(10),
        );
    }

    /// A canvas's turn, taken where the canvas is made: true from its task on (always, without the context).
    pub fn turn(painted: Option<Self>) -> Signal<bool> {
        match painted {
            Some(p) if p.done.try_get_value() == Some(false) => {
                let mine = p.taken.try_get_value().unwrap_or_default() + 1;
                p.taken.try_set_value(mine);
                Memo::new(move |_| p.given.get() >= mine).into()
            }
            _ => Signal::stored(true),
        }
    }
}

/// The one canvas of the app (charts, the map, the Gantt): drawn by `draw` whenever the signals it reads change, at
/// the screen's density (`scaled::density`) or a fixed one. Charts are images with a text label; the same numbers
/// are always given as a table beside them. Event listeners and attributes given to the component (`on:click`,
/// `attr:tabindex`) go to the canvas; `node` lets its page hit-test what is under the pointer.
#[component]
pub fn ChartCanvas<F>(
    /// Layout width in pixels; reactive, so a chart can follow its column.
    #[prop(into)]
    width: Signal<u32>,
    /// Layout height in pixels; reactive, so a chart grows with its number of categories.
    #[prop(into)]
    height: Signal<u32>,
    /// Accessible name of the chart (what it shows).
    #[prop(into)]
    label: Signal<String>,
    /// Stable hook for end-to-end tests.
    test_id: &'static str,
    draw: F,
    /// The canvas element, for a page that hit-tests it.
    #[prop(optional)]
    node: Option<NodeRef<leptos::html::Canvas>>,
    /// Device pixels per layout pixel when fixed (the Gantt's); the screen's density otherwise.
    #[prop(optional)]
    density: Option<u32>,
    #[prop(default = "chart")] class: &'static str,
) -> impl IntoView
where
    F: Fn(Area) + 'static,
{
    let node = node.unwrap_or_default();
    let presenting = presenting().is_some();
    let k_of = move || density.unwrap_or_else(|| crate::charts::scaled::density(presenting));
    let turn = Painted::turn(use_context::<Painted>());
    Effect::new(move |_| {
        if !turn.get() {
            return;
        }
        let (w, h, k) = (width.get(), height.get(), k_of());
        if let Some(canvas) = node.get() {
            // Resizing clears the canvas: resize first, then draw.
            if canvas.width() != w * k {
                canvas.set_width(w * k);
            }
            if canvas.height() != h * k {
                canvas.set_height(h * k);
            }
            if let Some(area) = area(canvas, k) {
                draw(area);
            }
        }
    });
    let k = untrack(k_of);
    view! {
        <canvas
            node_ref=node
            class=class
            width=width.get_untracked() * k
            height=height.get_untracked() * k
            role="img"
            aria-label=move || label.get()
            data-testid=test_id
        ></canvas>
    }
}

/// The one way errors are shown: a plain sentence, never a stack trace. A retracted snapshot (`gone`) says so,
/// with the reason the server gives, and links to the current one.
#[component]
pub fn ErrorView(message: String, lang: RwSignal<Lang>, #[prop(optional)] gone: bool) -> impl IntoView {
    let page = crate::session::nav().page;
    view! {
        <div class="error" role="alert" data-testid="error">
            <h2>{move || if gone { t(lang.get(), "Esta publicación fue retirada", "This snapshot was retracted") } else { t(lang.get(), "No se pudieron cargar los datos", "The data could not be loaded") }}</h2>
            <p>{message}</p>
            <p>{move || if gone {
                view! { <a href=move || format!("{}{}", page.get().path(), if lang.get() == Lang::En { "?lang=en" } else { "" })>{t(lang.get(), "Ver la publicación vigente", "See the current snapshot")}</a> }.into_any()
            } else {
                t(lang.get(), "Recargue la página o intente más tarde.", "Reload the page or try again later.").into_any()
            }}</p>
        </div>
    }
}

/// The "compare with" picker (`comparar`): the previous snapshot by default, none, or any published one.
#[component]
pub fn CompareSelect(listed: Signal<Vec<Listed>>, view: RwSignal<View>, lang: RwSignal<Lang>) -> impl IntoView {
    let options = move || {
        let l = lang.get();
        let chosen = view.with(|v| v.compare.clone());
        let options = listed
            .read()
            .iter()
            .map(|s| {
                let id = s.manifest.snapshot_id.clone();
                let label = format!("{} · {}", shared::format::date(&s.manifest.as_of), s.manifest.title(l));
                view! { <option value=id.clone() selected={chosen.as_deref() == Some(id.as_str())}>{label}</option> }
            })
            .collect_view();
        view! {
            <option value="" selected=chosen.is_none()>{t(l, "La publicación anterior", "The previous snapshot")}</option>
            <option value=shared::view::NO_COMPARE selected={chosen.as_deref() == Some(shared::view::NO_COMPARE)}>{t(l, "No comparar", "Do not compare")}</option>
            {options}
        }
    };
    view! {
        <select id="f-compare" on:change=move |ev| {
            let value = event_target_value(&ev);
            view.update(|v| v.compare = (!value.is_empty()).then_some(value));
        }>{options}</select>
    }
}

/// Set around one part of a view shown alone (`pages::PartView`): a meeting's slide, or an embed. The page then
/// shows only `part`, large (see `style/main.css`, `.slide`), under a [`SlideHead`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presenting {
    pub part: shared::agenda::Part,
    /// The slide's own title; the part's name when empty.
    pub title: String,
    /// Framed by another site: the head also names the source and links to the full view.
    pub embedded: bool,
}

/// What a presented slide shows, for meeting mode's agreement form: the snapshot its figures come from and its
/// code book (the institutions to choose from).
#[derive(Clone)]
pub struct Shown {
    pub snapshot_id: String,
    pub book: std::sync::Arc<shared::codebook::CodeBook>,
}

/// Tells meeting mode what the slide on screen shows (nothing happens outside meeting mode).
pub fn tell_shown(snapshot_id: &str, book: &std::sync::Arc<shared::codebook::CodeBook>) {
    if let Some(shown) = use_context::<RwSignal<Option<Shown>>>() {
        shown.set(Some(Shown { snapshot_id: snapshot_id.to_owned(), book: std::sync::Arc::clone(book) }));
    }
}

/// The slide being presented, when the page is one.
pub fn presenting() -> Option<Presenting> {
    use_context::<Presenting>()
}

/// Where a snapshot's data comes from: its publisher's source notes, or SI EMPLEO's records.
fn sources(m: &Manifest, lang: Lang) -> String {
    if m.source_notes.trim().is_empty() {
        t(
            lang,
            "Registros administrativos de SI EMPLEO (SETRASS/DGE).",
            "SI EMPLEO administrative records (SETRASS/DGE).",
        )
        .to_owned()
    } else {
        m.source_notes.clone()
    }
}

/// A slide's heading: its title, a caption of its filters with the snapshot's "Datos al …", and the synthetic-data
/// label when it applies. In an embed, also the source and a link to the whole view on this site.
#[component]
pub fn SlideHead(
    manifest: Manifest,
    #[prop(into)] caption: Signal<String>,
    view: RwSignal<View>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let slide = presenting();
    let embedded = slide.as_ref().filter(|s| s.embedded).map(|s| s.part);
    let shows_lights =
        slide.as_ref().is_some_and(|s| matches!(s.part, shared::agenda::Part::Tiles | shared::agenda::Part::Progress));
    let title = move || {
        let l = lang.get();
        slide.as_ref().map_or_else(String::new, |s| {
            if s.title.trim().is_empty() { s.part.label().get(l).to_owned() } else { s.title.clone() }
        })
    };
    let day = shared::format::date(&manifest.as_of);
    let m = StoredValue::new(manifest);
    // What the lights on a slide mean, where it shows lights.
    let rule = shows_lights.then(|| {
        view! { <p class="light-rule" data-testid="light-rule">{move || shared::dashboard::Light::RULE.get(lang.get())}</p> }
    });
    let embed_foot = embedded.map(|part| {
        let page = if part.is_roadmap() { crate::Page::Roadmap } else { crate::Page::Coverage };
        let full = move || {
            let id = m.with_value(|m| m.snapshot_id.clone());
            let path = view.with(|v| crate::state::url(page, &View { snapshot: Some(id), ..v.clone() }));
            format!("{}{path}", window().location().origin().unwrap_or_default())
        };
        view! {
            <p class="embed-source" data-testid="embed-source">
                {move || format!("{} {}", t(lang.get(), "Fuente:", "Source:"), m.with_value(|m| sources(m, lang.get())))}
                " "
                <a href=full target="_blank" rel="noopener" data-testid="embed-full">{move || t(lang.get(), "Ver la vista completa en Rumbo", "See the full view on Rumbo")}</a>
            </p>
        }
    });
    view! {
        <header class="slide-head">
            <OfflineNote as_of=m.with_value(|m| m.as_of.clone()) lang=lang />
            <h1 data-testid="slide-title">{title}</h1>
            <p data-testid="slide-caption">{move || format!("{} · {} {day}", caption.get(), t(lang.get(), "Datos al", "Data as of"))}
                {m.with_value(|m| m.synthetic).then(|| view! {
                    " " <span class="synthetic" data-testid="slide-synthetic">{move || shared::demo::SYNTHETIC_LABEL.get(lang.get())}</span>
                })}
            </p>
            {rule}
            {embed_foot}
        </header>
    }
}
