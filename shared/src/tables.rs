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
    Combine,
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

impl ColumnSpec {
    /// The column's HXL hashtag (Humanitarian Exchange Language), the row the open-data CSV carries under its
    /// header when asked: the core hashtags HDX users filter on, by what the column holds, and the language of a
    /// text column as `+i_es`/`+i_en`.
    pub fn hxl(&self) -> &'static str {
        let (es, en) = (self.name.ends_with("_es"), self.name.ends_with("_en"));
        match self.kind {
            Kind::Code { list, .. } | Kind::Codes(list) => match list {
                List::Indicator => "#indicator+code",
                List::Territory => "#loc+code",
                List::Department => "#adm1+code",
                List::Service => "#service+code",
                List::Population => "#population+type",
                List::Sex => "#group+sex",
                List::AgeGroup => "#group+age",
                List::ValueStatus => "#status+value",
                List::Strategy => "#activity+strategy",
                List::InterventionStatus | List::MilestoneStatus | List::RiskState => "#status",
                List::FundingSource => "#org+funder+code",
                List::Institution => "#org+code",
                List::Unit => "#indicator+unit",
                List::Frequency => "#indicator+frequency",
                List::Combine => "#indicator+combine",
            },
            Kind::Period => "#date+period",
            Kind::Date => "#date",
            Kind::Ref(_) => "#activity+id",
            Kind::Number if self.name == crate::schema::FactsColumn::Value.name() => "#indicator+value+num",
            Kind::Number if self.name.ends_with("_hnl") => "#value+hnl+num",
            Kind::Number if self.name == "lon" => "#geo+lon",
            Kind::Number if self.name == "lat" => "#geo+lat",
            Kind::Number => "#value+num",
            Kind::Integer { .. } if self.name.ends_with("year") => "#date+year",
            Kind::Integer { .. } => "#meta+num",
            Kind::Bool => "#meta+flag",
            Kind::Text if es => "#description+i_es",
            Kind::Text if en => "#description+i_en",
            Kind::Text if self.name.ends_with("id") || self.name == "code" => "#meta+id",
            Kind::Text => "#description",
        }
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

/// Column names of the roadmap tables (and of the targets' revision), defined once: the specs below,
/// `crate::roadmap` and `crate::targets` use them.
pub mod col {
    pub const INTERVENTION_ID: &str = "intervention_id";
    pub const NAME_ES: &str = "name_es";
    pub const NAME_EN: &str = "name_en";
    pub const STRATEGY: &str = "strategy";
    pub const INSTITUTION: &str = "institution";
    pub const CO_INSTITUTIONS: &str = "co_institutions";
    pub const TERRITORIES: &str = "territories";
    pub const PLANNED_START: &str = "planned_start";
    pub const PLANNED_END: &str = "planned_end";
    pub const ACTUAL_START: &str = "actual_start";
    pub const ACTUAL_END: &str = "actual_end";
    pub const STATUS: &str = "status";
    pub const PRIORITY: &str = "priority";
    pub const PNEH_ALIGNED: &str = "pneh_aligned";
    pub const EU_ALIGNED: &str = "eu_aligned";
    pub const INDICATORS: &str = "indicators";
    pub const MILESTONE_ID: &str = "milestone_id";
    pub const PLANNED_DATE: &str = "planned_date";
    /// A milestone's first planned date, kept when it is replanned; absent, it is `planned_date`.
    pub const BASELINE_DATE: &str = "baseline_date";
    pub const ACTUAL_DATE: &str = "actual_date";
    pub const WEIGHT: &str = "weight";
    pub const FISCAL_YEAR: &str = "fiscal_year";
    pub const FUNDING_SOURCE: &str = "funding_source";
    pub const APPROVED_HNL: &str = "approved_hnl";
    pub const CURRENT_HNL: &str = "current_hnl";
    pub const COMMITTED_HNL: &str = "committed_hnl";
    pub const EXECUTED_HNL: &str = "executed_hnl";
    pub const RISK_ID: &str = "risk_id";
    pub const DESCRIPTION_ES: &str = "description_es";
    pub const DESCRIPTION_EN: &str = "description_en";
    pub const CATEGORY: &str = "category";
    pub const PROBABILITY: &str = "probability";
    pub const IMPACT: &str = "impact";
    pub const MITIGATION: &str = "mitigation";
    pub const OWNER: &str = "owner";
    pub const STATE: &str = "state";
    /// A target's last revision: when, by whom, why, and the value it replaced.
    pub const REVISED_ON: &str = "revised_on";
    pub const REVISED_BY: &str = "revised_by";
    pub const REVISION_REASON: &str = "revision_reason";
    pub const PREVIOUS_VALUE: &str = "previous_value";
    /// An office's municipality in the territories list: its INE code (`0501`), one of its department's.
    pub const MUNICIPALITY: &str = "municipality";
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
        opt(col::REVISED_ON, Kind::Date),
        opt(col::REVISED_BY, Kind::Text),
        opt(col::REVISION_REASON, Kind::Text),
        opt(col::PREVIOUS_VALUE, Kind::Number),
    ],
    key: &["indicator", "year", "period", "territory"],
};

