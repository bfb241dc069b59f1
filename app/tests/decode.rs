//! The Arrow IPC reader the app ships (`vendor/arrow-ipc` without `all-types`: only the array types Rumbo's tables
//! use are linked), compiled to wasm32 and run in headless Chromium. The server's reader, with every type, is tested
//! natively (`shared::ipc`, intake).

use std::sync::Arc;

use arrow_array::{
    ArrayRef, DictionaryArray, Int16Array, LargeStringArray, RecordBatch, StringArray, StructArray, types::Int16Type,
};
use arrow_schema::{DataType, Field, Schema};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn sexes(keys: Vec<i16>) -> RecordBatch {
    let dict = DictionaryArray::<Int16Type>::try_new(
        Int16Array::from(keys),
        Arc::new(StringArray::from(vec!["mujer", "hombre"])),
    )
    .expect("valid dictionary");
    RecordBatch::try_from_iter([("sex", Arc::new(dict) as ArrayRef)]).expect("batch")
}

fn decode_error(batch: &RecordBatch) -> String {
    let bytes = shared::ipc::write_stream(batch).expect("encode");
    shared::ipc::decode_stream(bytes).expect_err("refused").to_string()
}

#[wasm_bindgen_test]
fn the_demo_snapshot_decodes_to_the_same_figures() {
    let batch = shared::demo::facts(&shared::demo::DemoConfig::default());
    let bytes = shared::ipc::write_stream(&batch).expect("encode");
    let decoded = shared::ipc::decode_stream(bytes).expect("decodes in wasm");
    assert_eq!(decoded, batch);
}

#[wasm_bindgen_test]
fn a_dictionary_key_outside_its_dictionary_is_refused() {
    let pattern: [i16; 8] = [1, 0, 1, 1, 0, 0, 1, 0];
    let mut bytes = shared::ipc::write_stream(&sexes(pattern.to_vec())).expect("encode");
    assert_eq!(shared::ipc::decode_stream(bytes.clone()).expect("decodes").num_rows(), 8);
    let le: Vec<u8> = pattern.iter().flat_map(|k| k.to_le_bytes()).collect();
    let at = bytes.windows(le.len()).position(|w| w == le).expect("the keys are in the stream");
    bytes[at] = 7;
    let err = shared::ipc::decode_stream(bytes).expect_err("key 7 of a 2-code dictionary").to_string();
    assert!(err.contains("out of bounds"), "{err}");
}

#[wasm_bindgen_test]
fn a_column_of_a_type_no_table_uses_is_an_error_not_a_panic() {
    let large = LargeStringArray::from(vec!["a", "b"]);
    let err = decode_error(&RecordBatch::try_from_iter([("x", Arc::new(large) as ArrayRef)]).expect("batch"));
    assert!(err.contains("without support for LargeUtf8"), "{err}");

    let inner: ArrayRef = Arc::new(StringArray::from(vec!["a", "b"]));
    let nested = StructArray::from(vec![(Arc::new(Field::new("y", DataType::Utf8, false)), inner)]);
    let err = decode_error(&RecordBatch::try_from_iter([("x", Arc::new(nested) as ArrayRef)]).expect("batch"));
    assert!(err.contains("without support for Struct"), "{err}");
}

#[wasm_bindgen_test]
fn a_stream_without_a_batch_is_refused() {
    let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Utf8, false)]));
    let mut bytes = Vec::new();
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(&mut bytes, &schema).expect("writer");
    writer.finish().expect("finish");
    drop(writer);
    let err = shared::ipc::decode_stream(bytes).expect_err("no batch").to_string();
    assert!(err.contains("expected one record batch, found 0"), "{err}");
}
