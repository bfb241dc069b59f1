//! Rumbo's single-page app (Leptos, client-side rendered, wasm32), built as two bundles of this library: the
//! dashboard (`src/main.rs`, coverage and roadmap) and the workspace (`src/bin/workspace.rs`, every page); see
//! [`Bundle`].
//!
//! Module map:
//! - [`api`]: the only user of gloo-net: fetches manifests and Arrow tables, decodes them into `shared` types.
//! - [`model`]: view models computed from Arrow columns (plain Rust, no Leptos).
//! - [`charts`]: map, chart and timeline drawing over plotters' `DrawingBackend` (no Leptos).
//! - [`components`]: small view pieces that take props and never fetch.
//! - [`pages`]: routes (coverage `/`, roadmap `/hoja-de-ruta`, and the analyst workspace: `/entrar`, `/publicar`,
//!   `/administrar`; meeting mode, `/reunion`); they own data loading.
//! - [`session`]: who is signed in (name, role, CSRF token: in memory only) and moving between pages.
//! - [`export`]: tables as CSV files (UTF-8 with BOM, optionally with an HXL hashtag row).
//! - [`i18n`]: the interface language.

// Leptos components take their props by value.
#![allow(clippy::needless_pass_by_value)]

pub mod api;
/// Only in the benchmark's build (`cargo xtask bench-app`): users never download it.
#[cfg(feature = "bench")]
pub mod bench;
pub mod charts;
pub mod components;
pub mod export;
pub mod glossary;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod session;
pub mod state;

use leptos::prelude::*;
use shared::Lang;

use crate::api::workspace::Role;
use crate::i18n::t;
use crate::session::{Nav, Session};

/// The app's pages, by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Coverage,
    Roadmap,
    SignIn,
    Publish,
    Manage,
    Meeting,
    /// The meetings' agreements and their follow-up.
    Agreements,
    /// A meeting's minutes: its slides and the agreements taken, to print.
    Minutes,
    /// One part of a published snapshot's view, alone, for another site's frame (`/s/{id}/embed/{part}`).
    Embed(shared::agenda::Part),
}

impl Page {
    const ALL: [Self; 8] = [
        Self::Coverage,
        Self::Roadmap,
        Self::SignIn,
        Self::Publish,
        Self::Manage,
        Self::Meeting,
        Self::Agreements,
        Self::Minutes,
    ];

    pub fn from_path(path: &str) -> Self {
        let path = path.trim_end_matches('/');
        Self::ALL.into_iter().find(|p| p.path() == path && *p != Self::Coverage).unwrap_or(Self::Coverage)
    }

    pub const fn path(self) -> &'static str {
        match self {
            Self::Coverage => shared::api::COVERAGE_PAGE,
            Self::Roadmap => shared::api::ROADMAP_PAGE,
            Self::SignIn => shared::api::SIGN_IN_PAGE,
            Self::Publish => shared::api::PUBLISH_PAGE,
            Self::Manage => shared::api::MANAGE_PAGE,
            Self::Meeting => shared::api::MEETING_PAGE,
            Self::Agreements => shared::api::AGREEMENTS_PAGE,
            Self::Minutes => shared::api::MINUTES_PAGE,
            // Reached only under a frozen link (`state::url` spells it whole).
            Self::Embed(_) => shared::view::EMBED,
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            Self::Coverage => t(lang, "Cobertura de servicios", "Service coverage"),
            Self::Roadmap => t(lang, "Hoja de ruta", "Roadmap"),
            Self::SignIn => t(lang, "Iniciar sesión", "Sign in"),
            Self::Publish => t(lang, "Publicar", "Publish"),
            Self::Manage => t(lang, "Administrar", "Manage"),
            Self::Meeting => t(lang, "Reunión", "Meeting"),
            Self::Agreements => t(lang, "Acuerdos de reunión", "Meeting agreements"),
            Self::Minutes => t(lang, "Acta de reunión", "Meeting minutes"),
            Self::Embed(part) => part.label().get(lang),
        }
    }

    /// The page's name in the navigation bar (short, so that five fit on a phone).
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Self::Coverage => t(lang, "Cobertura", "Coverage"),
            other => other.title(lang),
        }
    }

    /// The least role that may open the page (`None`: anyone).
    pub const fn needs(self) -> Option<Role> {
        match self {
            Self::Publish | Self::Manage => Some(Role::Analyst),
            _ => None,
        }
    }
}

