//! One helper, many one-line cases: each validation rule is pinned by a small CSV.

use super::*;
use crate::intake::{self, Limits};
use arrow_array::Int16Array;

const FACTS_HEADER: &str = "indicator,period,territory,service,population,sex,age_group,value,status";

/// Validates CSV files (name, text) as one snapshot; returns `(severity, table, row, column)` of each finding.
fn findings(files: &[(&str, &str)]) -> Vec<(Severity, String, Option<usize>, Option<String>)> {
    let uploads: Vec<Upload> = files
        .iter()
        .map(|(name, csv)| intake::read(name, csv.as_bytes(), Limits::default()).expect("readable CSV"))
        .collect();
    let (report, _) = validate_snapshot(&uploads);
    report.findings.into_iter().map(|f| (f.severity, f.table, f.row, f.column)).collect()
}

fn facts(rows: &[&str]) -> String {
    std::iter::once(FACTS_HEADER).chain(rows.iter().copied()).collect::<Vec<_>>().join("\n")
}

fn error(table: &str, row: Option<usize>, column: &str) -> (Severity, String, Option<usize>, Option<String>) {
    (Severity::Error, table.to_owned(), row, Some(column.to_owned()))
}

fn facts_findings(rows: &[&str]) -> Vec<(Severity, String, Option<usize>, Option<String>)> {
    findings(&[("facts.csv", &facts(rows))])
}

#[test]
fn a_valid_row_has_no_findings() {
    assert_eq!(facts_findings(&["COB-01,2025-01,T01,_T,_T,_T,_T,120,reported"]), vec![]);
}

#[test]
fn missing_column() {
    let csv = "indicator,period,territory,service,population,sex,age_group,value\nCOB-01,2025-01,T01,_T,_T,_T,_T,1";
    assert_eq!(findings(&[("facts.csv", csv)]), vec![error("facts", None, "status")]);
}

#[test]
fn mistyped_value() {
    assert_eq!(
        facts_findings(&["COB-01,2025-01,T01,_T,_T,_T,_T,doce,reported"]),
        vec![error("facts", Some(1), "value")]
    );
}

#[test]
fn unknown_code_with_hint() {
    let csv = facts(&["COB-01,2025-01,T01,_T,retornado,_T,_T,5,reported"]);
    let uploads = vec![intake::read("facts.csv", csv.as_bytes(), Limits::default()).expect("csv")];
    let (report, canonical) = validate_snapshot(&uploads);
    assert!(canonical.is_none());
    assert_eq!(report.findings.len(), 1);
    let f = &report.findings[0];
    assert_eq!((f.row, f.column.as_deref(), f.value.as_deref()), (Some(1), Some("population"), Some("retornado")));
    assert!(f.message_es.contains("¿quiso decir «retornada»?"), "{}", f.message_es);
    assert!(f.message_en.contains("did you mean «retornada»?"));
}

#[test]
fn bad_period() {
    assert_eq!(facts_findings(&["COB-01,2025-13,T01,_T,_T,_T,_T,1,reported"]), vec![error("facts", Some(1), "period")]);
    assert_eq!(facts_findings(&["COB-01,2025-T5,T01,_T,_T,_T,_T,1,reported"]), vec![error("facts", Some(1), "period")]);
}

#[test]
fn duplicate_key() {
    let rows = ["COB-01,2025-01,T01,_T,_T,_T,_T,1,reported", "COB-01,2025-01,T01,_T,_T,_T,_T,2,reported"];
    assert_eq!(facts_findings(&rows), vec![error("facts", Some(2), "indicator")]);
}

#[test]
fn negative_count() {
    assert_eq!(facts_findings(&["INT-05,2025-01,T01,_T,_T,_T,_T,-3,reported"]), vec![error("facts", Some(1), "value")]);
}

