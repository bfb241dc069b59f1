//! Rumbo's data contract, shared by the server, the command line and the wasm app.
//!
//! Module map:
//! - [`codes`]: built-in code lists (departments, territories, services, populations, sexes, age groups, statuses)
//!   with Spanish and English labels.
//! - [`codebook`]: one snapshot's code lists (its own tables, the built-in lists as fallback), which everything
//!   that names, groups, places or sums reads.
//! - [`schema`]: the Arrow schema of each snapshot table, defined once; column names live only here.
//! - [`facts`]: the typed, validated view over a `facts` record batch (parse, don't validate).
//! - [`aggregate`]: a cell's sum with missing values counted by reason; territories rolled up to departments.
//! - [`dashboard`]: what the coverage dashboard shows (breakdowns, KPI tiles, revisions), one pass per question.
//! - [`roadmap`]: the roadmap tables (interventions, milestones, budget lines, risks) and what the roadmap view
//!   shows: progress against plan, traffic lights, late milestones, budget execution, slippage, risks.
//! - [`projection`]: a monthly count's year-end projection with its band (last year's profile, this year's pace).
//! - [`summary`]: the executive summary of each view, sentence by sentence, each one left out when the data cannot
//!   support it.
//! - [`date`]: ISO dates as day numbers.
//! - [`targets`]: the annual targets table.
//! - [`view`]: a dashboard view's state, kept in the URL query.
//! - [`ipc`]: Arrow IPC stream encoding and decoding.
//! - [`manifest`]: the JSON manifest describing a snapshot and its tables.
//! - `open_data` (feature `intake`): a table as the CSV (with an HXL row), Parquet and Arrow files users download.
//! - [`demo`]: the deterministic synthetic demo snapshot.
//! - [`geo`]: the compact department boundaries shipped with the app.
//! - [`format`]: es-HN number formatting (never the browser's locale).
//! - [`api`]: HTTP route paths, shared by server and app.
//! - [`agenda`]: meeting agendas (slides of saved views) and their checks.

pub mod agenda;
pub mod aggregate;
pub mod agreement;
pub mod api;
pub mod catalog;
pub mod codebook;
pub mod codes;
pub mod dashboard;
pub mod date;
pub mod demo;
#[cfg(feature = "intake")]
pub mod disclosure;
pub mod facts;
pub mod finding;
pub mod format;
pub mod geo;
#[cfg(feature = "intake")]
pub mod intake;
pub mod ipc;
pub mod manifest;
#[cfg(feature = "intake")]
pub mod open_data;
pub mod projection;
pub mod roadmap;
pub mod schema;
pub mod summary;
pub mod tables;
pub mod targets;
#[cfg(feature = "intake")]
pub mod validate;
pub mod view;

/// A label in the two languages Rumbo speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub es: &'static str,
    pub en: &'static str,
}

/// The interface language. Spanish first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    /// The text in this language, of a pair written in both.
    pub const fn pick<'a>(self, es: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Es => es,
            Self::En => en,
        }
    }
}

impl Label {
    pub const fn get(&self, lang: Lang) -> &'static str {
        lang.pick(self.es, self.en)
    }
}

/// Sorts by a comparator through one non-generic stable sort of indices. Each `sort_by` call site instantiates the
/// whole sort algorithm for its element and closure types (several KB of wasm each); this one is compiled once, and
/// only the cheap reordering is generic.
pub fn sort_with<T>(items: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> std::cmp::Ordering) {
    let order = sorted_order(items.len(), &|i, j| cmp(&items[i], &items[j]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)));
}

/// The stable order of `0..n` under `cmp`.
pub fn sorted_order(n: usize, cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

#[cfg(test)]
mod tests {
    #[test]
    fn sort_with_is_a_stable_sort() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        super::sort_with(&mut v, &|a, b| a.0.cmp(&b.0));
        assert_eq!(v, vec![(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        super::sort_with(&mut empty, &|a, b| a.cmp(b));
        assert!(empty.is_empty());
    }
}
