//! An audit of published `facts` tables, written apart from the protection (keys as text, hash maps, rational
//! arithmetic) so that each checks the other: which suppressed cells a reader recovers from the published totals,
//! within one snapshot or with the previous one beside it. The reader knows every published value, every
//! equation "total = sum of its parts" of the margins ([`super::parts_are_exclusive`]), reads a part left out of
//! a breakdown as zero, and, given the values before protection, knows which cells did not change between the two
//! snapshots (the strongest reader: without them, only equal published values are taken as the same cell).

use std::collections::HashMap;

use arrow_array::RecordBatch;

use super::{Dimension, SUPPRESSED, parts_are_exclusive};
use crate::catalog::Unit;
use crate::codebook::CodeBook;
use crate::codes::TOTAL;
use crate::facts::{Facts, FactsError};

/// One published snapshot's `facts`, and optionally its values before protection.
#[derive(Debug, Clone, Copy)]
pub struct Release<'a> {
    pub published: &'a RecordBatch,
    pub raw: Option<&'a RecordBatch>,
}

/// A suppressed cell a reader can work out: its row in its table, and whether that is the previous snapshot's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recovered {
    pub previous: bool,
    pub row: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("facts: {0}")]
    Facts(#[from] FactsError),
    #[error("the elimination overflowed 128-bit integers")]
    Overflow,
}

type Run = [String; 3];
type Inner = [String; 4];

struct Cell {
    row: usize,
    value: Option<f64>,
    suppressed: bool,
    raw: Option<f64>,
}

/// A snapshot's cells by run, then by disaggregation.
fn cells(release: Release<'_>) -> Result<HashMap<Run, HashMap<Inner, Cell>>, FactsError> {
    let f = Facts::try_from(release.published.clone())?;
    let mut raw: HashMap<(Run, Inner), Option<f64>> = HashMap::new();
    if let Some(r) = release.raw {
        let r = Facts::try_from(r.clone())?;
        for row in 0..r.len() {
            raw.insert(split(&r, row), r.value(row));
        }
    }
    let mut out: HashMap<Run, HashMap<Inner, Cell>> = HashMap::new();
    for row in 0..f.len() {
        let (run, inner) = split(&f, row);
        let value = f.value(row);
        let suppressed = value.is_none() && f.status.code(row) == SUPPRESSED;
        let raw_value =
            if release.raw.is_some() { raw.get(&(run.clone(), inner.clone())).copied().flatten() } else { value };
        out.entry(run).or_default().insert(inner, Cell { row, value, suppressed, raw: raw_value });
    }
    Ok(out)
}

fn split(f: &Facts, row: usize) -> (Run, Inner) {
    let s = |d: &crate::facts::Dim| d.code(row).to_owned();
    ([s(&f.indicator), s(&f.period), s(&f.territory)], [s(&f.service), s(&f.population), s(&f.sex), s(&f.age_group)])
}

/// Every suppressed cell of `current` (and of `previous`, when given) a reader recovers.
pub fn recoverable(
    current: Release<'_>,
    previous: Option<Release<'_>>,
    book: &CodeBook,
) -> Result<Vec<Recovered>, AuditError> {
    let now = cells(current)?;
    let before = previous.map(cells).transpose()?.unwrap_or_default();
    let mut runs: Vec<&Run> = now.keys().chain(before.keys()).collect();
    runs.sort();
    runs.dedup();
    let empty = HashMap::new();
    let mut out = Vec::new();
    for run in runs {
        let snapshots = [now.get(run).unwrap_or(&empty), before.get(run).unwrap_or(&empty)];
        let counts = book.indicator(&run[0]).is_some_and(|i| i.unit == Unit::Count);
        out.extend(audit_run(&run[0], snapshots, counts, book)?);
    }
    out.sort_by_key(|r| (r.previous, r.row));
    Ok(out)
}