/// The pages one wasm bundle shows. The dashboard bundle (`index.html`) holds coverage and the roadmap only, so a
/// visitor's first load carries neither the workspace nor meeting mode; the workspace bundle (`workspace.html`)
/// holds every page. Going to a page the bundle does not hold is a page load (ARCHITECTURE.md, "Two bundles").
/// The pages are reached through `render`, a function each binary names, so the linker drops the others.
#[derive(Debug, Clone, Copy)]
pub struct Bundle {
    pub shows: fn(Page) -> bool,
    pub render: fn(Page, RwSignal<shared::view::View>, RwSignal<Lang>) -> AnyView,
    /// The roadmap's meeting agreements: the list and its follow-up in the workspace (and on a meeting's slide);
    /// in the dashboard, a link to them for signed-in users, so a visitor's first load carries none of it.
    pub agreements: fn(RwSignal<Lang>) -> AnyView,
    /// The agreements that follow up one intervention, in its detail: the list in the workspace, a link to it in
    /// the dashboard.
    pub intervention_agreements: fn(String, RwSignal<Lang>) -> AnyView,
}

/// Coverage and the roadmap (`src/main.rs`).
pub const DASHBOARD: Bundle = Bundle {
    shows: |p| !shared::api::in_workspace(p.path()),
    render: dashboard_page,
    agreements: |lang| view! { <pages::roadmap::agreements::AgreementsLink lang=lang /> }.into_any(),
    intervention_agreements: |id, lang| {
        view! { <pages::roadmap::agreements::InterventionAgreementsLink intervention=id lang=lang /> }.into_any()
    },
};

/// Every page (`src/bin/workspace.rs`).
pub const WORKSPACE: Bundle = Bundle {
    shows: |_| true,
    render: any_page,
    agreements: |lang| view! { <pages::roadmap::agreements::Agreements lang=lang /> }.into_any(),
    intervention_agreements: |id, lang| {
        view! { <pages::roadmap::agreements::Agreements lang=lang intervention=id in_detail=true /> }.into_any()
    },
};

fn dashboard_page(page: Page, view: RwSignal<shared::view::View>, lang: RwSignal<Lang>) -> AnyView {
    match page {
        Page::Coverage => view! { <pages::coverage::Coverage view=view lang=lang /> }.into_any(),
        Page::Roadmap => view! { <pages::roadmap::Roadmap view=view lang=lang /> }.into_any(),
        Page::Embed(part) => view! { <pages::PartView part=part view=view lang=lang embedded=true /> }.into_any(),
        // Only reached when a stale offline copy served the wrong shell: a plain link loads the right one.
        other => view! {
            <section class="panel">
                <p><a href=other.path()>{move || other.title(lang.get())}</a></p>
            </section>
        }
        .into_any(),
    }
}

fn any_page(page: Page, view: RwSignal<shared::view::View>, lang: RwSignal<Lang>) -> AnyView {
    match page {
        Page::SignIn => view! { <pages::signin::SignIn lang=lang /> }.into_any(),
        Page::Publish => view! { <pages::publish::Publish lang=lang /> }.into_any(),
        Page::Manage => view! { <pages::manage::Manage lang=lang /> }.into_any(),
        Page::Meeting => view! { <pages::meeting::Meeting lang=lang /> }.into_any(),
        Page::Agreements => {
            // `?intervencion=`: one intervention's (the dashboard's detail links here).
            let one = view.with_untracked(|v| v.intervention.clone());
            view! {
                <pages::RequireRole min=Role::Viewer lang=lang>
                    {match one.clone() {
                        Some(id) => view! { <pages::roadmap::agreements::Agreements lang=lang intervention=id /> }.into_any(),
                        None => view! { <pages::roadmap::agreements::Agreements lang=lang /> }.into_any(),
                    }}
                </pages::RequireRole>
            }
            .into_any()
        }
        Page::Minutes => view! { <pages::meeting::minutes::Minutes lang=lang /> }.into_any(),
        other => dashboard_page(other, view, lang),
    }
}

/// Starts a bundle: registers the service worker (`sw.js`, which keeps viewed snapshots for offline meetings;
/// browsers without service workers simply go without) and mounts [`App`] on the body.
pub fn start(bundle: Bundle) {
    let navigator = window().navigator();
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let _ = navigator.service_worker().register("/sw.js");
    }
    leptos::mount::mount_to_body(move || view! { <App bundle=bundle /> });
}

