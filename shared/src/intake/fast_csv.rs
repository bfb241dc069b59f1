//! The fast CSV path: plain CSV (no quote characters, every line with the header's field count, LF or CRLF) is
//! split at line boundaries and parsed on several threads, code columns interned straight into dictionary keys.
//! Anything else returns `None` and the general reader (arrow-csv) reads the file, so both paths give the same
//! batch to validation for every file the fast path accepts (tests in `intake.rs` compare them).

use std::sync::Arc;

use arrow_array::{ArrayRef, DictionaryArray, Float64Array, Int32Array, StringArray};
use arrow_buffer::{BooleanBufferBuilder, NullBuffer, OffsetBuffer, ScalarBuffer};

use crate::validate::FastMap;

/// Below this many bytes one thread parses the whole body: spawning costs more than it saves.
pub(super) const MIN_BYTES_PER_THREAD: usize = 1 << 20;

/// How one column is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    /// Interned: each distinct trimmed value once, a key per row; empty cells are null.
    Dictionary,
    /// `Float64`, as validation would parse the trimmed text; empty cells are null. A cell that is not a finite
    /// number turns the column into `Text` (the whole file is read again), so that validation can quote it.
    Number,
    /// The cell's text as written.
    Text,
}

/// One chunk's columns, before the chunks are joined.
enum Part<'a> {
    Dictionary { values: Vec<&'a str>, keys: Vec<i32> },
    Number { values: Vec<f64>, valid: BooleanBufferBuilder },
    Text { offsets: Vec<i32>, data: Vec<u8> },
}

/// Why a chunk was not read.
enum Refusal {
    /// Not plain enough for this path.
    NotPlain,
    /// A cell of this `Number` column is not a number.
    NotANumber(usize),
}

/// Reads the body of a CSV (the bytes after the header line), or `None` when it is not plain enough for this path.
/// `max_rows` stops the path early; the general reader then reports the limit.
pub(super) fn read(body: &str, delimiter: u8, columns: &[Column], max_rows: usize) -> Option<Vec<ArrayRef>> {
    let bytes = body.as_bytes();
    if memchr::memchr(b'"', bytes).is_some() || columns.is_empty() {
        return None;
    }
    let mut columns = columns.to_vec();
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(bytes.len() / MIN_BYTES_PER_THREAD);
    let chunks = split(body, threads.max(1));
    let parts = loop {
        let kinds = &columns;
        let parts: Vec<Result<Vec<Part<'_>>, Refusal>> = if chunks.len() == 1 {
            chunks.iter().map(|c| parse(c, delimiter, kinds, max_rows)).collect()
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> =
                    chunks.iter().map(|c| scope.spawn(move || parse(c, delimiter, kinds, max_rows))).collect();
                handles.into_iter().map(|h| h.join().unwrap_or(Err(Refusal::NotPlain))).collect()
            })
        };
        match parts.into_iter().collect::<Result<Vec<_>, _>>() {
            Ok(parts) => break parts,
            Err(Refusal::NotANumber(c)) => columns[c] = Column::Text,
            Err(Refusal::NotPlain) => return None,
        }
    };
    let rows: usize = parts.iter().map(|p| part_len(p.first())).sum();
    if rows > max_rows {
        return None;
    }
    (0..columns.len()).map(|c| join(parts.iter().filter_map(|p| p.get(c)), rows)).collect()
}

fn part_len(part: Option<&Part<'_>>) -> usize {
    match part {
        Some(Part::Dictionary { keys, .. }) => keys.len(),
        Some(Part::Number { values, .. }) => values.len(),
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

/// A cell of at most 16 bytes as one integer (with its length), so that interning compares integers.
fn short_cell(bytes: &[u8], start: usize, end: usize) -> Option<(u128, u8)> {
    let len = end.checked_sub(start).filter(|&n| n <= 16)?;
    let word = if let Some(window) = bytes.get(start..start + 16) {
        let mut word = [0u8; 16];
        word.copy_from_slice(window);
        let mask = if len == 16 { u128::MAX } else { (1u128 << (8 * len)) - 1 };
        u128::from_le_bytes(word) & mask
    } else {
        let mut word = [0u8; 16];
        word[..len].copy_from_slice(bytes.get(start..end)?);
        u128::from_le_bytes(word)
    };
    Some((word, len as u8))
}

/// Slots of an interner's direct-mapped cache (a power of two).
const CACHE_SLOTS: usize = 64;

/// Per dictionary column: the distinct trimmed values seen, behind a small direct-mapped cache of short raw
/// cells, so that most cells cost one 16-byte load and one comparison instead of a trim and a string hash.
struct Interner<'a> {
    trimmed: FastMap<&'a str, i32>,
    /// `(word, length, key)`; a length of `u8::MAX` marks an empty slot.
    cache: [(u128, u8, i32); CACHE_SLOTS],
}

impl Default for Interner<'_> {
    fn default() -> Self {
        Self { trimmed: FastMap::default(), cache: [(0, u8::MAX, 0); CACHE_SLOTS] }
    }
}

