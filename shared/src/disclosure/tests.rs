//! Protection checked by the independent audit: small cells hidden, nothing recoverable by subtraction within a
//! snapshot or between two, on hand-made runs, the demo and random tables.

use std::sync::Arc;

use arrow_array::types::Int16Type;
use arrow_array::{ArrayRef, DictionaryArray, Float64Array, RecordBatch};

use super::audit::{Recovered, Release, recoverable};
use super::*;
use crate::demo::Rng;
use crate::schema::facts_schema;

/// A row: indicator, period, territory, service, population, sex, age group, value, status.
type Row = (String, String, String, [String; 4], Option<f64>, String);

fn row(ind: &str, inner: [&str; 4], value: Option<f64>) -> Row {
    let status = if value.is_some() { "reported" } else { "not_collected" };
    (ind.into(), "2026-01".into(), "T01".into(), inner.map(str::to_owned), value, status.into())
}

fn table(rows: &[Row]) -> RecordBatch {
    let dim =
        |f: &dyn Fn(&Row) -> &str| -> ArrayRef { Arc::new(rows.iter().map(f).collect::<DictionaryArray<Int16Type>>()) };
    let columns: Vec<ArrayRef> = vec![
        dim(&|r| &r.0),
        dim(&|r| &r.1),
        dim(&|r| &r.2),
        dim(&|r| &r.3[0]),
        dim(&|r| &r.3[1]),
        dim(&|r| &r.3[2]),
        dim(&|r| &r.3[3]),
        Arc::new(rows.iter().map(|r| r.4).collect::<Float64Array>()),
        dim(&|r| &r.5),
    ];
    RecordBatch::try_new(facts_schema(), columns).expect("facts")
}

fn facts(batch: &RecordBatch) -> Facts {
    Facts::try_from(batch.clone()).expect("facts")
}

fn within(batch: &RecordBatch) -> Vec<Recovered> {
    recoverable(Release { published: batch, raw: None }, None, &CodeBook::builtin()).expect("audit")
}

/// [`within`] for a reader who knows which breakdowns leave parts out ([`audit`]'s strongest reader).
fn within_knowing(batch: &RecordBatch, raw: &RecordBatch) -> Vec<Recovered> {
    recoverable(Release { published: batch, raw: Some(raw) }, None, &CodeBook::builtin()).expect("audit")
}

/// COB-01 in one run by population: a total and its parts.
fn by_population(total: f64, parts: [(&str, f64); 4]) -> Vec<Row> {
    let mut rows = vec![row("COB-01", ["_T"; 4], Some(total))];
    rows.extend(parts.iter().map(|&(p, v)| row("COB-01", ["_T", p, "_T", "_T"], Some(v))));
    rows
}

fn hidden_rows(p: &Protected) -> Vec<(usize, bool)> {
    p.suppressions.iter().map(|s| (s.row, s.why.is_primary())).collect()
}

#[test]
fn a_small_refugee_count_is_hidden_with_the_smallest_part_beside_it() {
    let raw =
        table(&by_population(100.0, [("general", 80.0), ("retornada", 11.0), ("desplazada", 7.0), ("refugiada", 2.0)]));
    let p = protect(&raw, &CodeBook::builtin(), None).expect("protect");
    // Refugees (row 4) hidden for being 2; displaced people (row 3, the smallest other part) so that 100 − 80 −
    // 11 does not give them back.
    assert_eq!(hidden_rows(&p), vec![(3, false), (4, true)]);
    assert_eq!(p.suppressions[0].why, Why::Margin { protects: Some(4) });
    assert!(within(&p.batch).is_empty());
    let f = facts(&p.batch);
    assert_eq!((f.value(4), f.status.code(4)), (None, "suppressed"));
    assert_eq!(f.value(2), Some(11.0));
    // The primary suppression alone leaves the cell recoverable: the audit sees it.
    let primary_only = apply(&facts(&raw), &p.suppressions[1..]).expect("apply");
    assert_eq!(within(&primary_only), vec![Recovered { previous: false, row: 4 }]);
}

#[test]
fn zero_and_large_counts_of_sensitive_populations_are_published() {
    let raw =
        table(&by_population(100.0, [("general", 80.0), ("retornada", 11.0), ("desplazada", 9.0), ("refugiada", 0.0)]));
    let p = protect(&raw, &CodeBook::builtin(), None).expect("protect");
    assert!(p.suppressions.is_empty());
}

