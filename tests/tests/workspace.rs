//! End-to-end: the analyst workspace in real Chromium against the real server. An analyst signs in, uploads the
//! demo files with two injected errors and sees exactly those, uploads them corrected, previews the draft,
//! publishes; a viewer cannot reach the workspace (nor the API); an admin retracts and the previous snapshot is
//! current again; the audit log lists it all; a template from the page, filled in, publishes.

use std::path::{Path, PathBuf};

use server::store::Role;
use tests::{Browser, TempDir, TestServer};

const PASSWORD: &str = "contraseña-de-prueba";

/// The demo files an analyst would upload, written by `rumbo demo`.
fn demo_files(dir: &Path) -> Vec<PathBuf> {
    server::commands::demo(&server::cli::DemoArgs { out: dir.to_path_buf(), rows: None }).expect("demo files");
    ["facts.csv", "interventions.csv", "milestones.csv", "budget_lines.csv", "risks.csv", "targets.csv"]
        .iter()
        .map(|f| dir.join(f))
        .collect()
}

/// Replaces one cell (1-based data row, by column name) of a CSV file.
fn set_cell(path: &Path, row: usize, column: &str, value: &str) -> String {
    let text = std::fs::read_to_string(path).expect("csv");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(',').collect();
    let col = header.iter().position(|h| *h == column).unwrap_or_else(|| panic!("{column} in {header:?}"));
    let mut cells: Vec<String> = lines[row].split(',').map(str::to_owned).collect();
    let old = std::mem::replace(&mut cells[col], value.to_owned());
    lines[row] = cells.join(",");
    std::fs::write(path, lines.join("\n") + "\n").expect("write");
    old
}

async fn js(browser: &Browser, script: &str) -> serde_json::Value {
    browser.client.execute(&format!("return ({script});"), vec![]).await.expect("script runs")
}

async fn sign_in(browser: &Browser, server: &TestServer, username: &str) {
    browser.client.goto(&server.url("/entrar")).await.expect("sign-in page");
    browser.wait_for("document.querySelector('#u')", "the sign-in form").await;
    type_into(browser, "#u", username).await;
    type_into(browser, "#p", PASSWORD).await;
    submit_sign_in(browser).await;
    browser
        .wait_for(
            &format!("document.querySelector('[data-testid=user]')?.textContent.includes('{username}')"),
            "the user in the navigation",
        )
        .await;
}

/// Fills the publish form (titles, as-of date) and ticks the warnings box when there is one.
async fn fill_publish_form(browser: &Browser, title_es: &str, title_en: &str, as_of: &str) {
    type_into(browser, "#m-title-es", title_es).await;
    type_into(browser, "#m-title-en", title_en).await;
    let date = format!(
        "const d = document.querySelector('#m-as-of'); d.value = '{as_of}'; d.dispatchEvent(new Event('input', {{ bubbles: true }}));"
    );
    browser.client.execute(&date, vec![]).await.expect("date");
    if js(browser, "!!document.querySelector('.check input[type=checkbox]')").await == true {
        click(browser, ".check input[type=checkbox]").await;
    }
}

/// Presses the sign-in form's button.
async fn submit_sign_in(browser: &Browser) {
    browser
        .client
        .execute("document.querySelector('.signin button[type=submit]').click();", vec![])
        .await
        .expect("submit");
}

/// Types into an input as a user does (native input events, so the app's signals follow).
async fn type_into(browser: &Browser, selector: &str, text: &str) {
    let quoted = serde_json::to_string(selector).expect("json");
    browser.wait_for(&format!("document.querySelector({quoted})"), selector).await;
    let el = browser.client.find(fantoccini::Locator::Css(selector)).await.expect("input");
    el.clear().await.expect("clear");
    el.send_keys(text).await.expect("type");
}

async fn click(browser: &Browser, selector: &str) {
    let quoted = serde_json::to_string(selector).expect("json");
    browser
        .wait_for(&format!("document.querySelector({quoted}) && !document.querySelector({quoted}).disabled"), selector)
        .await;
    browser.client.find(fantoccini::Locator::Css(selector)).await.expect("element").click().await.expect("click");
}

