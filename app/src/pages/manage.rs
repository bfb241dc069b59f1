//! `/administrar`: published snapshots (retract with a reason, make current), drafts (discard), API tokens, and
//! for administrators users and the audit log. Every action asks the server, which checks the role again.

use leptos::prelude::*;
use shared::Lang;
use shared::format;

use super::{RequireRole, timestamp};
use crate::Page;
use crate::api::FetchError;
use crate::api::workspace::{self, Lifecycle, Role};
use crate::i18n::t;
use crate::session::{self, Nav, Session};

#[component]
pub fn Manage(lang: RwSignal<Lang>) -> impl IntoView {
    view! { <RequireRole min=Role::Analyst lang=lang>{move || view! { <Sections lang=lang /> }}</RequireRole> }
}

/// Bumped after every change, so every list reloads.
#[derive(Clone, Copy)]
struct Changed(RwSignal<u32>);

impl Changed {
    fn bump(self) {
        self.0.update(|n| *n += 1);
    }
}

fn is_admin(nav: Nav) -> bool {
    nav.session.with(|s| s.role() == Some(Role::Admin))
}

/// Runs a mutation; afterwards the lists reload, or the failure is shown (a lost session goes to sign in).
fn act<F>(nav: Nav, changed: Changed, problem: RwSignal<Option<FetchError>>, call: impl FnOnce(String) -> F + 'static)
where
    F: std::future::Future<Output = Result<(), FetchError>> + 'static,
{
    let csrf = nav.session.with_untracked(Session::csrf);
    problem.set(None);
    leptos::task::spawn_local(async move {
        match call(csrf).await {
            Ok(()) => changed.bump(),
            Err(f) => problem.set(nav.check(f)),
        }
    });
}

#[component]
fn Sections(lang: RwSignal<Lang>) -> impl IntoView {
    let nav = session::nav();
    let changed = Changed(RwSignal::new(0));
    let problem = RwSignal::new(None::<FetchError>);
    view! {
        <h1 class="page-title">{move || t(lang.get(), "Administrar", "Manage")}</h1>
        {move || problem.get().map(|f| view! { <p class="form-error" role="alert" data-testid="manage-error">{f.message(lang.get())}</p> })}
        <Snapshots changed=changed problem=problem lang=lang />
        <Drafts changed=changed problem=problem lang=lang />
        <Tokens changed=changed problem=problem lang=lang />
        <Show when=move || is_admin(nav)>
            <Users changed=changed problem=problem lang=lang />
            <Audit changed=changed lang=lang />
        </Show>
    }
}

#[component]
fn Snapshots(changed: Changed, problem: RwSignal<Option<FetchError>>, lang: RwSignal<Lang>) -> impl IntoView {
    let nav = session::nav();
    let list = LocalResource::new(move || {
        changed.0.track();
        workspace::managed_snapshots()
    });
    let retracted = RwSignal::new(false);
    let retracting = RwSignal::new(None::<(String, String)>);
    let reason = RwSignal::new(String::new());
    let rows = move || {
        let l = lang.get();
        let admin = is_admin(nav);
        let items = match list.get() {
            Some(Ok(items)) => items,
            Some(Err(f)) => {
                problem.set(nav.check(f));
                Vec::new()
            }
            None => Vec::new(),
        };
        items
            .into_iter()
            .filter(|s| retracted.get() || s.lifecycle != Lifecycle::Retracted)
            .map(|s| {
                let state = if s.lifecycle == Lifecycle::Retracted {
                    format!("{}: {}", t(l, "Retirada", "Retracted"), s.retract_reason.clone().unwrap_or_default())
                } else if s.current {
                    t(l, "Vigente", "Current").to_owned()
                } else {
                    t(l, "Publicada", "Published").to_owned()
                };
                let published = s.lifecycle == Lifecycle::Published;
                let (current, version, m) = (s.current, s.version, s.manifest);
                let (id, id2, title) = (m.snapshot_id.clone(), m.snapshot_id.clone(), m.title(l).to_owned());
                let view_href = crate::state::url(Page::Coverage, &shared::view::View { snapshot: Some(m.snapshot_id.clone()), lang: l, ..Default::default() });
                view! {
                    <tr class=if current { "current" } else { "" }>
                        <td class="num">{version}</td>
                        <th scope="row"><a href=view_href>{m.title(l).to_owned()}</a></th>
                        <td>{format::date(&m.as_of)}</td>
                        <td>{format!("{} · {}", timestamp(&m.published_at), m.publisher)}</td>
                        <td data-testid="snapshot-state">{state}</td>
                        <td class="row-actions">
                            <Show when=move || admin && published && !current>
                                <button type="button" on:click={let id = id.clone(); move |_| { let id = id.clone(); act(nav, changed, problem, move |csrf| async move { workspace::make_current(&id, &csrf).await }) }}>{t(l, "Hacer vigente", "Make current")}</button>
                            </Show>
                            <Show when=move || admin && published>
                                <button type="button" on:click={let (id, title) = (id2.clone(), title.clone()); move |_| { reason.set(String::new()); retracting.set(Some((id.clone(), title.clone()))); }}>{t(l, "Retirar…", "Retract…")}</button>
                            </Show>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let confirm = move |_| {
        let Some((id, _)) = retracting.get_untracked() else { return };
        let why = reason.get_untracked();
        retracting.set(None);
        act(nav, changed, problem, move |csrf| async move { workspace::retract(&id, &why, &csrf).await });
    };
    view! {
        <section class="panel" aria-labelledby="snap-title">
            <h2 id="snap-title">{move || t(lang.get(), "Publicaciones", "Snapshots")}</h2>
            <label class="check"><input type="checkbox" on:change=move |ev| retracted.set(event_target_checked(&ev)) />{move || t(lang.get(), "Mostrar las retiradas", "Show retracted ones")}</label>
            <div class="table-wrap" tabindex="0"><table class="data" data-testid="snapshots">
                <thead><tr>
                    <th scope="col">{move || t(lang.get(), "Versión", "Version")}</th>
                    <th scope="col">{move || t(lang.get(), "Título", "Title")}</th>
                    <th scope="col">{move || t(lang.get(), "Datos al", "Data as of")}</th>
                    <th scope="col">{move || t(lang.get(), "Publicada", "Published")}</th>
                    <th scope="col">{move || t(lang.get(), "Estado", "State")}</th>
                    <th scope="col">{move || t(lang.get(), "Acciones", "Actions")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
        {move || retracting.get().map(|(_, title)| view! {
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="retract-title" data-testid="retract-dialog">
                    <h2 id="retract-title">{format!("{} «{title}»", t(lang.get(), "Retirar", "Retract"))}</h2>
                    <p>{t(lang.get(), "Deja de verse en el tablero; si es la vigente, la anterior publicada vuelve a serlo. Nada se borra: queda en la lista de retiradas con su motivo, y sus enlaces lo dicen.", "It stops being shown; if it is the current one, the previous published one becomes current again. Nothing is deleted: it stays in the list of retracted ones with its reason, and its links say so.")}</p>
                    <div class="field">
                        <label for="why">{t(lang.get(), "Motivo (obligatorio)", "Reason (required)")}</label>
                        <textarea id="why" rows="3" on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    </div>
                    <p class="actions">
                        <button type="button" class="primary" data-testid="confirm-retract" disabled=move || reason.read().trim().is_empty() on:click=confirm>{t(lang.get(), "Retirar", "Retract")}</button>
                        <button type="button" on:click=move |_| retracting.set(None)>{t(lang.get(), "Cancelar", "Cancel")}</button>
                    </p>
                </div>
            </div>
        })}
    }
}

#[component]
fn Drafts(changed: Changed, problem: RwSignal<Option<FetchError>>, lang: RwSignal<Lang>) -> impl IntoView {
    let nav = session::nav();
    let list = LocalResource::new(move || {
        changed.0.track();
        workspace::drafts()
    });
    move || {
        let l = lang.get();
        let drafts = list.get().and_then(Result::ok).unwrap_or_default();
        let rows = drafts
            .into_iter()
            .map(|d| {
                let href = format!("{}?s={}", Page::Publish.path(), workspace::encode(&d.draft_id));
                let go = href.clone();
                let id = d.draft_id.clone();
                let tables = d.tables.iter().map(|x| format!("{} ({})", x.name, format::count(x.rows as f64))).collect::<Vec<_>>().join(", ");
                view! {
                    <tr>
                        <th scope="row"><a href=href on:click=move |ev: leptos::ev::MouseEvent| { ev.prevent_default(); nav.go(&go); }>{timestamp(&d.created_at)}</a></th>
                        <td>{d.created_by.clone()}</td>
                        <td class="num">{d.errors}</td>
                        <td class="num">{d.warnings}</td>
                        <td>{tables}</td>
                        <td><button type="button" on:click=move |_| { let id = id.clone(); act(nav, changed, problem, move |csrf| async move { workspace::discard(&id, &csrf).await }) }>{t(l, "Descartar", "Discard")}</button></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="panel" aria-labelledby="drafts-title">
                <h2 id="drafts-title">{t(l, "Borradores", "Drafts")}</h2>
                <div class="table-wrap" tabindex="0"><table class="data" data-testid="drafts">
                    <thead><tr>
                        <th scope="col">{t(l, "Subido", "Uploaded")}</th><th scope="col">{t(l, "Por", "By")}</th>
                        <th scope="col">{t(l, "Errores", "Errors")}</th><th scope="col">{t(l, "Advertencias", "Warnings")}</th>
                        <th scope="col">{t(l, "Tablas", "Tables")}</th><th scope="col">{t(l, "Acciones", "Actions")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
            </section>
        }
    }
}

#[component]
fn Tokens(changed: Changed, problem: RwSignal<Option<FetchError>>, lang: RwSignal<Lang>) -> impl IntoView {
    let nav = session::nav();
    let list = LocalResource::new(move || {
        changed.0.track();
        workspace::tokens()
    });
    let name = RwSignal::new(String::new());
    let created = RwSignal::new(None::<workspace::NewToken>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let csrf = nav.session.with_untracked(Session::csrf);
        let n = name.get_untracked();
        problem.set(None);
        leptos::task::spawn_local(async move {
            match workspace::create_token(n.trim(), None, &csrf).await {
                Ok(token) => {
                    created.set(Some(token));
                    name.set(String::new());
                    changed.bump();
                }
                Err(f) => problem.set(nav.check(f)),
            }
        });
    };
    let rows = move || {
        let l = lang.get();
        list.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|tok| {
            let id = tok.token_id;
            let revoked = tok.revoked;
            view! {
                <tr>
                    <th scope="row">{tok.name.clone()}</th><td>{tok.username.clone()}</td><td>{timestamp(&tok.created_at)}</td>
                    <td>{if revoked { t(l, "Revocado", "Revoked") } else { t(l, "Activo", "Active") }}</td>
                    <td><Show when=move || !revoked><button type="button" on:click=move |_| act(nav, changed, problem, move |csrf| async move { workspace::revoke_token(id, &csrf).await })>{t(l, "Revocar", "Revoke")}</button></Show></td>
                </tr>
            }
        }).collect_view()
    };
    view! {
        <section class="panel" aria-labelledby="tokens-title">
            <h2 id="tokens-title">{move || t(lang.get(), "Tokens de API", "API tokens")}</h2>
            <p class="hint">{move || t(lang.get(), "Para publicar desde scripts (rumbo publish, R, Python) con la cabecera Authorization: Bearer.", "To publish from scripts (rumbo publish, R, Python) with the Authorization: Bearer header.")}</p>
            <form class="inline-form" on:submit=create>
                <div class="field">
                    <label for="tok-name">{move || t(lang.get(), "Nombre del token", "Token name")}</label>
                    <input id="tok-name" type="text" required prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                </div>
                <button type="submit" disabled=move || name.read().trim().is_empty()>{move || t(lang.get(), "Crear token", "Create token")}</button>
            </form>
            {move || created.get().map(|c| {
                let token = c.token.clone();
                view! {
                    <div class="notice" role="status" data-testid="new-token">
                        <p>{t(lang.get(), "Copie el token ahora: no se volverá a mostrar.", "Copy the token now: it will not be shown again.")}</p>
                        <p><code class="token">{c.token.clone()}</code>
                        <button type="button" on:click=move |_| { let _ = window().navigator().clipboard().write_text(&token); }>{t(lang.get(), "Copiar", "Copy")}</button></p>
                    </div>
                }
            })}
            <div class="table-wrap" tabindex="0"><table class="data" data-testid="tokens">
                <thead><tr>
                    <th scope="col">{move || t(lang.get(), "Nombre", "Name")}</th><th scope="col">{move || t(lang.get(), "Usuario", "User")}</th>
                    <th scope="col">{move || t(lang.get(), "Creado", "Created")}</th><th scope="col">{move || t(lang.get(), "Estado", "State")}</th>
                    <th scope="col">{move || t(lang.get(), "Acciones", "Actions")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
}

fn role_options(selected: Role, lang: Lang) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.code() selected=r == selected>{r.label().get(lang)}</option> })
        .collect_view()
}

#[component]
fn Users(changed: Changed, problem: RwSignal<Option<FetchError>>, lang: RwSignal<Lang>) -> impl IntoView {
    let nav = session::nav();
    let list = LocalResource::new(move || {
        changed.0.track();
        workspace::users()
    });
    let (username, password, role) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(Role::Viewer));
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (u, p, r) = (username.get_untracked(), password.get_untracked(), role.get_untracked());
        username.set(String::new());
        password.set(String::new());
        act(nav, changed, problem, move |csrf| async move { workspace::add_user(u.trim(), &p, r, &csrf).await });
    };
    let rows = move || {
        let l = lang.get();
        list.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|u| {
            let (name, name2, name3) = (u.username.clone(), u.username.clone(), u.username.clone());
            let disabled = u.disabled;
            let fresh = RwSignal::new(String::new());
            let select_id = format!("role-{}", u.username);
            let pw_id = format!("pw-{}", u.username);
            view! {
                <tr class=if disabled { "disabled" } else { "" }>
                    <th scope="row">{u.username.clone()}</th>
                    <td>
                        <label class="visually-hidden" for=select_id.clone()>{format!("{} {}", t(l, "Rol de", "Role of"), u.username)}</label>
                        <select id=select_id on:change=move |ev| {
                            let Some(r) = Role::from_code(&event_target_value(&ev)) else { return };
                            let name = name.clone();
                            act(nav, changed, problem, move |csrf| async move { workspace::update_user(&name, Some(r), None, &csrf).await });
                        }>{role_options(u.role, l)}</select>
                    </td>
                    <td>{if disabled { t(l, "Desactivada", "Disabled") } else { t(l, "Activa", "Active") }}</td>
                    <td class="row-actions">
                        <button type="button" on:click=move |_| { let name = name2.clone(); act(nav, changed, problem, move |csrf| async move { workspace::update_user(&name, None, Some(!disabled), &csrf).await }) }>
                            {if disabled { t(l, "Reactivar", "Re-enable") } else { t(l, "Desactivar", "Disable") }}</button>
                        <label class="visually-hidden" for=pw_id.clone()>{format!("{} {}", t(l, "Nueva contraseña de", "New password for"), u.username)}</label>
                        <input id=pw_id type="password" autocomplete="new-password" placeholder=t(l, "nueva contraseña", "new password") on:input=move |ev| fresh.set(event_target_value(&ev)) />
                        <button type="button" disabled=move || fresh.read().chars().count() < 10 on:click=move |_| { let (name, p) = (name3.clone(), fresh.get_untracked()); act(nav, changed, problem, move |csrf| async move { workspace::reset_password(&name, &p, &csrf).await }) }>
                            {t(l, "Restablecer contraseña", "Reset password")}</button>
                    </td>
                </tr>
            }
        }).collect_view()
    };
    view! {
        <section class="panel" aria-labelledby="users-title">
            <h2 id="users-title">{move || t(lang.get(), "Usuarios", "Users")}</h2>
            <div class="table-wrap" tabindex="0"><table class="data" data-testid="users">
                <thead><tr>
                    <th scope="col">{move || t(lang.get(), "Usuario", "User")}</th><th scope="col">{move || t(lang.get(), "Rol", "Role")}</th>
                    <th scope="col">{move || t(lang.get(), "Cuenta", "Account")}</th><th scope="col">{move || t(lang.get(), "Acciones", "Actions")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            <form class="inline-form" on:submit=add>
                <div class="field"><label for="nu-name">{move || t(lang.get(), "Usuario nuevo", "New user")}</label>
                    <input id="nu-name" type="text" autocomplete="off" prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) /></div>
                <div class="field"><label for="nu-pw">{move || t(lang.get(), "Contraseña (10 caracteres o más)", "Password (10 characters or more)")}</label>
                    <input id="nu-pw" type="password" autocomplete="new-password" prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) /></div>
                <div class="field"><label for="nu-role">{move || t(lang.get(), "Rol", "Role")}</label>
                    <select id="nu-role" on:change=move |ev| if let Some(r) = Role::from_code(&event_target_value(&ev)) { role.set(r) }>{move || role_options(Role::Viewer, lang.get())}</select></div>
                <button type="submit" disabled=move || username.read().trim().is_empty() || password.read().chars().count() < 10>{move || t(lang.get(), "Añadir usuario", "Add user")}</button>
            </form>
        </section>
    }
}

#[component]
fn Audit(changed: Changed, lang: RwSignal<Lang>) -> impl IntoView {
    let (actor, action, since, until) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let entries = LocalResource::new(move || {
        changed.0.track();
        let (a, b, c, d) = (actor.get(), action.get(), since.get(), until.get());
        async move { workspace::audit(&a, &b, &c, &d).await }
    });
    let rows = move || {
        entries.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|e| view! {
            <tr><td>{timestamp(&e.at)}</td><td>{e.actor}</td><td><code>{e.action}</code></td><td>{e.target}</td><td>{e.detail}</td><td>{e.from}</td></tr>
        }).collect_view()
    };
    let text =
        move |id: &'static str, es: &'static str, en: &'static str, kind: &'static str, signal: RwSignal<String>| {
            view! {
                <div class="field"><label for=id>{move || t(lang.get(), es, en)}</label>
                    <input id=id type=kind on:change=move |ev| signal.set(event_target_value(&ev)) /></div>
            }
        };
    view! {
        <section class="panel" aria-labelledby="audit-title">
            <h2 id="audit-title">{move || t(lang.get(), "Bitácora", "Audit log")}</h2>
            <div class="filters">
                {text("a-actor", "Usuario", "User", "text", actor)}
                {text("a-action", "Acción (publish, retract, login…)", "Action (publish, retract, login…)", "text", action)}
                {text("a-since", "Desde", "From", "date", since)}
                {text("a-until", "Hasta", "Until", "date", until)}
            </div>
            <p class="hint" role="status">{move || format!("{} {}", format::count(entries.get().and_then(Result::ok).map_or(0, |e| e.len()) as f64), t(lang.get(), "entradas (las más recientes primero)", "entries (newest first)"))}</p>
            <div class="table-wrap" tabindex="0"><table class="data" data-testid="audit">
                <thead><tr>
                    <th scope="col">{move || t(lang.get(), "Fecha", "Date")}</th><th scope="col">{move || t(lang.get(), "Usuario", "User")}</th>
                    <th scope="col">{move || t(lang.get(), "Acción", "Action")}</th><th scope="col">{move || t(lang.get(), "Objeto", "Target")}</th>
                    <th scope="col">{move || t(lang.get(), "Detalle", "Detail")}</th><th scope="col">{move || t(lang.get(), "Origen", "From")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </section>
    }
}
