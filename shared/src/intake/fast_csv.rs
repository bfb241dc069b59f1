//! The fast CSV path: plain CSV (no quote characters, every line with the header's field count, LF or CRLF) is
//! split at line boundaries and parsed on several threads, code columns interned straight into dictionary keys.
//! Anything else returns `None` and the general reader (arrow-csv) reads the file, so both paths give the same
//! batch to validation for every file the fast path accepts (tests in `intake.rs` compare them).

use std::sync::Arc;

use arrow_array::{ArrayRef, DictionaryArray, Int32Array, StringArray};
use arrow_buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};

use crate::validate::FastMap;

/// Below this many bytes one thread parses the whole body: spawning costs more than it saves.
pub(super) const MIN_BYTES_PER_THREAD: usize = 1 << 20;

/// How one column is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    /// Interned: each distinct trimmed value once, a key per row; empty cells are null.
    Dictionary,
    /// The cell's text as written.
    Text,
}

/// One chunk's columns, before the chunks are joined.
enum Part<'a> {
    Dictionary { values: Vec<&'a str>, keys: Vec<i32> },
    Text { offsets: Vec<i32>, data: Vec<u8> },
}

/// Reads the body of a CSV (the bytes after the header line), or `None` when it is not plain enough for this path.
/// `max_rows` stops the path early; the general reader then reports the limit.
pub(super) fn read(body: &str, delimiter: u8, columns: &[Column], max_rows: usize) -> Option<Vec<ArrayRef>> {
    let bytes = body.as_bytes();
    if memchr::memchr(b'"', bytes).is_some() || columns.is_empty() {
        return None;
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(bytes.len() / MIN_BYTES_PER_THREAD);
    let chunks = split(body, threads.max(1));
    let parts: Vec<Option<Vec<Part<'_>>>> = if chunks.len() == 1 {
        chunks.iter().map(|c| parse(c, delimiter, columns, max_rows)).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> =
                chunks.iter().map(|c| scope.spawn(move || parse(c, delimiter, columns, max_rows))).collect();
            handles.into_iter().map(|h| h.join().ok().flatten()).collect()
        })
    };
    let parts: Vec<Vec<Part<'_>>> = parts.into_iter().collect::<Option<_>>()?;
    let rows: usize = parts.iter().map(|p| part_len(p.first())).sum();
    if rows > max_rows {
        return None;
    }
    (0..columns.len()).map(|c| join(parts.iter().filter_map(|p| p.get(c)), rows)).collect()
}

fn part_len(part: Option<&Part<'_>>) -> usize {
    match part {
        Some(Part::Dictionary { keys, .. }) => keys.len(),
        Some(Part::Text { offsets, .. }) => offsets.len().saturating_sub(1),
        None => 0,
    }
}

/// Splits `body` into about `n` pieces, each ending just after a line feed (the last at the end of the body).
fn split(body: &str, n: usize) -> Vec<&str> {
    let bytes = body.as_bytes();
    let mut out = Vec::with_capacity(n);
    let mut start = 0;
    for i in 1..n {
        let target = (bytes.len() * i / n).max(start);
        let Some(end) = bytes.get(target..).and_then(|rest| memchr::memchr(b'\n', rest)).map(|at| target + at + 1)
        else {
            break;
        };
        if let Some(piece) = body.get(start..end) {
            out.push(piece);
        }
        start = end;
    }
    if let Some(piece) = body.get(start..) {
        out.push(piece);
    }
    out
}

