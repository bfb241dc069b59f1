//! End-to-end in Chromium: a snapshot that brings its own code lists. An analyst publishes, through the API, the
//! demo plus an 18th office (Puerto Lempira, in Gracias a Dios, a department without one, named by its INE code
//! `09`), a 19th without coordinates, a new rate indicator (COB-99) set as a headline tile, and an institution renamed. The dashboard's country
//! total equals the sum the test computes from the served Arrow table with plain Arrow getters; Gracias a Dios is
//! coloured and named, the office is a marker and a place to choose; the rate, published without a numerator and
//! denominator, is never averaged over offices (one office's value is shown, the country's says it cannot be added
//! up); the roadmap and a meeting slide show the same. The same checks hold on the built-in demo.

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use server::store::Role;
use tests::{Browser, TempDir, TestServer, strings};

/// The new office and where it is.
const OFFICE: &str = "T18";
const OFFICE_NAME: &str = "Puerto Lempira";
const OFFICE_AT: (f64, f64) = (-83.78, 15.27);
const OFFICE_VALUE: f64 = 1_020.0;
/// Roatán's distinct people in the year to date.
const ROATAN_VALUE: f64 = 210.0;
const RATE: &str = "COB-99";

/// The served `facts` table of the current snapshot, decoded with arrow-ipc's own reader.
async fn served_facts(server: &TestServer) -> RecordBatch {
    let url = server.url(&shared::api::table_path(shared::api::CURRENT, "facts"));
    let bytes = reqwest::get(url).await.expect("get").bytes().await.expect("body");
    let mut reader = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes.to_vec()), None).expect("ipc");
    let batch = reader.next().expect("one batch").expect("batch");
    assert!(reader.next().is_none(), "one batch");
    batch
}

/// What the dashboard should show by default for `indicator`, a count of distinct people that opens on the year to
/// date: the sum of its rows for the last month's year (`2026`) at their total on every disaggregation (all
/// offices and departments, never the national row), and how many rows had a value. `keep` picks territories.
fn expected(batch: &RecordBatch, indicator: &str, keep: impl Fn(&str) -> bool) -> (f64, usize) {
    let (ind, per, ter) = (strings(batch, "indicator"), strings(batch, "period"), strings(batch, "territory"));
    let dims = ["service", "population", "sex", "age_group"].map(|d| strings(batch, d));
    let value = batch.column_by_name("value").expect("value").as_primitive::<arrow_array::types::Float64Type>();
    let last = (0..batch.num_rows())
        .filter(|&r| ind[r] == indicator && shared::dashboard::is_month(&per[r]))
        .map(|r| per[r].clone())
        .max()
        .expect("rows");
    let year = &last[..4];
    let rows: Vec<usize> = (0..batch.num_rows())
        .filter(|&r| {
            ind[r] == indicator
                && per[r] == year
                && ter[r] != "HN"
                && keep(&ter[r])
                && dims.iter().all(|d| d[r] == "_T")
                && value.is_valid(r)
        })
        .collect();
    (rows.iter().map(|&r| value.value(r)).sum(), rows.len())
}

/// A CSV line with every cell quoted.
fn line(cells: &[String]) -> String {
    cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(",")
}