/// The root: the page (from the path), the view state (from the query), the language, and the navigation.
#[component]
pub fn App(bundle: Bundle) -> impl IntoView {
    crate::charts::scaled::watch_density();
    let (page, view) = state::provide();
    let lang = i18n::provide(view);
    let nav = Nav::provide(page, view, bundle);
    let session = nav.session;
    // An embed is the part alone in another site's frame: no top bar, no navigation, no footer.
    if matches!(page.get_untracked(), Page::Embed(_)) {
        if let Some(root) = document().document_element() {
            let _ = root.class_list().add_1("embedded");
        }
        Effect::new(move |_| document().set_title(&format!("{} — Rumbo", page.get().title(lang.get()))));
        return view! { <main id="contenido">{move || (bundle.render)(page.get(), view, lang)}</main> }.into_any();
    }
    // The last dashboard view opened: where a new slide of an agenda starts.
    Effect::new(move |_| {
        let p = page.get();
        if matches!(p, Page::Coverage | Page::Roadmap) {
            let v = view.with(|v| shared::view::View { lang: Lang::Es, ..v.clone() });
            nav.last_view.set(Some(state::url(p, &v)));
        }
    });
    Effect::new(move |_| document().set_title(&format!("{} — Rumbo · SETRASS / DGE", page.get().title(lang.get()))));
    let go = move |to: Page| {
        move |ev: leptos::ev::MouseEvent| {
            // Modified clicks open a new tab as links do; a plain click stays in the app.
            if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
                return;
            }
            ev.prevent_default();
            if page.get_untracked() != to {
                nav.go(&view.with_untracked(|v| state::url(to, v)));
            }
        }
    };
    let link = move |to: Page| {
        view! {
            <a href=move || view.with(|v| state::url(to, v))
                aria-current=move || (page.get() == to).then_some("page")
                on:click=go(to)>{move || to.label(lang.get())}</a>
        }
    };
    // Links to the workspace appear only for the roles that may use it.
    let may = move |to: Page| move || session.with(|s| to.needs().is_none_or(|min| s.role().is_some_and(|r| r >= min)));
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
                {link(Page::Meeting)}
                <Show when=may(Page::Publish)>{link(Page::Publish)}</Show>
                <Show when=may(Page::Manage)>{link(Page::Manage)}</Show>
            </nav>
            <UserBox nav=nav lang=lang />
            <components::LangToggle lang=lang />
        </header>
        <main id="contenido">
            {move || (bundle.render)(page.get(), view, lang)}
        </main>
        <Footer view=view lang=lang />
    }
    .into_any()
}

/// The page's footer: the open data (the read API's OpenAPI document, and the shown snapshot's data package with
/// its CSV, Parquet and Arrow downloads) and the glossary. Not on a slide.
#[component]
fn Footer(view: RwSignal<shared::view::View>, lang: RwSignal<Lang>) -> impl IntoView {
    use shared::api::{CURRENT, route, url};
    let package = move || {
        let id = view.with(|v| v.snapshot.clone()).unwrap_or_else(|| CURRENT.to_owned());
        url(route::DATAPACKAGE, &[&crate::api::workspace::encode(&id)])
    };
    components::presenting().is_none().then(|| {
        view! {
            <footer class="site-footer" data-testid="footer">
                <p>
                    {move || t(lang.get(), "Datos abiertos: ", "Open data: ")}
                    <a href=url(route::OPENAPI, &[])>{move || t(lang.get(), "API de lectura (OpenAPI)", "Read API (OpenAPI)")}</a>
                    " · "
                    <a href=package>{move || t(lang.get(), "paquete de datos de esta publicación (CSV, Parquet, Arrow)", "this snapshot's data package (CSV, Parquet, Arrow)")}</a>
                </p>
                <glossary::Glossary lang=lang />
            </footer>
        }
    })
}

/// The signed-in user's name and role with "Salir", or the "Entrar" link.
#[component]
fn UserBox(nav: Nav, lang: RwSignal<Lang>) -> impl IntoView {
    let sign_out = move |_| {
        let csrf = nav.session.with_untracked(Session::csrf);
        leptos::task::spawn_local(async move {
            // Signed out either way: a failure means the session was already gone.
            let _ = api::workspace::sign_out(&csrf).await;
            nav.session.set(Session::Anonymous { expired: false });
            if nav.page.get_untracked().needs().is_some() {
                nav.go(Page::Coverage.path());
            }
        });
    };
    move || {
        let l = lang.get();
        match nav.session.get() {
            Session::Checking => ().into_any(),
            Session::Anonymous { .. } => view! {
                <a class="user-link" href=Page::SignIn.path() on:click=move |ev: leptos::ev::MouseEvent| {
                    ev.prevent_default();
                    nav.sign_in_first(false);
                }>{t(l, "Entrar", "Sign in")}</a>
            }
            .into_any(),
            Session::Signed(me) => view! {
                <div class="user" data-testid="user">
                    <span class="user-name">{me.username.clone()}</span>
                    <span class="user-role">{me.role.label().get(l)}</span>
                    <button type="button" class="link-button" on:click=sign_out>{t(l, "Salir", "Sign out")}</button>
                </div>
            }
            .into_any(),
        }
    }
}
