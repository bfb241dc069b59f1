//! The rows a view reads (issue 33, part 1): what a first view could fetch before the rest of `facts`.
//!
//! Every loop of the dashboard reads one indicator's rows and skips those that match none of its filters. So the
//! rows a view's breakdown and tiles match in the months they show, plus one row for each code its indicator has in
//! each column but the period (what [`codes_of`](super::codes_of) lists) and for each territory each tile's
//! indicator has (what decides whether an indicator is published nationally alone), give every figure the view shows
//! exactly as the whole table does, with the dictionaries kept whole. The months the indicator covers (the period
//! pickers, [`months`](super::months)) travel in the cut's schema metadata ([`MONTHS_KEY`]) as ranges, not as a row
//! per month: a 10M-row demo covers 13,000 months, and a row each cost more than half the cut's bytes. The months shown: the period and
//! the same months a year earlier (the monthly chart), and for a tile the months its value, previous period, year
//! to date and sparkline sum. The tests check it for every indicator of the demo.

use super::{DimKeys, Dims, Keys, OtherKeys, Place, RowKeys, last_month, months_between, shift_month, span_of};
use crate::catalog::Combine;
use crate::codebook::CodeBook;
use crate::facts::{Dim, Facts};
use crate::view::{period, pick};

/// The schema metadata key of a first-view cut that lists the months its view's indicator covers, as
/// `INDICATOR FROM/TO,FROM/TO…` (runs of consecutive months). The whole table never carries it.
pub const MONTHS_KEY: &str = "rumbo.first_view.months";

/// `indicator` and its months (oldest first) as [`MONTHS_KEY`]'s value.
#[cfg(feature = "intake")]
fn encode_months(indicator: &str, months: &[String]) -> String {
    let mut runs: Vec<(String, String)> = Vec::new();
    for month in months {
        match runs.last_mut() {
            Some((_, to)) if shift_month(to, 1).as_deref() == Some(month.as_str()) => month.clone_into(to),
            _ => runs.push((month.clone(), month.clone())),
        }
    }
    let runs: Vec<String> = runs.iter().map(|(from, to)| format!("{from}/{to}")).collect();
    format!("{indicator} {}", runs.join(","))
}

/// The months a first-view cut says `indicator` covers ([`MONTHS_KEY`]), when `facts` is such a cut and `indicator`
/// its view's; `None` otherwise (the months are then read from the rows).
pub(super) fn months_of_cut(facts: &Facts, indicator: &str) -> Option<Vec<String>> {
    let value = facts.batch().schema_ref().metadata().get(MONTHS_KEY)?;
    let runs = value.strip_prefix(indicator)?.strip_prefix(' ')?;
    let mut months = Vec::new();
    for run in runs.split(',').filter(|r| !r.is_empty()) {
        let (from, to) = run.split_once('/')?;
        let mut month = from.to_owned();
        while month.as_str() <= to && months.len() <= 1 << 20 {
            let next = shift_month(&month, 1)?;
            months.push(month);
            month = next;
        }
    }
    Some(months)
}

/// What a view shows that reads `facts`: its breakdown (`indicator`, `[from, to]`, `place`, `dims`: the map, the
/// charts and their tables) and its tiles (`(indicator, population)` each, over every month, at `place`).
#[derive(Debug, Clone, Copy)]
pub struct ViewRows<'a> {
    pub indicator: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub place: &'a Place,
    pub dims: &'a Dims<'a>,
    pub tiles: &'a [(String, String)],
}

/// A snapshot's default view (a URL without filters), resolved as the app resolves it: the code book's default
/// indicator (`view::pick`), its last 12 months (`view::period`), the whole country, no disaggregation, and the
/// tiles (the book's headline tiles, then its default fifth indicator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultView {
    pub indicator: String,
    pub from: String,
    pub to: String,
    pub tiles: Vec<(String, String)>,
}

impl DefaultView {
    pub fn of(facts: &Facts, book: &CodeBook) -> Self {
        let present: Vec<&str> =
            (0..facts.indicator.dictionary_len()).map(|k| facts.indicator.code_of_key(k as i16)).collect();
        let indicators = book.in_order(&present);
        let headlines = book.headlines(&indicators);
        let indicator = pick(None, &indicators, &headlines.default_indicator);
        let kpi = pick(None, &indicators, &headlines.default_kpi);
        let opening = super::opening(facts, book, &indicator);
        let (from, to) = period(None, None, &super::months(facts, &indicator), opening.as_ref());
        let mut tiles = headlines.tiles;
        tiles.push((kpi, crate::codes::TOTAL.to_owned()));
        Self { indicator, from, to, tiles }
    }

