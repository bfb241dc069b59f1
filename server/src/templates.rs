//! CSV templates for analysts: one per table of the data contract (its header in the contract's order and one
//! example row that validates), and the built-in code lists to look codes up in. UTF-8 with a BOM, so Excel
//! shows accents right; comma-separated; CRLF line ends.

use axum::Json;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use shared::Label;
use shared::api::{Template, TemplateKind, route};
use shared::tables::{self, TableSpec};
use shared::{catalog, codes};

use crate::http::{ApiError, ApiResult, AppState, may_read, no_cache};

/// The routes, mounted under `/api` by [`crate::http::router`].
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(route::TEMPLATES, get(list)).route(route::TEMPLATE, get(download))
}

/// A table's template: its title and one example row, cells in the spec's column order.
struct TableTemplate {
    spec: &'static TableSpec,
    title: Label,
    example: &'static [&'static str],
}

const fn label(es: &'static str, en: &'static str) -> Label {
    Label { es, en }
}

/// In [`tables::ALL`]'s order. The examples agree with each other: uploaded together (the code lists replacing
/// the built-in ones) they validate, and so does `facts` alone against the built-in lists.
const TABLES: [TableTemplate; 10] = [
    TableTemplate {
        spec: &tables::INDICATOR_LIST,
        title: label("Catálogo de indicadores", "Indicator catalogue"),
        example: &[
            "COB-01",
            "Personas atendidas (únicas)",
            "Unique people served",
            "count",
            "M",
            "true",
            "Número de personas distintas que recibieron al menos un servicio de SI EMPLEO en el período.",
            "Number of distinct people who received at least one SI EMPLEO service in the period.",
            "SI EMPLEO",
            "",
            "1",
            "unique",
            "",
            "",
            "",
            "",
            "",
        ],
    },
    TableTemplate {
        spec: &tables::TERRITORY_LIST,
        title: label("Territorios (oficinas de SI EMPLEO)", "Territories (SI EMPLEO offices)"),
        example: &["T01", "Distrito Central", "Distrito Central", "HN-FM", "0801", "-87.206", "14.072"],
    },
    TableTemplate {
        spec: &tables::INSTITUTION_LIST,
        title: label("Instituciones", "Institutions"),
        example: &["SIEMPLEO", "SI EMPLEO", "SI EMPLEO"],
    },
    TableTemplate {
        spec: &tables::POPULATION_LIST,
        title: label("Tipos de población", "Population groups"),
        example: &["retornada", "Persona migrante retornada", "Returned migrant", "false"],
    },
    TableTemplate {
        spec: &tables::FACTS,
        title: label("Valores de los indicadores", "Indicator values"),
        example: &["COB-01", "2025-01", "T01", "_T", "retornada", "mujer", "18-24", "42", "reported"],
    },
    TableTemplate {
        spec: &tables::TARGETS,
        title: label("Metas anuales", "Annual targets"),
        example: &["COB-01", "2025", "", "T01", "15000", "2025-06-15", "DGE-OML", "Nuevo convenio con el INM", "14000"],
    },
    TableTemplate {
        spec: &tables::INTERVENTIONS,
        title: label("Intervenciones de la hoja de ruta", "Roadmap interventions"),
        example: &[
            "HR-INT-001",
            "Ferias de empleo para personas retornadas",
            "Job fairs for returned migrants",
            "INT",
            "SIEMPLEO",
            "",
            "T01",
            "2025-02-01",
            "2025-11-30",
            "2025-02-10",
            "",
            "en_ejecucion",
            "1",
            "true",
            "true",
            "COB-01",
        ],
    },
    TableTemplate {
        spec: &tables::MILESTONES,
        title: label("Hitos de las intervenciones", "Intervention milestones"),
        example: &[
            "HR-INT-001-H1",
            "HR-INT-001",
            "Primera feria realizada",
            "First fair held",
            "2025-05-15",
            "2025-04-30",
            "2025-05-20",
            "cumplido_con_retraso",
            "100",
        ],
    },
    TableTemplate {
        spec: &tables::BUDGET_LINES,
        title: label("Líneas presupuestarias", "Budget lines"),
        example: &["HR-INT-001", "2025", "tesoro_nacional", "1200000.00", "1150000.00", "800000.00", "640000.00"],
    },
    TableTemplate {
        spec: &tables::RISKS,
        title: label("Riesgos", "Risks"),
        example: &[
            "R-01",
            "HR-INT-001",
            "Baja asistencia de personas retornadas a las ferias",
            "Low attendance of returned migrants at the fairs",
            "operativo",
            "3",
            "4",
            "Convocar con el INM y los centros de atención al migrante retornado antes de cada feria",
            "SIEMPLEO",
            "abierto",
        ],
    },
];

