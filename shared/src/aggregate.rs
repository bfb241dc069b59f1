//! The sum of a cell (`Sum`: values, and missing values counted by reason) and the roll-up of territories to
//! departments. The row loops that fill them live in `dashboard`.

use crate::codebook::CodeBook;
use crate::codes::{self, DEPARTMENTS, Department};

/// The sum of a cell and what went into it. Missing values are counted, never added as zeros.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sum {
    pub value: f64,
    /// Rows with a value.
    pub reported: u32,
    /// Rows whose value is missing because it was suppressed (small sensitive cell).
    pub suppressed: u32,
    /// Rows whose value is missing for another reason (not collected).
    pub missing: u32,
    /// Rows with a value whose status is `estimated` (counted in `reported` too): the value is marked.
    pub estimated: u32,
    /// For a ratio indicator, Σ of its denominator (and `value` is Σ of its numerator): the cell shows
    /// `value ÷ denominator`, a ratio of sums, never an average of rates.
    pub denominator: Option<f64>,
}

impl Sum {
    /// The value when at least one row had one.
    pub fn value(&self) -> Option<f64> {
        (self.reported > 0).then_some(self.value)
    }

    pub(crate) fn add(&mut self, other: &Sum) {
        self.value += other.value;
        self.reported += other.reported;
        self.suppressed += other.suppressed;
        self.missing += other.missing;
        self.estimated += other.estimated;
        self.denominator = match (self.denominator, other.denominator) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
    }

    /// A ratio's cell from the sums of its numerator and its denominator: a value only when both have one; what
    /// is missing from either is counted as missing from the ratio.
    pub fn ratio(numerator: &Sum, denominator: &Sum) -> Sum {
        let both = numerator.reported > 0 && denominator.reported > 0;
        // A numerator without its denominator (or the reverse) makes no ratio: it is counted as missing.
        let unpaired = !both && (numerator.reported > 0 || denominator.reported > 0);
        Sum {
            value: if both { numerator.value } else { 0.0 },
            reported: if both { numerator.reported.max(denominator.reported) } else { 0 },
            suppressed: numerator.suppressed + denominator.suppressed,
            missing: numerator.missing + denominator.missing + u32::from(unpaired),
            estimated: numerator.estimated + denominator.estimated,
            denominator: both.then_some(denominator.value),
        }
    }
}

/// Rolls territory totals up to the 18 departments (INE order) by the book's places: a department with no rows gets
/// `None`. The second list holds the codes no list places (never the national code): they are not left out, the
/// caller shows them as "sin departamento".
#[allow(clippy::type_complexity)]
pub fn by_department(
    book: &CodeBook,
    territory_totals: &[(String, Sum)],
) -> (Vec<(&'static Department, Option<Sum>)>, Vec<(String, Sum)>) {
    let mut departments: Vec<(&'static Department, Option<Sum>)> = DEPARTMENTS.iter().map(|d| (d, None)).collect();
    let mut unplaced = Vec::new();
    for (code, sum) in territory_totals {
        match book.department_of(code).and_then(|d| DEPARTMENTS.iter().position(|x| x.iso == d.iso)) {
            Some(at) => departments[at].1.get_or_insert_with(Sum::default).add(sum),
            None if code == codes::NATIONAL => {}
            None => unplaced.push((code.clone(), *sum)),
        }
    }
    (departments, unplaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_roll_up_their_offices_and_the_rest_have_no_data() {
        let one = Sum { value: 2.0, reported: 1, ..Sum::default() };
        let totals = vec![("T02".to_owned(), one), ("T10".to_owned(), one), ("HN-FM".to_owned(), one)];
        let (deps, unplaced) = by_department(&CodeBook::builtin(), &totals);
        assert!(unplaced.is_empty());
        assert_eq!(deps.len(), 18);
        let find = |iso: &str| deps.iter().find(|(d, _)| d.iso == iso).expect(iso).1;
        assert_eq!(find("HN-CR"), Some(Sum { value: 4.0, reported: 2, ..Sum::default() }), "San Pedro Sula + Choloma");
        assert_eq!(find("HN-FM"), Some(one), "a department-level row counts for its department");
        assert_eq!(find("HN-GD"), None, "no office: no data, not zero");
    }
}
