//! `/entrar`: sign in with a username and password (the server sets an `HttpOnly` session cookie), then back to
//! the page the user came from.

use leptos::prelude::*;
use shared::Lang;

use crate::Page;
use crate::api::workspace::{self, Role};
use crate::i18n::t;
use crate::session::{self, Session};

#[component]
pub fn SignIn(lang: RwSignal<Lang>) -> impl IntoView {
    let nav = session::nav();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<crate::api::FetchError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let (u, p) = (username.get_untracked(), password.get_untracked());
        leptos::task::spawn_local(async move {
            match workspace::sign_in(u.trim(), &p).await {
                Ok(me) => {
                    let role = me.role;
                    password.set(String::new());
                    nav.session.set(Session::Signed(me));
                    let fallback = if role >= Role::Analyst { Page::Publish.path() } else { Page::Coverage.path() };
                    let to = nav
                        .back_to
                        .get_untracked()
                        .filter(|b| !b.starts_with(Page::SignIn.path()))
                        .unwrap_or_else(|| fallback.to_owned());
                    nav.back_to.set(None);
                    nav.go(&to);
                }
                Err(f) => problem.set(Some(f)),
            }
            busy.set(false);
        });
    };
    let expired = move || matches!(nav.session.get(), Session::Anonymous { expired: true });
    let signed = move || nav.session.with(|s| s.me().map(|m| (m.username.clone(), m.role)));
    view! {
        <section class="panel signin" aria-labelledby="signin-title">
            <h1 id="signin-title">{move || t(lang.get(), "Iniciar sesión", "Sign in")}</h1>
            <p class="hint">{move || t(lang.get(), "Para publicar o administrar. El tablero y la hoja de ruta no necesitan cuenta.", "To publish or manage. The dashboard and the roadmap need no account.")}</p>
            <Show when=expired>
                <p class="notice" role="status" data-testid="expired">{move || t(lang.get(), "Su sesión expiró; inicie sesión de nuevo para continuar donde estaba.", "Your session expired; sign in again to continue where you were.")}</p>
            </Show>
            {move || signed().map(|(name, role)| view! {
                <p class="notice" role="status">{format!("{} {name} ({}).", t(lang.get(), "Ya inició sesión como", "You are already signed in as"), role.label().get(lang.get()))}</p>
            })}
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="u">{move || t(lang.get(), "Usuario", "Username")}</label>
                    <input id="u" name="username" type="text" autocomplete="username" required
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="p">{move || t(lang.get(), "Contraseña", "Password")}</label>
                    <input id="p" name="password" type="password" autocomplete="current-password" required
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                {move || problem.get().map(|f| view! { <p class="form-error" role="alert" data-testid="signin-error">{f.message(lang.get())}</p> })}
                <button type="submit" class="primary" disabled=busy>{move || if busy.get() { t(lang.get(), "Entrando…", "Signing in…") } else { t(lang.get(), "Entrar", "Sign in") }}</button>
            </form>
        </section>
    }
}
