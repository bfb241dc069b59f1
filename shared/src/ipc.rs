//! Arrow IPC stream encoding and decoding. Tables travel to the browser uncompressed: HTTP compression
//! does the rest, and the wasm app carries no compression codecs.

use arrow_array::RecordBatch;
use arrow_ipc::reader::StreamReader;
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

/// Decodes an Arrow IPC stream of canonical tables (one batch, as [`write_stream`] writes) into that batch; an
/// empty stream is an empty table. Several batches are concatenated on the server (feature `intake`); the app,
/// which only reads canonical tables, refuses such a stream.
pub fn read_stream(bytes: &[u8]) -> Result<RecordBatch, ArrowError> {
    let reader = StreamReader::try_new(bytes, None)?;
    let schema = reader.schema();
    let mut batches = reader.collect::<Result<Vec<_>, _>>()?;
    match batches.len() {
        0 => Ok(RecordBatch::new_empty(schema)),
        1 => Ok(batches.remove(0)),
        #[cfg(feature = "intake")]
        _ => arrow_select::concat::concat_batches(&schema, &batches),
        #[cfg(not(feature = "intake"))]
        n => Err(ArrowError::InvalidArgumentError(format!("expected one record batch, found {n}"))),
    }
}
