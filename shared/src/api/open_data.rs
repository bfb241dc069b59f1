//! Open data out: the download formats of a published table and the snapshot's Frictionless Data Package
//! (`datapackage.json`), which lists them with the manifest's title, as-of date, source notes and the licence.

use serde::{Deserialize, Serialize};

use super::{route, url};

/// Which other sites may frame a published snapshot's views (`GET /api/embeds`): the origins given to
/// `rumbo serve --embed-origins`, each `scheme://host[:port]`; empty when embedding is off (the default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedOrigins {
    pub origins: Vec<String>,
}

/// A file format a table downloads as (`GET /api/snapshots/{id}/downloads/{table}.{ext}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DownloadFormat {
    /// UTF-8 CSV, header of the contract's column names; `?hxl=1` adds an HXL hashtag row under it.
    Csv,
    /// Parquet, ZSTD-compressed, codes dictionary-encoded.
    Parquet,
    /// The Arrow IPC file format (the stream the app reads stays at the table route).
    Arrow,
}

impl DownloadFormat {
    pub const ALL: [Self; 3] = [Self::Csv, Self::Parquet, Self::Arrow];

    /// The file name's extension, without the dot.
    pub const fn ext(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Parquet => "parquet",
            Self::Arrow => "arrow",
        }
    }

    /// The `Content-Type` of the download.
    pub const fn mime(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Parquet => "application/vnd.apache.parquet",
            Self::Arrow => "application/vnd.apache.arrow.file",
        }
    }

    /// The table and format a download's file name names (`facts.csv`), if it names one.
    pub fn of_file(file: &str) -> Option<(&str, Self)> {
        let (table, ext) = file.rsplit_once('.')?;
        let format = Self::ALL.into_iter().find(|f| f.ext() == ext)?;
        (!table.is_empty()).then_some((table, format))
    }
}

/// The query parameter that asks for the HXL row of a CSV download (`?hxl=1`).
pub const HXL_QUERY: &str = "hxl";

/// A download's file name inside its route, e.g. `facts.parquet`.
pub fn download_file(table: &str, format: DownloadFormat) -> String {
    format!("{table}.{}", format.ext())
}

/// Path of a table's download, e.g. `/api/snapshots/current/downloads/facts.csv`.
pub fn download_path(snapshot_id: &str, table: &str, format: DownloadFormat) -> String {
    url(route::DOWNLOAD, &[snapshot_id, &download_file(table, format)])
}

/// A snapshot as a Frictionless Data Package (`GET /api/snapshots/{id}/datapackage.json`): the standard
/// properties, and Rumbo's own beside them (`as_of`, `title_en`, `publisher`, `synthetic`), which the standard allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataPackage {
    /// Always `tabular-data-package`.
    pub profile: String,
    /// `rumbo-` and the snapshot id, lower case as the standard asks.
    pub name: String,
    /// The snapshot id.
    pub id: String,
    /// The Spanish title; `title_en` holds the English one.
    pub title: String,
    pub title_en: String,
    /// The source notes given at publication.
    pub description: String,
    /// Data "as of", ISO date.
    pub as_of: String,
    /// Publication time, RFC 3339.
    pub created: String,
    pub publisher: String,
    /// Whether the data is synthetic (the demo).
    pub synthetic: bool,
    pub licenses: Vec<License>,
    pub resources: Vec<Resource>,
}

/// The licence the server publishes under (`rumbo serve --licence`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct License {
    /// An Open Definition identifier where the setting reads as one (`CC BY 4.0` → `CC-BY-4.0`).
    pub name: String,
    /// The setting as given.
    pub title: String,
}

impl License {
    pub fn of_setting(licence: &str) -> Self {
        Self { name: licence.trim().replace(' ', "-"), title: licence.trim().to_owned() }
    }
}

/// One table of the package: its CSV (relative to the package, as the standard asks), its schema, and every
/// download of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub name: String,
    /// Always `tabular-data-resource`.
    pub profile: String,
    /// The CSV download relative to `datapackage.json`: `downloads/{table}.csv`.
    pub path: String,
    pub format: String,
    pub mediatype: String,
    pub encoding: String,
    pub rows: usize,
    pub schema: TableSchema,
    /// Every download of the table, as absolute paths on this server.
    pub downloads: Downloads,
}

/// Where each format of a table downloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Downloads {
    pub csv: String,
    pub csv_hxl: String,
    pub parquet: String,
    pub arrow: String,
}

impl Downloads {
    pub fn of(snapshot_id: &str, table: &str) -> Self {
        let csv = download_path(snapshot_id, table, DownloadFormat::Csv);
        Self {
            csv_hxl: format!("{csv}?{HXL_QUERY}=1"),
            csv,
            parquet: download_path(snapshot_id, table, DownloadFormat::Parquet),
            arrow: download_path(snapshot_id, table, DownloadFormat::Arrow),
        }
    }
}

/// A Table Schema: the columns, the key, and what an empty cell means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSchema {
    pub fields: Vec<PackageField>,
    #[serde(rename = "primaryKey")]
    pub primary_key: Vec<String>,
    #[serde(rename = "missingValues")]
    pub missing_values: Vec<String>,
}

/// One column: its name, Table Schema type (`string`, `number`, `integer`, `boolean`, `date`) and HXL hashtag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageField {
    pub name: String,
    #[serde(rename = "type")]
    pub field_type: String,
    pub hxl: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_file_names_its_table_and_format() {
        assert_eq!(DownloadFormat::of_file("facts.csv"), Some(("facts", DownloadFormat::Csv)));
        assert_eq!(DownloadFormat::of_file("budget_lines.parquet"), Some(("budget_lines", DownloadFormat::Parquet)));
        assert_eq!(DownloadFormat::of_file("facts.xlsx"), None);
        assert_eq!(DownloadFormat::of_file(".csv"), None);
        assert_eq!(DownloadFormat::of_file("facts"), None);
        assert_eq!(
            download_path("current", "facts", DownloadFormat::Arrow),
            "/api/snapshots/current/downloads/facts.arrow"
        );
        assert_eq!(License::of_setting("CC BY 4.0").name, "CC-BY-4.0");
    }
}
