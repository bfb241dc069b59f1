//! Disclosure control at publish time (issue 34): what the public may not read in a `facts` table is hidden
//! before the table is stored, and every cell hidden is listed with why. The rules follow the OCHA Centre for
//! Humanitarian Data's guidance on statistical disclosure control (a threshold on small counts of sensitive
//! groups, primary then secondary suppression); `docs/reglas-de-datos.md` explains them to analysts.
//!
//! - **Primary.** In a sensitive population (the snapshot's code book: `populations.sensitive`, built-in
//!   [`crate::codes::SENSITIVE_POPULATIONS`]), a count from 1 to [`SUPPRESSION_THRESHOLD`] − 1 is hidden. A zero
//!   is published: it describes nobody. A rate, median or score of a sensitive population is hidden when the count
//!   it rests on ([`base_indicator`]) is under the threshold, hidden, or not published.
//! - **Complementary.** Within a run (indicator, period, territory), each published total `_T` equals the sum of
//!   its parts along one dimension, the others fixed ([`parts_are_exclusive`] says which dimensions add up). A
//!   hidden cell is recoverable when these equations determine it; more cells are hidden, the smallest part first
//!   and a total only when no part will do, until none is (`system::derivable`, exact elimination).
//! - **Between snapshots.** The previous published snapshot is read as the same equations, its cells linked to
//!   this one's where a reader could assume they did not change (the same published value, or a cell hidden
//!   before). A cell hidden before stays hidden, and no cell whose value was published before counts as hiding
//!   anything; complements are added until no hidden cell of either snapshot is determined by both together.
//!
//! A cell an upload already marks `suppressed` is protected like a primary one. A part left out of a breakdown
//! counts as zero (a reader may assume so); a total left out is an unknown.

mod system;

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, DictionaryArray, Float64Array, Int16Array, RecordBatch, StringArray};
use arrow_schema::{ArrowError, Field, Schema};

use crate::catalog::Unit;
use crate::codebook::CodeBook;
use crate::codes::{SUPPRESSION_THRESHOLD, TOTAL};
use crate::facts::{Facts, FactsError};
use crate::schema::FactsColumn;
use crate::validate::FastMap;

/// [`FastMap`]'s set: keys are small integers of our own encoding.
type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<crate::validate::FxHasher>>;

pub mod audit;

/// The status a hidden cell gets.
pub const SUPPRESSED: &str = "suppressed";

/// The count people-based values rest on until the code book names each indicator's numerator and denominator:
/// people served.
pub const PEOPLE_SERVED: &str = "COB-01";

/// A disaggregation of `facts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Service,
    Population,
    Sex,
    AgeGroup,
}

impl Dimension {
    pub const ALL: [Self; 4] = [Self::Service, Self::Population, Self::Sex, Self::AgeGroup];

    pub const fn column(self) -> FactsColumn {
        match self {
            Self::Service => FactsColumn::Service,
            Self::Population => FactsColumn::Population,
            Self::Sex => FactsColumn::Sex,
            Self::AgeGroup => FactsColumn::AgeGroup,
        }
    }
}

/// Whether the parts of `dimension` are exclusive for `indicator` (each person in one part), so that the total
/// equals their sum and the margins give an equation. Where the code book says they overlap (its `overlapping`
/// column: a person can receive several services), parts and total give no equation. An indicator the book does
/// not know is taken as exclusive: an equation that does not hold only makes protection hide more, never less.
pub fn parts_are_exclusive(book: &CodeBook, indicator: &str, dimension: Dimension) -> bool {
    let name = dimension.column().name();
    book.indicator(indicator).is_none_or(|i| i.exclusive(name))
}

/// The count indicator a value of `indicator` rests on, looked up for the same period, territory and
/// disaggregation: a ratio's denominator (its `combine`, `denominator` in the code book); for a median or a
/// score without one, people served ([`PEOPLE_SERVED`]).
pub fn base_indicator(book: &CodeBook, indicator: &str) -> Option<String> {
    match book.combine(indicator) {
        crate::catalog::Combine::Ratio { denominator, .. } => Some(denominator.to_owned()),
        _ => Some(PEOPLE_SERVED.to_owned()),
    }
}