/// The built-in code lists, by file name. Where a table of the contract holds the same list, the file has that
/// table's columns, so its rows can be copied into it.
const CODE_LISTS: [(&str, Label); 5] = [
    ("territorios.csv", label("Códigos de territorio", "Territory codes")),
    ("servicios.csv", label("Códigos de servicio", "Service codes")),
    ("poblaciones.csv", label("Códigos de tipo de población", "Population group codes")),
    ("instituciones.csv", label("Códigos de institución", "Institution codes")),
    ("indicadores.csv", label("Códigos de indicador", "Indicator codes")),
];

/// The file name of the workbook with every table's template.
pub const WORKBOOK: &str = "plantillas.xlsx";

fn listed() -> Vec<Template> {
    let workbook = Template {
        file: WORKBOOK.to_owned(),
        kind: TemplateKind::Workbook,
        name: "plantillas".to_owned(),
        title_es: "Todas las tablas en un libro de Excel: una hoja por tabla y una hoja «léame»".to_owned(),
        title_en: "Every table in one Excel workbook: a sheet per table and a \"read me\" sheet".to_owned(),
    };
    let tables = TABLES.iter().map(|t| Template {
        file: format!("{}.csv", t.spec.name),
        kind: TemplateKind::Table,
        name: t.spec.name.to_owned(),
        title_es: t.title.es.to_owned(),
        title_en: t.title.en.to_owned(),
    });
    let lists = CODE_LISTS.iter().map(|(file, title)| Template {
        file: (*file).to_owned(),
        kind: TemplateKind::Codes,
        name: file.trim_end_matches(".csv").to_owned(),
        title_es: title.es.to_owned(),
        title_en: title.en.to_owned(),
    });
    std::iter::once(workbook).chain(tables).chain(lists).collect()
}

/// Every table's template in one workbook: a "léame" sheet (what each sheet is, in Spanish and English), then a
/// sheet per table named like it, header and example row as in the CSV templates (numbers as numbers), so that the
/// workbook uploaded as it comes validates.
fn workbook() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let (bold, plain) = (Format::new().set_bold(), Format::new());
    let notes = book.add_worksheet();
    notes.set_name("léame")?;
    notes.set_column_width(0, 28)?;
    notes.set_column_width(1, 90)?;
    let lines = [
        ("Rumbo: plantillas de datos", "Rumbo: data templates"),
        (
            "Cada hoja es una tabla; su nombre dice cuál. La fila 1 es el encabezado; llene desde la fila 2.",
            "Each sheet is a table, named after it. Row 1 is the header; fill in from row 2.",
        ),
        (
            "Suba el libro tal cual en «Publicar»: cada problema se informa con hoja, fila y columna.",
            "Upload the workbook as it is under «Publish»: each problem is reported with sheet, row and column.",
        ),
        ("Esta hoja no se lee.", "This sheet is not read."),
    ];
    for (r, (es, en)) in lines.iter().enumerate() {
        notes.write_with_format(r as u32, 0, *es, if r == 0 { &bold } else { &plain })?;
        notes.write(r as u32, 1, *en)?;
    }
    let start = lines.len() as u32 + 1;
    notes.write_with_format(start, 0, "Hoja / Sheet", &bold)?;
    notes.write_with_format(start, 1, "Contenido / Contents", &bold)?;
    for (i, t) in TABLES.iter().enumerate() {
        let row = start + 1 + i as u32;
        notes.write(row, 0, t.spec.name)?;
        notes.write(row, 1, format!("{} / {}", t.title.es, t.title.en))?;
    }
    for t in &TABLES {
        let sheet = book.add_worksheet();
        sheet.set_name(t.spec.name)?;
        for (c, (column, example)) in t.spec.columns.iter().zip(t.example).enumerate() {
            let c = c as u16;
            sheet.write_with_format(0, c, column.name, &bold)?;
            sheet.set_column_width(c, (column.name.len() + 4).max(12) as f64)?;
            let number = matches!(column.kind, tables::Kind::Number | tables::Kind::Integer { .. });
            match example.parse::<f64>() {
                Ok(n) if number => sheet.write(1, c, n)?,
                _ if example.is_empty() => sheet,
                _ => sheet.write(1, c, *example)?,
            };
        }
    }
    book.save_to_buffer()
}

