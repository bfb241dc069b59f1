//! The dashboard bundle (`index.html`): coverage and the roadmap, what a visitor's first load carries.

fn main() {
    app::start(app::DASHBOARD);
}
