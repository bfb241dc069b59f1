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

impl<S> Combine<S> {
    /// The codes of the indicators list's `combine` column.
    pub const CODES: [&'static str; 4] = ["sum", "unique", "ratio", "none"];

    pub const fn code(&self) -> &'static str {
        match self {
            Self::Sum => "sum",
            Self::Unique => "unique",
            Self::Ratio { .. } => "ratio",
            Self::None => "none",
        }
    }

    /// What a unit combines as when a list says nothing: counts add up, the rest does not combine.
    pub const fn of_unit(unit: Unit) -> Self {
        match unit {
            Unit::Count => Self::Sum,
            _ => Self::None,
        }
    }

    /// Whether values add up over periods (months into a quarter).
    pub const fn over_time(&self) -> bool {
        !matches!(self, Self::Unique | Self::None)
    }
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
    /// What is counted, in one or two sentences; a rate reads numerator ÷ denominator.
    pub definition: Label,
    pub unit: Unit,
    /// `M` monthly, `T` quarterly, `A` yearly.
    pub frequency: &'static str,
    pub higher_is_better: bool,
    pub source: &'static str,
    /// How its values combine over places, periods and disaggregations ([`Combine`]).
    pub combine: Combine,
    /// Disaggregations (`service`, `population`, `sex`, `age_group`) whose parts may overlap: a person counted
    /// under several services. Their parts may add up to more than the total.
    pub overlapping: &'static [&'static str],
}

/// How an indicator's values combine when a view covers several rows (offices into a department, months into a
/// period). A rate is never an average of rates, nor a median an average of medians.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine<S = &'static str> {
    /// Counts of events or contacts: they add up over places, periods and exclusive disaggregations.
    Sum,
    /// Distinct people counted per period: they add up over places and exclusive disaggregations, never over
    /// periods (a person served in two months is one person); a longer period needs its own published value
    /// (a quarter, or the year to date).
    Unique,
    /// A rate or a mean score: Σ numerator ÷ Σ denominator of the two count indicators named, × 100 for a
    /// percentage. Where the snapshot lacks either, the rate cannot be combined.
    Ratio { numerator: S, denominator: S },
    /// Medians and other values that do not combine: shown only where one published row gives them.
    None,
}

macro_rules! ind {
    (
        $id:literal,
        $es:literal,
        $en:literal,
        $unit:ident,
        $freq:literal,
        $hib:literal,
        $src:literal,
        $def_es:literal,
        $def_en:literal $(,)?
    ) => {
        Indicator {
            id: $id,
            name: Label { es: $es, en: $en },
            definition: Label { es: $def_es, en: $def_en },
            unit: Unit::$unit,
            frequency: $freq,
            higher_is_better: $hib,
            source: $src,
            combine: Combine::of_unit(Unit::$unit),
            overlapping: &[],
        }
    };
}

