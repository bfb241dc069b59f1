//! The sum of a cell (`Sum`: values, and missing values counted by reason) and the roll-up of territories to
//! departments. The row loops that fill them live in `dashboard`.

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
    }
}

/// Rolls territory totals up to the 18 departments (INE order). A department with no rows gets `None`.
pub fn by_department(territory_totals: &[(String, Sum)]) -> Vec<(&'static Department, Option<Sum>)> {
    DEPARTMENTS
        .iter()
        .map(|d| {
            let mut acc: Option<Sum> = None;
            for (code, sum) in territory_totals {
                if codes::department_iso_of(code) == Some(d.iso) {
                    acc.get_or_insert_with(Sum::default).add(sum);
                }
            }
            (d, acc)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_roll_up_their_offices_and_the_rest_have_no_data() {
        let one = Sum { value: 2.0, reported: 1, ..Sum::default() };
        let totals = vec![("T02".to_owned(), one), ("T10".to_owned(), one), ("HN-FM".to_owned(), one)];
        let deps = by_department(&totals);
        assert_eq!(deps.len(), 18);
        let find = |iso: &str| deps.iter().find(|(d, _)| d.iso == iso).expect(iso).1;
        assert_eq!(find("HN-CR"), Some(Sum { value: 4.0, reported: 2, ..Sum::default() }), "San Pedro Sula + Choloma");
        assert_eq!(find("HN-FM"), Some(one), "a department-level row counts for its department");
        assert_eq!(find("HN-GD"), None, "no office: no data, not zero");
    }
}
