//! Every table of a snapshot, described once: column names, kinds, which may be empty, and the key.
//! Validation, intake and the canonical Arrow form are all driven by these specs.

use crate::schema::FactsColumn;

/// Which code list a code column draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    Indicator,
    Territory,
    Service,
    Population,
    Sex,
    AgeGroup,
    ValueStatus,
    Strategy,
    InterventionStatus,
    MilestoneStatus,
    FundingSource,
    Institution,
    RiskState,
    Unit,
    Frequency,
    Department,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A code from a list; `with_total` allows `_T` (all categories). Dictionary-encoded in canonical form.
    Code {
        list: List,
        with_total: bool,
    },
    /// Codes from a list separated by `;` (e.g. co-responsible institutions).
    Codes(List),
    /// A period: `2025-01` (month), `2025-T1` (quarter) or `2025` (year). Dictionary-encoded.
    Period,
    /// An ISO date `2025-01-05`.
    Date,
    Text,
    Integer {
        min: i64,
        max: i64,
    },
    Number,
    /// `true` / `false` (also `sí`/`no`, `1`/`0`).
    Bool,
    /// The id of a row of another table of the same snapshot.
    Ref(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub kind: Kind,
    /// Whether a cell may be empty.
    pub nullable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableSpec {
    pub name: &'static str,
    pub columns: &'static [ColumnSpec],
    /// Columns whose values together identify a row.
    pub key: &'static [&'static str],
}

impl TableSpec {
    pub fn column(&self, name: &str) -> Option<&ColumnSpec> {
        self.columns.iter().find(|c| c.name == name)
    }
}

const fn col(name: &'static str, kind: Kind) -> ColumnSpec {
    ColumnSpec { name, kind, nullable: false }
}
const fn opt(name: &'static str, kind: Kind) -> ColumnSpec {
    ColumnSpec { name, kind, nullable: true }
}
const fn code(list: List) -> Kind {
    Kind::Code { list, with_total: false }
}
const fn dim(list: List) -> Kind {
    Kind::Code { list, with_total: true }
}

pub const FACTS: TableSpec = TableSpec {
    name: crate::schema::FACTS,
    columns: &[
        col(FactsColumn::Indicator.name(), code(List::Indicator)),
        col(FactsColumn::Period.name(), Kind::Period),
        col(FactsColumn::Territory.name(), code(List::Territory)),
        col(FactsColumn::Service.name(), dim(List::Service)),
        col(FactsColumn::Population.name(), dim(List::Population)),
        col(FactsColumn::Sex.name(), dim(List::Sex)),
        col(FactsColumn::AgeGroup.name(), dim(List::AgeGroup)),
        opt(FactsColumn::Value.name(), Kind::Number),
        col(FactsColumn::Status.name(), code(List::ValueStatus)),
    ],
    key: &["indicator", "period", "territory", "service", "population", "sex", "age_group"],
};

pub const TARGETS: TableSpec = TableSpec {
    name: "targets",
    columns: &[
        col("indicator", code(List::Indicator)),
        col("year", Kind::Integer { min: 2000, max: 2100 }),
        opt("period", Kind::Period),
        col("territory", code(List::Territory)),
        col("value", Kind::Number),
    ],
    key: &["indicator", "year", "period", "territory"],
};

pub const INTERVENTIONS: TableSpec = TableSpec {
    name: "interventions",
    columns: &[
        col("intervention_id", Kind::Text),
        col("name_es", Kind::Text),
        opt("name_en", Kind::Text),
        col("strategy", code(List::Strategy)),
        col("institution", code(List::Institution)),
        opt("co_institutions", Kind::Codes(List::Institution)),
        opt("territories", Kind::Codes(List::Territory)),
        col("planned_start", Kind::Date),
        col("planned_end", Kind::Date),
        opt("actual_start", Kind::Date),
        opt("actual_end", Kind::Date),
        col("status", code(List::InterventionStatus)),
        col("priority", Kind::Integer { min: 1, max: 3 }),
        opt("pneh_aligned", Kind::Bool),
        opt("eu_aligned", Kind::Bool),
        opt("indicators", Kind::Codes(List::Indicator)),
    ],
    key: &["intervention_id"],
};