fn audit_run(
    indicator: &str,
    snapshots: [&HashMap<Inner, Cell>; 2],
    counts: bool,
    book: &CodeBook,
) -> Result<Vec<Recovered>, AuditError> {
    // Variables: one per cell of each snapshot, the same one for a cell a reader knows did not change.
    let mut var_of: [HashMap<Inner, usize>; 2] = [HashMap::new(), HashMap::new()];
    let mut known: Vec<bool> = Vec::new();
    for (s, cells) in snapshots.iter().enumerate() {
        for (inner, cell) in *cells {
            let same = (s == 1)
                .then(|| snapshots[0].get(inner))
                .flatten()
                .filter(|now| now.raw.is_some() && now.raw == cell.raw)
                .and_then(|_| var_of[0].get(inner).copied());
            let v = same.unwrap_or_else(|| {
                known.push(false);
                known.len() - 1
            });
            known[v] |= cell.value.is_some();
            var_of[s].insert(inner.clone(), v);
        }
    }
    let mut equations: Vec<Vec<(usize, i128)>> = Vec::new();
    if counts {
        for (s, vars) in var_of.iter_mut().enumerate() {
            let cells = snapshots[s];
            // Totals the snapshot leaves out are unknowns.
            let present: Vec<Inner> = vars.keys().cloned().collect();
            for inner in present {
                for mask in 0u32..16 {
                    let mut up = inner.clone();
                    for (d, code) in up.iter_mut().enumerate() {
                        if mask & (1 << d) != 0 {
                            TOTAL.clone_into(code);
                        }
                    }
                    vars.entry(up).or_insert_with(|| {
                        known.push(false);
                        known.len() - 1
                    });
                }
            }
            let mut absent: HashMap<Inner, usize> = HashMap::new();
            for (d, dimension) in Dimension::ALL.iter().enumerate() {
                if !parts_are_exclusive(book, indicator, *dimension) {
                    continue;
                }
                let mut new_equations: Vec<Vec<(usize, i128)>> = Vec::new();
                for (inner, &total) in vars.iter() {
                    if inner[d] != TOTAL {
                        continue;
                    }
                    let parts: Vec<&Inner> = vars
                        .keys()
                        .filter(|other| other[d] != TOTAL && (0..4).all(|e| e == d || other[e] == inner[e]))
                        .collect();
                    if parts.is_empty() {
                        continue;
                    }
                    let mut eq = vec![(total, 1)];
                    eq.extend(parts.iter().map(|p| (vars[*p], -1)));
                    // Parts left out are zero when the others add up to the total (values as known before
                    // protection, when given; a value nobody knows is taken to add up); else unknowns.
                    let value = |k: &Inner| cells.get(k).and_then(|c| c.raw);
                    let sum: Option<f64> = parts.iter().map(|p| value(p)).sum();
                    let adds_up = match (value(inner), sum) {
                        (Some(t), Some(s)) => (t - s).abs() < 1e-9,
                        _ => true,
                    };
                    if !adds_up {
                        let mut codes: Vec<&String> = cells.keys().map(|k| &k[d]).filter(|c| *c != TOTAL).collect();
                        codes.sort();
                        codes.dedup();
                        for code in codes {
                            let mut part = inner.clone();
                            part[d].clone_from(code);
                            if !vars.contains_key(&part) {
                                let v = *absent.entry(part).or_insert_with(|| {
                                    known.push(false);
                                    known.len() - 1
                                });
                                eq.push((v, -1));
                            }
                        }
                    }
                    new_equations.push(eq);
                }
                equations.append(&mut new_equations);
            }
        }
    }
    let determined = determined(&equations, &known)?;
    let mut out = Vec::new();
    for (s, cells) in snapshots.iter().enumerate() {
        for (inner, cell) in *cells {
            let v = var_of[s][inner];
            if cell.suppressed && (known[v] || determined.get(v).copied().unwrap_or(false)) {
                out.push(Recovered { previous: s == 1, row: cell.row });
            }
        }
    }
    Ok(out)
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Per variable, whether the equations fix it given the known ones: fraction-free Gauss–Jordan elimination
/// over the unknowns, exact in integers (each row divided by the gcd of its entries).
fn determined(equations: &[Vec<(usize, i128)>], known: &[bool]) -> Result<Vec<bool>, AuditError> {
    let unknowns: Vec<usize> = (0..known.len()).filter(|&v| !known[v]).collect();
    let mut column = vec![usize::MAX; known.len()];
    for (j, &v) in unknowns.iter().enumerate() {
        column[v] = j;
    }
    let mut matrix: Vec<Vec<i128>> = equations
        .iter()
        .map(|e| {
            let mut row = vec![0i128; unknowns.len()];
            for &(v, c) in e {
                if column[v] != usize::MAX {
                    row[column[v]] += c;
                }
            }
            row
        })
        .filter(|r| r.iter().any(|&x| x != 0))
        .collect();
    let mut pivots: Vec<(usize, usize)> = Vec::new();
    let mut rank = 0;
    for col in 0..unknowns.len() {
        let Some(found) = (rank..matrix.len()).find(|&r| matrix[r][col] != 0) else { continue };
        matrix.swap(rank, found);
        let pivot = matrix[rank].clone();
        for (i, row) in matrix.iter_mut().enumerate() {
            if i == rank || row[col] == 0 {
                continue;
            }
            let (scale, factor) = (pivot[col], row[col]);
            for (x, &p) in row.iter_mut().zip(&pivot) {
                let left = x.checked_mul(scale).ok_or(AuditError::Overflow)?;
                let right = p.checked_mul(factor).ok_or(AuditError::Overflow)?;
                *x = left.checked_sub(right).ok_or(AuditError::Overflow)?;
            }
            let divisor = row.iter().fold(0, |g, &x| gcd(g, x));
            if divisor > 1 {
                for x in row.iter_mut() {
                    *x /= divisor;
                }
            }
        }
        pivots.push((rank, col));
        rank += 1;
    }
    let mut out = vec![false; known.len()];
    for (at, col) in pivots {
        if matrix[at].iter().enumerate().all(|(j, &x)| j == col || x == 0) {
            out[unknowns[col]] = true;
        }
    }
    Ok(out)
}
