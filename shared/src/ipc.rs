//! Arrow IPC stream encoding and decoding. Tables travel to the browser uncompressed: HTTP compression
//! does the rest, and the wasm app carries no compression codecs.

use arrow_array::RecordBatch;
use arrow_ipc::writer::StreamWriter;
use arrow_schema::ArrowError;

/// Encodes one batch as an Arrow IPC stream.
pub fn write_stream(batch: &RecordBatch) -> Result<Vec<u8>, ArrowError> {
    let mut out = Vec::new();
    let mut writer = StreamWriter::try_new(&mut out, batch.schema_ref())?;
    writer.write(batch)?;
    writer.finish()?;
    drop(writer);
    Ok(out)
}

/// Decodes an Arrow IPC stream of canonical tables (one batch, as [`write_stream`] writes, even of no rows) into
/// that batch. On the server (feature `intake`) several batches are concatenated and a stream of none is an empty
/// table; the app, which only reads canonical tables, refuses both (making empty columns of any type would link
/// every Arrow array type into the wasm: `vendor/arrow-ipc/PATCH.md`).
pub fn read_stream(bytes: &[u8]) -> Result<RecordBatch, ArrowError> {
    decode_stream(bytes.to_vec())
}

/// [`read_stream`] of bytes it may keep: the batch's arrays are slices of `bytes`, not copies (the IPC writer
/// aligns every buffer, so a fresh allocation is aligned enough). The app decodes a million rows this way.
pub fn decode_stream(bytes: Vec<u8>) -> Result<RecordBatch, ArrowError> {
    let mut buffer = arrow_buffer::Buffer::from_vec(bytes);
    let mut decoder = arrow_ipc::reader::StreamDecoder::new();
    let mut batches = Vec::new();
    while !buffer.is_empty() {
        batches.extend(decoder.decode(&mut buffer)?);
    }
    decoder.finish()?;
    let schema = decoder.schema().ok_or_else(|| ArrowError::IpcError("empty stream".to_owned()))?;
    one_batch(schema, batches)
}

/// The codes of a dictionary-encoded text column, per row (`None` for a null), whatever its key width: canonical
/// tables use the narrowest that fits (`Int8` or `Int16`). `None` when the column is not such a column.
pub fn dictionary_codes(array: &dyn arrow_array::Array) -> Option<Vec<Option<&str>>> {
    use arrow_array::Array as _;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{ArrowDictionaryKeyType, Int8Type, Int16Type};
    fn codes<K: ArrowDictionaryKeyType>(d: &arrow_array::DictionaryArray<K>) -> Option<Vec<Option<&str>>> {
        let values = d.values().as_string_opt::<i32>()?;
        let code = |k: K::Native| {
            let k = arrow_buffer::ArrowNativeType::as_usize(k);
            (k < values.len()).then(|| values.value(k))
        };
        Some(d.keys().iter().map(|k| k.and_then(code)).collect())
    }
    match array.as_dictionary_opt::<Int8Type>() {
        Some(d) => codes(d),
        None => codes(array.as_dictionary_opt::<Int16Type>()?),
    }
}

fn one_batch(schema: arrow_schema::SchemaRef, mut batches: Vec<RecordBatch>) -> Result<RecordBatch, ArrowError> {
    match batches.len() {
        1 => Ok(batches.remove(0)),
        #[cfg(feature = "intake")]
        0 => Ok(RecordBatch::new_empty(schema)),
        #[cfg(feature = "intake")]
        _ => arrow_select::concat::concat_batches(&schema, &batches),
        #[cfg(not(feature = "intake"))]
        n => {
            drop(schema);
            Err(ArrowError::InvalidArgumentError(format!("expected one record batch, found {n}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{DictionaryArray, Int16Array, RecordBatch, StringArray, types::Int16Type};

    use super::{decode_stream, write_stream};

    /// `Facts` relies on this: a dictionary key outside its dictionary is refused when a stream is decoded, so
    /// every key of a decoded table points at a code.
    #[test]
    fn a_dictionary_key_outside_its_dictionary_is_refused() {
        let pattern: [i16; 8] = [1, 0, 1, 1, 0, 0, 1, 0];
        let keys = Int16Array::from(pattern.to_vec());
        let dict = DictionaryArray::<Int16Type>::try_new(keys, Arc::new(StringArray::from(vec!["mujer", "hombre"])))
            .expect("valid dictionary");
        let batch = RecordBatch::try_from_iter([("sex", Arc::new(dict) as _)]).expect("batch");
        let mut bytes = write_stream(&batch).expect("encoded");
        assert_eq!(decode_stream(bytes.clone()).expect("decodes").num_rows(), 8);
        let le: Vec<u8> = pattern.iter().flat_map(|k| k.to_le_bytes()).collect();
        let at = bytes.windows(le.len()).position(|w| w == le).expect("the keys are in the stream");
        bytes[at] = 7;
        let err = decode_stream(bytes).expect_err("key 7 of a 2-code dictionary");
        assert!(err.to_string().contains("out of bounds"), "{err}");
    }
}
