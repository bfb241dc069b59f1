//! Entry point of the wasm app: mount [`app::App`] on the body, and register the service worker (`sw.js`) that
//! keeps viewed snapshots for offline meetings (browsers without service workers simply go without).

fn main() {
    let navigator = leptos::prelude::window().navigator();
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let _ = navigator.service_worker().register("/sw.js");
    }
    leptos::mount::mount_to_body(app::App);
}
