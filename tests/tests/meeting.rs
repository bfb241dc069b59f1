//! End-to-end in Chromium: an analyst builds an agenda of three views in the editor and saves it; reopened from
//! its link at 1920 × 1080 it is stepped with the keyboard, each slide showing its own filters and the
//! snapshot's date, with no text under 24 px. And PNG exports decode to a 2× image of the chart with its frame.

use std::time::Duration;

use fantoccini::key::Key;
use server::store::Role;
use tests::{Browser, PASSWORD, SMALL_TEXT, TILE, TestServer, press, projector, sign_in};

async fn js(browser: &Browser, script: &str) -> serde_json::Value {
    browser.client.execute(&format!("return ({script});"), vec![]).await.expect("script runs")
}

async fn click(browser: &Browser, selector: &str) {
    browser.client.execute(&format!("document.querySelector('{selector}').click();"), vec![]).await.expect("click");
}

/// Sets a control's value and fires the events the app listens to.
async fn set(browser: &Browser, selector: &str, value: &str) {
    let script = format!(
        "const e = document.querySelector('{selector}'); e.value = {value:?}; \
         e.dispatchEvent(new Event('input', {{ bubbles: true }})); e.dispatchEvent(new Event('change', {{ bubbles: true }}));"
    );
    browser.client.execute(&script, vec![]).await.expect("set");
}

async fn slide(browser: &Browser, n: usize, of: usize) -> (String, String) {
    browser
        .wait_for(
            &format!("document.querySelector('[data-testid=slide-count]')?.textContent === '{n} / {of}'"),
            "the slide",
        )
        .await;
    browser.wait_for("document.querySelector('[data-testid=slide-caption]')", "the slide's caption").await;
    let show = js(browser, "document.querySelector('[data-testid=slide]').dataset.show").await;
    let caption = js(browser, "document.querySelector('[data-testid=slide-caption]').textContent").await;
    (show.as_str().unwrap_or_default().to_owned(), caption.as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)]