    /// The rows it reads ([`rows_read`]).
    pub fn rows_read(&self, facts: &Facts, book: &CodeBook) -> Vec<bool> {
        let place = Place::National;
        let view = ViewRows {
            indicator: &self.indicator,
            from: &self.from,
            to: &self.to,
            place: &place,
            dims: &Dims::default(),
            tiles: &self.tiles,
        };
        rows_read(facts, book, &view)
    }
}

/// The rows of `facts` the snapshot's default view reads ([`DefaultView::rows_read`]), as a `facts` table: the same
/// schema, the rows in their order, every dictionary whole. `canonical` is a validated snapshot's tables (its code
/// lists make the code book that resolves the view). `None` without `facts`, or when the view reads more than half
/// its rows: a page would then fetch most of the table twice. What the server stores as a snapshot's
/// [`first_view`](crate::manifest::Manifest::first_view).
///
/// # Errors
/// When the tables are not canonical (a code list or `facts` that validation did not write).
#[cfg(feature = "intake")]
pub fn cut(
    canonical: &[(&crate::tables::TableSpec, arrow_array::RecordBatch)],
) -> Result<Option<arrow_array::RecordBatch>, String> {
    let Some((_, batch)) = canonical.iter().find(|(spec, _)| spec.name == crate::schema::FACTS) else {
        return Ok(None);
    };
    let book = CodeBook::from_tables(canonical.iter().map(|(spec, b)| (spec.name, b)))?;
    let facts = Facts::try_from(batch.clone()).map_err(|e| e.to_string())?;
    let default = DefaultView::of(&facts, &book);
    let mask = default.rows_read(&facts, &book);
    let kept = mask.iter().filter(|k| **k).count();
    if mask.is_empty() || kept * 2 > mask.len() {
        return Ok(None);
    }
    let part = arrow_select::filter::filter_record_batch(batch, &arrow_array::BooleanArray::from(mask))
        .map_err(|e| e.to_string())?;
    let mut metadata = part.schema_ref().metadata().clone();
    let months = super::months(&facts, &default.indicator);
    metadata.insert(MONTHS_KEY.to_owned(), encode_months(&default.indicator, &months));
    let schema = std::sync::Arc::new(part.schema_ref().as_ref().clone().with_metadata(metadata));
    part.with_schema(schema).map(Some).map_err(|e| e.to_string())
}

/// The rows of `facts` the view reads, as a mask over the table's rows.
pub fn rows_read(facts: &Facts, book: &CodeBook, view: &ViewRows) -> Vec<bool> {
    let mut keep = vec![false; facts.len()];
    for indicator in read_as(book, view.indicator) {
        let Some(k) = Keys::new(facts, book, indicator, view.place, view.dims) else { continue };
        let in_period = months_in(facts, view.from, view.to);
        let year_before = match (shift_month(view.from, -12), shift_month(view.to, -12)) {
            (Some(from), Some(to)) => months_in(facts, &from, &to),
            _ => vec![false; facts.period.dictionary_len()],
        };
        let [t_ser, t_pop, t_sex, t_age] = k.totals;
        let rows = facts.rows_of(k.indicator);
        // `Breakdown::compute`'s filters, in its order.
        for_each_row!(facts, rows, |row, [ind, per, ter, ser, pop, sex, age]| {
            if ind != k.indicator {
                continue;
            }
            let (m_ser, m_pop, m_sex, m_age) = (ser == k.service, pop == k.population, sex == k.sex, age == k.age);
            let (period_ok, place_ok) = (in_period[per as usize], k.place[ter as usize]);
            let every_dim = m_ser && m_pop && m_sex && m_age;
            let charts = period_ok
                && place_ok
                && ((m_pop && m_sex && m_age && ser != t_ser)
                    || (m_ser && m_sex && m_age && pop != t_pop)
                    || (m_ser && m_age && pop != t_pop && sex != t_sex)
                    || (m_ser && m_pop && m_sex && age != t_age));
            let series = place_ok && (period_ok || year_before[per as usize]);
            if (every_dim && (series || period_ok)) || charts {
                keep[row] = true;
            }
        });
    }
    let tile_months = tile_months(facts, view.from, view.to);
    let tiles = view.tiles.iter().flat_map(|(i, p)| read_as(book, i).into_iter().map(move |i| (i, p)));
    for (indicator, population) in tiles {
        let dims = Dims { population, ..Dims::default() };
        let Some(k) = Keys::new(facts, book, indicator, view.place, &dims) else { continue };
        let rows = facts.rows_of(k.indicator);
        // `monthly`'s filter.
        for_each_row!(facts, rows, |row, [ind, per, ter, ser, pop, sex, age]| {
            if ind == k.indicator
                && tile_months[per as usize]
                && ser == k.service
                && pop == k.population
                && sex == k.sex
                && age == k.age
                && k.place[ter as usize]
            {
                keep[row] = true;
            }
        });
    }
    // The view's indicator: its service and age categories (the charts list every one it has), its territories
    // (the national-only rule); its months travel as the cut's metadata. A tile's indicator: its territories only.
    let all = [&facts.territory, &facts.service, &facts.population, &facts.sex, &facts.age_group];
    let tiles = view.tiles.iter().map(|(i, _)| (i.as_str(), &all[..1]));
    for (indicator, columns) in std::iter::once((view.indicator, &all[..])).chain(tiles) {
        let Some(key) = facts.indicator.key_of(indicator) else { continue };
        let rows = facts.rows_of(key);
        for dim in columns {
            witness_codes(facts, key, rows.clone(), dim, &mut keep);
        }
    }
    keep
}