#[test]
fn percentage_out_of_range() {
    assert_eq!(
        facts_findings(&["DER-02,2025-01,T01,_T,_T,_T,_T,120,reported"]),
        vec![error("facts", Some(1), "value")]
    );
}

#[test]
fn parts_exceed_total() {
    let rows = [
        "COB-01,2025-01,T01,_T,_T,_T,_T,10,reported",
        "COB-01,2025-01,T01,_T,_T,mujer,_T,6,reported",
        "COB-01,2025-01,T01,_T,_T,hombre,_T,6,reported",
    ];
    assert_eq!(facts_findings(&rows), vec![error("facts", Some(1), "sex")]);
}

/// Issue 34: people by service received (COB-03, whose `service` parts overlap) may add up to more than the people;
/// their sex may not.
#[test]
fn overlapping_parts_may_exceed_their_total_exclusive_ones_may_not() {
    let rows = [
        "COB-03,2025-01,T01,_T,_T,_T,_T,10,reported",
        "COB-03,2025-01,T01,orientacion,_T,_T,_T,8,reported",
        "COB-03,2025-01,T01,intermediacion,_T,_T,_T,6,reported",
        "COB-03,2025-01,T01,_T,_T,mujer,_T,6,reported",
        "COB-03,2025-01,T01,_T,_T,hombre,_T,6,reported",
    ];
    assert_eq!(facts_findings(&rows), vec![error("facts", Some(1), "sex")]);
}

#[test]
fn small_sensitive_cell_is_hidden_and_reported_not_refused() {
    let note = |row| (Severity::Info, "facts".to_owned(), row, Some("value".to_owned()));
    // The cell (row 1) and the summary line of the protection.
    assert_eq!(facts_findings(&["COB-01,2025-01,T01,_T,desplazada,_T,_T,3,reported"]), vec![note(None), note(Some(1))]);
    let (report, tables) = validate_snapshot(&[intake::read(
        "facts.csv",
        facts(&["COB-01,2025-01,T01,_T,desplazada,_T,_T,3,reported"]).as_bytes(),
        Limits::default(),
    )
    .expect("readable")]);
    assert!(report.findings[1].message_en.starts_with("primary suppression: «desplazada»"), "{:?}", report.findings);
    let f = crate::facts::Facts::try_from(tables.expect("valid").remove(0).1).expect("facts");
    assert_eq!((f.value(0), f.status.code(0)), (None, "suppressed"));
    // An analyst's own suppression stays as it is, with nothing to report.
    assert_eq!(facts_findings(&["COB-01,2025-01,T01,_T,desplazada,_T,_T,,suppressed"]), vec![]);
}

#[test]
fn empty_value_must_say_why() {
    assert_eq!(facts_findings(&["COB-01,2025-01,T01,_T,_T,_T,_T,,reported"]), vec![error("facts", Some(1), "value")]);
    assert_eq!(
        facts_findings(&["COB-01,2025-01,T01,_T,_T,_T,_T,4,not_collected"]),
        vec![error("facts", Some(1), "status")]
    );
}

const INTERVENTION: &str = "intervention_id,name_es,strategy,institution,planned_start,planned_end,status,priority\n\
                            HR-INT-001,Ferias,INT,SIEMPLEO,2025-01-01,2025-12-31,en_ejecucion,1";

#[test]
fn milestone_weights_must_sum_to_100() {
    let m = "milestone_id,intervention_id,name_es,planned_date,status,weight\n\
             H1,HR-INT-001,Inicio,2025-02-01,cumplido,40\nH2,HR-INT-001,Fin,2025-12-01,pendiente,50";
    assert_eq!(
        findings(&[("interventions.csv", INTERVENTION), ("milestones.csv", m)]),
        vec![error("milestones", Some(1), "weight")]
    );
}

