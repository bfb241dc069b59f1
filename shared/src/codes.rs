//! Built-in code lists with Spanish and English labels.
//!
//! These are the defaults; snapshots may carry their own code lists as data (territories are a placeholder list:
//! the official one is not public). Codes are strings: leading zeros matter.

use crate::Label;

/// The code meaning "all categories" in a disaggregation column (SDMX convention).
pub const TOTAL: &str = "_T";

/// The national territory code.
pub const NATIONAL: &str = "HN";

/// A department of Honduras, in INE order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Department {
    /// INE code, `"01"`..`"18"`.
    pub code: &'static str,
    /// ISO 3166-2 code, `"HN-AT"`.
    pub iso: &'static str,
    pub name: &'static str,
    /// Share of returned migrants received, percent (DOMAIN.md §7).
    pub returnee_share_pct: f64,
    /// Approximate resident population (INE projection for 2024, rounded to thousands): the denominator of
    /// "per 10,000 inhabitants". Approximate on purpose: the app says so wherever it is used.
    pub population: u32,
}

macro_rules! dep {
    ($code:literal, $iso:literal, $name:literal, $share:literal, $thousands:literal) => {
        Department { code: $code, iso: $iso, name: $name, returnee_share_pct: $share, population: $thousands * 1000 }
    };
}

pub const DEPARTMENTS: [Department; 18] = [
    dep!("01", "HN-AT", "Atlántida", 5.7, 491),
    dep!("02", "HN-CL", "Colón", 4.5, 341),
    dep!("03", "HN-CM", "Comayagua", 7.9, 577),
    dep!("04", "HN-CP", "Copán", 5.7, 412),
    dep!("05", "HN-CR", "Cortés", 20.9, 1794),
    dep!("06", "HN-CH", "Choluteca", 3.4, 490),
    dep!("07", "HN-EP", "El Paraíso", 3.0, 513),
    dep!("08", "HN-FM", "Francisco Morazán", 13.1, 1667),
    dep!("09", "HN-GD", "Gracias a Dios", 0.1, 104),
    dep!("10", "HN-IN", "Intibucá", 2.7, 271),
    dep!("11", "HN-IB", "Islas de la Bahía", 0.6, 77),
    dep!("12", "HN-LP", "La Paz", 1.3, 230),
    dep!("13", "HN-LE", "Lempira", 4.7, 362),
    dep!("14", "HN-OC", "Ocotepeque", 2.0, 170),
    dep!("15", "HN-OL", "Olancho", 4.2, 564),
    dep!("16", "HN-SB", "Santa Bárbara", 6.4, 461),
    dep!("17", "HN-VA", "Valle", 2.4, 188),
    dep!("18", "HN-YO", "Yoro", 11.5, 637),
];

/// Looks a department up by its ISO 3166-2 code.
pub fn department_by_iso(iso: &str) -> Option<&'static Department> {
    DEPARTMENTS.iter().find(|d| d.iso == iso)
}

/// Looks a department up by its INE code.
pub fn department_by_code(code: &str) -> Option<&'static Department> {
    DEPARTMENTS.iter().find(|d| d.code == code)
}

/// A SI EMPLEO territory (office). The demo list is a plausible placeholder (`territories_demo.csv`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Territory {
    pub code: &'static str,
    pub name: &'static str,
    pub municipality_code: &'static str,
    pub department_code: &'static str,
    /// Longitude and latitude of the office (the municipal seat), for the map's markers.
    pub lon_lat: (f64, f64),
}

macro_rules! ter {
    ($code:literal, $name:literal, $muni:literal, $dep:literal, $lon:literal, $lat:literal) => {
        Territory { code: $code, name: $name, municipality_code: $muni, department_code: $dep, lon_lat: ($lon, $lat) }
    };
}

pub const DEMO_TERRITORIES: [Territory; 17] = [
    ter!("T01", "Distrito Central", "0801", "08", -87.206, 14.072),
    ter!("T02", "San Pedro Sula", "0501", "05", -88.025, 15.505),
    ter!("T03", "La Ceiba", "0101", "01", -86.783, 15.759),
    ter!("T04", "Tocoa", "0209", "02", -86.000, 15.683),
    ter!("T05", "Comayagua", "0301", "03", -87.640, 14.460),
    ter!("T06", "Santa Rosa de Copán", "0401", "04", -88.779, 14.767),
    ter!("T07", "Choluteca", "0601", "06", -87.190, 13.300),
    ter!("T08", "Danlí", "0703", "07", -86.583, 14.033),
    ter!("T09", "La Esperanza", "1001", "10", -88.180, 14.300),
    ter!("T10", "Choloma", "0502", "05", -87.953, 15.614),
    ter!("T11", "Marcala", "1208", "12", -88.033, 14.150),
    ter!("T12", "Gracias", "1301", "13", -88.582, 14.588),
    ter!("T13", "Ocotepeque", "1401", "14", -89.183, 14.433),
    ter!("T14", "Juticalpa", "1501", "15", -86.219, 14.667),
    ter!("T15", "Santa Bárbara", "1601", "16", -88.236, 14.919),
    ter!("T16", "San Lorenzo", "1709", "17", -87.447, 13.424),
    ter!("T17", "El Progreso", "1804", "18", -87.800, 15.400),
];