/// Picks files in the upload input (WebDriver sends their paths).
async fn upload(browser: &Browser, files: &[PathBuf]) {
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let input = browser.client.find(fantoccini::Locator::Css("#files")).await.expect("file input");
    input.send_keys(&paths.join("\n")).await.expect("files picked");
}

/// The report's rows as (severity, table, row, column).
async fn report_rows(browser: &Browser) -> Vec<(String, String, String, String)> {
    let rows = js(
        browser,
        "Array.from(document.querySelectorAll('[data-testid=report] tbody tr')).map(tr => Array.from(tr.cells).map(c => c.textContent))",
    )
    .await;
    rows.as_array()
        .map(|r| {
            r.iter()
                .map(|cells| {
                    let c = |i: usize| cells[i].as_str().unwrap_or_default().to_owned();
                    (c(0), c(1), c(2), c(3))
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn axe_clean(browser: &Browser, page: &str) {
    let violations = browser.axe_serious().await;
    assert!(violations.is_empty(), "axe-core on {page}: {violations:#?}");
}

async fn current_id(server: &TestServer) -> String {
    let list: serde_json::Value =
        reqwest::get(server.url("/api/snapshots")).await.expect("list").json().await.expect("json");
    list.as_array()
        .and_then(|l| l.iter().find(|s| s["current"] == true))
        .and_then(|s| s["snapshot_id"].as_str())
        .expect("a current snapshot")
        .to_owned()
}

#[allow(clippy::too_many_lines)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_uploads_fixes_previews_and_publishes_and_an_admin_retracts() {
    let server = TestServer::start().await;
    server.account("ana", Role::Analyst);
    server.account("adela", Role::Admin);
    let viewer_token = server.account("victor", Role::Viewer);
    let before = current_id(&server).await;
    let dir = TempDir::new("workspace-files");
    let files = demo_files(&dir.0);

    // Two injected errors: a value that is not a number (a spreadsheet formula), and an unknown territory.
    let facts = &files[0];
    let value = set_cell(facts, 7, "value", "=1+1");
    let territory = set_cell(facts, 20, "territory", "T99");

    let browser = Browser::start(1366, 768).await;
    sign_in(&browser, &server, "ana").await;
    assert_eq!(browser.location().await, "/publicar", "an analyst lands on the publish page");
    let nav = js(&browser, "document.querySelector('nav.nav').textContent").await;
    assert!(nav.as_str().unwrap_or_default().contains("Publicar"));
    assert!(
        js(&browser, "document.querySelector('[data-testid=user]').textContent")
            .await
            .as_str()
            .unwrap_or_default()
            .contains("analista")
    );
    axe_clean(&browser, "/publicar").await;

    upload(&browser, &files).await;
    browser.wait_for("document.querySelectorAll('[data-testid=report] tbody tr').length > 0", "the report").await;
    let rows = report_rows(&browser).await;
    assert_eq!(
        rows,
        vec![
            ("Error".into(), "facts".into(), "7".into(), "value".into()),
            ("Error".into(), "facts".into(), "20".into(), "territory".into()),
        ],
        "exactly the two injected errors, with row and column"
    );
    let counts = js(&browser, "document.querySelector('[data-testid=report-counts]').textContent").await;
    assert!(counts.as_str().unwrap_or_default().contains("2 errores"), "{counts}");
    assert_eq!(js(&browser, "document.querySelector('[data-testid=publish]').disabled").await, true);
    let why = js(&browser, "document.querySelector('[data-testid=publish-why]').textContent").await;
    assert!(why.as_str().unwrap_or_default().contains("hay 2 errores"), "the button says why: {why}");
    axe_clean(&browser, "/publicar with a report").await;
    click(&browser, ".report-filters button").await;
    let report = String::from_utf8(browser.downloaded("informe-de-validacion.csv").await).expect("utf-8");
    assert!(report.starts_with("\u{feff}severidad,tabla,fila,columna,valor,mensaje"), "{report}");
    assert!(
        report.contains("Error,facts,7,value,'=1+1,") && report.contains("Error,facts,20,territory,T99,"),
        "the report's CSV, the formula neutralised for Excel: {report}"
    );

    // Sorting by row descending puts row 20 first; filtering by text keeps one.
    click(&browser, "th:nth-child(3) button.sort").await;
    click(&browser, "th:nth-child(3) button.sort").await;
    assert_eq!(report_rows(&browser).await[0].2, "20");
    type_into(&browser, "#r-text", "T99").await;
    browser
        .wait_for("document.querySelectorAll('[data-testid=report] tbody tr').length === 1", "the text filter")
        .await;

    // Corrected files: no errors, a draft to preview.
    set_cell(facts, 7, "value", &value);
    set_cell(facts, 20, "territory", &territory);
    upload(&browser, &files).await;
    browser
        .wait_for(
            "document.querySelector('[data-testid=report-counts]')?.textContent.includes('0 errores')",
            "a clean report",
        )
        .await;
    // A bar per file, each full once the server has the bytes.
    let bars =
        js(&browser, "Array.from(document.querySelectorAll('[data-testid=uploads] progress')).map(p => p.value)").await;
    assert_eq!(bars, serde_json::json!([100, 100, 100, 100, 100, 100]), "one full progress bar per file");
    let changes = js(&browser, "document.querySelector('[data-testid=changes]').textContent").await;
    assert!(changes.as_str().unwrap_or_default().contains("facts"), "{changes}");
    let draft = browser.location().await;
    assert!(draft.starts_with("/publicar?s="), "{draft}");
    click(&browser, "a.button[href^='/?s=']").await;
    browser.wait_for("document.querySelector('[data-testid=draft-watermark]')", "the watermark").await;
    let wm = js(&browser, "getComputedStyle(document.querySelector('[data-testid=draft-watermark]')).display !== 'none' && document.querySelector('[data-testid=draft-watermark]').textContent").await;
    assert_eq!(wm.as_str(), Some("BORRADOR — no publicado"));
    browser.wait_for("document.querySelector('[data-testid=chart-service-canvas]')", "the draft's charts").await;
    axe_clean(&browser, "draft preview").await;
    // The roadmap (the navigation keeps the draft) is watermarked too.
    click(&browser, "nav.nav a[href*='hoja-de-ruta']").await;
    browser
        .wait_for(
            "location.pathname.endsWith('/hoja-de-ruta') && document.querySelector('[data-testid=draft-watermark]')",
            "the roadmap preview",
        )
        .await;
    browser
        .wait_for(
            "document.querySelector('[data-testid=gantt]') || document.querySelector('canvas')",
            "the roadmap drawn",
        )
        .await;
    axe_clean(&browser, "the roadmap preview").await;

    // Back to publishing: title, date, notes, confirmation; then the dashboard shows the new snapshot.
    click(&browser, "[data-testid=draft-note] a").await;
    browser.wait_for("document.querySelector('#m-title-es')", "the publish form").await;
    fill_publish_form(&browser, "Indicadores de prueba e2e", "End-to-end test indicators", "2026-10-31").await;
    type_into(&browser, "#m-notes", "Prueba de extremo a extremo.").await;
    click(&browser, "[data-testid=publish]").await;
    let confirm =
        browser.wait_for("document.querySelector('[data-testid=confirm]')?.textContent", "the confirmation").await;
    assert!(confirm.as_str().unwrap_or_default().contains("Pasará a ser la publicación vigente"), "{confirm}");
    axe_clean(&browser, "the publish confirmation").await;
    click(&browser, "[data-testid=confirm-publish]").await;
    browser
        .wait_for("location.pathname === '/' && document.querySelector('.banner-title')?.textContent === 'Indicadores de prueba e2e'", "the new snapshot on the dashboard")
        .await;
    assert!(
        js(&browser, "document.querySelector('[data-testid=banner-meta]').textContent")
            .await
            .as_str()
            .unwrap_or_default()
            .contains("versión 3")
    );
    let published = current_id(&server).await;
    assert_ne!(published, before);

    // A viewer: no workspace links, the page refuses, and so does the server.
    click(&browser, "[data-testid=user] button").await;
    browser.wait_for("!document.querySelector('[data-testid=user]')", "signed out").await;
    sign_in(&browser, &server, "victor").await;
    assert!(
        !js(&browser, "document.querySelector('nav.nav').textContent")
            .await
            .as_str()
            .unwrap_or_default()
            .contains("Publicar")
    );
    browser.client.goto(&server.url("/publicar")).await.expect("goto");
    browser.wait_for("document.querySelector('[data-testid=refused]')", "the refusal").await;
    axe_clean(&browser, "/publicar refused to a viewer").await;
    assert!(js(&browser, "!document.querySelector('#files')").await == true, "no upload form for a viewer");
    let refused = reqwest::Client::new()
        .post(server.url("/api/uploads"))
        .bearer_auth(&viewer_token)
        .multipart(
            reqwest::multipart::Form::new()
                .part("file", reqwest::multipart::Part::bytes(b"a".to_vec()).file_name("facts.csv")),
        )
        .send()
        .await
        .expect("upload");
    assert_eq!(refused.status(), 403);
    let drafts =
        reqwest::Client::new().get(server.url("/api/drafts")).bearer_auth(&viewer_token).send().await.expect("drafts");
    assert_eq!(drafts.status(), 403);
    click(&browser, "[data-testid=user] button").await;

    // An admin retracts the new snapshot: the previous one is current again.
    sign_in(&browser, &server, "adela").await;
    browser.client.goto(&server.url("/administrar")).await.expect("goto");
    browser.wait_for("document.querySelector('[data-testid=snapshots] tr.current')", "the snapshots").await;
    axe_clean(&browser, "/administrar").await;
    click(&browser, "[data-testid=snapshots] tr.current .row-actions button:last-child").await;
    type_into(&browser, "#why", "Cifras de prueba publicadas por error").await;
    click(&browser, "[data-testid=confirm-retract]").await;
    browser
        .wait_for("document.querySelector('[data-testid=snapshots] tr.current th')?.textContent !== 'Indicadores de prueba e2e'", "another current snapshot")
        .await;
    assert_eq!(current_id(&server).await, before, "the previous snapshot is current again");
    click(&browser, "section[aria-labelledby=snap-title] .check input").await;
    browser.wait_for("document.querySelector('[data-testid=snapshots]').textContent.includes('Cifras de prueba publicadas por error')", "the retracted one, with its reason").await;

    // The audit log lists every step, and filters by user and action.
    let audit =
        browser.wait_for("document.querySelector('[data-testid=audit] tbody')?.textContent", "the audit log").await;
    let audit = audit.as_str().unwrap_or_default();
    for action in ["login", "upload", "publish", "retract"] {
        assert!(audit.contains(action), "the audit log lists {action}");
    }
    type_into(&browser, "#a-actor", "ana").await;
    type_into(&browser, "#a-action", "publish").await;
    browser
        .client
        .execute("document.querySelector('#a-action').dispatchEvent(new Event('change', { bubbles: true }));", vec![])
        .await
        .expect("change");
    browser
        .wait_for("document.querySelectorAll('[data-testid=audit] tbody tr').length === 1", "one publication by ana")
        .await;
    browser.close().await;
}

#[allow(clippy::too_many_lines)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_from_the_page_filled_in_publishes_and_an_expired_session_comes_back() {
    let server = TestServer::start().await;
    server.account("ana", Role::Analyst);
    let browser = Browser::start(390, 844).await;
    sign_in(&browser, &server, "ana").await;
    let href = browser
        .wait_for(
            "document.querySelector('[data-testid=templates-tables] a[href$=\"facts.csv\"]')?.getAttribute('href')",
            "the facts template link",
        )
        .await;
    let template = reqwest::get(server.url(href.as_str().unwrap_or_default()))
        .await
        .expect("template")
        .text()
        .await
        .expect("text");
    assert!(template.starts_with('\u{feff}'), "the BOM Excel needs");
    // Filled in: the example row, and a second valid row (another month).
    let mut lines: Vec<String> = template.lines().map(str::to_owned).collect();
    assert!(lines.len() >= 2, "a header and an example row");
    let header: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(',').collect();
    let period = header.iter().position(|h| *h == "period").expect("period column");
    let mut second: Vec<String> = lines[1].split(',').map(str::to_owned).collect();
    second[period] = if second[period] == "2026-01" { "2026-02".into() } else { "2026-01".into() };
    lines.push(second.join(","));
    let dir = TempDir::new("template");
    let file = dir.0.join("facts.csv");
    std::fs::write(&file, lines.join("\r\n")).expect("write");
    upload(&browser, &[file]).await;
    browser
        .wait_for(
            "document.querySelector('[data-testid=report-counts]')?.textContent.includes('0 errores')",
            "no errors",
        )
        .await;
    axe_clean(&browser, "/publicar at 390 px").await;

    // The session ends under the user (signed out elsewhere): the next action says so and comes back here.
    let here = browser.location().await;
    browser
        .client
        .execute_async(
            "const done = arguments[0]; fetch('/api/session', { method: 'DELETE' }).then(() => done(true));",
            vec![],
        )
        .await
        .expect("sign out behind the app's back");
    fill_publish_form(&browser, "Plantilla", "Template", "2026-02-28").await;
    click(&browser, "[data-testid=publish]").await;
    click(&browser, "[data-testid=confirm-publish]").await;
    browser.wait_for("document.querySelector('[data-testid=expired]')", "the expired-session message").await;
    assert_eq!(browser.location().await, "/entrar");
    axe_clean(&browser, "/entrar").await;
    type_into(&browser, "#u", "ana").await;
    type_into(&browser, "#p", "wrong password!").await;
    submit_sign_in(&browser).await;
    let wrong = browser
        .wait_for("document.querySelector('[data-testid=signin-error]')?.textContent", "the wrong-password message")
        .await;
    assert_eq!(wrong.as_str(), Some("Usuario o contraseña incorrectos"));
    type_into(&browser, "#p", PASSWORD).await;
    submit_sign_in(&browser).await;
    browser.wait_for(&format!("location.pathname + location.search === '{here}'"), "back where the user was").await;
    // Publishing again now works: the template's rows are the current snapshot.
    fill_publish_form(&browser, "Plantilla", "Template", "2026-02-28").await;
    click(&browser, "[data-testid=publish]").await;
    click(&browser, "[data-testid=confirm-publish]").await;
    browser
        .wait_for(
            "location.pathname === '/' && document.querySelector('.banner-title')?.textContent === 'Plantilla'",
            "the template's snapshot is current",
        )
        .await;
    let manifest: serde_json::Value =
        reqwest::get(server.url("/api/snapshots/current")).await.expect("manifest").json().await.expect("json");
    assert_eq!(manifest["tables"][0]["rows"], 2, "the two rows filled in");
    browser.close().await;
}

/// Screenshots of every workspace page at 1366×768 and 390×844, into `target/screenshots/` (run by hand:
/// `cargo test -p tests --test workspace screenshots -- --ignored`), to look at before a change lands.
#[allow(clippy::too_many_lines)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes screenshots to look at; not a check"]
async fn screenshots() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&out).expect("dir");
    for (w, h) in [(1366, 768), (390, 844)] {
        let server = TestServer::start().await;
        server.account("adela", Role::Admin);
        server.account("victor", Role::Viewer);
        let dir = TempDir::new("shots");
        let files = demo_files(&dir.0);
        let browser = Browser::start(w, h).await;
        let shot = |name: &str| {
            let path = out.join(format!("{name}-{w}.png"));
            let client = browser.client.clone();
            async move {
                tokio::time::sleep(std::time::Duration::from_millis(400)).await;
                std::fs::write(path, client.screenshot().await.expect("screenshot")).expect("write");
            }
        };
        browser.client.goto(&server.url("/entrar")).await.expect("goto");
        browser.wait_for("document.querySelector('#u')", "form").await;
        type_into(&browser, "#u", "adela").await;
        type_into(&browser, "#p", "wrong password!").await;
        submit_sign_in(&browser).await;
        browser.wait_for("document.querySelector('[data-testid=signin-error]')", "error").await;
        shot("entrar").await;
        sign_in(&browser, &server, "adela").await;
        let value = set_cell(&files[0], 7, "value", "doce");
        upload(&browser, &files).await;
        browser.wait_for("document.querySelectorAll('[data-testid=report] tbody tr').length > 0", "report").await;
        shot("publicar-top").await;
        browser
            .client
            .execute("document.querySelector('#report-title').scrollIntoView();", vec![])
            .await
            .expect("scroll");
        shot("publicar-report").await;
        set_cell(&files[0], 7, "value", &value);
        upload(&browser, &files).await;
        browser
            .wait_for(
                "document.querySelector('[data-testid=report-counts]')?.textContent.includes('0 errores')",
                "clean",
            )
            .await;
        browser
            .client
            .execute("document.querySelector('#changes-title').scrollIntoView();", vec![])
            .await
            .expect("scroll");
        shot("publicar-changes").await;
        browser
            .client
            .execute("document.querySelector('#publish-title').scrollIntoView();", vec![])
            .await
            .expect("scroll");
        fill_publish_form(&browser, "Indicadores de noviembre", "November indicators", "2026-11-30").await;
        shot("publicar-form").await;
        click(&browser, "[data-testid=publish]").await;
        shot("publicar-confirm").await;
        browser
            .client
            .execute("document.querySelectorAll('[data-testid=confirm] button')[1].click();", vec![])
            .await
            .expect("cancel");
        click(&browser, "a.button[href^='/?s=']").await;
        browser.wait_for("document.querySelector('[data-testid=chart-service-canvas]')", "preview").await;
        shot("preview-coverage").await;
        click(&browser, "nav.nav a[href*='hoja-de-ruta']").await;
        browser
            .wait_for(
                "document.querySelector('[data-testid=draft-watermark]') && location.pathname.endsWith('/hoja-de-ruta')",
                "roadmap preview",
            )
            .await;
        shot("preview-roadmap").await;
        browser.client.goto(&server.url("/administrar")).await.expect("goto");
        browser.wait_for("document.querySelector('[data-testid=snapshots] tr.current')", "snapshots").await;
        shot("administrar-top").await;
        click(&browser, "[data-testid=snapshots] tr.current .row-actions button:last-child").await;
        shot("administrar-retract").await;
        browser
            .client
            .execute("document.querySelectorAll('[data-testid=retract-dialog] button')[1].click();", vec![])
            .await
            .expect("cancel");
        type_into(&browser, "#tok-name", "script de R").await;
        click(&browser, "#tok-name + button, .inline-form button[type=submit]").await;
        browser.wait_for("document.querySelector('[data-testid=new-token]')", "token").await;
        browser
            .client
            .execute("document.querySelector('#tokens-title').scrollIntoView();", vec![])
            .await
            .expect("scroll");
        shot("administrar-tokens").await;
        browser
            .client
            .execute("document.querySelector('#users-title').scrollIntoView();", vec![])
            .await
            .expect("scroll");
        shot("administrar-users").await;
        browser
            .client
            .execute("document.querySelector('#audit-title').scrollIntoView();", vec![])
            .await
            .expect("scroll");
        shot("administrar-audit").await;
        click(&browser, "[data-testid=user] button").await;
        browser.wait_for("!document.querySelector('[data-testid=user]')", "signed out").await;
        sign_in(&browser, &server, "victor").await;
        browser.client.goto(&server.url("/publicar")).await.expect("goto");
        browser.wait_for("document.querySelector('[data-testid=refused]')", "refused").await;
        shot("refused").await;
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_from_the_dashboard_loads_the_workspace_and_comes_back() {
    let server = TestServer::start().await;
    server.store.add_user("ana", PASSWORD, Role::Analyst, "test").expect("analyst");
    let browser = Browser::start(1366, 768).await;
    browser.client.goto(&server.url("/hoja-de-ruta?lang=en")).await.expect("roadmap");
    // The app's sign-in link, not the one of the server's first screen (a plain link, gone once the app has drawn).
    browser
        .wait_for(
            "!document.getElementById('rumbo-shell') && document.querySelector('a.user-link')",
            "the sign-in link",
        )
        .await;
    // A visitor's page carries the dashboard bundle only.
    let bundle = "[...document.scripts].map(s => s.textContent).join('').match(/\\/(app|workspace)-/)?.[1]";
    assert_eq!(js(&browser, bundle).await, "app");
    click(&browser, "a.user-link").await;
    browser.wait_for("document.querySelector('#u')", "the sign-in form").await;
    assert_eq!(js(&browser, bundle).await, "workspace", "the sign-in page is the workspace's");
    assert_eq!(browser.location().await, "/entrar?lang=en", "the language comes along");
    type_into(&browser, "#u", "ana").await;
    type_into(&browser, "#p", PASSWORD).await;
    submit_sign_in(&browser).await;
    browser.wait_for("location.pathname + location.search === '/hoja-de-ruta?lang=en'", "back on the roadmap").await;
    browser.wait_for("document.querySelector('[data-testid=user]')?.textContent.includes('ana')", "signed in").await;
    browser.close().await;
}
