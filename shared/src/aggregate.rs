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

/// One department's territory totals by municipality, as the book places its offices: each municipality's INE code
/// with the sum of its offices (in the order of the first row of each), and apart what the department counts but none of its municipalities holds
/// (a row for the department itself, an office without a municipality or with another department's), so that the
/// two add up to the department's value and nothing is dropped from it.
#[allow(clippy::type_complexity)]
pub fn by_municipality(
    book: &CodeBook,
    territory_totals: &[(String, Sum)],
    department: &Department,
) -> (Vec<(String, Sum)>, Vec<(String, Sum)>) {
    let mut municipalities: Vec<(String, Sum)> = Vec::new();
    let mut unplaced = Vec::new();
    for (code, sum) in
        territory_totals.iter().filter(|(c, _)| book.department_of(c).is_some_and(|d| d.iso == department.iso))
    {
        let municipality = book
            .territory(code)
            .and_then(|t| t.municipality.as_deref())
            .filter(|m| m.len() == 4 && m.starts_with(department.code));
        match municipality {
            Some(m) => match municipalities.iter_mut().find(|(x, _)| x == m) {
                Some((_, total)) => total.add(sum),
                None => municipalities.push((m.to_owned(), *sum)),
            },
            None => unplaced.push((code.clone(), *sum)),
        }
    }
    (municipalities, unplaced)
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

    #[test]
    fn a_department_rolls_its_offices_up_by_municipality_and_keeps_the_rest_apart() {
        let sum = |v: f64| Sum { value: v, reported: 1, ..Sum::default() };
        let mut book = CodeBook::builtin();
        // A second office in San Pedro Sula, one without a municipality.
        let mut second = book.territory("T02").expect("T02").clone();
        second.code = "T20".into();
        let mut mobile = second.clone();
        mobile.code = "T21".into();
        mobile.municipality = None;
        book.territories.extend([second, mobile]);
        let totals: Vec<(String, Sum)> =
            [("T10", 5.0), ("T02", 2.0), ("T20", 3.0), ("T21", 7.0), ("HN-CR", 1.0), ("T01", 9.0)]
                .iter()
                .map(|(c, v)| ((*c).to_owned(), sum(*v)))
                .collect();
        let cortes = codes::department_by_iso("HN-CR").expect("Cortés");
        let (municipalities, unplaced) = by_municipality(&book, &totals, cortes);
        let values: Vec<(&str, f64, u32)> =
            municipalities.iter().map(|(m, s)| (m.as_str(), s.value, s.reported)).collect();
        assert_eq!(values, vec![("0502", 5.0, 1), ("0501", 5.0, 2)], "San Pedro Sula's two offices add up");
        let apart: Vec<&str> = unplaced.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(apart, vec!["T21", "HN-CR"], "kept, not dropped; Distrito Central's office is not Cortés'");
        let all: f64 = municipalities.iter().chain(&unplaced).map(|(_, s)| s.value).sum();
        let (departments, _) = by_department(&book, &totals);
        let department = departments.iter().find(|(d, _)| d.iso == "HN-CR").and_then(|(_, s)| *s).expect("Cortés");
        assert!((all - department.value).abs() < 1e-9, "the municipalities and the rest add up to the department");
    }
}