#[test]
fn a_baseline_date_must_be_a_date_and_may_be_absent() {
    let m = "milestone_id,intervention_id,name_es,planned_date,baseline_date,status,weight\n\
             H1,HR-INT-001,Inicio,2025-05-01,2025-02-01,pendiente,40\n\
             H2,HR-INT-001,Fin,2025-12-01,15/03/2025,pendiente,30\n\
             H3,HR-INT-001,Cierre,2025-12-15,,pendiente,30";
    assert_eq!(
        findings(&[("interventions.csv", INTERVENTION), ("milestones.csv", m)]),
        vec![error("milestones", Some(2), "baseline_date")]
    );
}

#[test]
fn a_target_revision_must_say_when() {
    let t = "indicator,year,period,territory,value,revised_on,revised_by,revision_reason,previous_value\n\
             COB-01,2026,,T01,600,2026-06-15,DGE,más retornos,500\n\
             COB-01,2026,,T02,400,,DGE,,450\n\
             COB-01,2026,,T03,100,junio,,,\n\
             COB-01,2026,,T04,100,,,,";
    assert_eq!(
        findings(&[("targets.csv", t)]),
        vec![error("targets", Some(2), "revised_on"), error("targets", Some(3), "revised_on")]
    );
}

#[test]
fn end_before_start() {
    let i = "intervention_id,name_es,strategy,institution,planned_start,planned_end,status,priority\n\
             HR-INT-001,Ferias,INT,SIEMPLEO,2025-06-01,2025-01-31,en_ejecucion,1";
    assert_eq!(findings(&[("interventions.csv", i)]), vec![error("interventions", Some(1), "planned_end")]);
}

#[test]
fn executed_above_current_is_a_warning() {
    let b = "intervention_id,fiscal_year,funding_source,approved_hnl,current_hnl,committed_hnl,executed_hnl\n\
             HR-INT-001,2025,euroempleo,100,100,100,120";
    let found = findings(&[("interventions.csv", INTERVENTION), ("budget_lines.csv", b)]);
    assert_eq!(found, vec![(Severity::Warning, "budget_lines".into(), Some(1), Some("executed_hnl".into()))]);
}

#[test]
fn reference_to_a_missing_intervention() {
    let b = "intervention_id,fiscal_year,funding_source,approved_hnl,current_hnl,committed_hnl,executed_hnl\n\
             HR-INT-009,2025,euroempleo,100,100,50,50";
    assert_eq!(
        findings(&[("interventions.csv", INTERVENTION), ("budget_lines.csv", b)]),
        vec![error("budget_lines", Some(1), "intervention_id")]
    );
}

#[test]
fn every_problem_is_listed_not_the_first() {
    let rows = [
        "COB-01,2025-01,T01,_T,_T,_T,_T,x,reported",
        "COB-99,2025-01,T01,_T,_T,_T,_T,1,reported",
        "COB-01,20251,T01,_T,_T,_T,_T,1,reported",
    ];
    let found = facts_findings(&rows);
    assert_eq!(
        found,
        vec![error("facts", Some(1), "value"), error("facts", Some(2), "indicator"), error("facts", Some(3), "period")]
    );
}

#[test]
fn a_new_population_group_published_as_data_is_accepted() {
    let populations = "code,name_es,name_en,sensitive\ngeneral,General,General,false\njuventud,Juventud,Youth,false";
    let f = facts(&["COB-01,2025-01,T01,_T,juventud,_T,_T,40,reported"]);
    assert_eq!(findings(&[("populations.csv", populations), ("facts.csv", &f)]), vec![]);
}

#[test]
fn excel_csv_with_bom_semicolons_and_crlf_reads_like_plain_csv() {
    let plain =
        facts(&["COB-01,2025-01,T01,_T,_T,_T,_T,120.5,reported", "COB-01,2025-02,T02,_T,_T,mujer,_T,,not_collected"]);
    let excel = format!("\u{feff}{}", plain.replace(',', ";").replace('\n', "\r\n"));
    let canonical = |csv: &str| {
        let upload = intake::read("facts.csv", csv.as_bytes(), Limits::default()).expect("readable");
        let (report, tables) = validate_snapshot(&[upload]);
        assert!(!report.has_errors(), "{:?}", report.findings);
        tables.expect("valid").remove(0).1
    };
    assert_eq!(canonical(&plain), canonical(&excel));
}