async fn an_agenda_is_built_saved_reopened_and_stepped_with_the_keyboard() {
    let server = TestServer::start().await;
    server.store.add_user("ana", PASSWORD, Role::Analyst, "test").expect("analyst");
    let browser = Browser::start(1920, 1080).await;
    sign_in(&browser, &server, "ana").await;
    // The view the first slide starts from: opened in the dashboard, then the meeting page from the menu.
    browser.client.goto(&server.url("/?indicador=COB-02&lugar=HN-CR")).await.expect("view");
    browser.wait_for("document.querySelector('[data-testid=user]')", "signed in").await;
    browser.wait_for(TILE, "the dashboard").await;
    click(&browser, "nav a[href^=\"/reunion\"]").await;
    browser.wait_for("document.querySelector('[data-testid=new-agenda]')", "the meeting page").await;
    click(&browser, "[data-testid=new-agenda]").await;
    browser.wait_for("document.querySelector('[data-testid=slide-url]')", "the editor").await;
    assert_eq!(
        js(&browser, "document.querySelector('[data-testid=slide-url]').value").await,
        "/?indicador=COB-02&lugar=HN-CR",
        "a new agenda starts from the last view opened"
    );
    let violations = browser.axe_serious().await;
    assert!(violations.is_empty(), "axe-core on the editor: {violations:#?}");
    // Saving with no name lists the problem and keeps the editor open.
    click(&browser, "[data-testid=save-agenda]").await;
    browser
        .wait_for(
            "document.querySelector('[data-testid=agenda-problems]')?.textContent.includes('nombre')",
            "the problem",
        )
        .await;
    set(&browser, "[data-testid=agenda-name]", "Consejo de prueba").await;
    set(&browser, "li:nth-child(1) [data-testid=slide-part]", "map").await;
    click(&browser, "[data-testid=add-slide]").await;
    browser.wait_for("document.querySelectorAll('[data-testid=slide-row]').length === 2", "slide 2").await;
    // A pasted full link is kept relative.
    set(&browser, "li:nth-child(2) [data-testid=slide-url]", &server.url("/?lugar=HN-FM&desde=2026-01&hasta=2026-06"))
        .await;
    set(&browser, "li:nth-child(2) [data-testid=slide-part]", "services").await;
    click(&browser, "[data-testid=add-slide]").await;
    browser.wait_for("document.querySelectorAll('[data-testid=slide-row]').length === 3", "slide 3").await;
    set(&browser, "li:nth-child(3) [data-testid=slide-url]", "/hoja-de-ruta?ventana=2026").await;
    set(&browser, "li:nth-child(3) [data-testid=slide-part]", "timeline").await;
    click(&browser, "[data-testid=save-agenda]").await;
    browser.wait_for("document.querySelector('[data-testid=agenda-row]') && !document.querySelector('[data-testid=agenda-editor]')", "the saved agenda").await;
    let saved = server.store.agendas().expect("agendas");
    assert_eq!(saved.len(), 1);
    let urls: Vec<&str> = saved[0].slides.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(
        urls,
        ["/?indicador=COB-02&lugar=HN-CR", "/?lugar=HN-FM&desde=2026-01&hasta=2026-06", "/hoja-de-ruta?ventana=2026"]
    );
    let id = saved[0].id.clone();

    // Reopened from its link, by anyone: a fresh browser, nobody signed in.
    let presenter = projector().await;
    presenter.client.goto(&server.url(&format!("/reunion?agenda={id}"))).await.expect("agenda link");
    let (show, caption) = slide(&presenter, 1, 3).await;
    assert_eq!(show, "map");
    assert!(caption.contains("Cortés") && caption.contains("Datos al 31/10/2026"), "{caption}");
    presenter.wait_for("document.querySelector('[data-testid=map]')?.clientWidth > 1000", "the map").await;
    assert!(presenter.canvas_colours("[data-testid=map]").await > 5, "the map is drawn");
    assert_eq!(
        js(
            &presenter,
            "!!document.querySelector('.topbar') && document.querySelector('.topbar').offsetParent === null"
        )
        .await,
        true,
        "the top bar is hidden"
    );
    let attribution = js(&presenter, "document.querySelector('.slide .attribution')?.offsetParent !== null").await;
    assert_eq!(attribution, true, "the boundaries' attribution shows with the map");
    let small = js(&presenter, SMALL_TEXT).await;
    assert_eq!(small, serde_json::json!([]), "no text under 24 px on the map slide");
    let violations = presenter.axe_serious().await;
    assert!(violations.is_empty(), "axe-core on a slide: {violations:#?}");

    press(&presenter, &char::from(Key::Right).to_string()).await;
    let (show, caption) = slide(&presenter, 2, 3).await;
    assert_eq!(show, "services");
    assert!(caption.contains("Francisco Morazán") && caption.contains("enero de 2026 – junio de 2026"), "{caption}");
    assert!(!caption.contains("Cortés"), "each slide has its own filters: {caption}");
    presenter.wait_for("document.querySelector('[data-testid=chart-service-canvas]')", "the chart").await;
    assert!(presenter.canvas_colours("[data-testid=chart-service-canvas]").await > 5, "the chart is drawn");
    assert_eq!(
        js(&presenter, "document.querySelector('[data-testid=chart-age]').offsetParent === null").await,
        true,
        "only the slide's part shows"
    );
    assert_eq!(js(&presenter, SMALL_TEXT).await, serde_json::json!([]), "no text under 24 px on the chart slide");

    press(&presenter, " ").await;
    let (show, caption) = slide(&presenter, 3, 3).await;
    assert_eq!(show, "timeline");
    assert!(caption.contains("Ventana: 2026"), "{caption}");
    presenter.wait_for("document.querySelector('[data-testid=gantt]')", "the timeline").await;
    assert!(presenter.canvas_colours("[data-testid=gantt]").await > 5, "the timeline is drawn");
    assert_eq!(js(&presenter, SMALL_TEXT).await, serde_json::json!([]), "no text under 24 px on the timeline slide");
    press(&presenter, &char::from(Key::Right).to_string()).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    slide(&presenter, 3, 3).await;

    // The timeline is taller than the screen: PageDown shows its next screenful, PageUp goes back up, and only
    // then do they change slide.
    let overflow = "document.querySelector('.meeting .slide').getBoundingClientRect().bottom - document.querySelector('.slide-bar').getBoundingClientRect().top";
    assert!(
        js(&presenter, overflow).await.as_f64().unwrap_or_default() > 48.0,
        "the 2026 timeline is taller than the screen"
    );
    press(&presenter, &char::from(Key::PageDown).to_string()).await;
    presenter.wait_for("window.scrollY > 0", "the timeline scrolled").await;
    assert_eq!(slide(&presenter, 3, 3).await.0, "timeline");
    // Scrolled, the timeline keeps its time axis at the top of the screen, drawn, over the lines scrolling under it.
    let axis = "document.querySelector('[data-testid=gantt-axis]')";
    presenter.wait_for(&format!("Math.abs({axis}.getBoundingClientRect().top) < 1"), "the axis at the top").await;
    assert!(
        js(&presenter, &format!("document.querySelector('[data-testid=gantt]').getBoundingClientRect().top < {axis}.getBoundingClientRect().top - 10")).await == true,
        "the axis stays while the timeline scrolls under it"
    );
    assert!(presenter.canvas_colours("[data-testid=gantt-axis]").await > 2, "the axis is drawn");
    assert_eq!(
        js(&presenter, &format!("document.elementFromPoint(innerWidth / 2, 5) === {axis}")).await,
        true,
        "nothing covers the axis"
    );
    if let Ok(dir) = std::env::var("RUMBO_SCREENSHOTS") {
        let png = presenter.client.screenshot().await.expect("screenshot");
        std::fs::write(std::path::Path::new(&dir).join("reunion-timeline-scrolled-1920.png"), png).expect("write");
    }
    press(&presenter, &char::from(Key::PageUp).to_string()).await;
    presenter.wait_for("window.scrollY === 0", "the timeline back at its top").await;
    assert_eq!(slide(&presenter, 3, 3).await.0, "timeline");
    press(&presenter, &char::from(Key::PageUp).to_string()).await;
    assert_eq!(slide(&presenter, 2, 3).await.0, "services");
    press(&presenter, "1").await;
    assert_eq!(slide(&presenter, 1, 3).await.0, "map");
    press(&presenter, &char::from(Key::PageDown).to_string()).await;
    assert_eq!(slide(&presenter, 2, 3).await.0, "services");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    press(&presenter, "3").await;
    assert_eq!(slide(&presenter, 3, 3).await.0, "timeline");
    assert!(presenter.location().await.ends_with(&format!("agenda={id}&diapositiva=3")), "the slide is in the URL");
    presenter.client.back().await.expect("back");
    assert_eq!(slide(&presenter, 2, 3).await.0, "services", "the browser's back button steps back");
    press(&presenter, &char::from(Key::Escape).to_string()).await;
    presenter.wait_for("document.querySelector('[data-testid=agendas]')", "the list of agendas").await;
    assert_eq!(presenter.location().await, "/reunion");
    assert_eq!(
        js(&presenter, "document.querySelector('.topbar').offsetParent !== null").await,
        true,
        "the page is back"
    );
    presenter.close().await;
    browser.close().await;
}

