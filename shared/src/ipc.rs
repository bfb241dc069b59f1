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

/// Decodes an Arrow IPC stream into one batch (several batches are concatenated).
pub fn read_stream(bytes: &[u8]) -> Result<RecordBatch, ArrowError> {
    let reader = StreamReader::try_new(bytes, None)?;
    let schema = reader.schema();
    let batches = reader.collect::<Result<Vec<_>, _>>()?;
    match batches.len() {
        1 => Ok(batches.into_iter().next().unwrap_or_else(|| RecordBatch::new_empty(schema))),
        _ => arrow_select::concat::concat_batches(&schema, &batches),
    }
}