#[test]
fn the_demo_snapshot_validates_clean_and_round_trips() {
    let config = crate::demo::DemoConfig::default();
    let facts = crate::demo::facts(&config);
    let csv = intake::write_csv(&facts).expect("csv");
    let mut uploads = vec![intake::read("facts.csv", &csv, Limits::default()).expect("readable")];
    for (name, text) in crate::demo::roadmap::tables(&config) {
        uploads.push(intake::read(&format!("{name}.csv"), text.as_bytes(), Limits::default()).expect("readable"));
    }
    let (report, tables) = validate_snapshot(&uploads);
    // Nothing but the protection's notes and warnings: every one about a cell of `facts` it hid.
    let others: Vec<_> = report
        .findings
        .iter()
        .filter(|f| {
            f.table != "facts" || f.column.as_deref() != Some("value") || f.message_en.starts_with("this hidden")
        })
        .collect();
    assert_eq!(others, Vec::<&crate::finding::Finding>::new(), "the demo must be clean");
    assert!(report.infos() > 1_000 && report.warnings() == 0, "{} {}", report.infos(), report.warnings());
    let tables = tables.expect("valid");
    let (_, canonical_facts) = tables.iter().find(|(s, _)| s.name == "facts").expect("facts");
    // Same rows after demo → CSV → intake → canonical, compared through the typed view; canonical rows come
    // sorted by their codes (indicator, period, territory, service, population, sex, age group).
    let a = crate::facts::Facts::try_from(facts).expect("demo");
    let b = crate::facts::Facts::try_from(canonical_facts.clone()).expect("canonical");
    let rows = |f: &crate::facts::Facts| -> Vec<(Vec<String>, Option<u64>)> {
        (0..f.len())
            .map(|r| {
                let dims = [&f.indicator, &f.period, &f.territory, &f.service, &f.population, &f.sex, &f.age_group];
                let mut codes: Vec<String> = dims.iter().map(|d| d.code(r).to_owned()).collect();
                codes.push(f.status.code(r).to_owned());
                (codes, f.value(r).map(f64::to_bits))
            })
            .collect()
    };
    // No validity bitmap where nothing is null (it would add a bit a row to every key column).
    for (field, column) in canonical_facts.schema().fields().iter().zip(canonical_facts.columns()) {
        assert!(column.nulls().is_none() || column.null_count() > 0, "{} carries an all-valid bitmap", field.name());
    }
    let (mut expected, canonical) = (rows(&a), rows(&b));
    expected.sort();
    // The same rows, in code order, but those the protection hid: empty, status suppressed.
    let hidden = |(codes, value): &(Vec<String>, Option<u64>)| codes[7] == "suppressed" && value.is_none();
    assert_eq!(canonical.len(), expected.len());
    for (c, e) in canonical.iter().zip(&expected) {
        if hidden(c) {
            assert_eq!(c.0[..7], e.0[..7]);
        } else {
            assert_eq!(c, e, "the same rows, in code order");
        }
    }
    // Each indicator's rows are one run, which the app's loops read alone.
    let key = b.indicator.key_of("INT-05").expect("INT-05");
    let run = b.rows_of(key);
    assert!(run.len() < b.len() / 4);
    assert_eq!(run.clone().filter(|&r| b.indicator.code(r) == "INT-05").count(), run.len());
    assert_eq!((0..b.len()).filter(|&r| b.indicator.code(r) == "INT-05").count(), run.len());
}

