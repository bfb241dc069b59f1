//! End-to-end: every table of the coverage view downloads as CSV for people and machines (UTF-8 with BOM): a block
//! of `# key: value` lines saying the snapshot, its date, the indicator, period and filters; clean headers; plain
//! numbers (no thousands separator, a `.` decimal point) equal to the table shown; a status column instead of
//! words such as "Sin datos" in the values; optionally a row of HXL hashtags under the header. pandas reads it.

use std::process::Command;

use tests::{Browser, TILE, TempDir, TestServer};

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

/// An export: its header block (`# key: value` lines, in order) and its table rows.
struct Export {
    meta: Vec<(String, String)>,
    rows: Vec<Vec<String>>,
}

impl Export {
    fn parse(bytes: &[u8]) -> Self {
        let mut rows = parse_csv(bytes);
        // Header lines start with `# ` (a comma in a value splits the line into cells, as any reader sees it).
        let n = rows.iter().take_while(|r| r[0].starts_with("# ")).count();
        let meta = rows
            .drain(..n)
            .map(|r| {
                let line = r.join(",");
                let (k, v) = line[2..].split_once(": ").expect("# key: value");
                (k.to_owned(), v.to_owned())
            })
            .collect();
        Self { meta, rows }
    }

    fn meta(&self, key: &str) -> &str {
        self.meta.iter().find(|(k, _)| k == key).map_or_else(|| panic!("no {key} line in {:?}", self.meta), |(_, v)| v)
    }
}

/// The table of a block as shown: its rows' cells, whitespace collapsed.
async fn shown(browser: &Browser, block: &str) -> Vec<Vec<String>> {
    let js = format!(
        "return Array.from(document.querySelector('[data-export={block}] table').rows).map(r => \
         Array.from(r.cells).map(c => c.textContent.trim().split(/\\s+/).join(' ')));"
    );
    serde_json::from_value(browser.client.execute(&js, vec![]).await.expect("script")).expect("rows")
}

async fn click(browser: &Browser, test_id: &str) {
    let js = format!("document.querySelector('[data-testid={test_id}]').click();");
    browser.client.execute(&js, vec![]).await.expect("export");
}

fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
        && !digits.starts_with('.')
}

const STATUSES: [&str; 6] = ["reported", "estimated", "not_collected", "suppressed", "not_combinable", "no_data"];