pub const INTERVENTIONS: TableSpec = TableSpec {
    name: "interventions",
    columns: &[
        col(col::INTERVENTION_ID, Kind::Text),
        col(col::NAME_ES, Kind::Text),
        opt(col::NAME_EN, Kind::Text),
        col(col::STRATEGY, code(List::Strategy)),
        col(col::INSTITUTION, code(List::Institution)),
        opt(col::CO_INSTITUTIONS, Kind::Codes(List::Institution)),
        opt(col::TERRITORIES, Kind::Codes(List::Territory)),
        col(col::PLANNED_START, Kind::Date),
        col(col::PLANNED_END, Kind::Date),
        opt(col::ACTUAL_START, Kind::Date),
        opt(col::ACTUAL_END, Kind::Date),
        col(col::STATUS, code(List::InterventionStatus)),
        col(col::PRIORITY, Kind::Integer { min: 1, max: 3 }),
        opt(col::PNEH_ALIGNED, Kind::Bool),
        opt(col::EU_ALIGNED, Kind::Bool),
        opt(col::INDICATORS, Kind::Codes(List::Indicator)),
    ],
    key: &[col::INTERVENTION_ID],
};

pub const MILESTONES: TableSpec = TableSpec {
    name: "milestones",
    columns: &[
        col(col::MILESTONE_ID, Kind::Text),
        col(col::INTERVENTION_ID, Kind::Ref("interventions")),
        col(col::NAME_ES, Kind::Text),
        opt(col::NAME_EN, Kind::Text),
        col(col::PLANNED_DATE, Kind::Date),
        opt(col::BASELINE_DATE, Kind::Date),
        opt(col::ACTUAL_DATE, Kind::Date),
        col(col::STATUS, code(List::MilestoneStatus)),
        col(col::WEIGHT, Kind::Number),
    ],
    key: &[col::MILESTONE_ID],
};

pub const BUDGET_LINES: TableSpec = TableSpec {
    name: "budget_lines",
    columns: &[
        col(col::INTERVENTION_ID, Kind::Ref("interventions")),
        col(col::FISCAL_YEAR, Kind::Integer { min: 2000, max: 2100 }),
        col(col::FUNDING_SOURCE, code(List::FundingSource)),
        col(col::APPROVED_HNL, Kind::Number),
        col(col::CURRENT_HNL, Kind::Number),
        col(col::COMMITTED_HNL, Kind::Number),
        col(col::EXECUTED_HNL, Kind::Number),
    ],
    key: &[col::INTERVENTION_ID, col::FISCAL_YEAR, col::FUNDING_SOURCE],
};

pub const RISKS: TableSpec = TableSpec {
    name: "risks",
    columns: &[
        col(col::RISK_ID, Kind::Text),
        opt(col::INTERVENTION_ID, Kind::Ref("interventions")),
        col(col::DESCRIPTION_ES, Kind::Text),
        opt(col::DESCRIPTION_EN, Kind::Text),
        col(col::CATEGORY, Kind::Text),
        col(col::PROBABILITY, Kind::Integer { min: 1, max: 5 }),
        col(col::IMPACT, Kind::Integer { min: 1, max: 5 }),
        col(col::MITIGATION, Kind::Text),
        col(col::OWNER, code(List::Institution)),
        col(col::STATE, code(List::RiskState)),
    ],
    key: &[col::RISK_ID],
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
        opt("headline", Kind::Integer { min: 1, max: 5 }),
        opt("combine", code(List::Combine)),
        opt("numerator", Kind::Text),
        opt("denominator", Kind::Text),
        opt("overlapping", Kind::Text),
        opt("baseline_value", Kind::Number),
        opt("baseline_date", Kind::Date),
    ],
    key: &["code"],
};

/// A built-in indicator as a row of [`INDICATOR_LIST`], in its column order (`headline` as given, booleans as
/// `sí`/`no`-free `true`/`false`): what the templates offer and what a snapshot re-publishing the catalogue writes.
pub fn indicator_list_row(i: &crate::catalog::Indicator, headline: &str) -> Vec<String> {
    use crate::catalog::Combine;
    INDICATOR_LIST
        .columns
        .iter()
        .map(|c| match c.name {
            "code" => i.id.to_owned(),
            "name_es" => i.name.es.to_owned(),
            "name_en" => i.name.en.to_owned(),
            "unit" => i.unit.code().to_owned(),
            "frequency" => i.frequency.to_owned(),
            "higher_is_better" => i.higher_is_better.to_string(),
            "definition_es" => i.definition.es.to_owned(),
            "definition_en" => i.definition.en.to_owned(),
            "source" => i.source.to_owned(),
            "headline" => headline.to_owned(),
            "combine" => i.combine.code().to_owned(),
            "numerator" | "denominator" => match i.combine {
                Combine::Ratio { numerator, denominator } => {
                    (if c.name == "numerator" { numerator } else { denominator }).to_owned()
                }
                _ => String::new(),
            },
            "overlapping" => i.overlapping.join(";"),
            _ => String::new(),
        })
        .collect()
}

/// Code list: SI EMPLEO territories. Replaces the demo list when published.
pub const TERRITORY_LIST: TableSpec = TableSpec {
    name: "territories",
    columns: &[
        col("code", Kind::Text),
        col("name_es", Kind::Text),
        opt("name_en", Kind::Text),
        col("department", code(List::Department)),
        opt(col::MUNICIPALITY, Kind::Text),
        opt("lon", Kind::Number),
        opt("lat", Kind::Number),
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