/// The indicators whose rows give an indicator's figures: itself, and for a ratio its numerator and denominator.
fn read_as<'a>(book: &'a CodeBook, indicator: &'a str) -> Vec<&'a str> {
    match book.combine(indicator) {
        Combine::Ratio { numerator, denominator } => vec![indicator, numerator, denominator],
        _ => vec![indicator],
    }
}

/// Per period key: whether it lies within the months `[from, to]` (a month, a quarter, a year or the year to date).
fn months_in(facts: &Facts, from: &str, to: &str) -> Vec<bool> {
    let last = last_month(facts);
    (0..facts.period.dictionary_len())
        .map(|p| {
            span_of(facts.period.code_of_key(p as i16), &last)
                .is_some_and(|(a, b)| a.as_str() >= from && b.as_str() <= to)
        })
        .collect()
}

/// Per period key: whether a tile of the view `[from, to]` sums it ([`Tile::compute`](super::Tile::compute): the
/// period, the previous period of the same length, the year to date, the 12 months of the sparkline).
fn tile_months(facts: &Facts, from: &str, to: &str) -> Vec<bool> {
    let span = months_between(from, to).max(1);
    let year_start = format!("{}-01", to.get(..4).unwrap_or_default());
    let earliest = [shift_month(from, -span), Some(year_start), shift_month(to, -11), Some(from.to_owned())]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or_default();
    months_in(facts, &earliest, to)
}

/// Keeps a row of indicator `key` (within `rows`) for each code of `dim` no kept row has yet, so [`codes_of`] lists
/// the same codes from the kept rows as from all of them. The row kept is the one with the smallest value (a missing
/// value first): a witness is read for its code alone, and small round values cost the fewest bytes once compressed
/// (at 10M rows the demo has 13,000 months, one witness each).
fn witness_codes(facts: &Facts, key: i16, rows: std::ops::Range<usize>, dim: &Dim, keep: &mut [bool]) {
    let mut covered = vec![false; dim.dictionary_len()];
    let mut cheapest: Vec<Option<(f64, usize)>> = vec![None; dim.dictionary_len()];
    for row in rows {
        if facts.indicator.key(row) != key {
            continue;
        }
        let Ok(code) = usize::try_from(dim.key(row)) else { continue };
        let (Some(covered), Some(cheapest)) = (covered.get_mut(code), cheapest.get_mut(code)) else { continue };
        *covered |= keep[row];
        let cost = facts.value(row).map_or(-1.0, f64::abs);
        if cheapest.is_none_or(|(c, _)| cost < c) {
            *cheapest = Some((cost, row));
        }
    }
    for (covered, cheapest) in covered.iter().zip(cheapest) {
        if let (false, Some((_, row))) = (covered, cheapest) {
            keep[row] = true;
        }
    }
}