/// Checks one export against the table shown: same rows and labels, each number column plain and equal to what is
/// shown, each status column beside its values, and no words in a column of numbers.
fn check_against_shown(block: &str, export: &Export, table: &[Vec<String>]) {
    let header = &export.rows[0];
    assert!(header.iter().all(|h| !h.contains("clic") && !h.contains("click")), "{block}: clean header {header:?}");
    let status_cols: Vec<usize> = (0..header.len()).filter(|&j| header[j].starts_with("Estado")).collect();
    assert!(!status_cols.is_empty(), "{block}: a status column: {header:?}");
    assert_eq!(export.rows.len(), table.len(), "{block}: one line per row shown");
    for (row, shown_row) in export.rows.iter().zip(table).skip(1) {
        assert_eq!(row.len(), header.len(), "{block}: {row:?}");
        assert_eq!(row.len(), shown_row.len() + status_cols.len(), "{block}: {row:?} beside {shown_row:?}");
        // The columns as shown: every column but the status ones.
        let values: Vec<&String> = (0..row.len()).filter(|j| !status_cols.contains(j)).map(|j| &row[j]).collect();
        if block == "mensual" {
            // Months as ISO codes (`2026-10`), which every tool sorts and parses, where the table says the words.
            assert!(values[0].len() == 7 && values[0].as_bytes()[4] == b'-', "{block}: {row:?}");
        } else {
            assert_eq!(values[0], &shown_row[0], "{block}: the row's label");
        }
        for (cell, shown_cell) in values.iter().zip(shown_row).skip(1) {
            let digits: String = shown_cell.chars().filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-').collect();
            if is_plain_number(cell) {
                assert_eq!(**cell, digits.trim_end_matches('.'), "{block}: {cell} is {shown_cell} without separators");
            } else {
                assert!(cell.is_empty(), "{block}: only numbers in a column of values, not {cell:?} ({row:?})");
            }
        }
        for &j in &status_cols {
            assert!(STATUSES.contains(&row[j].as_str()), "{block}: status {:?} in {row:?}", row[j]);
            let value = &row[j - 1];
            assert_eq!(value.is_empty(), !["reported", "estimated"].contains(&row[j].as_str()), "{block}: {row:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_table_exports_plain_numbers_a_status_column_and_the_view_it_shows() {
    let server = TestServer::start().await;
    let id = server.store.current_id().expect("store").expect("a current snapshot");
    let browser = Browser::start(1366, 768).await;
    browser.client.goto(&server.url("/")).await.expect("goto");
    browser.wait_for(TILE, "the dashboard").await;
    for block in ["departamentos", "servicio", "poblacion-sexo", "mensual", "edad"] {
        let table = shown(&browser, block).await;
        assert!(table.len() > 2, "{block} has rows");
        click(&browser, &format!("csv-{block}")).await;
        let csv = Export::parse(&browser.downloaded(&format!("rumbo-{block}.csv")).await);
        assert_eq!(csv.meta("snapshot_id"), id, "{block}: the snapshot's id");
        assert_eq!(csv.meta("as_of"), "2026-10-31", "{block}: the data's date");
        assert!(csv.meta("indicator").starts_with("COB-01 Personas atendidas"), "{block}: {:?}", csv.meta);
        assert!(csv.meta("period").starts_with("2026-01/2026-10"), "{block}: the year to date: {:?}", csv.meta);
        assert!(csv.meta("filters").starts_with("Todo el país"), "{block}: {:?}", csv.meta);
        assert!(csv.meta("url").contains("127.0.0.1"), "{block}: the view's address");
        check_against_shown(block, &csv, &table);
        click(&browser, &format!("hxl-{block}")).await;
        let mut hxl = Export::parse(&browser.downloaded(&format!("rumbo-{block}-hxl.csv")).await);
        let tags = hxl.rows.remove(1);
        assert!(tags.iter().all(|t| t.starts_with('#')), "{block}: a hashtag for every column: {tags:?}");
        assert_eq!(hxl.rows, csv.rows, "{block}: the HXL CSV is the same table");
    }
    let departments = Export::parse(&browser.downloaded("rumbo-departamentos-hxl.csv").await);
    assert_eq!(departments.rows[1][..3], ["#adm1+name", "#indicator+value", "#status"]);
    assert_eq!(departments.rows.len(), 1 + 1 + 18 + 1, "header, hashtags, 18 departments, the total");
    // A department without an office: its value is empty and its status says why (not "Sin datos" as a value).
    let gracias = departments.rows.iter().find(|r| r[0] == "Gracias a Dios").expect("Gracias a Dios");
    assert_eq!(gracias[1..3], ["", "no_data"]);
    let total = departments.rows.last().expect("total");
    // The country adds up Marcala's estimated October: its status says so.
    assert!(is_plain_number(&total[1]) && total[1].len() > 4 && total[2] == "estimated", "{total:?}");

    // pandas reads both files as they are: the header block and the HXL row are comments, the values numbers.
    let dir = TempDir::new("exports-pandas");
    for name in ["rumbo-departamentos.csv", "rumbo-departamentos-hxl.csv"] {
        std::fs::write(dir.0.join(name), browser.downloaded(name).await).expect("write");
    }
    let script = r##"
import sys, pandas as pd
for name in ["rumbo-departamentos.csv", "rumbo-departamentos-hxl.csv"]:
    df = pd.read_csv(sys.argv[1] + "/" + name, comment="#")
    assert list(df.columns) == ["Departamento", "Valor", "Estado"], list(df.columns)
    assert df["Valor"].dtype == "float64", df.dtypes
    assert len(df) == 19, len(df)
    assert set(df["Estado"]) <= {"reported", "no_data", "suppressed", "not_collected", "estimated", "not_combinable"}
    assert df["Valor"].iloc[:18].sum() == df["Valor"].iloc[18], "the departments add up to the total"
    print(df.to_string())
"##;
    let python = std::env::var("RUMBO_PYTHON")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../.tools/py/bin/python").to_owned());
    let raw = String::from_utf8(browser.downloaded("rumbo-departamentos-hxl.csv").await).expect("utf-8");
    println!("{}", raw.lines().take(17).collect::<Vec<_>>().join("\n"));
    let out = Command::new(&python).arg("-c").arg(script).arg(&dir.0).output().expect("python runs");
    assert!(out.status.success(), "pandas: {}", String::from_utf8_lossy(&out.stderr));
    println!("{}", String::from_utf8_lossy(&out.stdout));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roadmaps_exports_say_their_filters_and_write_lempiras_as_plain_numbers() {
    let server = TestServer::start().await;
    let browser = Browser::start(1366, 768).await;
    browser.client.goto(&server.url("/hoja-de-ruta?lang=en&ventana=2026-T4")).await.expect("goto");
    browser.wait_for("document.querySelector('[data-testid=csv-presupuesto]')", "the budget table").await;
    let table = shown(&browser, "presupuesto").await;
    click(&browser, "csv-presupuesto").await;
    let csv = Export::parse(&browser.downloaded("rumbo-budget.csv").await);
    assert_eq!(csv.meta("page"), "Roadmap");
    assert!(csv.meta("filters").starts_with("Window: Q4 2026"), "{:?}", csv.meta);
    assert_eq!(csv.rows.len(), table.len());
    // "L 61,683,343.00" on screen, 61683343.00 in the file; "73.2 %", 73.2.
    for (row, shown_row) in csv.rows.iter().zip(&table).skip(1) {
        for (cell, shown_cell) in row.iter().zip(shown_row).skip(1) {
            assert!(is_plain_number(cell) || cell.is_empty(), "{cell:?} for {shown_cell:?}");
            let digits: String = shown_cell.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
            assert_eq!(*cell, digits);
        }
    }
    browser.close().await;
}