/// Parses whole lines; `None` at the first line that is not plain (a stray CR, an empty line before the end, a
/// field count other than the header's) or past `max_rows`.
fn parse<'a>(chunk: &'a str, delimiter: u8, columns: &[Column], max_rows: usize) -> Option<Vec<Part<'a>>> {
    let estimate = chunk.len() / 48 + 16;
    let mut parts: Vec<Part<'a>> = columns
        .iter()
        .map(|c| match c {
            Column::Dictionary => Part::Dictionary { values: Vec::new(), keys: Vec::with_capacity(estimate) },
            Column::Text => {
                let mut offsets = Vec::with_capacity(estimate + 1);
                offsets.push(0);
                Part::Text { offsets, data: Vec::with_capacity(chunk.len() / columns.len().max(1)) }
            }
        })
        .collect();
    // Per dictionary column: the distinct values seen, and the last cell with its key (runs are common).
    let mut seen: Vec<FastMap<&'a str, i32>> = columns.iter().map(|_| FastMap::default()).collect();
    let mut last: Vec<Option<(&'a str, i32)>> = vec![None; columns.len()];
    let bytes = chunk.as_bytes();
    let mut rows = 0usize;
    let mut start = 0usize;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |at| start + at);
        let mut line = chunk.get(start..end)?;
        start = end + 1;
        line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || memchr::memchr(b'\r', line.as_bytes()).is_some() {
            return None;
        }
        rows += 1;
        if rows > max_rows {
            return None;
        }
        let mut fields = line.split(char::from(delimiter));
        for (c, part) in parts.iter_mut().enumerate() {
            let cell = fields.next()?;
            match part {
                Part::Dictionary { values, keys } => {
                    if let Some((previous, key)) = last[c]
                        && previous == cell
                    {
                        keys.push(key);
                        continue;
                    }
                    let trimmed = cell.trim();
                    let key = if trimmed.is_empty() {
                        -1
                    } else {
                        *seen[c].entry(trimmed).or_insert_with(|| {
                            values.push(trimmed);
                            i32::try_from(values.len() - 1).unwrap_or(i32::MAX)
                        })
                    };
                    last[c] = Some((cell, key));
                    keys.push(key);
                }
                Part::Text { offsets, data } => {
                    data.extend_from_slice(cell.as_bytes());
                    offsets.push(i32::try_from(data.len()).ok()?);
                }
            }
        }
        if fields.next().is_some() {
            return None;
        }
    }
    Some(parts)
}

/// Joins one column's chunks into one array (dictionaries merged, so each distinct value appears once).
fn join<'p, 'a: 'p>(parts: impl Iterator<Item = &'p Part<'a>>, rows: usize) -> Option<ArrayRef> {
    let parts: Vec<&Part<'a>> = parts.collect();
    match parts.first() {
        Some(Part::Dictionary { .. }) => {
            let mut index: FastMap<&str, i32> = FastMap::default();
            let mut values: Vec<&str> = Vec::new();
            let mut keys: Vec<i32> = Vec::with_capacity(rows);
            let mut valid: Vec<bool> = Vec::with_capacity(rows);
            for part in parts {
                let Part::Dictionary { values: local, keys: local_keys } = part else { return None };
                let map: Vec<i32> = local
                    .iter()
                    .map(|v| {
                        *index.entry(v).or_insert_with(|| {
                            values.push(v);
                            i32::try_from(values.len() - 1).unwrap_or(i32::MAX)
                        })
                    })
                    .collect();
                for &k in local_keys {
                    let global = usize::try_from(k).ok().and_then(|k| map.get(k).copied());
                    keys.push(global.unwrap_or(0));
                    valid.push(global.is_some());
                }
            }
            let nulls = NullBuffer::from(valid);
            let keys = Int32Array::new(ScalarBuffer::from(keys), (nulls.null_count() > 0).then_some(nulls));
            let values: ArrayRef = Arc::new(StringArray::from(values));
            DictionaryArray::try_new(keys, values).ok().map(|d| Arc::new(d) as ArrayRef)
        }
        Some(Part::Text { .. }) => {
            let mut offsets: Vec<i32> = Vec::with_capacity(rows + 1);
            offsets.push(0);
            let mut data: Vec<u8> = Vec::new();
            for part in parts {
                let Part::Text { offsets: local, data: bytes } = part else { return None };
                let base = i32::try_from(data.len()).ok()?;
                offsets.extend(local.iter().skip(1).map(|o| base.saturating_add(*o)));
                data.extend_from_slice(bytes);
            }
            i32::try_from(data.len()).ok()?;
            let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
            StringArray::try_new(offsets, data.into(), None).ok().map(|s| Arc::new(s) as ArrayRef)
        }
        None => None,
    }
}