#[test]
fn a_cross_table_is_protected_on_both_margins() {
    // Population × sex with its margins: refugees 3 = 1 woman + 2 men.
    let mut rows = vec![row("COB-01", ["_T"; 4], Some(117.0))];
    let cells = [("general", [50.0, 45.0, 2.0]), ("refugiada", [1.0, 2.0, 0.0]), ("desplazada", [8.0, 6.0, 3.0])];
    for (s, sex) in ["mujer", "hombre", "no_declarado"].iter().enumerate() {
        let total: f64 = cells.iter().map(|c| c.1[s]).sum();
        rows.push(row("COB-01", ["_T", "_T", sex, "_T"], Some(total)));
    }
    for (pop, values) in cells {
        rows.push(row("COB-01", ["_T", pop, "_T", "_T"], Some(values.iter().sum())));
        for (s, sex) in ["mujer", "hombre", "no_declarado"].iter().enumerate() {
            rows.push(row("COB-01", ["_T", pop, sex, "_T"], Some(values[s])));
        }
    }
    let raw = table(&rows);
    let p = protect(&raw, &CodeBook::builtin(), None).expect("protect");
    assert!(p.unprotected.is_empty());
    assert_eq!(p.primary(), 4, "{:?}", p.suppressions); // refugees 3, 1 and 2; displaced not stated 3
    assert!(p.complementary() > 0);
    assert!(within(&p.batch).is_empty(), "{:?}", p.suppressions);
    // The run's total stays published: a part always does.
    assert!(facts(&p.batch).value(0).is_some());
}

#[test]
fn a_rate_resting_on_few_people_is_hidden() {
    let mut rows =
        by_population(100.0, [("general", 80.0), ("retornada", 5.0), ("desplazada", 12.0), ("refugiada", 3.0)]);
    rows.push(row("DER-02", ["_T", "refugiada", "_T", "_T"], Some(50.0)));
    rows.push(row("DER-02", ["_T", "desplazada", "_T", "_T"], Some(40.0)));
    rows.push(row("DER-02", ["_T", "transito", "_T", "_T"], Some(60.0)));
    // A rate rests on its denominator (DER-02 = DER-05 ÷ DER-01): 3 referrals of refugees, 12 of displaced people.
    rows.push(row("DER-01", ["_T", "refugiada", "_T", "_T"], Some(3.0)));
    rows.push(row("DER-01", ["_T", "desplazada", "_T", "_T"], Some(12.0)));
    let p = protect(&table(&rows), &CodeBook::builtin(), None).expect("protect");
    let why = |r: usize| p.suppressions.iter().find(|s| s.row == r).map(|s| s.why.clone());
    assert_eq!(
        why(5),
        Some(Why::SmallBase { population: "refugiada".into(), base: "DER-01".into(), base_value: Some(3.0) })
    );
    assert_eq!(why(6), None, "40 % of 12 displaced people is published");
    assert_eq!(why(7), Some(Why::SmallBase { population: "transito".into(), base: "DER-01".into(), base_value: None }));
}

#[test]
fn a_cell_hidden_before_stays_hidden_and_an_unchanged_one_protects_nothing() {
    // Before: nothing small, everything published.
    let before =
        table(&by_population(100.0, [("general", 80.0), ("retornada", 11.0), ("desplazada", 9.0), ("refugiada", 0.0)]));
    let before = protect(&before, &CodeBook::builtin(), None).expect("protect").batch;
    // Now two refugees were registered late: only the total and their cell changed. Displaced people (9) were
    // published unchanged, so hiding them would protect nothing: a reader still has 9.
    let raw =
        table(&by_population(102.0, [("general", 80.0), ("retornada", 11.0), ("desplazada", 9.0), ("refugiada", 2.0)]));
    let p = protect(&raw, &CodeBook::builtin(), Some(&facts(&before))).expect("protect");
    assert_eq!(hidden_rows(&p), vec![(0, false), (4, true)], "the total, the only cell that changed");
    let audit = |batch: &RecordBatch| {
        recoverable(
            Release { published: batch, raw: Some(&raw) },
            Some(Release { published: &before, raw: None }),
            &CodeBook::builtin(),
        )
        .expect("audit")
    };
    assert!(audit(&p.batch).is_empty());
    // Protected as if there were no earlier snapshot, refugees come back by comparing the two.
    let alone = protect(&raw, &CodeBook::builtin(), None).expect("protect");
    assert_eq!(hidden_rows(&alone), vec![(3, false), (4, true)]);
    let back = [Recovered { previous: false, row: 3 }, Recovered { previous: false, row: 4 }];
    assert_eq!(audit(&alone.batch), back);
    // Next month's snapshot keeps both hidden, although the total is large.
    let next = protect(&raw, &CodeBook::builtin(), Some(&facts(&p.batch))).expect("protect");
    assert_eq!(next.suppressions[0].why, Why::KeptFromPrevious);
    assert_eq!(hidden_rows(&next), vec![(0, false), (4, true)]);
}