#[test]
fn canonical_facts_are_the_same_bytes_whatever_the_input_order() {
    let facts = crate::demo::facts(&crate::demo::DemoConfig { months: 3, ..Default::default() });
    let n = facts.num_rows() as u32;
    // The rows reversed, and so the dictionaries in another order of first occurrence.
    let reversed: arrow_array::UInt32Array = (0..n).rev().collect();
    let columns = facts.columns().iter().map(|c| arrow_select::take::take(c, &reversed, None).expect("take")).collect();
    let shuffled = arrow_array::RecordBatch::try_new(facts.schema(), columns).expect("batch");
    let canonical = |batch: arrow_array::RecordBatch| {
        let (report, tables) = validate_snapshot(&[Upload { name: "facts".into(), batch }]);
        assert!(!report.has_errors(), "{:?}", report.findings);
        let (_, facts) = tables.expect("valid").remove(0);
        crate::ipc::write_stream(&facts).expect("ipc")
    };
    assert_eq!(canonical(facts), canonical(shuffled));
}

#[test]
fn stored_keys_are_the_narrowest_that_fit_and_read_back_the_same() {
    let config = crate::demo::DemoConfig { months: 3, ..Default::default() };
    let validated = |batch: arrow_array::RecordBatch| {
        let (report, tables) = validate_snapshot(&[Upload { name: "facts".into(), batch }]);
        assert!(!report.has_errors(), "{:?}", report.findings);
        tables.expect("valid").remove(0).1
    };
    let stored = validated(crate::demo::facts(&config));
    for field in stored.schema().fields().iter().filter(|f| f.name() != "value") {
        assert_eq!(field.data_type(), &DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8)));
    }
    // A stored table uploaded again (an analyst's download) is read, validated and stored as the same bytes.
    let bytes = crate::ipc::write_stream(&stored).expect("ipc");
    let again = validated(crate::ipc::read_stream(&bytes).expect("read"));
    assert_eq!(crate::ipc::write_stream(&again).expect("ipc"), bytes);
    // The same codes row by row as the same table with `Int16` keys: what readers see does not depend on the width.
    let int16 = DataType::Dictionary(Box::new(DataType::Int16), Box::new(DataType::Utf8));
    let columns = stored.columns().iter().map(|c| match c.data_type() {
        DataType::Dictionary(..) => arrow_cast::cast(c, &int16).expect("Int16"),
        _ => Arc::clone(c),
    });
    let fields: Vec<_> = stored
        .schema()
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Dictionary(..) => f.as_ref().clone().with_data_type(int16.clone()),
            _ => f.as_ref().clone(),
        })
        .collect();
    let schema = Arc::new(arrow_schema::Schema::new_with_metadata(fields, stored.schema().metadata().clone()));
    let wide = arrow_array::RecordBatch::try_new(schema, columns.collect()).expect("batch");
    let (narrow, wide) = (
        crate::facts::Facts::try_from(stored).expect("Int8 facts"),
        crate::facts::Facts::try_from(wide).expect("Int16 facts"),
    );
    assert_eq!(narrow.len(), wide.len());
    let row = |f: &crate::facts::Facts, r: usize| {
        let dims = [&f.indicator, &f.period, &f.territory, &f.service, &f.population, &f.sex, &f.age_group, &f.status];
        (dims.map(|d| d.code(r).to_owned()), f.value(r).map(f64::to_bits))
    };
    assert!((0..narrow.len()).all(|r| row(&narrow, r) == row(&wide, r)), "the same rows whatever the key width");
    // And the same figures: the aggregation loops are compiled for each width.
    let (place, dims) =
        (crate::dashboard::Place::National, crate::dashboard::Dims { sex: "mujer", ..Default::default() });
    let indicators: Vec<String> =
        (0..narrow.indicator.dictionary_len()).map(|k| narrow.indicator.code_of_key(k as i16).to_owned()).collect();
    let book = crate::codebook::CodeBook::builtin();
    for indicator in &indicators {
        let at = |f: &crate::facts::Facts| {
            let breakdown =
                crate::dashboard::Breakdown::compute(f, &book, indicator, "2000-01", "2100-12", &place, &dims);
            let monthly = crate::dashboard::monthly(f, &book, indicator, &place, &dims);
            (breakdown, monthly, crate::dashboard::codes_of(f, indicator, &f.age_group))
        };
        let figures = at(&narrow);
        assert!(indicator != "COB-01" || !figures.1.is_empty(), "COB-01 has rows for women");
        assert_eq!(figures, at(&wide), "{indicator}");
    }
    // A dictionary of more than 128 codes keeps `Int16` keys.
    let codes: Vec<String> = (0..200).map(|i| format!("c{i:03}")).collect();
    let keys = Int16Array::from((0..200).collect::<Vec<i16>>());
    let wide = arrow_array::DictionaryArray::try_new(keys, Arc::new(StringArray::from(codes))).expect("dictionary");
    let batch = arrow_array::RecordBatch::try_from_iter([("c", Arc::new(wide) as ArrayRef)]).expect("batch");
    let kept = order::narrow(&batch).expect("narrow");
    assert_eq!(
        kept.schema().field(0).data_type(),
        &DataType::Dictionary(Box::new(DataType::Int16), Box::new(DataType::Utf8))
    );
}