/// The department (ISO code) a territory code belongs to: a department ISO code maps to itself,
/// a demo territory to its department. `None` for the national code and unknown codes.
pub fn department_iso_of(territory: &str) -> Option<&'static str> {
    if let Some(d) = department_by_iso(territory) {
        return Some(d.iso);
    }
    let t = DEMO_TERRITORIES.iter().find(|t| t.code == territory)?;
    department_by_code(t.department_code).map(|d| d.iso)
}

/// A code with its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub label: Label,
}

/// A `Code` with its labels, for the built-in lists here and in [`crate::catalog`].
macro_rules! code {
    ($code:literal, $es:literal, $en:literal) => {
        $crate::codes::Code { code: $code, label: $crate::Label { es: $es, en: $en } }
    };
}
pub(crate) use code;

pub const SERVICES: [Code; 5] = [
    code!("orientacion", "Orientación laboral", "Career guidance"),
    code!("gestion_empresarial", "Gestión empresarial", "Employer services"),
    code!("intermediacion", "Intermediación laboral", "Job matching and placement"),
    code!("derivacion", "Derivación interinstitucional", "Inter-institutional referral"),
    code!("gestion_territorial", "Gestión territorial", "Territorial management"),
];

pub const POPULATIONS: [Code; 6] = [
    code!("general", "Población general", "General population"),
    code!("retornada", "Persona migrante retornada", "Returned migrant"),
    code!("desplazada", "Persona desplazada internamente", "Internally displaced person"),
    code!("transito", "Persona migrante en tránsito", "Migrant in transit"),
    code!("refugiada", "Persona refugiada o solicitante de asilo", "Refugee or asylum seeker"),
    code!("trabajo_temporal", "Persona trabajadora migrante temporal", "Temporary labour migrant"),
];

/// Population types whose small cells must be suppressed in public views (DOMAIN.md §2; people in transit added
/// by issue 34). A snapshot's own `populations` table decides for that snapshot.
pub const SENSITIVE_POPULATIONS: [&str; 3] = ["desplazada", "transito", "refugiada"];

/// Cells of sensitive populations under this many people are suppressed.
pub const SUPPRESSION_THRESHOLD: f64 = 5.0;

pub const SEXES: [Code; 3] = [
    code!("mujer", "Mujer", "Woman"),
    code!("hombre", "Hombre", "Man"),
    code!("no_declarado", "No declarado", "Not stated"),
];

pub const AGE_GROUPS: [Code; 6] = [
    code!("15-17", "15 a 17 años", "15 to 17"),
    code!("18-24", "18 a 24 años", "18 to 24"),
    code!("25-29", "25 a 29 años", "25 to 29"),
    code!("30-44", "30 a 44 años", "30 to 44"),
    code!("45-59", "45 a 59 años", "45 to 59"),
    code!("60+", "60 años o más", "60 and over"),
];

/// Status of one value. A null value is never a zero: its status says why it is missing.
pub const VALUE_STATUSES: [Code; 4] = [
    code!("reported", "Reportado", "Reported"),
    code!("estimated", "Estimado", "Estimated"),
    code!("not_collected", "No recolectado", "Not collected"),
    code!("suppressed", "Suprimido (protección de datos)", "Suppressed (data protection)"),
];

/// Indicators the built-in demo uses; the full catalogue is data.
pub const INDICATORS: [Code; 5] = [
    code!("COB-01", "Personas atendidas", "People served"),
    code!("COB-02", "Atenciones por servicio", "Service contacts"),
    code!("INT-05", "Colocaciones", "Placements"),
    code!("DER-01", "Derivaciones enviadas", "Referrals sent"),
    code!("DER-02", "Derivaciones completadas", "Referrals completed"),
];

/// A demo territory by its code.
pub fn territory(code: &str) -> Option<&'static Territory> {
    DEMO_TERRITORIES.iter().find(|t| t.code == code)
}

/// Looks up a code's label in a list, falling back to the code itself.
pub fn label_of(list: &[Code], code: &str, lang: crate::Lang) -> String {
    list.iter().find(|c| c.code == code).map_or_else(|| code.to_owned(), |c| c.label.get(lang).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_territory_lies_in_a_known_department() {
        for t in DEMO_TERRITORIES {
            assert!(department_iso_of(t.code).is_some(), "{}", t.code);
            assert!(t.municipality_code.starts_with(t.department_code));
        }
    }

    #[test]
    fn department_codes_are_in_ine_order() {
        for (i, d) in DEPARTMENTS.iter().enumerate() {
            assert_eq!(d.code, format!("{:02}", i + 1));
        }
        let share: f64 = DEPARTMENTS.iter().map(|d| d.returnee_share_pct).sum();
        assert!((share - 100.0).abs() < 0.5, "{share}");
    }

    #[test]
    fn department_iso_maps_to_itself_and_national_to_none() {
        assert_eq!(department_iso_of("HN-FM"), Some("HN-FM"));
        assert_eq!(department_iso_of("T02"), Some("HN-CR"));
        assert_eq!(department_iso_of(NATIONAL), None);
    }
}
