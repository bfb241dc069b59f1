//! The offline subcommands: `rumbo validate` and `rumbo demo`.

use std::io::Write;
use std::process::ExitCode;

use shared::Lang;
use shared::intake::{self, Limits};
use shared::validate::{Report, Severity, Upload, read_files, validate_files, validate_snapshot_after};

use crate::cli::{CliError, DemoArgs, LangArg, ValidateArgs};

/// Exit code when the files were read but have errors.
const EXIT_INVALID: u8 = 1;
/// Exit code when a file could not be read at all.
const EXIT_UNREADABLE: u8 = 2;

pub fn validate(args: &ValidateArgs) -> Result<ExitCode, CliError> {
    let lang = match args.lang {
        LangArg::Es => Lang::Es,
        LangArg::En => Lang::En,
    };
    let bytes: Vec<(String, Vec<u8>)> = args
        .files
        .iter()
        .map(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            std::fs::read(path).map(|b| (name, b))
        })
        .collect::<Result<_, _>>()?;
    let files: Vec<(String, &[u8])> = bytes.iter().map(|(n, b)| (n.clone(), b.as_slice())).collect();
    let limits = Limits::default();
    // The same reading and validation as an upload to the server: an unreadable file is an error of the report.
    let read = read_files(&files, limits, limits.max_decoded_bytes);
    let (report, _) = validate_files(&read);
    let mut out = std::io::stdout().lock();
    if args.json {
        let unreadable: Vec<_> = read
            .unreadable
            .findings
            .iter()
            .map(|f| serde_json::json!({"file": f.table, "error": format!("{} / {}", f.message_es, f.message_en)}))
            .collect();
        let body = serde_json::json!({
            "unreadable": unreadable,
            "errors": report.errors(),
            "warnings": report.warnings(),
            "findings": report.findings,
        });
        writeln!(out, "{body:#}")?;
    } else {
        print_report(&mut out, &report, &read.uploads, lang)?;
    }
    Ok(if !read.unreadable.findings.is_empty() {
        ExitCode::from(EXIT_UNREADABLE)
    } else if report.has_errors() {
        ExitCode::from(EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(out: &mut impl Write, report: &Report, uploads: &[Upload], lang: Lang) -> std::io::Result<()> {
    let es = lang == Lang::Es;
    for u in uploads {
        let rows = u.batch.num_rows();
        if es {
            writeln!(out, "tabla {}: {} filas", u.name, shared::format::count(rows as f64))?;
        } else {
            writeln!(out, "table {}: {} rows", u.name, shared::format::count(rows as f64))?;
        }
    }
    for f in &report.findings {
        let severity = match (f.severity, es) {
            (Severity::Error, _) => "ERROR",
            (Severity::Warning, true) => "AVISO",
            (Severity::Warning, false) => "WARNING",
            (Severity::Info, true) => "NOTA",
            (Severity::Info, false) => "NOTE",
        };
        let row = f.row.map_or_else(String::new, |r| if es { format!(" fila {r}") } else { format!(" row {r}") });
        let column = f
            .column
            .as_deref()
            .map_or_else(String::new, |c| if es { format!(" columna {c}") } else { format!(" column {c}") });
        let value = f.value.as_deref().map_or_else(String::new, |v| format!(" «{v}»"));
        let message = if es { &f.message_es } else { &f.message_en };
        writeln!(out, "{severity} {}{row}{column}{value}: {message}", f.table)?;
    }
    let (e, w) = (report.errors(), report.warnings());
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if es {
        writeln!(
            out,
            "{}, {}{}",
            plural(e, "error", "errores"),
            plural(w, "aviso", "avisos"),
            if e == 0 { ": se puede publicar" } else { ": corrija los errores antes de publicar" }
        )
    } else {
        writeln!(
            out,
            "{}, {}{}",
            plural(e, "error", "errors"),
            plural(w, "warning", "warnings"),
            if e == 0 { ": ready to publish" } else { ": fix the errors before publishing" }
        )
    }
}

/// The demo snapshot's uploads: `facts` plus the roadmap and targets, as an analyst would send them.
pub fn demo_uploads(rows: Option<usize>) -> Result<Vec<Upload>, CliError> {
    uploads_of(&demo_config(rows), rows)
}

fn uploads_of(config: &shared::demo::DemoConfig, rows: Option<usize>) -> Result<Vec<Upload>, CliError> {
    let mut uploads = vec![Upload { name: shared::schema::FACTS.to_owned(), batch: demo_facts(config, rows) }];
    for (name, csv) in shared::demo::roadmap::tables(config) {
        let upload = intake::read(&format!("{name}.csv"), csv.as_bytes(), Limits::default())
            .map_err(|e| CliError::Setup(e.to_string()))?;
        uploads.push(upload);
    }
    Ok(uploads)
}

/// A demo configuration with enough months for `rows` facts.
fn demo_config(rows: Option<usize>) -> shared::demo::DemoConfig {
    let mut config = shared::demo::DemoConfig::default();
    if let Some(n) = rows {
        // Rows a month adds, its share of the year and quarter rows included (a single month would count a whole
        // year's rows against it, and fall short of `rows`); a year more than that, so the cut keeps `rows`.
        let rows_of =
            |months: u32| shared::demo::facts(&shared::demo::DemoConfig { months, ..config.clone() }).num_rows();
        let per_month = (rows_of(24) - rows_of(12)) / 12;
        let months = n.div_ceil(per_month.max(1)) + 12;
        config.months = config.months.max(u32::try_from(months).unwrap_or(u32::MAX));
    }
    config
}

/// The demo facts, cut to `rows` when given: the latest months are kept, so the dashboard's default view
/// (the last 12 months) is the same at every size.
fn demo_facts(config: &shared::demo::DemoConfig, rows: Option<usize>) -> arrow_array::RecordBatch {
    let facts = shared::demo::facts(config);
    match rows {
        Some(n) if n < facts.num_rows() => facts.slice(facts.num_rows() - n, n),
        _ => facts,
    }
}

pub fn demo(args: &DemoArgs) -> Result<ExitCode, CliError> {
    std::fs::create_dir_all(&args.out)?;
    let config = demo_config(args.rows);
    let facts = demo_facts(&config, args.rows);
    let err = |e: arrow_schema::ArrowError| CliError::Setup(e.to_string());
    std::fs::write(args.out.join("facts.csv"), intake::write_csv(&facts).map_err(err)?)?;
    let mut arrow = Vec::new();
    {
        let mut w = arrow_ipc::writer::FileWriter::try_new(&mut arrow, facts.schema_ref()).map_err(err)?;
        w.write(&facts).map_err(err)?;
        w.finish().map_err(err)?;
    }
    // The Arrow copy goes in its own folder so that `rumbo validate DIR/*` sees one facts table.
    std::fs::create_dir_all(args.out.join("arrow"))?;
    std::fs::write(args.out.join("arrow/facts.arrow"), arrow)?;
    for (name, csv) in shared::demo::roadmap::tables(&config) {
        std::fs::write(args.out.join(format!("{name}.csv")), format!("\u{feff}{csv}"))?;
    }
    println!(
        "{}: facts.csv ({} filas; también arrow/facts.arrow), interventions.csv, milestones.csv, budget_lines.csv, risks.csv, targets.csv — {}",
        args.out.display(),
        shared::format::count(facts.num_rows() as f64),
        shared::demo::SYNTHETIC_LABEL.es
    );
    Ok(ExitCode::SUCCESS)
}

/// What `rumbo serve` does when nothing is published yet (a first start): publishes the built-in demo snapshot
/// and, if there are no agendas, the demo agenda. Once something is published it does nothing, so a restart
/// neither duplicates the demo agenda nor brings it back after it was deleted. Returns whether it seeded.
pub fn seed_first_start(store: &crate::store::Store) -> Result<bool, CliError> {
    let setup = |e: crate::store::StoreError| CliError::Setup(e.to_string());
    if store.current_id().map_err(setup)?.is_some() {
        return Ok(false);
    }
    publish_demo(store)?;
    crate::agendas::seed_demo(store).map_err(setup)?;
    Ok(true)
}

/// Publishes the built-in synthetic demo snapshot through the same validation and store as any upload.
/// Publishes the built-in demo: the previous month's snapshot, then the current one (which revises the previous
/// provisional month), so that "what changed" has something to show. Returns the current snapshot's id.
pub fn publish_demo(store: &crate::store::Store) -> Result<String, CliError> {
    publish_demo_rows(store, None)
}

/// [`publish_demo`] with `facts` scaled to `rows` (benchmarks).
pub fn publish_demo_rows(store: &crate::store::Store, rows: Option<usize>) -> Result<String, CliError> {
    let current = demo_config(rows);
    let previous = current.previous();
    publish_one(store, &previous, rows)?;
    publish_one(store, &current, rows)
}

fn publish_one(
    store: &crate::store::Store,
    config: &shared::demo::DemoConfig,
    rows: Option<usize>,
) -> Result<String, CliError> {
    let setup = |e: &dyn std::fmt::Display| CliError::Setup(e.to_string());
    let uploads = uploads_of(config, rows)?;
    // Protected against the snapshot published before it, as any upload is.
    let previous = crate::snapshots::current_facts(store).map_err(|e| setup(&e))?;
    let (report, canonical) = validate_snapshot_after(&uploads, previous.as_ref());
    let canonical =
        canonical.ok_or_else(|| CliError::Setup(format!("the demo snapshot is invalid: {:?}", report.findings)))?;
    let tables = crate::snapshots::stored_tables(&canonical).map_err(|e| setup(&e))?;
    let id = store.create_draft("rumbo", "", &tables, &report, true).map_err(|e| setup(&e))?;
    let (y, m) = config.last_month;
    let month = shared::format::period(&format!("{y:04}-{m:02}"), shared::Lang::Es);
    let month_en = shared::format::period(&format!("{y:04}-{m:02}"), shared::Lang::En);
    let meta = shared::api::PublishMeta {
        title_es: Some(format!("{} — SI EMPLEO, {month}", shared::demo::SYNTHETIC_LABEL.es)),
        title_en: Some(format!("{} — SI EMPLEO, {month_en}", shared::demo::SYNTHETIC_LABEL.en)),
        as_of: Some(crate::snapshots::last_day(y, m)),
        notes: Some("Generado por rumbo (semilla fija)".to_owned()),
    };
    store.publish(&id, "rumbo", &meta, "").map_err(|e| setup(&e))?;
    Ok(id)
}

/// `rumbo check`: every stored table verified; exit status 1 when one is missing or corrupt.
pub fn check(at: &crate::store::Location) -> Result<ExitCode, CliError> {
    let report = open_store(at)?.check().map_err(|e| CliError::Setup(e.to_string()))?;
    println!(
        "{} publicaciones y borradores, {} tablas verificadas, {} archivos sin referencia (rumbo gc los elimina)",
        report.snapshots, report.tables_verified, report.unreferenced
    );
    for damaged in &report.missing_or_corrupt {
        println!("DAÑADA o FALTANTE: {damaged}");
    }
    Ok(if report.missing_or_corrupt.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `rumbo gc`: unreferenced files older than `min_age_hours` removed, under the store's lock.
pub fn gc(at: &crate::store::Location, min_age_hours: u64) -> Result<ExitCode, CliError> {
    let age = std::time::Duration::from_secs(min_age_hours.saturating_mul(3600));
    let report = open_store(at)?.gc(age).map_err(|e| CliError::Setup(e.to_string()))?;
    println!(
        "{} archivos sin referencia eliminados, {} conservados por recientes (menos de {min_age_hours} h), {} \
         escrituras inconclusas eliminadas",
        report.removed, report.kept_recent, report.stale_writes_removed
    );
    Ok(ExitCode::SUCCESS)
}

/// `rumbo migrate-store`: the store copied into an empty one (PostgreSQL and a bucket), then checked there.
pub fn migrate_store(from: &crate::store::Location, to: &crate::store::Location) -> Result<ExitCode, CliError> {
    let setup = |e: crate::store::StoreError| CliError::Setup(e.to_string());
    let (source, target) = (open_store(from)?, open_store(to)?);
    let report = source.copy_into(&target).map_err(setup)?;
    let rows: Vec<String> = report.rows.iter().map(|(table, n)| format!("{table} {n}")).collect();
    println!("{} archivos copiados y verificados; filas: {}", report.blobs, rows.join(", "));
    let check = target.check().map_err(setup)?;
    println!("destino: {} publicaciones y borradores, {} tablas verificadas", check.snapshots, check.tables_verified);
    for damaged in &check.missing_or_corrupt {
        println!("DAÑADA o FALTANTE: {damaged}");
    }
    Ok(if check.missing_or_corrupt.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `rumbo backup`: the embedded store copied, consistent, into a folder that is a data folder of its own.
pub fn backup(at: &crate::store::Location, to: &std::path::Path) -> Result<ExitCode, CliError> {
    let setup = |e: crate::store::StoreError| CliError::Setup(e.to_string());
    let tables = open_store(at)?.backup_to(to).map_err(setup)?;
    let check = crate::store::Store::open(to).and_then(|copy| copy.check()).map_err(setup)?;
    println!(
        "copia en {}: {} publicaciones y borradores, {tables} tablas copiadas, {} verificadas",
        to.display(),
        check.snapshots,
        check.tables_verified
    );
    Ok(if check.missing_or_corrupt.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn open_store(at: &crate::store::Location) -> Result<crate::store::Store, CliError> {
    crate::store::Store::open_at(at).map_err(|e| CliError::Setup(e.to_string()))
}

/// The operator running an admin command, for the audit log.
fn operator() -> String {
    format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "root".to_owned()))
}

pub fn user(at: &crate::store::Location, command: crate::cli::UserCommand) -> Result<ExitCode, CliError> {
    use crate::cli::UserCommand;
    let store = open_store(at)?;
    let fail = |e: crate::store::StoreError| CliError::Setup(e.to_string());
    match command {
        UserCommand::Add { username, role } => {
            let password = if let Ok(p) = std::env::var("RUMBO_PASSWORD") {
                p
            } else {
                eprint!("Contraseña para {username}: ");
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_owned()
            };
            store.add_user(&username, &password, role, &operator()).map_err(fail)?;
            println!("usuario {username} creado ({})", role.code());
        }
        UserCommand::List => {
            for u in store.users().map_err(fail)? {
                println!("{}\t{}\t{}", u.username, u.role.code(), if u.disabled { "desactivado" } else { "activo" });
            }
        }
        UserCommand::Disable { username } => {
            store.disable_user(&username, &operator()).map_err(fail)?;
            println!("usuario {username} desactivado");
        }
        UserCommand::SetRole { username, role } => {
            store.set_role(&username, role, &operator()).map_err(fail)?;
            println!("usuario {username}: rol {}", role.code());
        }
        UserCommand::Unlock { username } => {
            let forgotten = store.unlock(&username, &operator()).map_err(fail)?;
            println!("usuario {username}: {forgotten} intentos fallidos olvidados; puede iniciar sesión sin espera");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn token(at: &crate::store::Location, command: crate::cli::TokenCommand) -> Result<ExitCode, CliError> {
    use crate::cli::TokenCommand;
    let store = open_store(at)?;
    let fail = |e: crate::store::StoreError| CliError::Setup(e.to_string());
    match command {
        TokenCommand::Create { username, name } => {
            let token = store.create_token(&username, &name, &operator()).map_err(fail)?;
            // Shown once: only its hash is stored.
            println!("{token}");
        }
        TokenCommand::Revoke { username, name } => {
            store.revoke_token(&username, &name, &operator()).map_err(fail)?;
            println!("token {name} de {username} revocado");
        }
    }
    Ok(ExitCode::SUCCESS)
}
