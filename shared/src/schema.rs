//! Arrow schemas of the snapshot tables. Every column name is defined here and nowhere else.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// Version of the table schemas, stored in each schema's metadata under [`SCHEMA_VERSION_KEY`].
/// A breaking change bumps it and adds a migration step.
pub const SCHEMA_VERSION: &str = "1";
/// Metadata key holding [`SCHEMA_VERSION`].
pub const SCHEMA_VERSION_KEY: &str = "rumbo.schema_version";
/// Metadata key holding the table name.
pub const TABLE_KEY: &str = "rumbo.table";

/// Dictionary key type of every dimension column while validating; stored tables narrow it to `Int8` where the
/// dictionary fits (`validate::order::narrow`), and readers take either.
pub const DIM_KEY: DataType = DataType::Int16;

/// The `facts` table: indicator values in long form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactsColumn {
    Indicator,
    Period,
    Territory,
    Service,
    Population,
    Sex,
    AgeGroup,
    Value,
    Status,
}

impl FactsColumn {
    pub const ALL: [FactsColumn; 9] = [
        Self::Indicator,
        Self::Period,
        Self::Territory,
        Self::Service,
        Self::Population,
        Self::Sex,
        Self::AgeGroup,
        Self::Value,
        Self::Status,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Self::Indicator => "indicator",
            Self::Period => "period",
            Self::Territory => "territory",
            Self::Service => "service",
            Self::Population => "population",
            Self::Sex => "sex",
            Self::AgeGroup => "age_group",
            Self::Value => "value",
            Self::Status => "status",
        }
    }

    /// Whether the column is a dictionary-encoded code column.
    pub const fn is_dimension(self) -> bool {
        !matches!(self, Self::Value)
    }

    fn field(self) -> Field {
        if self.is_dimension() {
            Field::new_dictionary(self.name(), DIM_KEY, DataType::Utf8, false)
        } else {
            Field::new(self.name(), DataType::Float64, true)
        }
    }
}

/// Name of the facts table.
pub const FACTS: &str = "facts";

fn metadata(table: &str) -> HashMap<String, String> {
    HashMap::from([
        (SCHEMA_VERSION_KEY.to_owned(), SCHEMA_VERSION.to_owned()),
        (TABLE_KEY.to_owned(), table.to_owned()),
    ])
}

/// The canonical schema of `facts`.
pub fn facts_schema() -> SchemaRef {
    let fields: Vec<Field> = FactsColumn::ALL.iter().map(|c| c.field()).collect();
    Arc::new(Schema::new_with_metadata(fields, metadata(FACTS)))
}