#[cfg(all(test, feature = "intake"))]
#[allow(clippy::float_cmp)] // the figures must be the same, not close
mod tests {
    use super::*;
    use crate::codes::TOTAL;
    use crate::dashboard::codes_of;
    use crate::dashboard::{Breakdown, Tile, months};
    use crate::demo;
    use crate::view::View;

    /// What the page shows of a breakdown: all of it but the months the monthly chart does not draw (it draws the
    /// period and the same months a year earlier: `pages::coverage::charts::TimeSeries`).
    fn shown(mut b: Breakdown, from: &str, to: &str) -> Breakdown {
        let (a, z) = (shift_month(from, -12).unwrap_or_default(), shift_month(to, -12).unwrap_or_default());
        b.by_month.retain(|(m, _)| (m.as_str() >= from && m.as_str() <= to) || (*m >= a && *m <= z));
        b
    }

    /// The view of `indicator` with `dims` at `place`, over the indicator's default period, with the default view's
    /// tiles: every figure the page shows from the rows it reads equals the whole table's.
    fn check_every_figure(facts: &Facts, book: &CodeBook, indicator: &str, dims: &Dims, place: &Place) -> f64 {
        let tiles = DefaultView::of(facts, book).tiles;
        let all_months = months(facts, indicator);
        let (from, to) = period(None, None, &all_months, super::super::opening(facts, book, indicator).as_ref());
        let view = ViewRows { indicator, from: &from, to: &to, place, dims, tiles: &tiles };
        let mask = rows_read(facts, book, &view);
        let kept = arrow_array::BooleanArray::from(mask.clone());
        let batch = arrow_select::filter::filter_record_batch(facts.batch(), &kept).expect("filter");
        let part = Facts::try_from(batch).expect("the rows read are a facts table");
        let whole_b = Breakdown::compute(facts, book, indicator, &from, &to, place, dims).map(|b| shown(b, &from, &to));
        let part_b = Breakdown::compute(&part, book, indicator, &from, &to, place, dims).map(|b| shown(b, &from, &to));
        assert_eq!(part_b, whole_b, "{indicator}: the breakdown");
        for dim in ["service", "age"] {
            let (w, p) =
                if dim == "service" { (&facts.service, &part.service) } else { (&facts.age_group, &part.age_group) };
            assert_eq!(codes_of(&part, indicator, p), codes_of(facts, indicator, w), "{indicator}: the {dim} codes");
        }
        for (tile, population) in &tiles {
            let whole = Tile::compute(facts, book, None, tile, population, &from, &to, place);
            assert_eq!(Tile::compute(&part, book, None, tile, population, &from, &to, place), whole, "{tile} tile");
        }
        mask.iter().filter(|k| **k).count() as f64 / facts.len().max(1) as f64
    }

    #[test]
    fn the_rows_a_view_reads_give_every_figure_the_whole_table_gives() {
        let book = CodeBook::builtin();
        let facts = Facts::try_from(demo::facts(&demo::DemoConfig::default())).expect("canonical");
        let country = Place::from_code(&book, None);
        let indicators: Vec<String> =
            (0..facts.indicator.dictionary_len()).map(|k| facts.indicator.code_of_key(k as i16).to_owned()).collect();
        let mut shares = Vec::new();
        for indicator in &indicators {
            shares.push(check_every_figure(&facts, &book, indicator, &Dims::default(), &country));
        }
        // Filters and places too: the same rule, whatever the view.
        let cortes = Place::from_code(&book, Some("HN-CR"));
        check_every_figure(&facts, &book, "COB-01", &Dims { sex: "mujer", ..Dims::default() }, &cortes);
        check_every_figure(&facts, &book, "COB-01", &Dims { population: "retornada", ..Dims::default() }, &country);
        let largest = shares.iter().copied().fold(0.0, f64::max);
        assert!(largest < 0.5, "a first view reads a small part of the table: {largest:.2}");
    }