pub const INDICATORS: [Indicator; 35] = [
    Indicator {
        combine: Combine::Unique,
        ..ind!(
            "COB-01",
            "Personas atendidas (únicas)",
            "Unique people served",
            Count,
            "M",
            true,
            "SI EMPLEO",
            "Número de personas distintas que recibieron al menos un servicio de SI EMPLEO en el período; cada persona se cuenta una sola vez aunque reciba varios servicios.",
            "Number of distinct people who received at least one SI EMPLEO service in the period; each person counts once, however many services they received.",
        )
    },
    ind!(
        "COB-02",
        "Atenciones por servicio",
        "Service contacts by service",
        Count,
        "M",
        true,
        "SI EMPLEO",
        "Número de atenciones brindadas en el período, por servicio (orientación, gestión empresarial, intermediación, derivación, gestión territorial). Una misma persona puede recibir varias atenciones.",
        "Number of service contacts delivered in the period, by service (guidance, employer services, job matching, referral, territorial management). One person may receive several contacts.",
    ),
    Indicator {
        combine: Combine::Unique,
        overlapping: &["service"],
        ..ind!(
            "COB-03",
            "Personas por tipo de población y servicio",
            "People by population type and service",
            Count,
            "M",
            true,
            "SI EMPLEO",
            "Personas atendidas en el período, desagregadas por tipo de población (general, retornada, desplazada, en tránsito, refugiada, trabajo temporal) y por servicio recibido.",
            "People served in the period, broken down by population type (general, returned, displaced, in transit, refugee, temporary labour migrant) and by service received.",
        )
    },
    Indicator {
        combine: Combine::Ratio { numerator: "COB-08", denominator: "CTX-01" },
        ..ind!(
            "COB-04",
            "Tasa de cobertura de personas retornadas",
            "Returnee coverage rate",
            Percent,
            "T",
            true,
            "SI EMPLEO, INM",
            "Cohorte: las personas migrantes retornadas recibidas en el territorio en el trimestre según el INM. Numerador: las de esa cohorte que SI EMPLEO atendió en el mismo trimestre (COB-08); denominador: toda la cohorte (CTX-01); × 100.",
            "Cohort: the returned migrants received in the territory in the quarter according to INM. Numerator: those of the cohort that SI EMPLEO served in the same quarter (COB-08); denominator: the whole cohort (CTX-01); × 100.",
        )
    },
    ind!(
        "COB-05",
        "Proporción de grupos prioritarios PNEH",
        "Share of PNEH priority groups",
        Percent,
        "T",
        true,
        "SI EMPLEO",
        "Personas atendidas que pertenecen a un grupo prioritario de la Política Nacional de Empleo de Honduras (jóvenes, mujeres, población rural, personas adultas mayores, personas con discapacidad, pueblos indígenas y afrohondureños) ÷ total de personas atendidas × 100.",
        "People served who belong to a priority group of the national employment policy, PNEH (youth, women, rural people, older adults, persons with disability, indigenous and Afro-Honduran peoples) ÷ all people served × 100.",
    ),
    Indicator {
        combine: Combine::Unique,
        ..ind!(
            "COB-06",
            "Personas con plan individual de empleabilidad",
            "People with an individual employability plan",
            Count,
            "M",
            true,
            "SI EMPLEO",
            "Número de personas que elaboraron un plan individual de empleabilidad con el personal de orientación laboral en el período.",
            "Number of people who drew up an individual employability plan with a career guidance counsellor in the period.",
        )
    },
    ind!(
        "COB-07",
        "Mediana de días a la primera atención",
        "Median days to first service",
        Days,
        "T",
        false,
        "SI EMPLEO",
        "Mediana de los días transcurridos entre la inscripción de la persona y su primera atención, para quienes recibieron la primera atención en el período.",
        "Median number of days between a person's registration and their first service, for people first served in the period.",
    ),
    ind!(
        "COB-08",
        "Personas retornadas atendidas (de las recibidas)",
        "Returnees served (of those received)",
        Count,
        "T",
        true,
        "SI EMPLEO, INM",
        "Personas migrantes retornadas recibidas en el territorio en el trimestre según el INM que SI EMPLEO atendió en el mismo trimestre; cada persona una vez. Numerador de COB-04.",
        "Returned migrants received in the territory in the quarter according to INM whom SI EMPLEO served in the same quarter; each person once. Numerator of COB-04.",
    ),
    ind!(
        "INT-01",
        "Nuevos registros de personas buscadoras de empleo",
        "New jobseeker registrations",
        Count,
        "M",
        true,
        "SI EMPLEO",
        "Número de personas buscadoras de empleo inscritas por primera vez en SI EMPLEO en el período.",
        "Number of jobseekers registered with SI EMPLEO for the first time in the period.",
    ),
    ind!(
        "INT-02",
        "Vacantes registradas",
        "Vacancies registered",
        Count,
        "M",
        true,
        "SI EMPLEO",
        "Número de puestos vacantes que las empresas registraron en SI EMPLEO en el período; se cuenta cada puesto, no cada oferta publicada.",
        "Number of job vacancies employers registered with SI EMPLEO in the period; each post counts, not each posting.",
    ),
    ind!(
        "INT-03",
        "Empresas atendidas",
        "Employers served",
        Count,
        "M",
        true,
        "SI EMPLEO",
        "Número de empresas distintas que recibieron al menos un servicio de gestión empresarial o de intermediación laboral en el período.",
        "Number of distinct employers that received at least one employer or job-matching service in the period.",
    ),
    ind!(
        "INT-05",
        "Colocaciones verificadas",
        "Verified placements",
        Count,
        "M",
        true,
        "SI EMPLEO",
        "Número de personas colocadas en un empleo por medio de SI EMPLEO en el período, con la contratación verificada con la empresa.",
        "Number of people placed in a job through SI EMPLEO in the period, with the hiring verified with the employer.",
    ),
    ind!(
        "INT-06",
        "Tasa de colocación a 6 meses",
        "Placement rate within 6 months",
        Percent,
        "T",
        true,
        "SI EMPLEO",
        "Personas colocadas dentro de los 6 meses siguientes a su inscripción ÷ personas inscritas en la misma cohorte × 100.",
        "People placed within 6 months of registration ÷ people registered in the same cohort × 100.",
    ),
    ind!(
        "INT-07",
        "Tasa de cobertura de vacantes",
        "Vacancy fill rate",
        Percent,
        "T",
        true,
        "SI EMPLEO",
        "Vacantes cubiertas con personas remitidas por SI EMPLEO ÷ vacantes registradas en el período × 100.",
        "Vacancies filled with people sent by SI EMPLEO ÷ vacancies registered in the period × 100.",
    ),
    ind!(
        "INT-08",
        "Mediana de días a la colocación",
        "Median days to placement",
        Days,
        "T",
        false,
        "SI EMPLEO",
        "Mediana de los días transcurridos entre la inscripción de la persona y su colocación verificada, para las colocaciones del período.",
        "Median number of days between a person's registration and their verified placement, for placements in the period.",
    ),
    ind!(
        "INT-10",
        "Proporción de colocaciones formales",
        "Share of formal placements",
        Percent,
        "T",
        true,
        "SI EMPLEO",
        "Colocaciones en empleos formales (con contrato y afiliación a la seguridad social) ÷ total de colocaciones verificadas en el período × 100.",
        "Placements in formal jobs (with a contract and social security cover) ÷ all verified placements in the period × 100.",
    ),
    ind!(
        "DER-01",
        "Derivaciones enviadas",
        "Referrals sent",
        Count,
        "M",
        true,
        "SI EMPLEO",
        "Número de derivaciones que SI EMPLEO envió a otras instituciones en el período, por institución receptora.",
        "Number of referrals SI EMPLEO sent to other institutions in the period, by receiving institution.",
    ),
    Indicator {
        combine: Combine::Ratio { numerator: "DER-05", denominator: "DER-01" },
        ..ind!(
            "DER-02",
            "Proporción de derivaciones completadas",
            "Share of referrals completed",
            Percent,
            "M",
            true,
            "SI EMPLEO",
            "Cohorte: las derivaciones enviadas en el período. Numerador: las de esa cohorte cuya atención confirmó la institución receptora (DER-05); denominador: todas (DER-01); × 100.",
            "Cohort: the referrals sent in the period. Numerator: those of the cohort whose completion the receiving institution confirmed (DER-05); denominator: all of them (DER-01); × 100.",
        )
    },
    ind!(
        "DER-03",
        "Mediana de días de respuesta",
        "Median response days",
        Days,
        "T",
        false,
        "SI EMPLEO",
        "Mediana de los días transcurridos entre el envío de una derivación y la respuesta de la institución receptora, para las derivaciones respondidas en el período.",
        "Median number of days between sending a referral and the receiving institution's reply, for referrals answered in the period.",
    ),
    ind!(
        "DER-04",
        "Derivaciones recibidas de instituciones aliadas",
        "Referrals received from partners",
        Count,
        "M",
        true,
        "SI EMPLEO",
        "Número de personas que las instituciones aliadas (CAMR, INM, SEDESOL, OIM, ACNUR, sociedad civil) derivaron a SI EMPLEO en el período.",
        "Number of people partner institutions (returnee centres, INM, SEDESOL, IOM, UNHCR, civil society) referred to SI EMPLEO in the period.",
    ),
    ind!(
        "DER-05",
        "Derivaciones completadas",
        "Referrals completed",
        Count,
        "M",
        true,
        "SI EMPLEO",
        "Derivaciones enviadas en el período cuya atención confirmó la institución receptora. Numerador de DER-02.",
        "Referrals sent in the period whose completion the receiving institution confirmed. Numerator of DER-02.",
    ),
    ind!(
        "FOR-01",
        "Personas inscritas en formación",
        "People enrolled in training",
        Count,
        "M",
        true,
        "INFOP, SI EMPLEO",
        "Número de personas inscritas en el período, por medio de SI EMPLEO, en cursos de formación técnica o profesional (INFOP u otros centros).",
        "Number of people enrolled through SI EMPLEO in the period in technical or vocational training courses (INFOP or other providers).",
    ),
    ind!(
        "FOR-02",
        "Tasa de finalización de la formación",
        "Training completion rate",
        Percent,
        "T",
        true,
        "INFOP",
        "Personas que finalizaron y aprobaron el curso ÷ personas inscritas en los cursos que terminaron en el período × 100.",
        "People who completed and passed the course ÷ people enrolled in courses that ended in the period × 100.",
    ),
    ind!(
        "EMP-01",
        "Personas con apoyo al emprendimiento",
        "People with entrepreneurship support",
        Count,
        "M",
        true,
        "SI EMPLEO",
        "Número de personas que recibieron asesoría, capacitación o capital semilla para emprender un negocio en el período.",
        "Number of people who received advice, training or seed capital to start a business in the period.",
    ),
    ind!(
        "REI-01",
        "Puntaje de reintegración",
        "Reintegration score",
        Score,
        "A",
        true,
        "OIM",
        "Puntaje compuesto de sostenibilidad de la reintegración (dimensiones económica, social y psicosocial), de 0 a 1, según la encuesta de la OIM a personas retornadas.",
        "Composite reintegration sustainability score (economic, social and psychosocial dimensions), from 0 to 1, from IOM's Reintegration Sustainability Survey of returnees.",
    ),
    ind!(
        "REI-02",
        "Retornadas con ingreso laboral a 6 meses",
        "Returnees with labour income at 6 months",
        Percent,
        "A",
        true,
        "OIM",
        "Personas retornadas encuestadas que tienen ingresos laborales 6 meses después de su retorno ÷ personas retornadas encuestadas × 100.",
        "Surveyed returnees with labour income 6 months after their return ÷ all surveyed returnees × 100.",
    ),
    ind!(
        "MIL-01",
        "Postulantes a programas de trabajo temporal",
        "Applicants to temporary work abroad",
        Count,
        "M",
        true,
        "DGE Migración Laboral",
        "Número de personas que se postularon en el período a los programas de trabajo temporal en el extranjero que gestiona la DGE.",
        "Number of people who applied in the period to the temporary work abroad programmes run by the DGE.",
    ),
    ind!(
        "MIL-02",
        "Personas trabajadoras enviadas a empleos en el exterior",
        "Workers deployed abroad",
        Count,
        "M",
        true,
        "DGE Migración Laboral",
        "Número de personas trabajadoras que salieron del país en el período con un contrato de trabajo temporal obtenido por medio de los programas de la DGE.",
        "Number of workers who left the country in the period with a temporary job contract obtained through DGE programmes.",
    ),
    ind!(
        "CTX-01",
        "Personas migrantes retornadas (INM)",
        "Returned migrants (INM)",
        Count,
        "T",
        false,
        "INM",
        "Número de personas migrantes retornadas recibidas en el territorio en el trimestre, según los registros del Instituto Nacional de Migración. Serie de contexto; denominador de COB-04.",
        "Number of returned migrants received in the territory in the quarter, according to National Migration Institute records. Context series; denominator of COB-04.",
    ),
    ind!(
        "CTX-02",
        "Tasa de desocupación (ODS 8.5.2)",
        "Unemployment rate (SDG 8.5.2)",
        Percent,
        "A",
        false,
        "INE",
        "Personas desocupadas ÷ población económicamente activa × 100, según la Encuesta Permanente de Hogares del INE (ODS 8.5.2). Serie de contexto.",
        "Unemployed people ÷ labour force × 100, from INE's household survey (SDG 8.5.2). Context series.",
    ),
    ind!(
        "CTX-05",
        "Personas migrantes en tránsito registradas",
        "Migrants in transit registered",
        Count,
        "M",
        false,
        "INM",
        "Número de personas migrantes en tránsito por Honduras que el Instituto Nacional de Migración registró en el período. Serie de contexto.",
        "Number of migrants in transit through Honduras registered by the National Migration Institute in the period. Context series.",
    ),
    ind!(
        "HR-01",
        "Hitos cumplidos frente a vencidos",
        "Milestones done vs due",
        Percent,
        "M",
        true,
        "Hoja de ruta",
        "Hitos cumplidos (a tiempo o con retraso) ÷ hitos cuya fecha planificada ya venció, sin contar los cancelados, × 100.",
        "Milestones done (on time or late) ÷ milestones whose planned date has passed, excluding cancelled ones, × 100.",
    ),
    ind!(
        "HR-02",
        "Avance físico ponderado",
        "Weighted physical progress",
        Percent,
        "M",
        true,
        "Hoja de ruta",
        "Suma de los pesos de los hitos cumplidos ÷ suma de los pesos de los hitos no cancelados × 100.",
        "Sum of the weights of milestones done ÷ sum of the weights of milestones not cancelled × 100.",
    ),
    ind!(
        "HR-03",
        "Variación del cronograma",
        "Schedule variance",
        Points,
        "M",
        true,
        "Hoja de ruta",
        "Avance real menos avance planificado a la fecha, en puntos porcentuales; un valor negativo indica atraso.",
        "Actual progress minus planned progress to date, in percentage points; a negative value means delay.",
    ),
    ind!(
        "HR-04",
        "Ejecución presupuestaria",
        "Budget execution",
        Percent,
        "M",
        true,
        "Hoja de ruta",
        "Presupuesto ejecutado (devengado) ÷ presupuesto vigente × 100, por fuente de financiamiento.",
        "Executed (accrued) budget ÷ current budget × 100, by funding source.",
    ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_has_a_definition_and_every_rate_names_its_denominator() {
        let mut ids = std::collections::HashSet::new();
        for i in &INDICATORS {
            assert!(ids.insert(i.id), "{} twice", i.id);
            for (lang, text) in [("es", i.definition.es), ("en", i.definition.en)] {
                let text = text.trim();
                assert!(text.len() >= 40, "{} {lang}: definition too short: {text:?}", i.id);
                assert!(text.ends_with('.'), "{} {lang}: not a sentence: {text:?}", i.id);
                assert!(text.matches(". ").count() <= 1, "{} {lang}: more than two sentences", i.id);
                if i.unit == Unit::Percent {
                    assert!(
                        (text.contains(" ÷ ") || text.contains("Numerador") || text.contains("Numerator"))
                            && text.contains("× 100"),
                        "{} {lang}: a rate reads a ÷ b × 100",
                        i.id
                    );
                }
            }
            assert_ne!(i.definition.es, i.definition.en, "{}: Spanish left untranslated", i.id);
        }
    }
}