/// A PNG's width, height and number of distinct colours.
fn decode(bytes: &[u8]) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("frame");
    let step = info.color_type.samples();
    let colours: std::collections::HashSet<&[u8]> = buf[..info.buffer_size()].chunks(step).collect();
    (info.width, info.height, colours.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn png_exports_are_the_chart_at_twice_its_size_framed_by_title_and_source() {
    // On this standard-density screen (one device pixel per CSS pixel) charts draw at their layout size; the
    // export redraws them at twice it, then returns them to the screen's density.
    let server = TestServer::start().await;
    let browser = Browser::start(1366, 768).await;
    browser.client.goto(&server.url("/")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    for (name, canvas) in [("servicio", "chart-service-canvas"), ("mapa", "map"), ("mensual", "chart-series-canvas")] {
        let (w, h) = {
            let size = js(&browser, &format!("[document.querySelector('[data-testid={canvas}]').width, document.querySelector('[data-testid={canvas}]').height]")).await;
            (size[0].as_u64().expect("width"), size[1].as_u64().expect("height"))
        };
        let shown = js(&browser, &format!("document.querySelector('[data-testid={canvas}]').clientWidth")).await;
        assert!(w >= shown.as_u64().expect("shown").min(760), "{name}: the canvas holds its layout size");
        click(&browser, &format!("[data-testid=png-{name}]")).await;
        let bytes = browser.downloaded(&format!("rumbo-{name}.png")).await;
        // RUMBO_SCREENSHOTS=dir keeps the images, to look at them.
        if let Ok(dir) = std::env::var("RUMBO_SCREENSHOTS") {
            std::fs::write(std::path::Path::new(&dir).join(format!("export-{name}.png")), &bytes).expect("keep");
        }
        let (pw, ph, colours) = decode(&bytes);
        // 24 layout pixels of margin each side, at 2×; the title above and the source lines below add height.
        assert_eq!(u64::from(pw), 2 * w + 96, "{name}: the image is the 2× chart plus its margins");
        assert!(u64::from(ph) > 2 * h + 200, "{name}: title and source frame the chart ({ph} vs {h})");
        let after = js(&browser, &format!("document.querySelector('[data-testid={canvas}]').width")).await;
        assert_eq!(after.as_u64(), Some(w), "{name}: the chart is back at the screen's density");
        assert!(colours > 20, "{name}: the image is not blank ({colours} colours)");
    }
    browser.close().await;
}

/// Charts draw at the screen's density: a high-density screen gets canvases of twice the layout size (sharp), a
/// standard one its layout size (a quarter of the pixels to fill at each filter change).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn charts_draw_at_the_density_of_the_screen() {
    let server = TestServer::start().await;
    for (density, map_width) in [(1, 960), (2, 1920)] {
        let browser = Browser::start_at_density(1366, 768, density).await;
        browser.client.goto(&server.url("/")).await.expect("goto");
        browser.wait_for(TILE, "the dashboard").await;
        let widths = js(&browser, "['map', 'chart-service-canvas', 'chart-series-canvas'].map((id) => document.querySelector(`[data-testid=${id}]`).width)").await;
        assert_eq!(
            widths,
            serde_json::json!([map_width, 760 * density, 760 * density]),
            "at {density} device pixels per CSS pixel"
        );
        assert!(browser.canvas_colours("[data-testid=map]").await > 5, "the map is drawn at {density}×");
        browser.close().await;
    }
}

/// Screenshots of meeting mode into `target/screenshots/`: the editor at 1366 px, every slide of the demo agenda at
/// 1920 × 1080 (and one in English). `cargo test -p tests --test meeting screenshots -- --ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes screenshots to look at; not a check"]
async fn screenshots() {
    let out = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&out).expect("dir");
    let server = TestServer::start().await;
    server.store.add_user("ana", PASSWORD, Role::Analyst, "test").expect("analyst");
    server::agendas::seed_demo(&server.store).expect("demo agenda");
    let id = server.store.agendas().expect("agendas")[0].id.clone();
    let shot = |browser: &Browser, name: String| {
        let client = browser.client.clone();
        let path = out.join(name);
        async move {
            tokio::time::sleep(Duration::from_millis(600)).await;
            std::fs::write(path, client.screenshot().await.expect("screenshot")).expect("write");
        }
    };
    let browser = Browser::start(1366, 900).await;
    sign_in(&browser, &server, "ana").await;
    click(&browser, "nav a[href^=\"/reunion\"]").await;
    browser.wait_for("document.querySelector('[data-testid=edit]')", "the list").await;
    click(&browser, "[data-testid=edit]").await;
    browser.wait_for("document.querySelector('[data-testid=agenda-editor]')", "the editor").await;
    shot(&browser, "reunion-editor-1366.png".to_owned()).await;
    browser.close().await;
    let presenter = projector().await;
    for n in 1..=7 {
        presenter.client.goto(&server.url(&format!("/reunion?agenda={id}&diapositiva={n}"))).await.expect("slide");
        slide(&presenter, n, 7).await;
        shot(&presenter, format!("reunion-{n}-1920.png")).await;
    }
    presenter.client.goto(&server.url(&format!("/reunion?agenda={id}&diapositiva=2&lang=en"))).await.expect("slide");
    slide(&presenter, 2, 7).await;
    shot(&presenter, "reunion-2-en-1920.png".to_owned()).await;
    presenter.close().await;
}