/// The demo's files with the new office, rate, headline tiles and institution name, published as the analyst.
async fn publish_own_lists(server: &TestServer, token: &str) {
    let dir = TempDir::new("codebook");
    server::commands::demo(&server::cli::DemoArgs { out: dir.0.clone(), rows: None }).expect("demo files");
    let read = |name: &str| std::fs::read_to_string(dir.0.join(name)).expect(name);
    let facts = read("facts.csv");
    let months: std::collections::BTreeSet<String> =
        facts.lines().skip(1).filter_map(|l| l.split(',').nth(1).map(str::to_owned)).collect();
    let mut facts: Vec<String> = facts.lines().map(str::to_owned).collect();
    // People served by month, and distinct in the year to date (`2026`): the figure the dashboard opens on.
    facts.push(format!("COB-01,2026,{OFFICE},_T,_T,_T,_T,{OFFICE_VALUE},reported"));
    facts.push(format!("COB-01,2026,T19,_T,_T,_T,_T,{ROATAN_VALUE},reported"));
    let months: Vec<&String> = months.iter().filter(|m| shared::dashboard::is_month(m)).collect();
    for (i, month) in months.iter().enumerate() {
        facts.push(format!("COB-01,{month},{OFFICE},_T,_T,_T,_T,150,reported"));
        facts.push(format!("COB-01,{month},T19,_T,_T,_T,_T,30,reported"));
        // The rate: six offices, values that a sum would make absurd (over 100 %).
        for (k, office) in ["T01", "T02", "T05", "T09", "T14", OFFICE].iter().enumerate() {
            let value = 40.0 + 8.0 * k as f64 + (i % 3) as f64;
            facts.push(format!("{RATE},{month},{office},_T,_T,_T,_T,{value},reported"));
        }
    }
    let headline = |id: &str| match id {
        "COB-01" => "1",
        "INT-05" => "2",
        "DER-02" => "3",
        RATE => "4",
        "DER-01" => "5",
        _ => "",
    };
    let header = shared::tables::INDICATOR_LIST.columns.iter().map(|c| c.name.to_owned()).collect::<Vec<_>>();
    let mut indicators = vec![line(&header)];
    for i in &shared::catalog::INDICATORS {
        indicators.push(line(&shared::tables::indicator_list_row(i, headline(i.id))));
    }
    // The list gives the rate no numerator and denominator: it does not combine.
    let rate = shared::catalog::Indicator {
        id: RATE,
        name: shared::Label { es: "Tasa de satisfacción con la atención", en: "Satisfaction rate" },
        definition: shared::Label {
            es: "Personas satisfechas ÷ personas encuestadas × 100.",
            en: "People satisfied ÷ people surveyed × 100.",
        },
        unit: shared::catalog::Unit::Percent,
        frequency: "M",
        higher_is_better: true,
        source: "SI EMPLEO",
        combine: shared::catalog::Combine::None,
        overlapping: &[],
    };
    indicators.push(line(&shared::tables::indicator_list_row(&rate, headline(RATE))));
    let mut territories = vec!["code,name_es,name_en,department,municipality,lon,lat".to_owned()];
    for t in &shared::codes::DEMO_TERRITORIES {
        let (lon, lat) = t.lon_lat;
        territories.push(format!(
            "{},{},{},{},{},{lon},{lat}",
            t.code, t.name, t.name, t.department_code, t.municipality_code
        ));
    }
    territories.push(format!("{OFFICE},{OFFICE_NAME},{OFFICE_NAME},09,0901,{},{}", OFFICE_AT.0, OFFICE_AT.1));
    // An office the list gives no position: counted in its department, listed under the map as not marked.
    territories.push("T19,Roatán,Roatán,HN-IB,1101,,".to_owned());
    let mut institutions = vec!["code,name_es,name_en".to_owned()];
    for c in &shared::catalog::INSTITUTIONS {
        let es = if c.code == "SIEMPLEO" { "Servicio Nacional de Empleo SI EMPLEO" } else { c.label.es };
        institutions.push(line(&[c.code.to_owned(), es.to_owned(), c.label.en.to_owned()]));
    }
    let interventions = read("interventions.csv").replacen("\"T01;T05;T09;T13;T17\"", "\"T01;T05;T09;T13;T17;T18\"", 1);
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("facts.csv".to_owned(), facts.join("\n").into_bytes()),
        ("indicators.csv".to_owned(), indicators.join("\n").into_bytes()),
        ("territories.csv".to_owned(), territories.join("\n").into_bytes()),
        ("institutions.csv".to_owned(), institutions.join("\n").into_bytes()),
        ("interventions.csv".to_owned(), interventions.into_bytes()),
    ];
    for name in ["milestones.csv", "budget_lines.csv", "risks.csv", "targets.csv"] {
        files.push((name.to_owned(), read(name).into_bytes()));
    }
    tests::publish(server, token, files, ("Con Puerto Lempira", "With Puerto Lempira"), "2026-11-30").await;
}

async fn js(browser: &Browser, script: &str) -> serde_json::Value {
    browser.client.execute(&format!("return ({script});"), vec![]).await.expect("script runs")
}

async fn text(browser: &Browser, script: &str) -> String {
    js(browser, script).await.as_str().unwrap_or_default().to_owned()
}

const TOTAL: &str = "document.querySelector('[data-testid=total]')?.textContent";