#[test]
fn too_many_columns_is_refused_before_parsing() {
    let header = vec!["c"; 100_000].join(",");
    assert!(matches!(
        intake::read("facts.csv", header.as_bytes(), Limits::default()),
        Err(intake::IntakeError::TooManyColumns { .. })
    ));
}

#[test]
fn dictionary_values_that_trim_to_the_same_code_are_one_code() {
    // Arrow or Parquet input whose dictionary repeats a code, or holds it with and without spaces (concatenated
    // batches, merged dictionaries): each value used to get its own canonical key, hiding duplicate rows.
    let dict = |values: &[&str], keys: &[i16]| -> ArrayRef {
        let values: ArrayRef = Arc::new(StringArray::from(values.to_vec()));
        Arc::new(DictionaryArray::try_new(Int16Array::from(keys.to_vec()), values).expect("dictionary"))
    };
    let batch = |periods: &[&str; 2]| {
        let same = |v: &str| dict(&[v], &[0, 0]);
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("indicator", dict(&["COB-01", " COB-01", "COB-01"], &[0, 1])),
            ("period", dict(periods, &[0, 1])),
            ("territory", same("T01")),
            ("service", same("_T")),
            ("population", same("_T")),
            ("sex", same("_T")),
            ("age_group", same("_T")),
            ("value", Arc::new(arrow_array::Float64Array::from(vec![1.0, 2.0]))),
            ("status", same("reported")),
        ];
        RecordBatch::try_from_iter(columns).expect("batch")
    };
    let (report, _) = validate_snapshot(&[Upload { name: "facts".into(), batch: batch(&["2025-01", "2025-01"]) }]);
    let found: Vec<_> = report.findings.iter().map(|f| (f.row, f.column.as_deref())).collect();
    assert_eq!(found, [(Some(2), Some("indicator"))], "{:#?}", report.findings);
    let (report, canonical) =
        validate_snapshot(&[Upload { name: "facts".into(), batch: batch(&["2025-01", "2025-02"]) }]);
    assert!(!report.has_errors(), "{:#?}", report.findings);
    let canonical = canonical.expect("valid");
    let indicator = canonical[0].1.column_by_name("indicator").expect("indicator");
    let indicator = indicator.as_dictionary_opt::<arrow_array::types::Int8Type>().expect("dictionary");
    assert_eq!(indicator.values().len(), 1);
}