/// Why a cell was hidden.
#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    /// Primary: a count of a sensitive population from 1 to the threshold − 1.
    SmallCount { population: String },
    /// Primary: a rate, median or score of a sensitive population resting on a count under the threshold, hidden
    /// or not published (`base_value` is `None` then).
    SmallBase { population: String, base: String, base_value: Option<f64> },
    /// Complementary: without it, the hidden cell of row `protects` (0-based, this table) could be worked out
    /// from the published totals; `None` when the cell protected was hidden in the previous snapshot.
    Margin { protects: Option<usize> },
    /// Complementary: hidden in the previous published snapshot, so kept hidden (publishing it now could reveal
    /// what was hidden then by comparing the two).
    KeptFromPrevious,
}

impl Why {
    pub fn is_primary(&self) -> bool {
        matches!(self, Self::SmallCount { .. } | Self::SmallBase { .. })
    }
}

/// One cell hidden: its row in the table given (0-based), its value before, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    pub row: usize,
    pub value: Option<f64>,
    pub why: Why,
}

/// The protected table and what was hidden.
#[derive(Debug, Clone)]
pub struct Protected {
    /// The same rows in the same order: hidden cells with a null value and status `suppressed`.
    pub batch: RecordBatch,
    /// Every cell hidden, in row order.
    pub suppressions: Vec<Suppression>,
    /// Hidden cells (rows) the published equations still determine because the data contradicts them (a part
    /// larger than what its total leaves): nothing published can be hidden to protect them. Empty for
    /// consistent data.
    pub unprotected: Vec<usize>,
}

impl Protected {
    pub fn primary(&self) -> usize {
        self.suppressions.iter().filter(|s| s.why.is_primary()).count()
    }