/// The country total, the department table and the summary on `/` agree with the served table.
async fn country_total_is_every_row(browser: &Browser, server: &TestServer, facts: &RecordBatch) {
    let (all, _) = expected(facts, "COB-01", |_| true);
    let shown = shared::format::count(all);
    browser.client.goto(&server.url("/")).await.expect("goto");
    browser.wait_for(&format!("{TOTAL} === '{shown}'"), "the country total of every row").await;
    // The departments' rows add up to it (nothing left out).
    let cells = js(browser, "[...document.querySelectorAll('[data-testid=department-table] tbody [data-testid=dept-value]')].map(e => e.textContent)").await;
    let sum: f64 = cells
        .as_array()
        .expect("cells")
        .iter()
        .filter_map(|c| c.as_str())
        .filter_map(|c| c.replace(',', "").parse::<f64>().ok())
        .sum();
    assert_eq!(shared::format::count(sum), shown, "the department rows add up to the country");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshots_own_code_lists_drive_every_figure() {
    let server = TestServer::start().await;
    let analyst = server.account("ana", Role::Analyst);
    let browser = Browser::start(1366, 900).await;

    // The built-in demo first: the same invariant.
    let demo = served_facts(&server).await;
    country_total_is_every_row(&browser, &server, &demo).await;
    let summary = text(&browser, "document.querySelector('[data-testid=summary]').textContent").await;
    assert!(summary.contains("Gracias a Dios"), "the demo has no office there: {summary}");
    // The footer's open data: the read API's document and the shown snapshot's data package, both answering.
    let links =
        js(&browser, "[...document.querySelectorAll('[data-testid=footer] a')].map(a => a.getAttribute('href'))").await;
    let links: Vec<&str> = links.as_array().expect("links").iter().filter_map(|l| l.as_str()).collect();
    assert_eq!(links, ["/api/openapi.json", "/api/snapshots/current/datapackage.json"]);
    for (link, key) in links.iter().zip(["openapi", "resources"]) {
        let body: serde_json::Value = reqwest::get(server.url(link)).await.expect("get").json().await.expect("json");
        assert!(body.get(key).is_some(), "{link}: {body}");
    }

    publish_own_lists(&server, &analyst).await;
    let facts = served_facts(&server).await;
    country_total_is_every_row(&browser, &server, &facts).await;
    let (office, _) = expected(&facts, "COB-01", |t| t == OFFICE);
    assert!((office - OFFICE_VALUE).abs() < 1e-9, "{office}");

    // Gracias a Dios is coloured and named, no longer "without office or data".
    let gd = text(&browser, "document.querySelector('tr[data-iso=HN-GD] [data-testid=dept-value]').textContent").await;
    assert_eq!(gd, shared::format::count(office));
    let summary = text(&browser, "document.querySelector('[data-testid=summary]').textContent").await;
    assert!(!summary.contains("Gracias a Dios"), "{summary}");
    // The office is a choice of the place picker, and a marker on the map (its tooltip under the pointer).
    let option =
        text(&browser, &format!("document.querySelector('#f-place option[value={OFFICE}]')?.textContent")).await;
    assert_eq!(option, format!("SI EMPLEO {OFFICE_NAME}"));
    let geo = shared::geo::departments().expect("geo");
    let (x, y) = shared::geo::Projection::for_map(&geo, (960, 600)).px(OFFICE_AT);
    browser.wait_for("document.querySelector('[data-testid=map]')", "the map").await;
    let hover = format!(
        "(() => {{ const c = document.querySelector('[data-testid=map]'); const r = c.getBoundingClientRect(); \
         const k = r.width / 960; c.dispatchEvent(new MouseEvent('mousemove', {{ bubbles: true, clientX: r.left + {x} * k, clientY: r.top + {y} * k }})); \
         return true; }})()"
    );
    js(&browser, &hover).await;
    let tip =
        browser.wait_for("document.querySelector('.map-wrap .tooltip')?.textContent", "the marker's tooltip").await;
    assert!(tip.as_str().unwrap_or_default().starts_with(&format!("SI EMPLEO {OFFICE_NAME}: ")), "{tip}");
    let unmarked = text(&browser, "document.querySelector('[data-testid=no-coordinates]')?.textContent").await;
    assert!(unmarked.contains("Roatán") && !unmarked.contains(OFFICE_NAME), "{unmarked}");
    let ib = text(&browser, "document.querySelector('tr[data-iso=HN-IB] [data-testid=dept-value]').textContent").await;
    assert_eq!(ib, shared::format::count(ROATAN_VALUE), "Roatán's rows count for Islas de la Bahía");
    // The office's own view (chosen by URL as the picker does).
    browser.client.goto(&server.url(&format!("/?lugar={OFFICE}"))).await.expect("goto");
    browser.wait_for(&format!("{TOTAL} === '{}'", shared::format::count(office)), "the office's total").await;

    // The new rate is a headline tile. Published without its numerator and denominator, it is never averaged: the
    // country's value says it cannot be added up, one office's month is its own row.
    browser.client.goto(&server.url("/")).await.expect("goto");
    let tile =
        format!("document.querySelector('[data-testid=\"tile-{RATE}-_T\"] [data-testid=tile-value]')?.textContent");
    browser.wait_for(&format!("{tile} === 'No se puede sumar'"), "the rate's tile").await;
    browser.client.goto(&server.url(&format!("/?indicador={RATE}"))).await.expect("goto");
    browser.wait_for(&format!("{TOTAL} === 'No se puede sumar'"), "the rate's country value").await;
    browser.client.goto(&server.url(&format!("/?indicador={RATE}&lugar=T01"))).await.expect("goto");
    let (ind, per, ter) = (strings(&facts, "indicator"), strings(&facts, "period"), strings(&facts, "territory"));
    let value = facts.column_by_name("value").expect("value").as_primitive::<arrow_array::types::Float64Type>();
    let own = (0..facts.num_rows())
        .filter(|&r| ind[r] == RATE && ter[r] == "T01")
        .max_by_key(|&r| per[r].clone())
        .map(|r| value.value(r))
        .expect("T01's rate");
    browser
        .wait_for(&format!("{TOTAL} === '{}'", shared::format::percent(own, 1)), "one office's month: its row")
        .await;
    browser.client.goto(&server.url(&format!("/?indicador={RATE}"))).await.expect("goto");
    browser.wait_for("document.querySelector('#where-title')?.textContent", "the rate's view").await;
    let title = text(&browser, "document.querySelector('#where-title').textContent").await;
    assert!(title.contains("Tasa de satisfacción con la atención"), "named from the snapshot's catalogue: {title}");

    // The roadmap names the office and the renamed institution.
    browser.client.goto(&server.url("/hoja-de-ruta?intervencion=HR-INT-001")).await.expect("goto");
    let owner =
        browser.wait_for("document.querySelector('[data-testid=detail-owner]')?.textContent", "the detail").await;
    assert_eq!(owner, "Servicio Nacional de Empleo SI EMPLEO");
    let detail =
        text(&browser, "document.querySelector('[data-testid=detail]')?.textContent ?? document.body.innerText").await;
    assert!(detail.contains(OFFICE_NAME), "{detail}");

    // A meeting slide of Gracias a Dios shows the same figure.
    let agenda: serde_json::Value = reqwest::Client::new()
        .post(server.url(shared::api::AGENDAS_PATH))
        .bearer_auth(&analyst)
        .json(&serde_json::json!({"name": "Gracias a Dios", "slides": [{"url": "/?lugar=HN-GD", "part": "map", "title": ""}]}))
        .send()
        .await
        .expect("agenda")
        .json()
        .await
        .expect("json");
    let id = agenda["id"].as_str().expect("agenda id");
    browser.client.goto(&server.url(&format!("/reunion?agenda={id}"))).await.expect("slide");
    browser.wait_for(&format!("{TOTAL} === '{}'", shared::format::count(office)), "the slide's total").await;
    browser.close().await;
}

/// Screenshots of the views a snapshot's own lists change, into `target/screenshots/` (run by hand:
/// `cargo test -p tests --test codebook screenshots -- --ignored`), to look at before a change lands.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes screenshots to look at; not a check"]
async fn screenshots() {
    let out = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&out).expect("folder");
    let server = TestServer::start().await;
    let analyst = server.account("ana", Role::Analyst);
    publish_own_lists(&server, &analyst).await;
    let browser = Browser::start(1366, 2600).await;
    for (name, path) in [
        ("codebook-country.png", "/"),
        ("codebook-rate-en.png", "/?indicador=COB-99&lang=en"),
        ("codebook-office.png", "/?lugar=T18"),
        ("codebook-roadmap.png", "/hoja-de-ruta?intervencion=HR-INT-001"),
    ] {
        browser.client.goto(&server.url(path)).await.expect("goto");
        browser.wait_for("document.querySelector('[data-testid=total], [data-testid=detail-owner]')", "the page").await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        std::fs::write(out.join(name), browser.client.screenshot().await.expect("screenshot")).expect("write");
    }
    // The end of the page: the footer's open data links.
    js(&browser, "window.scrollTo(0, document.body.scrollHeight)").await;
    std::fs::write(out.join("codebook-footer.png"), browser.client.screenshot().await.expect("screenshot"))
        .expect("write");
    browser.close().await;
}