/// A CSV file: the BOM, the header, the rows.
fn csv<S: AsRef<str>>(header: &[&str], rows: &[Vec<S>]) -> Vec<u8> {
    let mut out = String::from('\u{FEFF}');
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        out.push_str(&cells.map(shared::format::csv_cell).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(AsRef::as_ref));
    }
    out.into_bytes()
}

fn column_names(spec: &TableSpec) -> Vec<&'static str> {
    spec.columns.iter().map(|c| c.name).collect()
}

fn yes_no(b: bool) -> String {
    b.to_string()
}

/// A built-in code list as CSV, by file name.
fn code_list(file: &str) -> Option<Vec<u8>> {
    let labelled = |list: &[codes::Code]| -> Vec<Vec<String>> {
        list.iter().map(|c| vec![c.code.to_owned(), c.label.es.to_owned(), c.label.en.to_owned()]).collect()
    };
    let bytes = match file {
        "territorios.csv" => {
            let national = vec![
                codes::NATIONAL.to_owned(),
                "Honduras (nacional)".to_owned(),
                "Honduras (national)".to_owned(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ];
            let departments = codes::DEPARTMENTS.iter().map(|d| {
                let mut row = vec![d.iso.to_owned(), d.name.to_owned(), d.name.to_owned(), d.iso.to_owned()];
                row.extend([String::new(), String::new(), String::new()]);
                row
            });
            let offices = codes::DEMO_TERRITORIES.iter().map(|t| {
                let department = codes::department_by_code(t.department_code).map_or("", |d| d.iso);
                vec![
                    t.code.to_owned(),
                    t.name.to_owned(),
                    t.name.to_owned(),
                    department.to_owned(),
                    t.municipality_code.to_owned(),
                    t.lon_lat.0.to_string(),
                    t.lon_lat.1.to_string(),
                ]
            });
            let rows: Vec<Vec<String>> = std::iter::once(national).chain(departments).chain(offices).collect();
            csv(&column_names(&tables::TERRITORY_LIST), &rows)
        }
        // The same three columns as the institutions table: code and both labels.
        "servicios.csv" => csv(&column_names(&tables::INSTITUTION_LIST), &labelled(&codes::SERVICES)),
        "instituciones.csv" => csv(&column_names(&tables::INSTITUTION_LIST), &labelled(&catalog::INSTITUTIONS)),
        "poblaciones.csv" => {
            let rows: Vec<Vec<String>> = codes::POPULATIONS
                .iter()
                .map(|c| {
                    let sensitive = codes::SENSITIVE_POPULATIONS.contains(&c.code);
                    vec![c.code.to_owned(), c.label.es.to_owned(), c.label.en.to_owned(), yes_no(sensitive)]
                })
                .collect();
            csv(&column_names(&tables::POPULATION_LIST), &rows)
        }
        "indicadores.csv" => {
            let rows: Vec<Vec<String>> =
                catalog::INDICATORS.iter().map(|i| tables::indicator_list_row(i, "")).collect();
            csv(&column_names(&tables::INDICATOR_LIST), &rows)
        }
        _ => return None,
    };
    Some(bytes)
}

/// A template's bytes by file name: a table's (`facts.csv`) or a code list's (`territorios.csv`).
pub fn template(file: &str) -> Option<Vec<u8>> {
    if file == WORKBOOK {
        return workbook().ok();
    }
    let table = TABLES.iter().find(|t| format!("{}.csv", t.spec.name) == file);
    match table {
        Some(t) => Some(csv(&column_names(t.spec), &[t.example.to_vec()])),
        None => code_list(file),
    }
}

async fn list(State(state): State<AppState>, method: Method, headers: HeaderMap) -> ApiResult<Response> {
    may_read(&state, &method, &headers)?;
    Ok(no_cache(Json(listed()).into_response()))
}

async fn download(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    UrlPath(file): UrlPath<String>,
) -> ApiResult<Response> {
    may_read(&state, &method, &headers)?;
    let bytes = template(&file)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "No existe esa plantilla", "No such template"))?;
    // Template names are plain ASCII (checked above: only known names get here).
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "No existe esa plantilla", "No such template"))?;
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    let kind = if file == WORKBOOK {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        "text/csv; charset=utf-8"
    };
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CONTENT_DISPOSITION, disposition);
    Ok(no_cache(res))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::intake::{self, Limits};
    use shared::validate::{Upload, validate_snapshot};

    fn read(file: &str) -> Upload {
        let bytes = template(file).unwrap_or_else(|| panic!("{file} exists"));
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file} begins with the BOM");
        intake::read(file, &bytes, Limits::default()).unwrap_or_else(|e| panic!("{file} reads: {e}"))
    }

    fn errors(uploads: &[Upload]) -> Vec<String> {
        let (report, _) = validate_snapshot(uploads);
        report.findings.iter().map(|f| format!("{f:?}")).collect()
    }

    #[test]
    fn there_is_one_table_template_per_table_in_the_contracts_order_with_a_cell_per_column() {
        let names: Vec<&str> = TABLES.iter().map(|t| t.spec.name).collect();
        let contract: Vec<&str> = tables::ALL.iter().map(|s| s.name).collect();
        assert_eq!(names, contract);
        for t in &TABLES {
            assert_eq!(t.example.len(), t.spec.columns.len(), "{}", t.spec.name);
        }
    }

    #[test]
    fn every_table_template_validates_together_and_facts_alone() {
        let uploads: Vec<Upload> = TABLES.iter().map(|t| read(&format!("{}.csv", t.spec.name))).collect();
        for (upload, t) in uploads.iter().zip(&TABLES) {
            assert_eq!(upload.name, t.spec.name, "the BOM does not reach the table name");
            assert_eq!(upload.batch.num_rows(), 1, "{}", t.spec.name);
            let header: Vec<String> = upload.batch.schema().fields().iter().map(|f| f.name().clone()).collect();
            assert_eq!(header, column_names(t.spec), "{}: header in the contract's order", t.spec.name);
        }
        assert_eq!(errors(&uploads), Vec::<String>::new(), "no errors and no warnings");
        assert_eq!(errors(&[read("facts.csv")]), Vec::<String>::new());
    }

    #[test]
    fn the_template_workbook_uploaded_as_it_comes_validates_with_a_table_per_sheet() {
        let bytes = template(WORKBOOK).expect("the workbook");
        let read = shared::validate::read_files(&[(WORKBOOK.to_owned(), &bytes)], Limits::default(), 1 << 30);
        let names: Vec<&str> = read.uploads.iter().map(|u| u.name.as_str()).collect();
        let contract: Vec<&str> = tables::ALL.iter().map(|s| s.name).collect();
        assert_eq!(names, contract, "a sheet per table, the «léame» sheet left out");
        let (report, tables) = shared::validate::validate_files(&read);
        assert_eq!(report.findings, Vec::new());
        assert_eq!(tables.map(|t| t.len()), Some(contract.len()));
    }

    #[test]
    fn code_lists_with_a_table_of_their_own_validate_as_that_table() {
        for (file, table) in [
            ("indicadores.csv", "indicators"),
            ("instituciones.csv", "institutions"),
            ("poblaciones.csv", "populations"),
        ] {
            let bytes = template(file).unwrap_or_else(|| panic!("{file} exists"));
            let upload = intake::read(&format!("{table}.csv"), &bytes, Limits::default()).expect("reads");
            assert!(upload.batch.num_rows() > 1, "{file}");
            assert_eq!(errors(&[upload]), Vec::<String>::new(), "{file}");
        }
    }

    #[test]
    fn every_listed_template_downloads_and_unknown_names_do_not() {
        let all = listed();
        assert_eq!(all.iter().filter(|t| t.kind == TemplateKind::Table).count(), tables::ALL.len());
        assert_eq!(all.iter().filter(|t| t.kind == TemplateKind::Codes).count(), CODE_LISTS.len());
        for t in all.iter().filter(|t| t.kind != TemplateKind::Workbook) {
            let bytes = template(&t.file).unwrap_or_else(|| panic!("{}", t.file));
            assert!(std::str::from_utf8(&bytes).is_ok(), "{}", t.file);
        }
        let territories = String::from_utf8(template("territorios.csv").expect("exists")).expect("utf-8");
        assert!(
            territories.contains("\r\nT02,San Pedro Sula,San Pedro Sula,HN-CR,0501,-88.025,15.505\r\n"),
            "{territories}"
        );
        for unknown in ["nope.csv", "facts", "../facts.csv", "FACTS.CSV"] {
            assert!(template(unknown).is_none(), "{unknown}");
        }
    }
}
