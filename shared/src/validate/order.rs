//! The canonical order of a clean table: every dictionary sorted by code, and the rows of `facts` sorted by
//! their key columns in schema order (indicator, period, territory, …). The same data in any row or dictionary
//! order gives the same bytes; runs of equal keys compress well; and each indicator's rows are contiguous, so
//! the app's loops over one indicator read only its rows ([`crate::facts::Facts::rows_of`]). Last, [`narrow`]
//! stores each table's dictionary keys in the narrowest width that fits.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int8Type, Int16Type};
use arrow_array::{Array, ArrayRef, DictionaryArray, Int8Array, Int16Array, RecordBatch, StringArray, UInt32Array};
use arrow_schema::{ArrowError, DataType, Field, Schema};

use crate::schema::FACTS;

/// A dictionary column with its codes sorted and its keys renumbered to match.
fn sorted_dictionary(dict: &DictionaryArray<Int16Type>) -> Result<DictionaryArray<Int16Type>, ArrowError> {
    let codes = dict.values().as_string_opt::<i32>().ok_or_else(|| {
        ArrowError::InvalidArgumentError(format!("dictionary of {} values", dict.values().data_type()))
    })?;
    let mut order: Vec<usize> = (0..codes.len()).collect();
    order.sort_by(|&a, &b| codes.value(a).cmp(codes.value(b)));
    let mut new_key = vec![0i16; codes.len()];
    for (new, &old) in order.iter().enumerate() {
        new_key[old] = new as i16;
    }
    // The same validity as before (none, in valid facts): a collected iterator of options would add a bitmap.
    let values: Vec<i16> =
        dict.keys().values().iter().map(|&k| new_key.get(k as usize).copied().unwrap_or(0)).collect();
    let keys = Int16Array::new(values.into(), dict.keys().nulls().cloned());
    let codes = StringArray::from_iter_values(order.iter().map(|&i| codes.value(i)));
    DictionaryArray::try_new(keys, Arc::new(codes))
}

/// Bits that hold the keys `0..n`.
fn bits_for(n: usize) -> u32 {
    usize::BITS - n.saturating_sub(1).leading_zeros()
}

/// The table in canonical order (see the module's documentation). Tables other than `facts` are returned as
/// they are: their row order is the analysts' reading order (roadmap lines, milestones).
pub(crate) fn canonical(batch: RecordBatch) -> Result<RecordBatch, ArrowError> {
    if batch.schema_ref().metadata().get(crate::schema::TABLE_KEY).is_none_or(|t| t != FACTS) {
        return Ok(batch);
    }
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(batch.num_columns());
    for column in batch.columns() {
        columns.push(match column.as_dictionary_opt::<Int16Type>() {
            Some(dict) => Arc::new(sorted_dictionary(dict)?),
            None => column.clone(),
        });
    }
    let dims: Vec<&DictionaryArray<Int16Type>> =
        columns.iter().filter_map(|c| c.as_dictionary_opt::<Int16Type>()).collect();
    let bits: u32 = dims.iter().map(|d| bits_for(d.values().len())).sum();
    // Valid facts have no null keys, and far fewer than 64 bits of keys in all; anything else keeps its order.
    if bits > 64 || dims.iter().any(|d| d.null_count() > 0) || u32::try_from(batch.num_rows()).is_err() {
        return RecordBatch::try_new(batch.schema(), columns);
    }
    let mut packed = vec![0u64; batch.num_rows()];
    for dict in &dims {
        let width = bits_for(dict.values().len());
        for (p, &k) in packed.iter_mut().zip(dict.keys().values()) {
            *p = (*p << width) | k as u64;
        }
    }
    // Stable: rows with equal keys (none in valid facts: duplicates are refused) keep their order.
    let row_bits = bits_for(batch.num_rows());
    let order: Vec<u32> = if bits + row_bits <= 64 {
        // Each row's keys with its index below them: distinct words, so an unstable sort of plain integers (no
        // lookup per comparison) gives the stable order.
        let mut words: Vec<u64> = packed.iter().zip(0u64..).map(|(&p, row)| (p << row_bits) | row).collect();
        // The bits below the first three key columns (indicator, period, territory in `facts`).
        let within: u32 = dims.iter().skip(3).map(|d| bits_for(d.values().len())).sum();
        sort_words(&mut words, within + row_bits);
        let mask = (1u64 << row_bits) - 1;
        words.iter().map(|&w| (w & mask) as u32).collect()
    } else {
        let mut order: Vec<u32> = (0..batch.num_rows() as u32).collect();
        order.sort_by_key(|&row| packed[row as usize]);
        order
    };
    let indices = UInt32Array::from(order);
    let columns = columns.iter().map(|c| arrow_select::take::take(c, &indices, None)).collect::<Result<_, _>>()?;
    RecordBatch::try_new(batch.schema(), columns)
}

