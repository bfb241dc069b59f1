//! Who is signed in, and moving between pages. The session itself is an `HttpOnly` cookie the app never sees;
//! the app keeps only the user's name, role and CSRF token, in memory (never in `localStorage`).

use leptos::prelude::*;
use shared::view::View;

use crate::api::FetchError;
use crate::api::workspace::{self, Me, Role};
use crate::{Bundle, Page};

/// What the app knows about the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    /// `/api/me` has not answered yet.
    Checking,
    /// Nobody is signed in; `expired` when a session ended under the user (the sign-in page says so).
    Anonymous {
        expired: bool,
    },
    Signed(Me),
}

impl Session {
    pub fn me(&self) -> Option<&Me> {
        match self {
            Self::Signed(me) => Some(me),
            _ => None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        self.me().map(|m| m.role)
    }

    pub fn csrf(&self) -> String {
        self.me().map(|m| m.csrf().to_owned()).unwrap_or_default()
    }
}

/// The app's shared navigation state: the page, the view (the URL's query), the session, and where to return
/// after signing in.
#[derive(Debug, Clone, Copy)]
pub struct Nav {
    pub page: RwSignal<Page>,
    pub view: RwSignal<View>,
    pub session: RwSignal<Session>,
    pub back_to: RwSignal<Option<String>>,
    /// The last dashboard view opened (path and query, in Spanish): a new agenda slide starts from it.
    pub last_view: RwSignal<Option<String>>,
    /// The pages this wasm bundle shows; the others are a page load away.
    pub bundle: Bundle,
}

/// Where `back_to` and `last_view` wait in `sessionStorage` while the other bundle loads (this tab only).
const HANDOFF: [&str; 2] = ["rumbo-back-to", "rumbo-last-view"];

impl Nav {
    /// Creates the navigation state and asks the server who is signed in.
    pub fn provide(page: RwSignal<Page>, view: RwSignal<View>, bundle: Bundle) -> Self {
        let [back_to, last_view] = HANDOFF.map(take_stored);
        let nav = Self {
            page,
            view,
            session: RwSignal::new(Session::Checking),
            back_to: RwSignal::new(back_to),
            last_view: RwSignal::new(last_view),
            bundle,
        };
        leptos::task::spawn_local(async move {
            // No sign-in cookie: a visitor (asking would be a 401 on every page load).
            let cookie = js_sys::Reflect::get(&document(), &"cookie".into()).ok().and_then(|c| c.as_string());
            let marker = format!("{}=1", shared::api::SIGNED_IN_COOKIE);
            if !cookie.unwrap_or_default().split(';').any(|c| c.trim() == marker) {
                nav.session.set(Session::Anonymous { expired: false });
                return;
            }
            let known = match workspace::me().await {
                Ok(Some(me)) => Session::Signed(me),
                Ok(None) => {
                    // The session ended on the server (expired, or signed out elsewhere): forget the marker too.
                    let gone = format!("{}=; Max-Age=0; Path=/; SameSite=Strict", shared::api::SIGNED_IN_COOKIE);
                    let _ = js_sys::Reflect::set(&document(), &"cookie".into(), &gone.into());
                    Session::Anonymous { expired: false }
                }
                Err(_) => Session::Anonymous { expired: false },
            };
            nav.session.set(known);
        });
        provide_context(nav);
        nav
    }

    /// Goes to a URL of the app (a path and a query): one history entry, the page and the view follow it.
    pub fn go(self, url: &str) {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let (to, mut view) = crate::state::parse(path, query);
        view.lang = self.view.with_untracked(|v| v.lang);
        if !(self.bundle.shows)(to) {
            // The other bundle's page: a page load, handing over what this one remembers.
            if let Ok(Some(storage)) = window().session_storage() {
                for (key, value) in HANDOFF.into_iter().zip([self.back_to, self.last_view]) {
                    if let Some(value) = value.get_untracked() {
                        let _ = storage.set_item(key, &value);
                    }
                }
            }
            let _ = window().location().assign(&crate::state::url(to, &view));
            return;
        }
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&crate::state::url(to, &view)));
        }
        self.view.set(view);
        if self.page.get_untracked() != to {
            self.page.set(to);
        }
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Sends the user to sign in, remembering this page.
    pub fn sign_in_first(self, expired: bool) {
        if self.page.get_untracked() != Page::SignIn {
            self.back_to.set(Some(crate::state::here()));
        }
        if expired {
            self.session.set(Session::Anonymous { expired: true });
        }
        self.go(Page::SignIn.path());
    }

    /// Handles a failed call: a lost session sends the user to sign in (and back here afterwards); any other
    /// failure is returned to be shown where it happened.
    pub fn check(self, failure: FetchError) -> Option<FetchError> {
        if failure.signed_out() {
            self.sign_in_first(true);
            None
        } else {
            Some(failure)
        }
    }
}

/// Reads and forgets a value the other bundle left in `sessionStorage`.
fn take_stored(key: &str) -> Option<String> {
    let storage = window().session_storage().ok()??;
    let value = storage.get_item(key).ok()?;
    let _ = storage.remove_item(key);
    value
}

/// The navigation state provided by the app root.
pub fn nav() -> Nav {
    expect_context::<Nav>()
}