pub const MILESTONES: TableSpec = TableSpec {
    name: "milestones",
    columns: &[
        col("milestone_id", Kind::Text),
        col("intervention_id", Kind::Ref("interventions")),
        col("name_es", Kind::Text),
        opt("name_en", Kind::Text),
        col("planned_date", Kind::Date),
        opt("actual_date", Kind::Date),
        col("status", code(List::MilestoneStatus)),
        col("weight", Kind::Number),
    ],
    key: &["milestone_id"],
};

pub const BUDGET_LINES: TableSpec = TableSpec {
    name: "budget_lines",
    columns: &[
        col("intervention_id", Kind::Ref("interventions")),
        col("fiscal_year", Kind::Integer { min: 2000, max: 2100 }),
        col("funding_source", code(List::FundingSource)),
        col("approved_hnl", Kind::Number),
        col("current_hnl", Kind::Number),
        col("committed_hnl", Kind::Number),
        col("executed_hnl", Kind::Number),
    ],
    key: &["intervention_id", "fiscal_year", "funding_source"],
};

pub const RISKS: TableSpec = TableSpec {
    name: "risks",
    columns: &[
        col("risk_id", Kind::Text),
        opt("intervention_id", Kind::Ref("interventions")),
        col("description_es", Kind::Text),
        opt("description_en", Kind::Text),
        col("category", Kind::Text),
        col("probability", Kind::Integer { min: 1, max: 5 }),
        col("impact", Kind::Integer { min: 1, max: 5 }),
        col("mitigation", Kind::Text),
        col("owner", code(List::Institution)),
        col("state", code(List::RiskState)),
    ],
    key: &["risk_id"],
};

/// Code list: indicators. Replaces the built-in catalogue when published.
pub const INDICATOR_LIST: TableSpec = TableSpec {
    name: "indicators",
    columns: &[
        col("code", Kind::Text),
        col("name_es", Kind::Text),
        col("name_en", Kind::Text),
        col("unit", code(List::Unit)),
        col("frequency", code(List::Frequency)),
        col("higher_is_better", Kind::Bool),
        opt("definition_es", Kind::Text),
        opt("definition_en", Kind::Text),
        opt("source", Kind::Text),
        opt("disaggregations", Kind::Text),
    ],
    key: &["code"],
};

/// Code list: SI EMPLEO territories. Replaces the demo list when published.
pub const TERRITORY_LIST: TableSpec = TableSpec {
    name: "territories",
    columns: &[
        col("code", Kind::Text),
        col("name_es", Kind::Text),
        opt("name_en", Kind::Text),
        col("department", code(List::Department)),
        opt("municipality", Kind::Text),
    ],
    key: &["code"],
};

/// Code list: institutions.
pub const INSTITUTION_LIST: TableSpec = TableSpec {
    name: "institutions",
    columns: &[col("code", Kind::Text), col("name_es", Kind::Text), col("name_en", Kind::Text)],
    key: &["code"],
};

/// Code list: population groups (e.g. youth, women, rural people when the roadmap is replicated).
pub const POPULATION_LIST: TableSpec = TableSpec {
    name: "populations",
    columns: &[
        col("code", Kind::Text),
        col("name_es", Kind::Text),
        col("name_en", Kind::Text),
        col("sensitive", Kind::Bool),
    ],
    key: &["code"],
};

/// Every table a snapshot may hold, in publication order (code lists first).
pub const ALL: [&TableSpec; 10] = [
    &INDICATOR_LIST,
    &TERRITORY_LIST,
    &INSTITUTION_LIST,
    &POPULATION_LIST,
    &FACTS,
    &TARGETS,
    &INTERVENTIONS,
    &MILESTONES,
    &BUDGET_LINES,
    &RISKS,
];

pub fn spec(name: &str) -> Option<&'static TableSpec> {
    ALL.iter().copied().find(|s| s.name == name)
}
