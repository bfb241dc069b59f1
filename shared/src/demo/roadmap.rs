//! The demo roadmap (hoja de ruta) and targets, as CSV text an analyst could edit and re-publish.

use super::{DemoConfig, Rng, territory_weight};
use crate::codes::DEMO_TERRITORIES;

/// Quotes a CSV field when it needs it.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', ';']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

fn line(fields: &[String]) -> String {
    let mut l = fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(",");
    l.push_str("\r\n");
    l
}

fn header(names: &[&str]) -> String {
    line(&names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
}

pub use crate::date::{civil_from_days, days_from_civil};

struct Template {
    strategy: &'static str,
    es: &'static str,
    en: &'static str,
    owner: &'static str,
    partners: &'static str,
    indicators: &'static str,
}

const fn tpl(
    strategy: &'static str,
    es: &'static str,
    en: &'static str,
    owner: &'static str,
    partners: &'static str,
    indicators: &'static str,
) -> Template {
    Template { strategy, es, en, owner, partners, indicators }
}

const TEMPLATES: [Template; 30] = [
    tpl(
        "INT",
        "Ventanilla de empleo en el centro de atención al migrante retornado (CAMR) de San Pedro Sula",
        "Employment desk at the San Pedro Sula returnee centre (CAMR)",
        "SIEMPLEO",
        "SRECI;OIM",
        "COB-01;COB-04",
    ),
    tpl(
        "INT",
        "Ferias de empleo para personas retornadas",
        "Job fairs for returned migrants",
        "SIEMPLEO",
        "MUNI;OIM",
        "INT-05;COB-01",
    ),
    tpl(
        "INT",
        "Certificación de competencias de personas retornadas",
        "Skills certification for returnees",
        "DGE-PEE",
        "INFOP",
        "FOR-01;FOR-02",
    ),
    tpl(
        "INT",
        "Ruta de empleabilidad para personas desplazadas",
        "Employability pathway for displaced people",
        "DGE-UFIL",
        "SEDH;ACNUR",
        "COB-03",
    ),
    tpl(
        "INT",
        "Programa de capital semilla para emprendimientos",
        "Seed capital for small businesses",
        "DGE-PEE",
        "SEDESOL;UE",
        "EMP-01",
    ),
    tpl(
        "INT",
        "Planes individuales de empleabilidad en 17 territorios",
        "Individual employability plans in 17 territories",
        "SIEMPLEO",
        "",
        "COB-06",
    ),
    tpl(
        "INT",
        "Intermediación con empresas exportadoras",
        "Job matching with exporting firms",
        "SIEMPLEO",
        "MUNI",
        "INT-02;INT-05",
    ),
    tpl(
        "INT",
        "Atención a personas refugiadas y solicitantes de asilo",
        "Services for refugees and asylum seekers",
        "DGE-UFIL",
        "ACNUR",
        "COB-03",
    ),
    tpl(
        "INT",
        "Colocación en programas de trabajo temporal en el exterior",
        "Placement in temporary work abroad programmes",
        "DGE-ML",
        "SRECI",
        "MIL-01;MIL-02",
    ),
    tpl(
        "INT",
        "Formación técnica acelerada con INFOP",
        "Accelerated technical training with INFOP",
        "DGE-PEE",
        "INFOP",
        "FOR-01",
    ),
    tpl(
        "COM",
        "Campaña nacional «SI EMPLEO te acompaña»",
        "National campaign «SI EMPLEO is with you»",
        "SETRASS-SG",
        "UE",
        "COB-01",
    ),
    tpl(
        "COM",
        "Material informativo en los puntos de retorno",
        "Information material at return points",
        "DGE-ML",
        "INM;OIM",
        "COB-04",
    ),
    tpl(
        "COM",
        "Boletín trimestral del Observatorio del Mercado Laboral",
        "Quarterly Labour Market Observatory bulletin",
        "DGE-OML",
        "",
        "CTX-02",
    ),
    tpl(
        "COM",
        "Guía de derechos laborales para personas migrantes",
        "Labour rights guide for migrants",
        "SETRASS-USL",
        "SEDH",
        "",
    ),
    tpl("COM", "Presencia en radios comunitarias", "Community radio outreach", "SIEMPLEO", "MUNI", "COB-01"),
    tpl("COM", "Portal de vacantes accesible", "Accessible vacancy portal", "DGE-OML", "", "INT-02"),
    tpl(
        "ART",
        "Mesa interinstitucional de reintegración laboral",
        "Inter-institutional labour reintegration table",
        "DGE-ML",
        "INM;SRECI;OIM;SEDESOL",
        "DER-01;DER-02",
    ),
    tpl(
        "ART",
        "Protocolo de derivación con CAMR",
        "Referral protocol with the returnee centres",
        "SIEMPLEO",
        "SRECI",
        "DER-04",
    ),
    tpl(
        "ART",
        "Convenio de intercambio de datos con INM",
        "Data-sharing agreement with INM",
        "DGE-OML",
        "INM",
        "CTX-01",
    ),
    tpl("ART", "Mesas territoriales de empleo", "Territorial employment tables", "SIEMPLEO", "MUNI", "INT-03"),
    tpl(
        "ART",
        "Articulación con el marco MIRPS",
        "Coordination under the MIRPS framework",
        "DGE-UFIL",
        "ACNUR;SEDH",
        "COB-03",
    ),
    tpl("ART", "Acuerdos con gremios empresariales", "Agreements with business associations", "DGE-PEE", "", "INT-03"),
    tpl(
        "ART",
        "Derivación a programas sociales de SEDESOL",
        "Referral to SEDESOL social programmes",
        "SIEMPLEO",
        "SEDESOL",
        "DER-01",
    ),
    tpl("ART", "Coordinación con Inspección del Trabajo", "Coordination with Labour Inspection", "SETRASS-IT", "", ""),
    tpl(
        "MEJ",
        "Sistema de registro único de personas atendidas",
        "Single registry of people served",
        "DGE-OML",
        "UE",
        "COB-01",
    ),
    tpl("MEJ", "Tablero de seguimiento de la hoja de ruta", "Roadmap monitoring dashboard", "DGE-OML", "", "HR-02"),
    tpl(
        "MEJ",
        "Encuesta de sostenibilidad de la reintegración",
        "Reintegration sustainability survey",
        "DGE-OML",
        "OIM",
        "REI-01;REI-02",
    ),
    tpl("MEJ", "Capacitación del personal de SI EMPLEO", "SI EMPLEO staff training", "SIEMPLEO", "OIM", ""),
    tpl("MEJ", "Manual de procesos de SI EMPLEO", "SI EMPLEO process manual", "DGE-PEE", "", ""),
    tpl(
        "MEJ",
        "Evaluación de medio término de la hoja de ruta",
        "Mid-term evaluation of the roadmap",
        "SETRASS-SG",
        "UE",
        "HR-01",
    ),
];

const MILESTONE_NAMES: [(&str, &str); 5] = [
    ("Diseño aprobado", "Design approved"),
    ("Equipo y recursos asignados", "Team and resources assigned"),
    ("Puesta en marcha", "Launch"),
    ("Primer informe de resultados", "First results report"),
    ("Cierre y evaluación", "Closure and evaluation"),
];

const RISKS: [(&str, &str, &str, &str); 12] = [
    (
        "Cambio de autoridades tras las elecciones",
        "Change of authorities after the elections",
        "político",
        "Documentar acuerdos y transferir capacidades al personal técnico",
    ),
    (
        "Retraso en la transferencia de fondos del Tesoro",
        "Delay in treasury fund transfers",
        "financiero",
        "Programar desembolsos con la Secretaría de Finanzas",
    ),
    ("Baja demanda de empresas", "Low employer demand", "mercado", "Acuerdos con gremios y ferias focalizadas"),
    (
        "Rotación de personal de SI EMPLEO",
        "SI EMPLEO staff turnover",
        "institucional",
        "Manual de procesos e inducción",
    ),
    ("Datos incompletos de INM", "Incomplete INM data", "datos", "Convenio de intercambio de datos"),
    ("Inseguridad en territorios", "Insecurity in territories", "contexto", "Atención remota y alianzas locales"),
    ("Aumento brusco de retornos", "Sudden increase in returns", "contexto", "Plan de contingencia con CAMR"),
    (
        "Baja conectividad en oficinas",
        "Poor connectivity in offices",
        "tecnológico",
        "Modo sin conexión y sincronización",
    ),
    (
        "Fin del apoyo presupuestario de la UE",
        "End of EU budget support",
        "financiero",
        "Estrategia de sostenibilidad con fondos nacionales",
    ),
    (
        "Estigma hacia personas retornadas",
        "Stigma towards returnees",
        "social",
        "Campaña de sensibilización a empresas",
    ),
    (
        "Coordinación débil entre instituciones",
        "Weak inter-institutional coordination",
        "institucional",
        "Mesa interinstitucional mensual",
    ),
    (
        "Protección de datos de personas desplazadas",
        "Protection of displaced people's data",
        "datos",
        "Supresión de celdas pequeñas y acceso por roles",
    ),
];

/// The demo tables other than `facts`, as CSV files: `(table name, CSV text)`.
#[allow(clippy::too_many_lines)]
pub fn tables(config: &DemoConfig) -> Vec<(&'static str, String)> {
    let mut rng = Rng::new(config.seed ^ 0x00A5_5A5A);
    let (y, m) = config.last_month;
    let as_of = crate::date::Day::last_of_month(y, m).0;
    // The plan was revised on 15 October 2026: some milestones still ahead were moved later. Snapshots taken before
    // that date show the original plan, so the roadmap view's "slippage" has something real to show.
    let replanned_on = days_from_civil(2026, 10, 15);
    // An earlier revision, on 15 April 2026, moved a few second milestones three months later (92 days): in every
    // snapshot after it they keep their first date as their baseline (`baseline_date`), some done on their new
    // date, "on the current plan" and three months after the baseline.
    let first_replan = days_from_civil(2026, 4, 15);
    let plan_start = days_from_civil(2025, 1, 1);
    let mut interventions = header(&[
        "intervention_id",
        "name_es",
        "name_en",
        "strategy",
        "institution",
        "co_institutions",
        "territories",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "status",
        "priority",
        "pneh_aligned",
        "eu_aligned",
        "indicators",
    ]);
    let mut milestones = header(&[
        "milestone_id",
        "intervention_id",
        "name_es",
        "name_en",
        "planned_date",
        "baseline_date",
        "actual_date",
        "status",
        "weight",
    ]);
    let mut budget = header(&[
        "intervention_id",
        "fiscal_year",
        "funding_source",
        "approved_hnl",
        "current_hnl",
        "committed_hnl",
        "executed_hnl",
    ]);
    let mut counters = std::collections::HashMap::new();
    for (i, t) in TEMPLATES.iter().enumerate() {
        let n = counters.entry(t.strategy).or_insert(0);
        *n += 1;
        let id = format!("HR-{}-{:03}", t.strategy, n);
        let start = plan_start + (rng.unit() * 420.0) as i64;
        let length = 240 + (rng.unit() * 420.0) as i64;
        let end = start + length;
        let started = start <= as_of;
        // Some interventions start late; a quarter run well behind.
        let delay = if rng.unit() < 0.3 { (rng.unit() * 60.0) as i64 } else { 0 };
        let behind = rng.unit() < 0.25;
        let count = 3 + (i % 3);
        let weights: &[u32] = match count {
            3 => &[30, 30, 40],
            4 => &[25, 25, 25, 25],
            _ => &[20, 20, 20, 20, 20],
        };
        let mut overdue = false;
        let mut all_done = true;
        for (k, w) in weights.iter().enumerate() {
            let (es, en) = MILESTONE_NAMES[if count == 3 && k == 2 { 4 } else { k.min(4) }];
            // Every draw happens whatever the snapshot date, so two snapshots of the demo share one plan and
            // differ only in what has happened by their dates.
            let (missed, late, late_days, early_days, replan) =
                (rng.unit() < 0.5, rng.unit() < 0.25, rng.unit() * 40.0, rng.unit() * 10.0, rng.unit() < 0.4);
            let mut planned = start + length * (k as i64 + 1) / count as i64;
            let baseline = planned;
            // (Only where the move keeps the milestone before the next one.)
            let next = start + length * (k as i64 + 2) / count as i64;
            if as_of >= first_replan && k == 1 && i % 3 == 1 && planned > first_replan && planned + 92 < next {
                planned += 92;
            }
            // A revision moves milestones, not the intervention's end: the closing milestone stays put.
            if as_of >= replanned_on && planned > replanned_on && (replan || behind) && planned + 45 < end {
                planned += 45;
            }
            let (actual, status) = if planned > as_of {
                all_done = false;
                (String::new(), "pendiente")
            } else if behind && k + 1 == count.min(3) {
                overdue = true;
                all_done = false;
                (String::new(), if missed { "no_cumplido" } else { "pendiente" })
            } else if late {
                (civil_from_days((planned + 5 + late_days as i64).min(as_of)), "cumplido_con_retraso")
            } else {
                (civil_from_days(planned - early_days as i64), "cumplido")
            };
            milestones.push_str(&line(&[
                format!("{id}-H{}", k + 1),
                id.clone(),
                es.to_owned(),
                en.to_owned(),
                civil_from_days(planned),
                civil_from_days(baseline),
                actual,
                status.to_owned(),
                w.to_string(),
            ]));
        }
        let delayed = rng.unit() < 0.5;
        let status = if !started {
            "no_iniciada"
        } else if all_done {
            "finalizada"
        } else if overdue {
            if delayed { "retrasada" } else { "en_riesgo" }
        } else {
            "en_ejecucion"
        };
        let actual_start = if started { civil_from_days((start + delay).min(as_of)) } else { String::new() };
        let actual_end = if status == "finalizada" { civil_from_days(end.min(as_of)) } else { String::new() };
        let territories = if t.strategy == "INT" && i % 2 == 0 {
            DEMO_TERRITORIES.iter().skip(i % 5).step_by(4).map(|t| t.code).collect::<Vec<_>>().join(";")
        } else {
            String::new()
        };
        interventions.push_str(&line(&[
            id.clone(),
            t.es.to_owned(),
            t.en.to_owned(),
            t.strategy.to_owned(),
            t.owner.to_owned(),
            t.partners.to_owned(),
            territories,
            civil_from_days(start),
            civil_from_days(end),
            actual_start,
            actual_end,
            status.to_owned(),
            (1 + i % 3).to_string(),
            "true".to_owned(),
            (t.partners.contains("UE") || i % 3 == 0).to_string(),
            t.indicators.to_owned(),
        ]));
        for year in [2025, 2026] {
            let sources: &[&str] = match i % 3 {
                0 => &["tesoro_nacional", "euroempleo"],
                1 => &["tesoro_nacional"],
                _ => &["euroempleo", "cooperacion"],
            };
            for source in sources {
                let approved = (200_000.0 + rng.unit() * 2_800_000.0).round();
                let current = (approved * rng.jitter(0.1)).round();
                let progress = if year == 2025 { 0.75 + rng.unit() * 0.25 } else { 0.3 + rng.unit() * 0.5 };
                let executed = if started { (current * progress).round() } else { 0.0 };
                let committed = (executed + (current - executed) * rng.unit() * 0.6).round();
                budget.push_str(&line(&[
                    id.clone(),
                    year.to_string(),
                    (*source).to_owned(),
                    format!("{approved:.2}"),
                    format!("{current:.2}"),
                    format!("{committed:.2}"),
                    format!("{executed:.2}"),
                ]));
            }
        }
    }
    let mut risks = header(&[
        "risk_id",
        "intervention_id",
        "description_es",
        "description_en",
        "category",
        "probability",
        "impact",
        "mitigation",
        "owner",
        "state",
    ]);
    for (i, (es, en, category, mitigation)) in RISKS.iter().enumerate() {
        let intervention = if i % 3 == 0 {
            String::new()
        } else {
            format!("HR-{}-{:03}", ["INT", "ART", "MEJ", "COM"][i % 4], 1 + i % 6)
        };
        risks.push_str(&line(&[
            format!("R-{:02}", i + 1),
            intervention,
            (*es).to_owned(),
            (*en).to_owned(),
            (*category).to_owned(),
            (1 + (i * 7) % 5).to_string(),
            (1 + (i * 3 + 2) % 5).to_string(),
            (*mitigation).to_owned(),
            ["SETRASS-SG", "DGE-ML", "DGE-OML", "SIEMPLEO"][i % 4].to_owned(),
            ["abierto", "abierto", "mitigado", "cerrado"][i % 4].to_owned(),
        ]));
    }
    let mut targets = header(&[
        "indicator",
        "year",
        "period",
        "territory",
        "value",
        "revised_on",
        "revised_by",
        "revision_reason",
        "previous_value",
    ]);
    for (indicator, per_year) in [("COB-01", 58_000.0), ("INT-05", 13_000.0), ("DER-01", 11_500.0), ("DER-02", 75.0)] {
        for year in [2025, 2026] {
            for (k, t) in DEMO_TERRITORIES.iter().enumerate() {
                let growth = if year == 2026 { 1.08 } else { 1.0 };
                // Counts are split across territories; a rate target is the same everywhere.
                let value =
                    if indicator == "DER-02" { per_year } else { (per_year * territory_weight(k) * growth).round() };
                // The 2026 coverage target was first set at 2025's and raised on 15 June 2026: the row keeps
                // when, by whom, why and what it replaced.
                let revision = if indicator == "COB-01" && year == 2026 {
                    [
                        "2026-06-15".to_owned(),
                        "DGE-OML".to_owned(),
                        "Más retornos previstos por el INM".to_owned(),
                        format!("{}", (per_year * territory_weight(k)).round()),
                    ]
                } else {
                    Default::default()
                };
                targets.push_str(&line(
                    &[
                        &[indicator.to_owned(), year.to_string(), String::new(), t.code.to_owned(), format!("{value}")],
                        &revision[..],
                    ]
                    .concat(),
                ));
            }
        }
    }
    vec![
        ("interventions", interventions),
        ("milestones", milestones),
        ("budget_lines", budget),
        ("risks", risks),
        ("targets", targets),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_roadmap_has_the_promised_sizes() {
        let t = tables(&DemoConfig::default());
        let rows = |name: &str| t.iter().find(|(n, _)| *n == name).map_or(0, |(_, csv)| csv.lines().count() - 1);
        assert_eq!(rows("interventions"), 30);
        assert_eq!(rows("milestones"), 120);
        assert!(rows("budget_lines") >= 60);
        assert_eq!(rows("risks"), 12);
    }
}