    #[test]
    fn the_cut_stored_for_the_default_view_shows_what_the_whole_table_shows() {
        let config = demo::DemoConfig { months: 60, ..demo::DemoConfig::default() };
        let facts = demo::facts(&config);
        let upload = crate::validate::Upload { name: crate::schema::FACTS.to_owned(), batch: facts };
        let (report, canonical) = crate::validate::validate_snapshot(&[upload]);
        let canonical = canonical.unwrap_or_else(|| panic!("the demo validates: {:?}", report.findings));
        let part = cut(&canonical).expect("canonical").expect("the default view reads under half the rows");
        // As stored and served: an IPC stream, read back.
        let bytes = crate::ipc::write_stream(&part).expect("written");
        let part = Facts::try_from(crate::ipc::read_stream(&bytes).expect("read")).expect("a facts table");
        let (_, whole) = canonical.iter().find(|(s, _)| s.name == crate::schema::FACTS).expect("facts");
        let whole = Facts::try_from(whole.clone()).expect("facts");
        assert!(part.len() * 4 < whole.len(), "{} of {} rows", part.len(), whole.len());
        let book = CodeBook::builtin();
        let default = DefaultView::of(&whole, &book);
        assert_eq!(DefaultView::of(&part, &book), default, "the cut resolves the same default view");
        let all_months = months(&whole, &default.indicator);
        assert_eq!(months(&part, &default.indicator), all_months, "the period pickers' months, from the metadata");
        assert!(part.batch().schema_ref().metadata()[MONTHS_KEY].len() < 40, "one run of months, not a list");
        assert!(months_of_cut(&part, "DER-01").is_none() && months_of_cut(&whole, &default.indicator).is_none());
        let place = Place::National;
        let dims = Dims::default();
        let b = |f: &Facts| {
            Breakdown::compute(f, &book, &default.indicator, &default.from, &default.to, &place, &dims)
                .map(|b| shown(b, &default.from, &default.to))
        };
        assert_eq!(b(&part), b(&whole), "the map, charts and tables");
        for (tile, population) in &default.tiles {
            let t = |f: &Facts| Tile::compute(f, &book, None, tile, population, &default.from, &default.to, &place);
            assert_eq!(t(&part), t(&whole), "{tile} tile");
        }
        assert_eq!(
            codes_of(&part, &default.indicator, &part.service),
            codes_of(&whole, &default.indicator, &whole.service)
        );
    }

    #[test]
    fn months_in_an_uploaded_tables_metadata_are_not_believed() {
        // An Arrow upload may carry any schema metadata; validation writes the canonical schema's own, so a table
        // cannot pose as a first-view cut and make the period pickers list other months.
        let facts = demo::facts(&demo::DemoConfig { months: 24, ..demo::DemoConfig::default() });
        let mut metadata = facts.schema_ref().metadata().clone();
        metadata.insert(MONTHS_KEY.to_owned(), "COB-01 1900-01/1900-02".to_owned());
        let schema = std::sync::Arc::new(facts.schema_ref().as_ref().clone().with_metadata(metadata));
        let posing = facts.with_schema(schema).expect("same fields");
        let upload = crate::validate::Upload { name: crate::schema::FACTS.to_owned(), batch: posing };
        let (report, canonical) = crate::validate::validate_snapshot(&[upload]);
        let canonical = canonical.unwrap_or_else(|| panic!("the demo validates: {:?}", report.findings));
        let (_, batch) = canonical.iter().find(|(s, _)| s.name == crate::schema::FACTS).expect("facts");
        let stored = Facts::try_from(batch.clone()).expect("facts");
        assert!(!batch.schema_ref().metadata().contains_key(MONTHS_KEY));
        assert_eq!(months(&stored, "COB-01").len(), 24);
    }

    #[test]
    fn the_default_view_is_what_a_url_without_filters_resolves_to() {
        let book = CodeBook::builtin();
        let facts = Facts::try_from(demo::facts(&demo::DemoConfig::default())).expect("canonical");
        let default = DefaultView::of(&facts, &book);
        let view = View::default();
        assert_eq!(default.indicator, "COB-01", "the code book's default indicator");
        assert_eq!(
            (default.from.as_str(), default.to.as_str()),
            ("2026-01", "2026-10"),
            "COB-01 counts distinct people: the year to date"
        );
        assert_eq!(default.tiles.len(), 5, "four headline tiles and the fifth indicator");
        assert_eq!(default.tiles.last().map(|(_, p)| p.as_str()), Some(TOTAL));
        // `view::period` with nothing wanted, as the app calls it for this view.
        let months = months(&facts, &default.indicator);
        let wanted = (view.from.as_deref(), view.to.as_deref());
        let opening = crate::dashboard::opening(&facts, &book, &default.indicator);
        assert_eq!(period(wanted.0, wanted.1, &months, opening.as_ref()), (default.from.clone(), default.to.clone()));
        let mask = default.rows_read(&facts, &book);
        assert!(mask.iter().any(|k| *k) && mask.iter().any(|k| !*k));
    }
}
