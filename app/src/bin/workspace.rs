//! The workspace bundle (`workspace.html`): every page, with sign-in, publishing, administration and meeting mode.

fn main() {
    app::start(app::WORKSPACE);
}
