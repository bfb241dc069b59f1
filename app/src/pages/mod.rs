//! Routes. Pages own data loading; components below them only take props.

pub mod coverage;
pub mod manage;
pub mod meeting;
pub mod publish;
pub mod roadmap;
pub mod signin;

use std::future::Future;
use std::sync::Arc;

use leptos::prelude::*;
use shared::manifest::Manifest;
use shared::view::{NO_COMPARE, View};

use crate::api::{FetchError, Listed};

/// What a page loads: the list of published snapshots, the shown snapshot's data (the URL's `s`, or the current
/// one), and the data of the snapshot it is compared with, when there is one.
pub struct Loads<T: Send + Sync + 'static> {
    pub listed: Signal<Vec<Listed>>,
    pub main: LocalResource<Result<Arc<T>, FetchError>>,
    pub compare: Signal<Option<Arc<T>>>,
}

/// Loads a page's data with `load` (a snapshot id, or `current`, into the page's data; `true` for the snapshot
/// shown, `false` for the one compared with); `manifest` finds the snapshot's manifest in it.
pub fn load_with<T, F, Fut>(view: RwSignal<View>, load: F, manifest: fn(&T) -> &Manifest) -> Loads<T>
where
    T: Send + Sync + 'static,
    F: Fn(String, bool) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<T, FetchError>> + 'static,
{
    let list = LocalResource::new(crate::api::snapshots);
    let wanted = Memo::new(move |_| view.with(|v| v.snapshot.clone()));
    let main = LocalResource::new(move || {
        let id = wanted.get().unwrap_or_else(|| shared::api::CURRENT.to_owned());
        async move { load(id, true).await.map(Arc::new) }
    });
    let listed = Signal::derive(move || list.get().and_then(Result::ok).unwrap_or_default());
    let main_id = Memo::new(move |_| main.get().and_then(Result::ok).map(|l| manifest(&l).snapshot_id.clone()));
    let compare_id = compared_id(view, listed, main_id);
    let compare = LocalResource::new(move || {
        let id = compare_id.get();
        async move {
            match id {
                Some(id) => load(id, false).await.ok().map(Arc::new),
                None => None,
            }
        }
    });
    Loads { listed, main, compare: Signal::derive(move || compare.get().flatten()) }
}

/// The snapshot a page compares with: the URL's choice, none (`comparar=no`), or by default the snapshot
/// published just before the one shown (for a draft, which is not listed, the current snapshot).
pub fn compared_id(
    view: RwSignal<View>,
    listed: Signal<Vec<Listed>>,
    main_id: Memo<Option<String>>,
) -> Memo<Option<String>> {
    Memo::new(move |_| {
        let chosen = view.with(|v| v.compare.clone());
        match chosen.as_deref() {
            Some(NO_COMPARE) => None,
            Some(id) => Some(id.to_owned()),
            None => {
                let id = main_id.get()?;
                listed.with(|l| match l.iter().position(|s| s.manifest.snapshot_id == id) {
                    Some(at) => l.get(at + 1).map(|s| s.manifest.snapshot_id.clone()),
                    None => l.iter().find(|s| s.current).map(|s| s.manifest.snapshot_id.clone()),
                })
            }
        }
    })
}

/// One part of a dashboard view alone, under a [`crate::components::Presenting`] context that hides the rest
/// (`style/main.css`, `.slide`): a meeting's slide (`roadmap` from its URL), or an embed for another site's frame
/// (`embedded`, its page from the part).
#[component]
pub fn PartView(
    part: shared::agenda::Part,
    view: RwSignal<View>,
    lang: RwSignal<shared::Lang>,
    #[prop(optional)] roadmap: Option<bool>,
    /// The slide's own title (the part's name when empty).
    #[prop(optional)]
    title: String,
    #[prop(optional)] embedded: bool,
) -> impl IntoView {
    provide_context(crate::components::Presenting { part, title, embedded });
    let roadmap = roadmap.unwrap_or_else(|| part.is_roadmap());
    view! {
        <div class="slide" class:embed=embedded data-show=part.code() data-testid=if embedded { "embed" } else { "slide" }>
            {if roadmap {
                view! { <roadmap::Roadmap view=view lang=lang /> }.into_any()
            } else {
                view! { <coverage::Coverage view=view lang=lang /> }.into_any()
            }}
        </div>
    }
}

/// Shows `children` only to a signed-in user whose role is at least `min`: anonymous users are sent to sign in
/// (and brought back), others are told their role does not allow the page. The server refuses the calls anyway.
#[component]
pub fn RequireRole(
    min: crate::api::workspace::Role,
    lang: RwSignal<shared::Lang>,
    children: ChildrenFn,
) -> impl IntoView {
    use crate::i18n::t;
    use crate::session::Session;
    let nav = crate::session::nav();
    Effect::new(move |_| {
        if matches!(nav.session.get(), Session::Anonymous { .. }) {
            nav.sign_in_first(false);
        }
    });
    move || {
        match nav.session.get() {
        Session::Signed(me) if me.role >= min => children().into_any(),
        Session::Signed(me) => {
            let l = lang.get();
            view! {
                <section class="panel refused" role="alert" data-testid="refused">
                    <h1>{t(l, "Esta página no está disponible para su rol", "This page is not available to your role")}</h1>
                    <p>{format!("{} {} ({}). {}", t(l, "Ha iniciado sesión como", "You are signed in as"), me.username, me.role.label().get(l),
                        t(l, "Publicar y administrar requieren el rol de analista o de administrador.", "Publishing and managing need the analyst or administrator role."))}</p>
                    <p><a href="/">{t(l, "Volver al tablero", "Back to the dashboard")}</a></p>
                </section>
            }
            .into_any()
        }
        _ => view! { <p class="loading" role="status">{move || t(lang.get(), "Comprobando la sesión…", "Checking the session…")}</p> }.into_any(),
    }
    }
}

/// An RFC 3339 time as `dd/mm/aaaa hh:mm`, with `UTC` or its offset (`UTC-06:00`, Tegucigalpa) when it has one
/// (other strings unchanged).
pub fn timestamp(ts: &str) -> String {
    let zone = match ts.get(19..).map(|z| z.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit())) {
        Some("Z" | "+00:00") => " UTC".to_owned(),
        Some(offset) if !offset.is_empty() => match offset.strip_suffix(":00") {
            Some(hours) => format!(" UTC{}", hours.replace("-0", "−").replace("+0", "+").replace('-', "−")),
            None => format!(" UTC{offset}"),
        },
        _ => String::new(),
    };
    match (ts.get(..10), ts.get(11..16)) {
        (Some(day), Some(time)) => format!("{} {time}{zone}", shared::format::date(day)),
        _ => ts.to_owned(),
    }
}