    /// Cells hidden beyond the primary ones.
    pub fn complementary(&self) -> usize {
        self.suppressions.len() - self.primary()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DisclosureError {
    #[error("facts: {0}")]
    Facts(#[from] FactsError),
    #[error("arrow: {0}")]
    Arrow(#[from] ArrowError),
}

/// Protects a validated `facts` table (rows in any order; the result keeps them). `previous` is the `facts` table
/// of the snapshot the public reads now (the store's current one), as published; `None` for a first publication.
pub fn protect(batch: &RecordBatch, book: &CodeBook, previous: Option<&Facts>) -> Result<Protected, DisclosureError> {
    let f = Facts::try_from(batch.clone())?;
    let prev = previous;
    let mut hidden: Vec<Option<Why>> = primary(&f, book);
    let space = Space::new(&f, prev);
    let mut unprotected = Vec::new();
    let runs = space.runs(&f, prev, &hidden);
    // Runs are independent: half of them on a second thread.
    let (first, second) = runs.split_at(runs.len() / 2);
    let solve = |runs: &[RunRows]| -> Vec<Outcome> {
        runs.iter().map(|run| Run::new(run, &space, &f, prev, book, &hidden).protect()).collect()
    };
    let outcomes = std::thread::scope(|scope| {
        let other = scope.spawn(|| solve(second));
        let mut outcomes = solve(first);
        // A panic on the other thread is a bug; solving its runs again here says so the same way.
        outcomes.extend(other.join().unwrap_or_else(|_| solve(second)));
        outcomes
    });
    for outcome in outcomes {
        for (row, why) in outcome.hidden {
            hidden[row] = Some(why);
        }
        unprotected.extend(outcome.unprotected);
    }
    unprotected.sort_unstable();
    unprotected.dedup();
    let suppressions: Vec<Suppression> = hidden
        .iter()
        .enumerate()
        .filter_map(|(row, why)| Some(Suppression { row, value: f.value(row), why: why.clone()? }))
        .collect();
    let batch = apply(&f, &suppressions)?;
    Ok(Protected { batch, suppressions, unprotected })
}

/// Per row, the primary reason to hide it, if any.
fn primary(f: &Facts, book: &CodeBook) -> Vec<Option<Why>> {
    let units: Vec<Option<Unit>> = (0..f.indicator.dictionary_len())
        .map(|k| book.indicator(f.indicator.code_of_key(k as i16)).map(|i| i.unit))
        .collect();
    let sensitive: Vec<bool> =
        (0..f.population.dictionary_len()).map(|k| book.is_sensitive(f.population.code_of_key(k as i16))).collect();
    let suppressed_status = f.status.key_of(SUPPRESSED);
    // The base of each non-count indicator, and the base's rows of sensitive populations by their other keys.
    let bases: Vec<Option<i16>> = (0..f.indicator.dictionary_len())
        .map(|k| {
            let id = f.indicator.code_of_key(k as i16);
            base_indicator(book, id).and_then(|b| f.indicator.key_of(&b))
        })
        .collect();
    let key_of =
        |row: usize| [&f.period, &f.territory, &f.service, &f.population, &f.sex, &f.age_group].map(|d| d.key(row));
    let mut base_rows: FastMap<(i16, [i16; 6]), usize> = FastMap::default();
    let wanted: FastSet<i16> = bases.iter().flatten().copied().collect();
    for row in 0..f.len() {
        let ind = f.indicator.key(row);
        if sensitive[f.population.key(row) as usize] && wanted.contains(&ind) {
            base_rows.insert((ind, key_of(row)), row);
        }
    }
    (0..f.len())
        .map(|row| {
            let pop = f.population.key(row);
            if !sensitive[pop as usize] {
                return None;
            }
            let v = f.value(row)?;
            let ind = f.indicator.key(row) as usize;
            let population = f.population.code(row).to_owned();
            if units[ind] == Some(Unit::Count) {
                return (v > 0.0 && v < SUPPRESSION_THRESHOLD).then_some(Why::SmallCount { population });
            }
            let base_name = base_indicator(book, f.indicator.code(row)).unwrap_or_default();
            let base_value = bases[ind]
                .and_then(|b| base_rows.get(&(b, key_of(row))))
                .filter(|&&r| suppressed_status.is_none_or(|s| f.status.key(r) != s))
                .and_then(|&r| f.value(r));
            let enough = base_value.is_some_and(|b| b >= SUPPRESSION_THRESHOLD);
            (!enough).then_some(Why::SmallBase { population, base: base_name, base_value })
        })
        .collect()
}

/// Whether a row of a published table is hidden: null with status `suppressed`.
fn is_suppressed(f: &Facts, suppressed: Option<i16>, row: usize) -> bool {
    f.value(row).is_none() && suppressed.is_some_and(|s| f.status.key(row) == s)
}

/// The seven key columns, in schema order.
fn dims(f: &Facts) -> [&crate::facts::Dim; 7] {
    [&f.indicator, &f.period, &f.territory, &f.service, &f.population, &f.sex, &f.age_group]
}

/// One code space per key column for both tables: each code's rank among the codes of both, so that what the
/// protection decides does not depend on the order of rows or dictionaries (the same data gives the same bytes).
struct Space {
    /// Per column, per dictionary key of this table, then of the previous one, its rank.
    cur_ids: [Vec<u16>; 7],
    prev_ids: [Vec<u16>; 7],
    /// Per disaggregation, the rank of `_T`.
    totals: [Option<u16>; 4],
    /// The indicator codes by rank.
    indicators: Vec<String>,
}

/// One run's rows: `(inner key, row, from the previous table)`, sorted by inner key.
struct RunRows {
    indicator: u16,
    rows: Vec<([u16; 4], usize, bool)>,
}

impl Space {
    fn new(f: &Facts, prev: Option<&Facts>) -> Self {
        let mut cur_ids: [Vec<u16>; 7] = Default::default();
        let mut prev_ids: [Vec<u16>; 7] = Default::default();
        let mut all: [Vec<String>; 7] = Default::default();
        let cur = dims(f);
        for c in 0..7 {
            let codes = |d: &crate::facts::Dim| {
                (0..d.dictionary_len()).map(|k| d.code_of_key(k as i16).to_owned()).collect::<Vec<_>>()
            };
            let mine = codes(cur[c]);
            let theirs = prev.map(|p| codes(dims(p)[c])).unwrap_or_default();
            let mut sorted: Vec<String> = mine.iter().chain(&theirs).cloned().collect();
            sorted.sort_unstable();
            sorted.dedup();
            let rank = |code: &String| sorted.binary_search(code).map_or(0, |i| i as u16);
            cur_ids[c] = mine.iter().map(rank).collect();
            prev_ids[c] = theirs.iter().map(rank).collect();
            all[c] = sorted;
        }
        let totals = [3, 4, 5, 6].map(|c| all[c].binary_search_by(|x| x.as_str().cmp(TOTAL)).ok().map(|i| i as u16));
        let indicators = std::mem::take(&mut all[0]);
        Self { cur_ids, prev_ids, totals, indicators }
    }

    fn ids(&self, f: &Facts, row: usize, from_prev: bool) -> [u16; 7] {
        let d = dims(f);
        std::array::from_fn(|c| {
            let k = d[c].key(row) as usize;
            if from_prev { self.prev_ids[c][k] } else { self.cur_ids[c][k] }
        })
    }

    /// The rows of every run with a hidden cell in either table, grouped by run.
    fn runs(&self, f: &Facts, prev: Option<&Facts>, hidden: &[Option<Why>]) -> Vec<RunRows> {
        let run_of = |ids: &[u16; 7]| (u64::from(ids[0]) << 32) | (u64::from(ids[1]) << 16) | u64::from(ids[2]);
        let cur_suppressed = f.status.key_of(SUPPRESSED);
        let prev_suppressed = prev.and_then(|p| p.status.key_of(SUPPRESSED));
        let mut secret_runs: FastSet<u64> = FastSet::default();
        for (row, why) in hidden.iter().enumerate() {
            if why.is_some() || is_suppressed(f, cur_suppressed, row) {
                secret_runs.insert(run_of(&self.ids(f, row, false)));
            }
        }
        if let Some(p) = prev {
            for row in 0..p.len() {
                if is_suppressed(p, prev_suppressed, row) {
                    secret_runs.insert(run_of(&self.ids(p, row, true)));
                }
            }
        }
        let mut records: Vec<(u64, [u16; 4], usize, bool)> = Vec::new();
        let tables = std::iter::once((f, false)).chain(prev.map(|p| (p, true)));
        for (table, from_prev) in tables {
            for row in 0..table.len() {
                let ids = self.ids(table, row, from_prev);
                let run = run_of(&ids);
                if secret_runs.contains(&run) {
                    records.push((run, [ids[3], ids[4], ids[5], ids[6]], row, from_prev));
                }
            }
        }
        records.sort_unstable_by_key(|r| (r.0, r.1, r.3));
        let mut out: Vec<RunRows> = Vec::new();
        let mut current = u64::MAX;
        for (run, inner, row, from_prev) in records {
            if run != current {
                current = run;
                out.push(RunRows { indicator: (run >> 32) as u16, rows: Vec::new() });
            }
            if let Some(last) = out.last_mut() {
                last.rows.push((inner, row, from_prev));
            }
        }
        out
    }
}

/// A variable of a run's system: one cell of one snapshot, or of both when a reader can take them as equal.
#[derive(Debug, Clone, Default)]
struct Var {
    known: bool,
    /// A hidden value that must not be determined.
    secret: bool,
    /// The row of this table a complement would hide (a published cell not already known from before).
    choosable: Option<usize>,
    /// The row of this table, if the cell is in it.
    row: Option<usize>,
    value: f64,
    /// 0 a part only, 1 a total of some parts, 2 the run's total.
    tier: u8,
    /// The cell's disaggregation, as code ranks: the last tie-break between complements.
    key: [u16; 4],
}

/// One run: its variables and equations.
struct Run {
    vars: Vec<Var>,
    equations: Vec<Vec<(usize, i64)>>,
    /// Rows hidden here, with why.
    hidden: Vec<(usize, Why)>,
}

/// What protecting one run decided.
struct Outcome {
    hidden: Vec<(usize, Why)>,
    unprotected: Vec<usize>,
}

impl Run {
    fn new(
        run: &RunRows,
        space: &Space,
        f: &Facts,
        prev: Option<&Facts>,
        book: &CodeBook,
        hidden: &[Option<Why>],
    ) -> Self {
        let space_totals = space.totals;
        let cur_suppressed = f.status.key_of(SUPPRESSED);
        let prev_suppressed = prev.and_then(|p| p.status.key_of(SUPPRESSED));
        let mut out = Self { vars: Vec::new(), equations: Vec::new(), hidden: Vec::new() };
        // Each snapshot's cells: inner key → variable.
        let mut cells: [FastMap<[u16; 4], usize>; 2] = [FastMap::default(), FastMap::default()];
        // Each snapshot's values as far as the server knows them (this table's before protection, the previous
        // table's as published), to tell a breakdown that adds up from one with parts left out.
        let mut values: [FastMap<[u16; 4], Option<f64>>; 2] = [FastMap::default(), FastMap::default()];
        // Cells hidden in both snapshots: the same cell if nothing shows it changed (resolved below).
        let mut links: Vec<(usize, usize)> = Vec::new();
        // Whether the previous snapshot has this run as it is now (every cell in both, each published value the
        // same): then every link holds, with nothing to test.
        let mut unchanged = true;
        let mut i = 0;
        while i < run.rows.len() {
            let inner = run.rows[i].0;
            let cur = run.rows.get(i).filter(|r| !r.2 && r.0 == inner).map(|r| r.1);
            let step = usize::from(cur.is_some());
            let before = run.rows.get(i + step).filter(|r| r.2 && r.0 == inner).map(|r| r.1);
            i += step + usize::from(before.is_some());
            let prev_hidden = before.is_some_and(|r| prev.is_some_and(|p| is_suppressed(p, prev_suppressed, r)));
            let prev_value = before.and_then(|r| prev.and_then(|p| p.value(r)));
            unchanged &= cur.is_some()
                && before.is_some()
                && (prev_hidden || cur.is_some_and(|r| prev_value.is_some() && prev_value == f.value(r)));
            let mut cur_var = None;
            if let Some(row) = cur {
                // Hidden before: kept hidden now, whatever its value.
                if prev_hidden && hidden[row].is_none() && !is_suppressed(f, cur_suppressed, row) {
                    out.hidden.push((row, Why::KeptFromPrevious));
                }
                let is_hidden = prev_hidden || hidden[row].is_some() || is_suppressed(f, cur_suppressed, row);
                let value = f.value(row);
                // A reader who kept the previous snapshot knows a value it published unchanged.
                let known_before = prev_value.is_some() && prev_value == value;
                let known = known_before || (!is_hidden && value.is_some());
                let v = out.push(Var {
                    known,
                    secret: is_hidden && !known,
                    choosable: (!is_hidden && !known_before && value.is_some()).then_some(row),
                    row: Some(row),
                    value: value.unwrap_or(0.0),
                    tier: 0,
                    key: inner,
                });
                cells[0].insert(inner, v);
                values[0].insert(inner, value);
                cur_var = Some((v, known_before));
            }
            if before.is_some() {
                let v = match cur_var {
                    Some((v, true)) => v,
                    _ => out.push(Var {
                        known: prev_value.is_some(),
                        value: prev_value.unwrap_or(0.0),
                        secret: prev_hidden,
                        ..Var::default()
                    }),
                };
                if let Some((c, false)) = cur_var.filter(|_| prev_hidden) {
                    links.push((v, c));
                }
                cells[1].insert(inner, v);
                values[1].insert(inner, prev_value);
            }
        }
        let indicator = space.indicators.get(usize::from(run.indicator)).map_or("", String::as_str);
        let counts = book.indicator(indicator).is_some_and(|i| i.unit == Unit::Count);
        if counts {
            let exclusive = Dimension::ALL.map(|d| parts_are_exclusive(book, indicator, d));
            let mut absent: FastMap<[u16; 4], usize> = FastMap::default();
            for snapshot in &mut cells {
                out.close(snapshot, &space_totals, &mut absent);
            }
            // This table first: where the previous one hides a value, whether its breakdown adds up is taken
            // from this one's.
            let mut adds_up: FastMap<([u16; 4], usize), bool> = FastMap::default();
            for (snapshot, values) in cells.iter().zip(&values) {
                out.equations_of(snapshot, values, &space_totals, exclusive, &mut adds_up);
            }
        }
        out.link(&links, unchanged);
        out
    }

    /// A reader who knows which cells did not change takes a cell hidden in both snapshots as one value. The
    /// server cannot see what the previous snapshot hid; it links each such pair unless something shows the two
    /// differ. First, were a pair unchanged, the previous value would be this table's: a previous equation that
    /// then fails to add up says one of its pairs changed, and the pair in most such equations is taken as
    /// changed, until none fails. Then each remaining pair is linked unless the equations determine its
    /// difference as not zero. Every link can only add to what the equations determine, so a pair wrongly taken
    /// as unchanged hides more, never less (a secret determined only through such a link, with nothing published
    /// left to hide, is reported).
    fn link(&mut self, links: &[(usize, usize)], unchanged: bool) {
        if unchanged {
            for &(before, now) in links {
                self.equations.push(vec![(now, 1), (before, -1)]);
            }
            return;
        }
        let index: FastMap<usize, usize> = links.iter().enumerate().map(|(i, &(before, _))| (before, i)).collect();
        let mut kept = vec![true; links.len()];
        loop {
            let mut failing = vec![0usize; links.len()];
            for equation in &self.equations {
                let (mut sum, mut pairs) = (0.0, Vec::new());
                let evaluable = equation.iter().all(|&(v, c)| {
                    if self.vars[v].known {
                        sum += c as f64 * self.vars[v].value;
                        return true;
                    }
                    match index.get(&v).filter(|&&i| kept[i]) {
                        Some(&i) => {
                            sum += c as f64 * self.vars[links[i].1].value;
                            pairs.push(i);
                            true
                        }
                        None => false,
                    }
                });
                if evaluable && sum.abs() > 1e-6 {
                    for i in pairs {
                        failing[i] += 1;
                    }
                }
            }
            match (0..links.len()).filter(|&i| failing[i] > 0).max_by_key(|&i| (failing[i], std::cmp::Reverse(i))) {
                Some(i) => kept[i] = false,
                None => break,
            }
        }
        for (&(before, now), _) in links.iter().zip(&kept).filter(|(_, k)| **k) {
            let difference = self.push(Var::default());
            self.equations.push(vec![(difference, 1), (now, -1), (before, 1)]);
            let unknown: Vec<bool> = self.vars.iter().map(|v| !v.known).collect();
            let found = system::derivable(&self.equations, &unknown, &[difference]);
            self.equations.pop();
            let changed =
                found.first().and_then(|d| d.value(|v| self.vars[v].value)).is_some_and(|delta| delta.abs() > 1e-6);
            if !changed {
                self.equations.push(vec![(now, 1), (before, -1)]);
            }
        }
    }

    fn push(&mut self, var: Var) -> usize {
        self.vars.push(var);
        self.vars.len() - 1
    }

    /// Adds to a snapshot's cells the totals its cells belong to that it does not publish (unknowns, shared by
    /// both snapshots when both leave them out).
    fn close(
        &mut self,
        cells: &mut FastMap<[u16; 4], usize>,
        totals: &[Option<u16>; 4],
        absent: &mut FastMap<[u16; 4], usize>,
    ) {
        let mut present: Vec<[u16; 4]> = cells.keys().copied().collect();
        present.sort_unstable();
        for inner in present {
            let open: Vec<usize> = (0..4).filter(|&d| totals[d].is_some_and(|t| inner[d] != t)).collect();
            for mask in 1u32..(1 << open.len()) {
                let mut up = inner;
                for (bit, &d) in open.iter().enumerate() {
                    if mask & (1 << bit) != 0 {
                        up[d] = totals[d].unwrap_or(up[d]);
                    }
                }
                if let std::collections::hash_map::Entry::Vacant(cell) = cells.entry(up) {
                    let v = if let Some(&v) = absent.get(&up) {
                        v
                    } else {
                        let v = self.push(Var::default());
                        absent.insert(up, v);
                        v
                    };
                    cell.insert(v);
                }
            }
        }
    }

    /// Each total equals the sum of its parts along each exclusive dimension. A part the table leaves out is zero
    /// when the parts it has add up to the total (counts are never negative, so the missing ones are all zero, and
    /// a reader may take them so); otherwise the parts left out, of the codes the run uses, are unknowns.
    fn equations_of(
        &mut self,
        cells: &FastMap<[u16; 4], usize>,
        values: &FastMap<[u16; 4], Option<f64>>,
        totals: &[Option<u16>; 4],
        exclusive: [bool; 4],
        verdicts: &mut FastMap<([u16; 4], usize), bool>,
    ) {
        let all_total: Option<[u16; 4]> =
            totals.iter().copied().collect::<Option<Vec<u16>>>().and_then(|t| t.try_into().ok());
        let mut absent_parts: FastMap<[u16; 4], usize> = FastMap::default();
        for d in 0..4 {
            let Some(t) = totals[d] else { continue };
            if !exclusive[d] {
                continue;
            }
            let mut codes: Vec<u16> = values.keys().map(|k| k[d]).filter(|&c| c != t).collect();
            codes.sort_unstable();
            codes.dedup();
            let mut parts: FastMap<[u16; 4], Vec<[u16; 4]>> = FastMap::default();
            for inner in cells.keys() {
                if inner[d] != t {
                    let mut parent = *inner;
                    parent[d] = t;
                    parts.entry(parent).or_default().push(*inner);
                }
            }
            let mut parents: Vec<_> = parts.into_iter().collect();
            parents.sort_unstable();
            for (parent, mut children) in parents {
                let Some(&total) = cells.get(&parent) else { continue };
                children.sort_unstable();
                let tier = if Some(parent) == all_total { 2 } else { 1 };
                self.vars[total].tier = self.vars[total].tier.max(tier);
                let known = |k: &[u16; 4]| values.get(k).copied().flatten();
                let sum: Option<f64> = children.iter().map(known).sum();
                let adds_up = match (known(&parent), sum) {
                    (Some(p), Some(s)) => {
                        let adds_up = (p - s).abs() < 1e-9;
                        verdicts.entry((parent, d)).or_insert(adds_up);
                        adds_up
                    }
                    // What the server cannot check (a value hidden before) is taken as this table says, or to
                    // add up: more equations only hide more.
                    _ => verdicts.get(&(parent, d)).copied().unwrap_or(true),
                };
                let mut equation = vec![(total, 1)];
                equation.extend(children.iter().map(|c| (cells[c], -1)));
                if !adds_up {
                    for &code in &codes {
                        let mut part = parent;
                        part[d] = code;
                        if !cells.contains_key(&part) {
                            let v = if let Some(&v) = absent_parts.get(&part) {
                                v
                            } else {
                                let v = self.push(Var::default());
                                absent_parts.insert(part, v);
                                v
                            };
                            equation.push((v, -1));
                        }
                    }
                }
                self.equations.push(equation);
            }
        }
        // The same equation twice (both snapshots sharing every variable) adds nothing.
        self.equations.sort();
        self.equations.dedup();
    }

    /// Hides published cells until no secret is determined, or none can be protected further: for the first
    /// determined secret, the published cell of its derivation that costs least (a part before a total, the
    /// smallest value first); then the system is solved again, until a fixpoint. A complement the equations come
    /// to fix from nothing published (a zero forced by the breakdowns around it) hides nothing: it is published
    /// again, which tells a reader nothing the equations did not.
    fn protect(mut self) -> Outcome {
        let mut given_up: FastSet<usize> = FastSet::default();
        loop {
            let unknown: Vec<bool> = self.vars.iter().map(|v| !v.known).collect();
            let secrets: Vec<usize> =
                (0..self.vars.len()).filter(|&v| self.vars[v].secret && !given_up.contains(&v)).collect();
            let mut progressed = false;
            for d in system::derivable(&self.equations, &unknown, &secrets) {
                let row = self.vars[d.secret].row;
                let complement =
                    self.hidden.iter().position(|(r, why)| Some(*r) == row && matches!(why, Why::Margin { .. }));
                if let Some(at) = complement.filter(|_| d.known.is_empty()) {
                    self.hidden.remove(at);
                    self.vars[d.secret].known = true;
                    self.vars[d.secret].secret = false;
                    progressed = true;
                    break;
                }
                let best =
                    d.known.iter().map(|k| k.0).filter(|&k| self.vars[k].choosable.is_some()).min_by(|&a, &b| {
                        let (x, y) = (&self.vars[a], &self.vars[b]);
                        x.tier.cmp(&y.tier).then(x.value.total_cmp(&y.value)).then(x.key.cmp(&y.key))
                    });
                let Some(best) = best else {
                    given_up.insert(d.secret);
                    continue;
                };
                let var = &mut self.vars[best];
                if let Some(hidden) = var.choosable.take() {
                    self.hidden.push((hidden, Why::Margin { protects: row }));
                }
                var.known = false;
                var.secret = true;
                progressed = true;
                break;
            }
            if !progressed {
                break;
            }
        }
        // The last pass found nothing to do for the secrets it asked about: only those given up may be left.
        let unknown: Vec<bool> = self.vars.iter().map(|v| !v.known).collect();
        let secrets: Vec<usize> = given_up.into_iter().filter(|&v| self.vars[v].secret).collect();
        let unprotected = system::derivable(&self.equations, &unknown, &secrets)
            .iter()
            .filter_map(|d| self.vars[d.secret].row)
            .collect();
        Outcome { hidden: self.hidden, unprotected }
    }
}

/// The table with the hidden cells' values null and their status `suppressed`.
fn apply(f: &Facts, suppressions: &[Suppression]) -> Result<RecordBatch, ArrowError> {
    let batch = f.batch();
    let mut values: Vec<Option<f64>> = (0..f.len()).map(|r| f.value(r)).collect();
    let mut codes: Vec<String> =
        (0..f.status.dictionary_len()).map(|k| f.status.code_of_key(k as i16).to_owned()).collect();
    let suppressed = if let Some(k) = codes.iter().position(|c| c == SUPPRESSED) {
        k as i16
    } else {
        codes.push(SUPPRESSED.to_owned());
        (codes.len() - 1) as i16
    };
    let mut keys: Vec<i16> = (0..f.len()).map(|r| f.status.key(r)).collect();
    for s in suppressions {
        values[s.row] = None;
        keys[s.row] = suppressed;
    }
    let status: ArrayRef =
        Arc::new(DictionaryArray::try_new(Int16Array::from(keys), Arc::new(StringArray::from(codes)))?);
    let value: ArrayRef = Arc::new(Float64Array::from(values));
    let schema = batch.schema();
    let mut fields: Vec<Field> = Vec::with_capacity(batch.num_columns());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(batch.num_columns());
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        let replaced = if field.name() == FactsColumn::Status.name() {
            Some(&status)
        } else if field.name() == FactsColumn::Value.name() {
            Some(&value)
        } else {
            None
        };
        let column = replaced.unwrap_or(column);
        fields.push(field.as_ref().clone().with_data_type(column.data_type().clone()));
        columns.push(Arc::clone(column));
    }
    RecordBatch::try_new(Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone())), columns)
}

#[cfg(test)]
mod tests;