impl<'a> Interner<'a> {
    fn key(&mut self, bytes: &[u8], cell: &'a str, start: usize, values: &mut Vec<&'a str>) -> i32 {
        let cached = short_cell(bytes, start, start + cell.len()).map(|(word, len)| {
            let mixed = (word as u64 ^ (word >> 64) as u64 ^ u64::from(len)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            (word, len, (mixed >> (64 - CACHE_SLOTS.trailing_zeros())) as usize)
        });
        if let Some((word, len, slot)) = cached
            && let (w, l, key) = self.cache[slot]
            && (w, l) == (word, len)
        {
            return key;
        }
        let trimmed = cell.trim();
        let key = if trimmed.is_empty() {
            -1
        } else {
            *self.trimmed.entry(trimmed).or_insert_with(|| {
                values.push(trimmed);
                i32::try_from(values.len() - 1).unwrap_or(i32::MAX)
            })
        };
        if let Some((word, len, slot)) = cached {
            self.cache[slot] = (word, len, key);
        }
        key
    }
}

/// Parses whole lines; refuses at the first line that is not plain (a stray CR, an empty line, a field count
/// other than the header's) or past `max_rows`, and at the first `Number` cell that is not a finite number.
fn parse<'a>(chunk: &'a str, delimiter: u8, columns: &[Column], max_rows: usize) -> Result<Vec<Part<'a>>, Refusal> {
    let estimate = chunk.len() / 48 + 16;
    let mut parts: Vec<Part<'a>> = columns
        .iter()
        .map(|c| match c {
            Column::Dictionary => Part::Dictionary { values: Vec::new(), keys: Vec::with_capacity(estimate) },
            Column::Number => {
                Part::Number { values: Vec::with_capacity(estimate), valid: BooleanBufferBuilder::new(estimate) }
            }
            Column::Text => {
                let mut offsets = Vec::with_capacity(estimate + 1);
                offsets.push(0);
                Part::Text { offsets, data: Vec::with_capacity(chunk.len() / columns.len().max(1)) }
            }
        })
        .collect();
    let mut interners: Vec<Interner<'a>> = columns.iter().map(|_| Interner::default()).collect();
    let bytes = chunk.as_bytes();
    let last_column = columns.len() - 1;
    let mut rows = 0usize;
    let mut pos = 0usize;
    // Every delimiter, line feed and carriage return, found with SIMD in one sweep of the chunk.
    let mut separators = memchr::memchr3_iter(delimiter, b'\n', b'\r', bytes);
    while pos < bytes.len() {
        if matches!(bytes[pos], b'\n' | b'\r') {
            return Err(Refusal::NotPlain);
        }
        rows += 1;
        if rows > max_rows {
            return Err(Refusal::NotPlain);
        }
        for (c, part) in parts.iter_mut().enumerate() {
            let start = pos;
            let end = separators.next().unwrap_or(bytes.len());
            match bytes.get(end) {
                Some(&b) if b == delimiter && c < last_column => pos = end + 1,
                Some(b'\n') if c == last_column => pos = end + 1,
                Some(b'\r') if c == last_column && bytes.get(end + 1) == Some(&b'\n') => {
                    separators.next();
                    pos = end + 2;
                }
                None if c == last_column => pos = end,
                _ => return Err(Refusal::NotPlain),
            }
            let cell = chunk.get(start..end).ok_or(Refusal::NotPlain)?;
            match part {
                Part::Dictionary { values, keys } => keys.push(interners[c].key(bytes, cell, start, values)),
                Part::Number { values, valid } => {
                    let trimmed = cell.trim();
                    if trimmed.is_empty() {
                        values.push(0.0);
                        valid.append(false);
                    } else {
                        let v = plain_decimal(trimmed).or_else(|| {
                            use arrow_cast::parse::Parser;
                            arrow_array::types::Float64Type::parse(trimmed).filter(|v| v.is_finite())
                        });
                        values.push(v.ok_or(Refusal::NotANumber(c))?);
                        valid.append(true);
                    }
                }
                Part::Text { offsets, data } => {
                    data.extend_from_slice(cell.as_bytes());
                    offsets.push(i32::try_from(data.len()).map_err(|_| Refusal::NotPlain)?);
                }
            }
        }
    }
    Ok(parts)
}

