//! The built-in indicator catalogue (DOMAIN.md §4) and the roadmap's code lists (§5), each with es/en labels.
//! Snapshots may bring their own lists as data; these are the defaults.

use crate::Label;
use crate::codes::{Code, code};

/// How an indicator's values are measured; drives validation (counts are never negative, percentages stay in
/// 0..100) and formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// People, contacts, events: whole, non-negative, additive across disaggregations.
    Count,
    /// A percentage, 0..100.
    Percent,
    /// A median number of days, non-negative, not additive.
    Days,
    /// A score 0..1.
    Score,
    /// Percentage points (may be negative).
    Points,
}

impl Unit {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Percent => "percent",
            Self::Days => "days",
            Self::Score => "score",
            Self::Points => "points",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Count, Self::Percent, Self::Days, Self::Score, Self::Points].into_iter().find(|u| u.code() == code)
    }
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indicator {
    pub id: &'static str,
    pub name: Label,
    pub unit: Unit,
    /// `M` monthly, `T` quarterly, `A` yearly.
    pub frequency: &'static str,
    pub higher_is_better: bool,
    pub source: &'static str,
}

macro_rules! ind {
    ($id:literal, $es:literal, $en:literal, $unit:ident, $freq:literal, $hib:literal, $src:literal) => {
        Indicator {
            id: $id,
            name: Label { es: $es, en: $en },
            unit: Unit::$unit,
            frequency: $freq,
            higher_is_better: $hib,
            source: $src,
        }
    };
}

pub const INDICATORS: [Indicator; 33] = [
    ind!("COB-01", "Personas atendidas (únicas)", "Unique people served", Count, "M", true, "SI EMPLEO"),
    ind!("COB-02", "Atenciones por servicio", "Service contacts by service", Count, "M", true, "SI EMPLEO"),
    ind!(
        "COB-03",
        "Personas por tipo de población y servicio",
        "People by population type and service",
        Count,
        "M",
        true,
        "SI EMPLEO"
    ),
    ind!(
        "COB-04",
        "Tasa de cobertura de personas retornadas",
        "Returnee coverage rate",
        Percent,
        "T",
        true,
        "SI EMPLEO, INM"
    ),
    ind!(
        "COB-05",
        "Proporción de grupos prioritarios PNEH",
        "Share of PNEH priority groups",
        Percent,
        "T",
        true,
        "SI EMPLEO"
    ),
    ind!(
        "COB-06",
        "Personas con plan individual de empleabilidad",
        "People with an individual employability plan",
        Count,
        "M",
        true,
        "SI EMPLEO"
    ),
    ind!(
        "COB-07",
        "Mediana de días a la primera atención",
        "Median days to first service",
        Days,
        "T",
        false,
        "SI EMPLEO"
    ),
    ind!(
        "INT-01",
        "Nuevos registros de personas buscadoras de empleo",
        "New jobseeker registrations",
        Count,
        "M",
        true,
        "SI EMPLEO"
    ),
    ind!("INT-02", "Vacantes registradas", "Vacancies registered", Count, "M", true, "SI EMPLEO"),
    ind!("INT-03", "Empresas atendidas", "Employers served", Count, "M", true, "SI EMPLEO"),
    ind!("INT-05", "Colocaciones verificadas", "Verified placements", Count, "M", true, "SI EMPLEO"),
    ind!("INT-06", "Tasa de colocación a 6 meses", "Placement rate within 6 months", Percent, "T", true, "SI EMPLEO"),
    ind!("INT-07", "Tasa de cobertura de vacantes", "Vacancy fill rate", Percent, "T", true, "SI EMPLEO"),
    ind!("INT-08", "Mediana de días a la colocación", "Median days to placement", Days, "T", false, "SI EMPLEO"),
    ind!(
        "INT-10",
        "Proporción de colocaciones formales",
        "Share of formal placements",
        Percent,
        "T",
        true,
        "SI EMPLEO"
    ),
    ind!("DER-01", "Derivaciones enviadas", "Referrals sent", Count, "M", true, "SI EMPLEO"),
    ind!(
        "DER-02",
        "Proporción de derivaciones completadas",
        "Share of referrals completed",
        Percent,
        "M",
        true,
        "SI EMPLEO"
    ),
    ind!("DER-03", "Mediana de días de respuesta", "Median response days", Days, "T", false, "SI EMPLEO"),
    ind!(
        "DER-04",
        "Derivaciones recibidas de instituciones aliadas",
        "Referrals received from partners",
        Count,
        "M",
        true,
        "SI EMPLEO"
    ),
    ind!(
        "FOR-01",
        "Personas inscritas en formación",
        "People enrolled in training",
        Count,
        "M",
        true,
        "INFOP, SI EMPLEO"
    ),
    ind!("FOR-02", "Tasa de finalización de la formación", "Training completion rate", Percent, "T", true, "INFOP"),
    ind!(
        "EMP-01",
        "Personas con apoyo al emprendimiento",
        "People with entrepreneurship support",
        Count,
        "M",
        true,
        "SI EMPLEO"
    ),
    ind!("REI-01", "Puntaje de reintegración", "Reintegration score", Score, "A", true, "OIM"),
    ind!(
        "REI-02",
        "Retornadas con ingreso laboral a 6 meses",
        "Returnees with labour income at 6 months",
        Percent,
        "A",
        true,
        "OIM"
    ),
    ind!(
        "MIL-01",
        "Postulantes a programas de trabajo temporal",
        "Applicants to temporary work abroad",
        Count,
        "M",
        true,
        "DGE Migración Laboral"
    ),
    ind!(
        "MIL-02",
        "Personas trabajadoras desplazadas al exterior",
        "Workers deployed abroad",
        Count,
        "M",
        true,
        "DGE Migración Laboral"
    ),
    ind!("CTX-01", "Personas migrantes retornadas (INM)", "Returned migrants (INM)", Count, "M", false, "INM"),
    ind!("CTX-02", "Tasa de desocupación (ODS 8.5.2)", "Unemployment rate (SDG 8.5.2)", Percent, "A", false, "INE"),
    ind!(
        "CTX-05",
        "Personas migrantes en tránsito registradas",
        "Migrants in transit registered",
        Count,
        "M",
        false,
        "INM"
    ),
    ind!("HR-01", "Hitos cumplidos frente a vencidos", "Milestones done vs due", Percent, "M", true, "Hoja de ruta"),
    ind!("HR-02", "Avance físico ponderado", "Weighted physical progress", Percent, "M", true, "Hoja de ruta"),
    ind!("HR-03", "Variación del cronograma", "Schedule variance", Points, "M", true, "Hoja de ruta"),
    ind!("HR-04", "Ejecución presupuestaria", "Budget execution", Percent, "M", true, "Hoja de ruta"),
];

