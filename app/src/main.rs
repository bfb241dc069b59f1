//! Entry point of the wasm app: mount [`app::App`] on the body.

fn main() {
    leptos::mount::mount_to_body(app::App);
}