/// The demo's two snapshots as the server publishes them (the same validation), with their raw facts.
fn published_demo() -> [(RecordBatch, RecordBatch, crate::validate::Report); 2] {
    let current = crate::demo::DemoConfig::default();
    let mut out = Vec::new();
    let mut previous: Option<Facts> = None;
    for config in [current.previous(), current] {
        let raw = crate::demo::facts(&config);
        let upload = crate::validate::Upload { name: "facts".into(), batch: raw.clone() };
        let (report, tables) = crate::validate::validate_snapshot_after(&[upload], previous.as_ref());
        let (_, batch) = tables.expect("valid").into_iter().next().expect("facts");
        previous = Some(facts(&batch));
        out.push((batch, raw, report));
    }
    out.try_into().unwrap_or_else(|_| unreachable!())
}

#[test]
fn nothing_hidden_in_the_published_demo_is_recoverable_within_or_between_snapshots() {
    let [(before, before_raw, _), (now, now_raw, report)] = published_demo();
    let book = CodeBook::builtin();
    assert!(within(&before).is_empty());
    assert!(within(&now).is_empty());
    let joint = recoverable(
        Release { published: &now, raw: Some(&now_raw) },
        Some(Release { published: &before, raw: Some(&before_raw) }),
        &book,
    )
    .expect("audit");
    assert!(joint.is_empty(), "{} recovered", joint.len());
    // What the report says: each suppression as a note with its row, primary or complementary, and no cell left
    // unprotected (that would be a warning).
    let primary = report.findings.iter().filter(|f| f.message_en.starts_with("primary")).count();
    let complementary = report.findings.iter().filter(|f| f.message_en.starts_with("complementary")).count();
    assert_eq!(report.warnings(), 0);
    assert!(!report.findings.iter().any(|f| f.message_en.starts_with("this hidden cell")));
    let f = facts(&now);
    let hidden = (0..f.len()).filter(|&r| f.status.code(r) == SUPPRESSED).count();
    eprintln!(
        "demo: {hidden} cells hidden of {}; report lists {primary} primary, {complementary} complementary",
        f.len()
    );
    assert!(primary > 1_000 && complementary > 100, "{primary} {complementary}");
}

#[test]
fn the_demo_hides_few_cells_beyond_the_primary_ones() {
    let raw = crate::demo::facts(&crate::demo::DemoConfig::default());
    let p = protect(&raw, &CodeBook::builtin(), None).expect("protect");
    // Hiding only the small cells would leave many recoverable, as issue 34 found.
    let primary: Vec<Suppression> = p.suppressions.iter().filter(|s| s.why.is_primary()).cloned().collect();
    let exposed = within(&apply(&facts(&raw), &primary).expect("apply")).len();
    let (n, c) = (p.primary(), p.complementary());
    let f = facts(&raw);
    let counts = (0..f.len()).filter(|&r| f.indicator.code(r) == PEOPLE_SERVED).count();
    eprintln!(
        "demo: {n} primary, {c} complementary ({:.1} % of COB-01 cells), {exposed} recoverable with primary only",
        100.0 * (n + c) as f64 / counts as f64
    );
    assert!(exposed > 100, "{exposed}");
    // One complement per small cell at most in this demo's runs: most small cells share theirs.
    assert!(c < n, "{c} complementary for {n} primary");
    assert!(p.unprotected.is_empty());
}