pub fn indicator(id: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.id == id)
}

pub const STRATEGIES: [Code; 4] = [
    code!("INT", "Intervención", "Intervention"),
    code!("COM", "Comunicación", "Communication"),
    code!("ART", "Articulación", "Coordination"),
    code!("MEJ", "Mejora continua", "Continuous improvement"),
];

pub const INTERVENTION_STATUSES: [Code; 8] = [
    code!("no_iniciada", "No iniciada", "Not started"),
    code!("en_preparacion", "En preparación", "In preparation"),
    code!("en_ejecucion", "En ejecución", "Under way"),
    code!("retrasada", "Retrasada", "Delayed"),
    code!("en_riesgo", "En riesgo", "At risk"),
    code!("suspendida", "Suspendida", "Suspended"),
    code!("finalizada", "Finalizada", "Finished"),
    code!("cancelada", "Cancelada", "Cancelled"),
];

pub const MILESTONE_STATUSES: [Code; 5] = [
    code!("pendiente", "Pendiente", "Pending"),
    code!("cumplido", "Cumplido", "Done"),
    code!("cumplido_con_retraso", "Cumplido con retraso", "Done late"),
    code!("no_cumplido", "No cumplido", "Missed"),
    code!("cancelado", "Cancelado", "Cancelled"),
];

pub const FUNDING_SOURCES: [Code; 6] = [
    code!("tesoro_nacional", "Tesoro Nacional", "National treasury"),
    code!("euroempleo", "EUROEMPLEO (Unión Europea)", "EUROEMPLEO (European Union)"),
    code!("bid", "BID", "IDB"),
    code!("cooperacion", "Cooperación internacional", "International cooperation"),
    code!("municipal", "Fondos municipales", "Municipal funds"),
    code!("otros", "Otros", "Other"),
];

pub const RISK_STATES: [Code; 3] = [
    code!("abierto", "Abierto", "Open"),
    code!("mitigado", "Mitigado", "Mitigated"),
    code!("cerrado", "Cerrado", "Closed"),
];

pub const INSTITUTIONS: [Code; 17] = [
    code!("DGE-ML", "DGE · Migración Laboral", "DGE · Labour Migration"),
    code!("DGE-OML", "DGE · Observatorio del Mercado Laboral", "DGE · Labour Market Observatory"),
    code!("DGE-PEE", "DGE · Políticas y Estrategias de Empleabilidad", "DGE · Employability Policies and Strategies"),
    code!("DGE-UFIL", "DGE · Unidad de Fomento a la Inclusión Laboral", "DGE · Labour Inclusion Unit"),
    code!("SIEMPLEO", "SI EMPLEO", "SI EMPLEO"),
    code!("SETRASS-IT", "SETRASS · Inspección del Trabajo", "SETRASS · Labour Inspection"),
    code!("SETRASS-SG", "SETRASS · Secretaría General", "SETRASS · General Secretariat"),
    code!("SETRASS-USL", "SETRASS · Unidad de Servicios Legales", "SETRASS · Legal Services Unit"),
    code!("INM", "Instituto Nacional de Migración", "National Migration Institute"),
    code!("SRECI", "Cancillería (CAMR)", "Foreign Affairs (returnee centres)"),
    code!("SEDH", "Secretaría de Derechos Humanos", "Human Rights Secretariat"),
    code!("SEDESOL", "SEDESOL", "SEDESOL (Social Development)"),
    code!("INFOP", "INFOP", "INFOP (Vocational Training)"),
    code!("MUNI", "Municipalidades", "Municipalities"),
    code!("OIM", "OIM", "IOM"),
    code!("ACNUR", "ACNUR", "UNHCR"),
    code!("UE", "Unión Europea", "European Union"),
];
