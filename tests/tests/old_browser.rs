//! A browser without WebAssembly SIMD (older than Chrome 91, Firefox 89, Safari 16.4) cannot run the app, which is
//! compiled with it: the page says so in both languages instead of staying blank. Chromium cannot turn SIMD off,
//! so the test makes `WebAssembly.validate` answer as such a browser would, before the page's scripts run.

use tests::{Browser, Cdp, TestServer};

const MESSAGE: &str = "document.querySelector('[data-testid=old-browser]')?.textContent ?? ''";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_without_wasm_simd_is_told_to_update_and_others_see_nothing_of_it() {
    let server = TestServer::start().await;
    let browser = Browser::start(1366, 768).await;
    for page in ["/", "/publicar"] {
        browser.client.goto(&server.url(page)).await.expect("goto");
        browser.wait_for("document.querySelector('main, .tile, form')", "the app").await;
        let shown = browser.client.execute(&format!("return {MESSAGE};"), vec![]).await.expect("script");
        assert_eq!(shown, serde_json::json!(""), "{page}: a current browser sees no warning");
    }
    let old = "WebAssembly.validate = (bytes) => !(bytes instanceof Uint8Array && bytes.includes(253));";
    browser
        .client
        .issue_cmd(Cdp("Page.addScriptToEvaluateOnNewDocument", serde_json::json!({ "source": old })))
        .await
        .expect("init script");
    for page in ["/", "/publicar"] {
        browser.client.goto(&server.url(page)).await.expect("goto");
        let text = browser.wait_for(MESSAGE, "the warning").await;
        let text = text.as_str().unwrap_or_default();
        assert!(text.contains("Este navegador es demasiado antiguo"), "{page}: {text}");
        assert!(text.contains("This browser is too old"), "{page}: {text}");
        let role = browser
            .client
            .execute("return document.querySelector('[data-testid=old-browser]').getAttribute('role');", vec![])
            .await
            .expect("role");
        assert_eq!(role, serde_json::json!("alert"));
    }
    browser.close().await;
}
