//! Disclosure control on the real server (issue 34): an upload with a small refugee cell and its margins is not
//! refused; the report lists the primary and the complementary suppression with their rows; the public table
//! has both cells empty with status `suppressed`, and the audit finds neither recoverable.

use server::store::Role;
use shared::api::{self, route};
use shared::codebook::CodeBook;
use shared::disclosure::audit::{Release, recoverable};
use shared::finding::Severity::Info;
use tests::TestServer;

/// People served in one office and month, by population: 100 = 80 + 11 + 7 + 2 (data rows 1 to 5).
const FACTS: &str = "indicator,period,territory,service,population,sex,age_group,value,status\n\
                     COB-01,2027-01,T01,_T,_T,_T,_T,100,reported\n\
                     COB-01,2027-01,T01,_T,general,_T,_T,80,reported\n\
                     COB-01,2027-01,T01,_T,retornada,_T,_T,11,reported\n\
                     COB-01,2027-01,T01,_T,desplazada,_T,_T,7,reported\n\
                     COB-01,2027-01,T01,_T,refugiada,_T,_T,2,reported\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_refugee_cell_is_hidden_with_its_complement_and_cannot_be_recovered() {
    let server = TestServer::start().await;
    let analyst = server.account("ana", Role::Analyst);
    let client = reqwest::Client::new();
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(FACTS.as_bytes().to_vec()).file_name("facts.csv"));
    let res = client
        .post(server.url(&api::url(route::UPLOADS, &[])))
        .bearer_auth(&analyst)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), reqwest::StatusCode::CREATED, "a small sensitive cell is no longer refused");
    let uploaded: api::Uploaded = res.json().await.expect("report");
    assert_eq!(uploaded.errors, 0);
    let cells: Vec<_> = uploaded.findings.iter().filter(|f| f.row.is_some()).collect();
    let listed: Vec<_> = cells.iter().map(|f| (f.severity, f.table.as_str(), f.row, f.column.as_deref())).collect();
    assert_eq!(listed, vec![(Info, "facts", Some(4), Some("value")), (Info, "facts", Some(5), Some("value"))]);
    assert_eq!(uploaded.warnings, 0, "nothing to acknowledge: the server did it");
    // Why, in both languages: the refugees for being 2; the displaced people (the smallest other part) so that
    // 100 − 80 − 11 does not give the refugees back.
    assert!(cells[1].message_es.starts_with("supresión primaria: «refugiada»"), "{}", cells[1].message_es);
    assert!(cells[1].message_en.contains("counts 2, fewer than 5 people"), "{}", cells[1].message_en);
    assert!(cells[0].message_es.starts_with("supresión complementaria"), "{}", cells[0].message_es);
    assert!(cells[0].message_en.contains("row 5"), "{}", cells[0].message_en);
    assert_eq!(cells[1].value.as_deref(), Some("2"), "the analyst sees their own value");

    let id = uploaded.draft_id;
    let res = client
        .post(server.url(&api::url(route::PUBLISH, &[&id])))
        .bearer_auth(&analyst)
        .json(&serde_json::json!({"title_es": "Prueba", "title_en": "Test", "as_of": "2027-01-31", "notes": ""}))
        .send()
        .await
        .expect("publish");
    assert_eq!(res.status(), 200);

    // What anyone downloads: the Arrow table and the CSV file.
    let bytes = reqwest::get(server.url(&api::url(route::TABLE, &[&id, "facts"])))
        .await
        .expect("table")
        .bytes()
        .await
        .expect("bytes");
    let facts = tests::facts_of(&bytes);
    let row_of = |population: &str| (0..facts.len()).find(|&r| facts.population.code(r) == population).expect("row");
    for population in ["refugiada", "desplazada"] {
        let r = row_of(population);
        assert_eq!((facts.value(r), facts.status.code(r)), (None, "suppressed"), "{population}");
    }
    assert_eq!(facts.value(row_of("retornada")), Some(11.0));
    assert_eq!(facts.value(row_of("_T")), Some(100.0), "the total stays published");
    let found =
        recoverable(Release { published: facts.batch(), raw: None }, None, &CodeBook::builtin()).expect("audit");
    assert!(found.is_empty(), "{found:?}");
    let csv = reqwest::get(server.url(&api::url(route::DOWNLOAD, &[&id, "facts.csv"])))
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    assert!(!csv.contains(",2,") && !csv.contains(",7,"), "{csv}");
    assert_eq!(csv.matches("suppressed").count(), 2, "{csv}");
}
