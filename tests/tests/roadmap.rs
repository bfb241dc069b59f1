//! End-to-end: the roadmap view on the demo snapshot, in real Chromium against the real server. Expected figures
//! are computed here from the served Arrow tables with plain Arrow getters, not with `shared::roadmap`.

use arrow_array::RecordBatch;
use arrow_array::cast::AsArray;
use tests::{Browser, TestServer, strings};

fn numbers(batch: &RecordBatch, name: &str) -> Vec<f64> {
    let array = batch.column_by_name(name).unwrap_or_else(|| panic!("column {name}"));
    array.as_primitive::<arrow_array::types::Float64Type>().values().to_vec()
}

async fn table(server: &TestServer, id: &str, name: &str) -> RecordBatch {
    let bytes =
        reqwest::get(server.url(&shared::api::table_path(id, name))).await.expect("get").bytes().await.expect("body");
    shared::ipc::read_stream(&bytes).expect("arrow")
}

async fn text(browser: &Browser, js: &str) -> String {
    let v = browser.client.execute(&format!("return ({js});"), vec![]).await.expect("script runs");
    v.as_str().unwrap_or_default().to_owned()
}

// One journey on purpose: each step starts from the state the one before left, as a user's does.
#[allow(clippy::too_many_lines)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roadmap_view_states_progress_budget_and_late_milestones_from_the_tables() {
    let server = TestServer::start().await;
    let manifest: serde_json::Value =
        reqwest::get(server.url("/api/snapshots/current")).await.expect("get").json().await.expect("json");
    let id = manifest["snapshot_id"].as_str().expect("id").to_owned();
    let as_of = manifest["as_of"].as_str().expect("as_of").to_owned();
    let milestones = table(&server, &id, "milestones").await;
    let budget = table(&server, &id, "budget_lines").await;

    // Progress = weights of done milestones ÷ weights of milestones not cancelled (DOMAIN.md §5).
    let (status, weight) = (strings(&milestones, "status"), numbers(&milestones, "weight"));
    let (planned, ids, owners) = (
        strings(&milestones, "planned_date"),
        strings(&milestones, "milestone_id"),
        strings(&milestones, "intervention_id"),
    );
    let done = |s: &str| s == "cumplido" || s == "cumplido_con_retraso";
    let counted: f64 = (0..status.len()).filter(|&i| status[i] != "cancelado").map(|i| weight[i]).sum();
    let achieved: f64 = (0..status.len()).filter(|&i| done(&status[i])).map(|i| weight[i]).sum();
    let progress = shared::format::percent(100.0 * achieved / counted, 1);
    let executed: f64 = numbers(&budget, "executed_hnl").iter().sum();
    let current: f64 = numbers(&budget, "current_hnl").iter().sum();
    let execution = shared::format::percent(100.0 * executed / current, 1);
    // ISO dates compare as strings.
    let mut overdue: Vec<String> = (0..ids.len())
        .filter(|&i| planned[i].as_str() < as_of.as_str() && !done(&status[i]) && status[i] != "cancelado")
        .map(|i| ids[i].clone())
        .collect();
    overdue.sort();
    assert!(!overdue.is_empty(), "the demo has late milestones");

    let browser = Browser::start(1920, 1080).await;
    browser.client.goto(&server.url("/hoja-de-ruta")).await.expect("page loads");
    let shown =
        browser.wait_for("document.querySelector('[data-testid=progress-actual]')?.textContent", "progress").await;
    assert_eq!(shown.as_str(), Some(progress.as_str()), "physical progress");
    assert_eq!(text(&browser, "document.querySelector('[data-testid=budget-execution]').textContent").await, execution);
    let listed = browser
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=overdue] tbody tr')].map(r => r.dataset.id);",
            vec![],
        )
        .await
        .expect("overdue rows");
    let mut listed: Vec<String> =
        listed.as_array().expect("array").iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
    listed.sort();
    assert_eq!(listed, overdue, "the overdue list holds exactly the milestones past due and not done");
    for canvas in ["gantt", "chart-budget-canvas"] {
        assert!(browser.canvas_colours(&format!("[data-testid={canvas}]")).await > 5, "{canvas} is drawn");
    }
    // Slippage since the previous snapshot: the demo replanned milestones in October. The section
    // comes with the compared snapshot, after the page's own tables, so it is awaited before the page's words are read.
    let moved = browser
        .wait_for("document.querySelectorAll('[data-testid=slip-moved] tbody tr[data-id]').length", "slippage")
        .await;
    assert!(moved.as_u64().unwrap_or(0) > 0);
    let body = text(&browser, "document.body.innerText").await;
    for words in [
        "Datos ficticios de demostración",
        "Cronograma de intervenciones",
        "Qué se movió",
        "Matriz de articulación",
        "Riesgos",
    ] {
        assert!(body.contains(words), "the page says {words:?}");
    }
    assert!(!body.contains("NaN"));

    // Keyboard: focus the timeline, move to the first intervention, open it with Enter.
    let canvas = browser.client.find(fantoccini::Locator::Css("[data-testid=gantt]")).await.expect("gantt");
    browser.client.execute("document.querySelector('[data-testid=gantt]').focus();", vec![]).await.expect("focus");
    canvas.send_keys("\u{E015}").await.expect("arrow down");
    let focus =
        browser.wait_for("document.querySelector('[data-testid=gantt-focus]').textContent", "focus announced").await;
    let first = focus.as_str().unwrap_or_default().split(" · ").next().unwrap_or_default().to_owned();
    assert!(first.starts_with("HR-"), "{focus}");
    canvas.send_keys("\u{E007}").await.expect("enter");
    browser.wait_for("document.querySelector('[data-testid=intervention-detail]')", "the detail").await;
    browser.wait_for_location(&format!("intervencion={first}")).await;
    let rows = browser
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=detail-milestones] tbody tr')].map(r => r.dataset.id);",
            vec![],
        )
        .await
        .expect("detail rows");
    let mut rows: Vec<String> =
        rows.as_array().expect("array").iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
    rows.sort();
    let mut want: Vec<String> = (0..ids.len()).filter(|&i| owners[i] == first).map(|i| ids[i].clone()).collect();
    want.sort();
    assert!(!want.is_empty());
    assert_eq!(rows, want, "the detail lists the intervention's milestones");
    // A linked indicator opens the coverage view on it.
    let link =
        text(&browser, "document.querySelector('[data-testid=detail-indicators] a')?.getAttribute('href') ?? ''").await;
    if !link.is_empty() {
        assert!(link.starts_with("/?indicador="), "{link}");
    }
    browser
        .client
        .execute("document.querySelector('[data-testid=intervention-detail] button').click();", vec![])
        .await
        .expect("close");
    browser.wait_for("!document.querySelector('[data-testid=intervention-detail]')", "the detail closed").await;

    let violations = browser.axe_serious().await;
    assert!(violations.is_empty(), "axe-core: {violations:#?}");

    // A click on a bar opens that intervention too; the view survives a reload.
    let y = browser
        .client
        .execute(
            "const c = document.querySelector('[data-testid=gantt]'); const r = c.getBoundingClientRect(); \
             c.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.left + c.clientWidth * 0.7, \
             clientY: r.top + (66 + 34 + 16) * c.clientHeight / (c.height / 2) })); return 1;",
            vec![],
        )
        .await
        .expect("click");
    assert_eq!(y.as_u64(), Some(1));
    browser.wait_for("location.search.includes('intervencion=')", "a click opens an intervention").await;
    let url = browser.location().await;
    browser.client.goto(&server.url(&url)).await.expect("reload");
    browser.wait_for("document.querySelector('[data-testid=intervention-detail]')", "the detail after reload").await;

    // The key date is typed the Honduran way (dd/mm/aaaa); a date that does not exist is refused in words.
    let type_date = |value: &str| {
        format!(
            "const i = document.querySelector('[data-testid=key-date]'); i.value = '{value}'; \
             i.dispatchEvent(new Event('change', {{ bubbles: true }}));"
        )
    };
    browser.client.execute(&type_date("15/01/2026"), vec![]).await.expect("type a date");
    browser.wait_for("location.search.includes('fecha_clave=2026-01-15')", "the key date in the URL").await;
    browser.client.execute(&type_date("31/02/2026"), vec![]).await.expect("type a bad date");
    let hint = browser.wait_for("document.querySelector('#r-key-date-hint.bad')?.textContent", "the date error").await;
    assert!(hint.as_str().unwrap_or_default().contains("dd/mm/aaaa"), "{hint}");
    assert!(browser.location().await.contains("fecha_clave=2026-01-15"), "a bad date changes nothing");

    // English, and the navigation back to the coverage view keeps the language.
    browser
        .client
        .execute("document.querySelector('[data-testid=intervention-detail] button').click();", vec![])
        .await
        .expect("close");
    browser.client.find(fantoccini::Locator::Css(".lang-toggle")).await.expect("toggle").click().await.expect("click");
    browser.wait_for("document.body.innerText.includes('Intervention timeline')", "English").await;
    // The risks' category and mitigation exist only in Spanish: in English they are marked as Spanish for screen
    // readers (WCAG 3.1.2), and the descriptions, which have their English, are not.
    let marked = text(
        &browser,
        "[...document.querySelectorAll('[data-testid=risk-list] tbody tr')].map(r => \
         [...r.querySelectorAll('[lang]')].map(c => c.getAttribute('lang')).join(',')).join(';')",
    )
    .await;
    assert!(!marked.is_empty() && marked.split(';').all(|row| row == "es,es"), "{marked}");
    assert_eq!(text(&browser, "document.documentElement.lang").await, "en");
    browser
        .client
        .execute("document.querySelector('.nav a[href^=\"/?\"], .nav a[href=\"/\"]').click();", vec![])
        .await
        .expect("nav");
    browser
        .wait_for(
            "location.pathname === '/' && document.body.innerText.includes('Unique people served')",
            "coverage in English",
        )
        .await;
    browser.close().await;
}