/// Powers of ten a `f64` holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 16] =
    [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// A plain decimal (`-?digits(.digits)?`, at most 15 digits in all) as the nearest `f64`, without a general float
/// parser: its digits as an integer below 2^53 and a power of ten up to 10^15 are both exact in a `f64`, so their
/// one quotient is correctly rounded (Clinger's fast path), the same value any correct parser gives. `None` for
/// anything else, which the general parser then reads.
fn plain_decimal(text: &str) -> Option<f64> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        rest => (false, rest),
    };
    let (whole, fraction) = match memchr::memchr(b'.', digits) {
        Some(dot) => (&digits[..dot], &digits[dot + 1..]),
        None => (digits, &[][..]),
    };
    if whole.is_empty() || whole.len() + fraction.len() > 15 || (fraction.is_empty() && whole.len() < digits.len()) {
        return None;
    }
    let mut mantissa = 0u64;
    for &d in whole.iter().chain(fraction) {
        if !d.is_ascii_digit() {
            return None;
        }
        mantissa = mantissa * 10 + u64::from(d - b'0');
    }
    #[allow(clippy::cast_precision_loss)] // below 10^15 < 2^53: exact
    let value = mantissa as f64 / EXACT_POWERS_OF_TEN[fraction.len()];
    Some(if negative { -value } else { value })
}

/// Joins one column's chunks into one array (dictionaries merged, so each distinct value appears once).
fn join<'p, 'a: 'p>(parts: impl Iterator<Item = &'p Part<'a>>, rows: usize) -> Option<ArrayRef> {
    let parts: Vec<&Part<'a>> = parts.collect();
    match parts.first() {
        Some(Part::Dictionary { .. }) => {
            let mut index: FastMap<&str, i32> = FastMap::default();
            let mut values: Vec<&str> = Vec::new();
            let mut keys: Vec<i32> = Vec::with_capacity(rows);
            let mut nulls = false;
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
                keys.extend(local_keys.iter().map(|&k| {
                    let global = usize::try_from(k).ok().and_then(|k| map.get(k).copied());
                    nulls |= global.is_none();
                    global.unwrap_or(-1)
                }));
            }
            // Empty cells carry key -1 until here.
            let nulls = nulls.then(|| keys.iter().map(|&k| k >= 0).collect::<NullBuffer>());
            let keys: Vec<i32> = if nulls.is_some() { keys.into_iter().map(|k| k.max(0)).collect() } else { keys };
            let keys = Int32Array::new(ScalarBuffer::from(keys), nulls);
            let values: ArrayRef = Arc::new(StringArray::from(values));
            DictionaryArray::try_new(keys, values).ok().map(|d| Arc::new(d) as ArrayRef)
        }
        Some(Part::Number { .. }) => {
            let mut values: Vec<f64> = Vec::with_capacity(rows);
            let mut valid = BooleanBufferBuilder::new(rows);
            for part in parts {
                let Part::Number { values: local, valid: local_valid } = part else { return None };
                values.extend_from_slice(local);
                valid.append_buffer(&local_valid.finish_cloned());
            }
            let nulls = NullBuffer::new(valid.finish());
            let array = Float64Array::new(ScalarBuffer::from(values), (nulls.null_count() > 0).then_some(nulls));
            Some(Arc::new(array) as ArrayRef)
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

#[cfg(test)]
mod tests {
    use super::plain_decimal;

    #[test]
    fn a_plain_decimal_reads_as_the_general_parser_reads_it_and_anything_else_is_left_to_it() {
        use arrow_cast::parse::Parser;
        let general = |t: &str| arrow_array::types::Float64Type::parse(t);
        for text in [
            "0",
            "-0",
            "7",
            "1595.0",
            "722.0",
            "0.1",
            "0.7",
            "-3.25",
            "2.675",
            "123456789012345",
            "999999999999999",
            "0.00000000000001",
            "1234.56789012345",
            "0.30000000000000",
        ] {
            let read = plain_decimal(text).expect(text);
            assert_eq!(read.to_bits(), general(text).expect(text).to_bits(), "{text}");
        }
        // More than 15 digits, exponents, signs, stray characters: the general parser's.
        for text in ["1234567890123456", "1e3", "+1", "1.", ".5", "1.2.3", "1,5", "--1", "", "-", "0x10", "1 "] {
            assert_eq!(plain_decimal(text), None, "{text}");
        }
    }
}
