//! Times disclosure control on the 1M-row demo `facts`, phase by phase (a profiling aid).
//! Run: `cargo run --release -p shared --features intake --example protect_1m`.

fn main() {
    let config = shared::demo::DemoConfig { months: 1_000_000u32.div_ceil(765), ..shared::demo::DemoConfig::default() };
    let batch = shared::demo::facts(&config).slice(0, 1_000_000);
    let book = shared::codebook::CodeBook::builtin();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let p = shared::disclosure::protect(&batch, &book, None).expect("protect");
        println!("first publication: {:?} ({} primary, {} complementary)", t.elapsed(), p.primary(), p.complementary());
    }
}