#[test]
fn columns_typed_on_two_threads_give_the_same_report_and_batch() {
    // The demo facts as text, with bad cells in columns on both sides of the split, one past the cap of 200.
    let batch = crate::demo::facts(&crate::demo::DemoConfig::default());
    let text: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|c| arrow_cast::cast(c, &DataType::Utf8).expect("as text"))
        .enumerate()
        .map(|(i, c)| {
            let cells = c.as_string::<i32>();
            let bad = |row: usize| match i {
                0 => row % 997 == 3,
                7 => row % 50 == 1,
                8 => row == 10,
                _ => false,
            };
            let out: StringArray = (0..cells.len())
                .map(|r| if bad(r) { Some("???") } else { cells.is_valid(r).then(|| cells.value(r)) })
                .collect();
            Arc::new(out) as ArrayRef
        })
        .collect();
    let fields: Vec<Field> =
        batch.schema().fields().iter().map(|f| Field::new(f.name(), DataType::Utf8, true)).collect();
    let input = RecordBatch::try_new(Arc::new(Schema::new(fields)), text).expect("batch");
    let spec = tables::spec("facts").expect("spec");
    let lists = CodeLists::builtin();
    let run = |parallel: bool| {
        let mut report = Report::default();
        let clean = validate_table_on(spec, &input, &lists, &mut report, parallel);
        report.finish();
        (report, clean)
    };
    let (one, two) = (run(false), run(true));
    assert!(one.0.errors() > 200, "{}", one.0.errors());
    assert!(one.0.findings.iter().any(|f| f.message_en.starts_with("… and")));
    assert_eq!(one, two);
}

/// Issue 34: a rate names its two count indicators; only a rate has them; overlapping names a disaggregation.
#[test]
fn a_ratio_names_two_count_indicators_of_its_list() {
    let list = "code,name_es,name_en,unit,frequency,higher_is_better,combine,numerator,denominator,overlapping\n\
                A-01,Atendidas,Served,count,M,true,sum,,,service\n\
                A-02,Derivadas,Referred,count,M,true,,,,\n\
                A-03,Tasa,Rate,percent,M,true,ratio,A-01,A-02,\n\
                A-04,Tasa sin partes,Rate without parts,percent,M,true,ratio,A-01,,\n\
                A-05,Tasa de tasas,Rate of rates,percent,M,true,ratio,A-03,A-02,\n\
                A-06,Conteo con partes,Count with parts,count,M,true,sum,A-01,A-02,region";
    assert_eq!(
        findings(&[("indicators.csv", list)]),
        vec![
            error("indicators", Some(4), "denominator"),
            error("indicators", Some(5), "numerator"),
            error("indicators", Some(6), "denominator"),
            error("indicators", Some(6), "numerator"),
            error("indicators", Some(6), "overlapping"),
        ]
    );
}

/// An office's municipality is an INE code of its own department (ISO or INE department code alike); a list
/// without the column, or an office without one, is fine.
#[test]
fn a_municipality_is_one_of_its_departments() {
    let list = "code,name_es,department,municipality\n\
                T02,San Pedro Sula,HN-CR,0501\n\
                T10,Choloma,05,0502\n\
                T90,Oficina móvil,HN-CR,\n\
                T91,Fuera de Cortés,HN-CR,0801\n\
                T92,Sin número,HN-CR,0513\n\
                T93,Texto,HN-CR,Choloma";
    let found: Vec<_> = findings(&[("territories.csv", list)]).into_iter().filter(|f| f.1 == "territories").collect();
    let rows: Vec<Option<usize>> = found.iter().map(|f| f.2).collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().all(|f| f.3.as_deref() == Some("municipality") && f.0 == Severity::Error), "{found:?}");
    assert_eq!(rows, vec![Some(4), Some(5), Some(6)], "0801 is Distrito Central's, Cortés has 12, a name is no code");
    let without = "code,name_es,department\nT02,San Pedro Sula,HN-CR";
    assert!(findings(&[("territories.csv", without)]).iter().all(|f| f.1 != "territories"));
}
