//! View models computed from Arrow columns: plain Rust, testable without a browser.

use shared::aggregate::{self, Query, Sum};
use shared::facts::Facts;

/// One department's figure for the overview.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentFigure {
    pub iso: &'static str,
    pub name: &'static str,
    /// `None` when no territory reports in this department.
    pub sum: Option<Sum>,
}

impl DepartmentFigure {
    pub fn value(&self) -> Option<f64> {
        self.sum.and_then(|s| s.value())
    }
}

/// People served over the last 12 months, by department.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub indicator: &'static str,
    pub period_from: String,
    pub period_to: String,
    pub departments: Vec<DepartmentFigure>,
}

/// The headline indicator of the first screen.
pub const HEADLINE: &str = "COB-01";

impl Overview {
    /// `None` when the snapshot has no monthly data for the headline indicator.
    pub fn compute(facts: &Facts) -> Option<Self> {
        let period_to = aggregate::latest_month(facts, HEADLINE)?;
        let period_from = aggregate::months_before(&period_to, 11)?;
        let query = Query { indicator: HEADLINE, period_from: &period_from, period_to: &period_to };
        let by_territory = aggregate::totals_by_territory(facts, &query);
        let departments = aggregate::by_department(&by_territory)
            .into_iter()
            .map(|(d, sum)| DepartmentFigure { iso: d.iso, name: d.name, sum })
            .collect();
        Some(Self { indicator: HEADLINE, period_from, period_to, departments })
    }

    /// The national total of the departments with data.
    pub fn total(&self) -> f64 {
        self.departments.iter().filter_map(DepartmentFigure::value).sum()
    }

    /// Departments with data, largest first (ties by name, so the order is stable).
    pub fn ranked(&self) -> Vec<&DepartmentFigure> {
        let mut v: Vec<&DepartmentFigure> = self.departments.iter().filter(|d| d.value().is_some()).collect();
        v.sort_by(|a, b| b.value().unwrap_or(0.0).total_cmp(&a.value().unwrap_or(0.0)).then(a.name.cmp(b.name)));
        v
    }
}