/// Sorts distinct words. When the words sharing their bits above `low_bits` lie together (rows grouped by their
/// first key columns, as exports and most tools write a table, whatever the groups' order), the groups are put in
/// order and each is sorted alone: the same order as one sort of the whole, in less time (1M rows: 25,000 groups
/// of about 40 words). Otherwise one sort.
fn sort_words(words: &mut Vec<u64>, low_bits: u32) {
    let group = |w: u64| w.checked_shr(low_bits).unwrap_or(0);
    let mut runs: Vec<(u64, usize, usize)> = Vec::new();
    let mut start = 0;
    for run in words.chunk_by(|a, b| group(*a) == group(*b)) {
        runs.push((group(run[0]), start, start + run.len()));
        start += run.len();
    }
    runs.sort_unstable_by_key(|&(g, _, _)| g);
    if runs.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        words.sort_unstable();
        return;
    }
    let mut sorted = Vec::with_capacity(words.len());
    for (_, from, to) in runs {
        let at = sorted.len();
        sorted.extend_from_slice(&words[from..to]);
        sorted[at..].sort_unstable();
    }
    *words = sorted;
}

/// The batch with every dictionary of at most 128 codes keyed by `Int8` instead of `Int16`: the same keys, half
/// the bytes (a million `facts` rows: 16 MB of keys become 8 MB in the browser's memory). Validation works on
/// `Int16` throughout; this is the last step before a table is stored, and every reader takes either width.
pub(crate) fn narrow(batch: &RecordBatch) -> Result<RecordBatch, ArrowError> {
    let schema = batch.schema();
    let mut fields: Vec<Field> = Vec::with_capacity(batch.num_columns());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(batch.num_columns());
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        match column.as_dictionary_opt::<Int16Type>() {
            Some(dict) if dict.values().len() <= 128 => {
                let keys: Vec<i8> = dict.keys().values().iter().map(|&k| i8::try_from(k).unwrap_or(0)).collect();
                let keys = Int8Array::new(keys.into(), dict.keys().nulls().cloned());
                let narrow = DictionaryArray::<Int8Type>::try_new(keys, Arc::clone(dict.values()))?;
                let data_type =
                    DataType::Dictionary(Box::new(DataType::Int8), Box::new(dict.values().data_type().clone()));
                fields.push(field.as_ref().clone().with_data_type(data_type));
                columns.push(Arc::new(narrow));
            }
            _ => {
                fields.push(field.as_ref().clone());
                columns.push(Arc::clone(column));
            }
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone())), columns)
}

#[cfg(test)]
mod tests {
    use super::sort_words;

    #[test]
    fn words_grouped_by_their_high_bits_sort_as_one_sort_would_and_others_too() {
        // Distinct words from a fixed generator: groups of up to 40 with shuffled low bits, in group order.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut grouped = Vec::new();
        for group in 0..500u64 {
            let mut low: Vec<u64> = (0..=(next() % 40)).collect();
            for i in (1..low.len()).rev() {
                let j = usize::try_from(next() % (i as u64 + 1)).unwrap_or(0);
                low.swap(i, j);
            }
            grouped.extend(low.into_iter().map(|l| (group << 20) | (l << 8) | (next() & 0xff)));
        }
        // The same groups in another order (each still together), and the words in no grouping at all.
        let mut groups: Vec<Vec<u64>> = grouped.chunk_by(|a, b| a >> 20 == b >> 20).map(<[u64]>::to_vec).collect();
        groups.reverse();
        let regrouped: Vec<u64> = groups.concat();
        let mut unordered = grouped.clone();
        unordered.reverse();
        let mut split = grouped.clone();
        split.rotate_left(7);
        for mut words in [grouped, regrouped, unordered, split] {
            let mut expected = words.clone();
            expected.sort_unstable();
            sort_words(&mut words, 20);
            assert_eq!(words, expected);
        }
    }
}
