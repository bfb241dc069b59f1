//! End-to-end: every table of the coverage view downloads as CSV (UTF-8 with BOM) equal to the table shown, and
//! optionally with a row of HXL hashtags under the header.

use tests::{Browser, TILE, TestServer};

/// Parses CSV with quoted fields (RFC 4180), after the BOM.
fn parse_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let text = text.strip_prefix('\u{feff}').expect("the BOM Excel needs");
    let (mut rows, mut row, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

/// The table of a block as shown: its rows' cells, whitespace collapsed.
async fn shown(browser: &Browser, block: &str) -> Vec<Vec<String>> {
    let js = format!(
        "return Array.from(document.querySelector('[data-export={block}] table').rows).map(r => \
         Array.from(r.cells).map(c => c.textContent.trim().split(/\\s+/).join(' ')));"
    );
    serde_json::from_value(browser.client.execute(&js, vec![]).await.expect("script")).expect("rows")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_table_exports_as_the_csv_shown_with_an_optional_hxl_row() {
    let server = TestServer::start().await;
    let browser = Browser::start(1366, 768).await;
    browser.client.goto(&server.url("/")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    for block in ["departamentos", "servicio", "poblacion-sexo", "mensual", "edad"] {
        let table = shown(&browser, block).await;
        assert!(table.len() > 2, "{block} has rows");
        browser
            .client
            .execute(&format!("document.querySelector('[data-testid=csv-{block}]').click();"), vec![])
            .await
            .expect("export");
        let csv = parse_csv(&browser.downloaded(&format!("rumbo-{block}.csv")).await);
        assert_eq!(csv, table, "{block}: the CSV is the table shown");
        browser
            .client
            .execute(&format!("document.querySelector('[data-testid=hxl-{block}]').click();"), vec![])
            .await
            .expect("export");
        let mut hxl = parse_csv(&browser.downloaded(&format!("rumbo-{block}-hxl.csv")).await);
        let tags = hxl.remove(1);
        assert!(tags.iter().all(|t| t.starts_with('#')), "{block}: a hashtag for every column: {tags:?}");
        assert_eq!(hxl, table, "{block}: the HXL CSV is the same table");
    }
    let departments = parse_csv(&browser.downloaded("rumbo-departamentos-hxl.csv").await);
    assert_eq!(departments[1][0], "#adm1+name");
    assert_eq!(departments.len(), 1 + 1 + 18 + 1, "header, hashtags, 18 departments, the total");
    browser.close().await;
}