/// A random COB-01 table: runs by population × sex with their margins, by age and by service, with many small
/// cells; `revise` adds late registrations to some runs of `base` (same keys) instead.
fn random_table(rng: &mut Rng, runs: usize, revise: Option<&[Row]>) -> Vec<Row> {
    if let Some(base) = revise {
        // Revision: some runs get a few more people in one leaf cell (and every total above it).
        let mut rows = base.to_vec();
        let mut territories: Vec<String> = rows.iter().map(|r| r.2.clone()).collect();
        territories.dedup();
        for t in territories {
            if rng.unit() < 0.5 {
                continue;
            }
            let pops: Vec<String> =
                rows.iter().filter(|r| r.2 == t && r.3[2] != "_T" && r.3[1] != "_T").map(|r| r.3[1].clone()).collect();
            let Some(pop) = pops.get((rng.next_u64() % pops.len().max(1) as u64) as usize).cloned() else { continue };
            let add = (1 + rng.next_u64() % 3) as f64;
            for r in rows.iter_mut().filter(|r| r.2 == t) {
                let [svc, p, sex, age] = &r.3;
                let first = |code: &str, all: &[&str]| code == "_T" || all.first() == Some(&code);
                let on_path = (p == "_T" || *p == pop)
                    && first(sex, &["mujer"])
                    && first(age, &["15-17", "18-24"])
                    && first(svc, &["orientacion"]);
                if on_path && r.4.is_some() {
                    r.4 = r.4.map(|v| v + add);
                }
            }
        }
        return rows;
    }
    let mut rows = Vec::new();
    let pops = ["general", "retornada", "desplazada", "transito", "refugiada"];
    let sexes = ["mujer", "hombre"];
    for run in 0..runs {
        let t = format!("T{run:03}");
        let n = 2 + (rng.next_u64() % 4) as usize;
        let mut grid = vec![[0.0f64; 2]; n];
        for (i, cell) in grid.iter_mut().enumerate() {
            let scale = if i == 0 { 40 } else { 9 };
            *cell = [(rng.next_u64() % scale) as f64, (rng.next_u64() % scale) as f64];
        }
        let total: f64 = grid.iter().flatten().sum();
        let mut push = |inner: [&str; 4], v: f64| {
            rows.push((
                "COB-01".into(),
                "2026-01".into(),
                t.clone(),
                inner.map(str::to_owned),
                Some(v),
                "reported".into(),
            ));
        };
        push(["_T"; 4], total);
        for (s, sex) in sexes.iter().enumerate() {
            push(["_T", "_T", sex, "_T"], grid.iter().map(|c| c[s]).sum());
        }
        for (i, pop) in pops.iter().take(n).enumerate() {
            push(["_T", pop, "_T", "_T"], grid[i][0] + grid[i][1]);
            if rng.unit() < 0.7 {
                for (s, sex) in sexes.iter().enumerate() {
                    push(["_T", pop, sex, "_T"], grid[i][s]);
                }
            }
        }
        // By age, in two groups (the first group takes a random share), when drawn.
        if rng.unit() < 0.5 {
            let young = (total * rng.unit()).floor();
            push(["_T", "_T", "_T", "15-17"], young);
            push(["_T", "_T", "_T", "18-24"], total - young);
        }
        if rng.unit() < 0.5 {
            let a = (total * rng.unit()).floor();
            push(["orientacion", "_T", "_T", "_T"], a);
            push(["intermediacion", "_T", "_T", "_T"], total - a);
        }
    }
    rows
}

#[test]
fn random_tables_leave_nothing_recoverable_within_or_between_snapshots() {
    let book = CodeBook::builtin();
    let (mut primary, mut complementary) = (0, 0);
    for seed in 0..200u64 {
        let mut rng = Rng::new(seed);
        let first_rows = random_table(&mut rng, 12, None);
        let first_raw = table(&first_rows);
        let first = protect(&first_raw, &book, None).expect("protect");
        assert!(first.unprotected.is_empty(), "seed {seed}: {:?}", first.unprotected);
        assert!(within_knowing(&first.batch, &first_raw).is_empty(), "seed {seed}");
        let second_raw = table(&random_table(&mut rng, 0, Some(&first_rows)));
        let second = protect(&second_raw, &book, Some(&facts(&first.batch))).expect("protect");
        assert!(second.unprotected.is_empty(), "seed {seed}: {:?}", second.unprotected);
        assert!(within_knowing(&second.batch, &second_raw).is_empty(), "seed {seed}");
        let joint = recoverable(
            Release { published: &second.batch, raw: Some(&second_raw) },
            Some(Release { published: &first.batch, raw: Some(&first_raw) }),
            &book,
        )
        .expect("audit");
        assert!(joint.is_empty(), "seed {seed}: {joint:?}");
        primary += first.primary() + second.primary();
        complementary += first.complementary() + second.complementary();
    }
    eprintln!("random tables: {primary} primary, {complementary} complementary");
    assert!(primary > 500, "the tables hold many small cells: {primary}");
}
