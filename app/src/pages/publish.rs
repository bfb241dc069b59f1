//! `/publicar`: templates to fill in, the upload with its validation report, the draft's preview and changes,
//! and publishing. The draft shown is the URL's `s`, so a preview and the way back keep it.

use leptos::prelude::*;
use shared::Lang;
use shared::finding::Severity;
use shared::format;
use shared::manifest::Manifest;

use super::RequireRole;
use crate::Page;
use crate::api::FetchError;
use crate::api::workspace::{self, Draft, Finding, PublishMeta, Role, TemplateKind};
use crate::api::{self};
use crate::i18n::t;
use crate::session;

#[component]
pub fn Publish(lang: RwSignal<Lang>) -> impl IntoView {
    view! { <RequireRole min=Role::Analyst lang=lang>{move || view! { <Workspace lang=lang /> }}</RequireRole> }
}

#[component]
fn Workspace(lang: RwSignal<Lang>) -> impl IntoView {
    let nav = session::nav();
    let draft_id = Memo::new(move |_| nav.view.with(|v| v.snapshot.clone()));
    let draft = LocalResource::new(move || {
        let id = draft_id.get();
        async move {
            match id {
                Some(id) => workspace::draft(&id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let current = LocalResource::new(|| async { api::manifest(shared::api::CURRENT).await.ok().map(|(m, _)| m) });
    view! {
        <h1 class="page-title">{move || t(lang.get(), "Publicar datos", "Publish data")}</h1>
        <Templates lang=lang />
        <Uploader lang=lang on_draft=move |id| nav.view.update(|v| { v.snapshot = Some(id); v.compare = None; }) />
        {move || match draft.get() {
            None => ().into_any(),
            Some(Err(f)) => match nav.check(f) {
                // A draft that is gone (published, discarded) or an id that is not a draft: just the uploader.
                Some(f) if f.status() == Some(404) => ().into_any(),
                Some(f) => view! { <p class="form-error" role="alert">{f.message(lang.get())}</p> }.into_any(),
                None => ().into_any(),
            },
            Some(Ok(None)) => view! { <PendingDrafts lang=lang /> }.into_any(),
            Some(Ok(Some(d))) => {
                let current = Signal::derive(move || current.get().flatten());
                view! { <DraftPanel draft=d current=current lang=lang /> }.into_any()
            }
        }}
    }
}

/// The templates of the data contract (one workbook, or a CSV per table) and the code lists, as Excel-friendly CSV.
#[component]
fn Templates(lang: RwSignal<Lang>) -> impl IntoView {
    let list = LocalResource::new(workspace::templates);
    let group = move |kind: TemplateKind| {
        let l = lang.get();
        list.get().and_then(Result::ok).unwrap_or_default().into_iter().filter(|x| x.kind == kind).map(|x| {
            let title = x.title(l).to_owned();
            view! { <li><a href=workspace::template_url(&x.file) download=x.file.clone()>{x.file.clone()}</a>" — "{title}</li> }
        }).collect_view()
    };
    view! {
        <section class="panel" aria-labelledby="tpl-title">
            <h2 id="tpl-title">{move || t(lang.get(), "1. Plantillas", "1. Templates")}</h2>
            <p class="hint">{move || t(lang.get(), "Descargue el libro de plantillas (una hoja por tabla, en Excel) o la plantilla de cada tabla (CSV en UTF-8 que Excel abre con sus tildes), llénela desde la segunda fila y súbala abajo. Las listas de códigos dicen qué valores acepta cada columna.", "Download the template workbook (a sheet per table, in Excel) or each table's template (UTF-8 CSV that Excel opens with its accents), fill it in from the second row and upload it below. The code lists say what values each column accepts.")}</p>
            <ul class="plain templates-workbook" data-testid="templates-workbook">{move || group(TemplateKind::Workbook)}</ul>
            <div class="two-cols">
                <div><h3>{move || t(lang.get(), "Tablas", "Tables")}</h3><ul class="plain" data-testid="templates-tables">{move || group(TemplateKind::Table)}</ul></div>
                <div><h3>{move || t(lang.get(), "Listas de códigos", "Code lists")}</h3><ul class="plain" data-testid="templates-codes">{move || group(TemplateKind::Codes)}</ul></div>
            </div>
        </section>
    }
}

/// Where an upload is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Idle,
    Sending,
    Validating,
    Failed(FetchError),
}

/// Picking or dropping files sends them at once, as one draft; a bar per file shows the bytes sent.
#[component]
fn Uploader(lang: RwSignal<Lang>, on_draft: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let nav = session::nav();
    let files = RwSignal::new(Vec::<(String, f64)>::new());
    let sent = RwSignal::new(0.0_f64);
    let phase = RwSignal::new(Phase::Idle);
    let over = RwSignal::new(false);
    let start = move |list: Option<web_sys::FileList>| {
        let Some(list) = list else { return };
        let picked: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        if picked.is_empty() || matches!(phase.get_untracked(), Phase::Sending | Phase::Validating) {
            return;
        }
        files.set(picked.iter().map(|f| (f.name(), f.size())).collect());
        sent.set(0.0);
        phase.set(Phase::Sending);
        let total: f64 = picked.iter().map(|f| f.size()).sum();
        let csrf = nav.session.with_untracked(session::Session::csrf);
        workspace::upload(
            &picked,
            &csrf,
            move |bytes| {
                sent.set(bytes);
                if bytes >= total {
                    phase.set(Phase::Validating);
                }
            },
            move |outcome| match outcome {
                Ok(draft) => {
                    phase.set(Phase::Idle);
                    sent.set(f64::MAX);
                    on_draft(draft.draft_id);
                }
                Err(f) => match nav.check(f) {
                    Some(f) => phase.set(Phase::Failed(f)),
                    None => phase.set(Phase::Idle),
                },
            },
        );
    };
    let bars = move || {
        let l = lang.get();
        let done = sent.get();
        let mut offset = 0.0;
        files
            .get()
            .into_iter()
            .map(|(name, size)| {
                let part = if size > 0.0 { ((done - offset) / size).clamp(0.0, 1.0) } else { 1.0 };
                offset += size;
                let pct = format!("{:.0}", part * 100.0);
                let label = format!("{name} · {} KB", format::number(size / 1024.0, 0));
                view! {
                    <li class="upload-file">
                        <span>{label.clone()}</span>
                        <progress max="100" value=pct.clone() aria-label=format!("{} {label}", t(l, "Envío de", "Upload of"))></progress>
                        <span class="pct">{format!("{pct} %")}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let status = move || {
        let l = lang.get();
        match phase.get() {
            Phase::Idle => ().into_any(),
            Phase::Sending => view! { <p role="status">{t(l, "Enviando…", "Sending…")}</p> }.into_any(),
            Phase::Validating => view! { <p role="status">{t(l, "Archivos recibidos; el servidor los está validando…", "Files received; the server is validating them…")}</p> }.into_any(),
            Phase::Failed(f) => view! { <p class="form-error" role="alert" data-testid="upload-error">{f.message(l)}</p> }.into_any(),
        }
    };
    view! {
        <section class="panel" aria-labelledby="up-title">
            <h2 id="up-title">{move || t(lang.get(), "2. Subir archivos", "2. Upload files")}</h2>
            <div class=move || if over.get() { "dropzone over" } else { "dropzone" }
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(false); start(ev.data_transfer().and_then(|d| d.files())); }>
                <label for="files">{move || t(lang.get(), "Arrastre aquí los archivos de la publicación o elíjalos", "Drop the snapshot's files here or choose them")}</label>
                <input id="files" type="file" multiple accept=".csv,.xlsx,.ods,.xls,.arrow,.arrows,.feather,.ipc,.parquet"
                    on:change=move |ev| {
                        let input = event_target::<web_sys::HtmlInputElement>(&ev);
                        start(input.files());
                        // Emptied, so that picking the same files again (corrected) sends them again.
                        input.set_value("");
                    } />
                <p class="hint">{move || t(lang.get(), "Excel (.xlsx), LibreOffice (.ods), CSV, Arrow IPC o Parquet; el nombre de cada archivo dice su tabla (facts.csv, milestones.parquet…), y en un libro, el nombre de cada hoja. Todos los archivos juntos forman un borrador: nada se publica sin su confirmación.", "Excel (.xlsx), LibreOffice (.ods), CSV, Arrow IPC or Parquet; each file's name says its table (facts.csv, milestones.parquet…), and in a workbook each sheet's name. All the files together make one draft: nothing is published without your confirmation.")}</p>
            </div>
            <ul class="plain uploads" data-testid="uploads">{bars}</ul>
            {status}
        </section>
    }
}

/// The drafts waiting, when none is open.
#[component]
fn PendingDrafts(lang: RwSignal<Lang>) -> impl IntoView {
    let nav = session::nav();
    let list = LocalResource::new(workspace::drafts);
    move || {
        let l = lang.get();
        let drafts = list.get().and_then(Result::ok).unwrap_or_default();
        (!drafts.is_empty()).then(|| {
            let rows = drafts
                .into_iter()
                .map(|d| {
                    let href = format!("{}?s={}", Page::Publish.path(), workspace::encode(&d.draft_id));
                    let go = href.clone();
                    view! {
                        <li>
                            <a href=href on:click=move |ev: leptos::ev::MouseEvent| { ev.prevent_default(); nav.go(&go); }>{super::timestamp(&d.created_at)}</a>
                            {format!(" · {} · {} {}, {} {}", d.created_by, d.errors, t(l, "errores", "errors"), d.warnings, t(l, "advertencias", "warnings"))}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="panel" aria-labelledby="pending-title">
                    <h2 id="pending-title">{t(l, "Borradores pendientes", "Pending drafts")}</h2>
                    <ul class="plain">{rows}</ul>
                </section>
            }
        })
    }
}

/// A draft: its report, what it changes, its preview, and publishing.
#[component]
fn DraftPanel(draft: Draft, current: Signal<Option<Manifest>>, lang: RwSignal<Lang>) -> impl IntoView {
    let findings = StoredValue::new(draft.findings.clone());
    let errors = draft.errors();
    let warnings = draft.warnings();
    // Cells hidden by disclosure control, as notes (the summary line, without a row, is not a cell).
    let notes = draft.findings.iter().filter(|f| f.severity == Severity::Info && f.row.is_some()).count();
    let id = draft.draft_id.clone();
    let tables = StoredValue::new(draft.tables.clone());
    view! {
        <section class="panel" aria-labelledby="report-title">
            <h2 id="report-title">{move || t(lang.get(), "3. Informe de validación", "3. Validation report")}</h2>
            <p class="counts" data-testid="report-counts">
                <span class=if errors == 0 { "count ok" } else { "count bad" }>{move || counted(errors, lang.get(), ("error", "errores"), ("error", "errors"))}</span>
                <span class="count warn">{move || counted(warnings, lang.get(), ("advertencia", "advertencias"), ("warning", "warnings"))}</span>
                {(notes > 0).then(|| view! { <span class="count">{move || counted(notes, lang.get(), ("celda protegida", "celdas protegidas"), ("protected cell", "protected cells"))}</span> })}
            </p>
            {move || (errors == 0 && warnings == 0).then(|| view! { <p class="notice ok" role="status">{t(lang.get(), "Sin problemas: los archivos cumplen el contrato de datos.", "No problems: the files meet the data contract.")}</p> })}
            <Show when=move || !findings.with_value(Vec::is_empty)>
                <ReportTable findings=findings.get_value() lang=lang />
            </Show>
        </section>
        <Show when=move || errors == 0 fallback=move || view! {
            <section class="panel" aria-labelledby="changes-title">
                <h2 id="changes-title">{move || t(lang.get(), "4. Qué cambia y vista previa", "4. What changes, and preview")}</h2>
                <p class="hint">{move || t(lang.get(), "La comparación con la publicación vigente y la vista previa aparecen cuando los archivos no tienen errores.", "The comparison with the current snapshot and the preview appear once the files have no errors.")}</p>
            </section>
        }>
            <Changes tables=tables.get_value() current=current id=id.clone() lang=lang />
        </Show>
        <PublishForm id=draft.draft_id.clone() errors=errors warnings=warnings current=current lang=lang />
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Severity,
    Table,
    Row,
    Name,
    Value,
    Message,
}

/// Rows shown at once; the CSV download has them all.
const SHOWN: usize = 500;

/// The report as a table: sortable by any column, filterable by severity, table and text, downloadable as CSV.
#[component]
fn ReportTable(findings: Vec<Finding>, lang: RwSignal<Lang>) -> impl IntoView {
    let all = StoredValue::new(findings);
    let severity = RwSignal::new(None::<Severity>);
    let table = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let sort = RwSignal::new((Column::Severity, true));
    let tables: Vec<String> = all.with_value(|f| {
        let mut t: Vec<String> = f.iter().map(|x| x.table.clone()).collect();
        t.sort();
        t.dedup();
        t
    });
    let shown = Memo::new(move |_| {
        let (sev, tab, q) = (severity.get(), table.get(), text.get().to_lowercase());
        let (by, up) = sort.get();
        let l = lang.get();
        all.with_value(|f| {
            let mut rows: Vec<Finding> = f
                .iter()
                .filter(|x| sev.is_none_or(|s| x.severity == s))
                .filter(|x| tab.is_empty() || x.table == tab)
                .filter(|x| {
                    q.is_empty()
                        || x.message(l).to_lowercase().contains(&q)
                        || x.value.as_deref().is_some_and(|v| v.to_lowercase().contains(&q))
                        || x.column.as_deref().is_some_and(|c| c.to_lowercase().contains(&q))
                })
                .cloned()
                .collect();
            shared::sort_with(&mut rows, &|a: &Finding, b: &Finding| {
                let o = match by {
                    Column::Severity => a.severity.cmp(&b.severity).then(a.table.cmp(&b.table)).then(a.row.cmp(&b.row)),
                    Column::Table => a.table.cmp(&b.table).then(a.row.cmp(&b.row)),
                    Column::Row => a.row.cmp(&b.row),
                    Column::Name => a.column.cmp(&b.column).then(a.row.cmp(&b.row)),
                    Column::Value => a.value.cmp(&b.value),
                    Column::Message => a.message(l).cmp(b.message(l)),
                };
                if up { o } else { o.reverse() }
            });
            rows
        })
    });
    let header = move |col: Column, es: &'static str, en: &'static str| {
        let aria = move || {
            let (by, up) = sort.get();
            if by == col { if up { "ascending" } else { "descending" } } else { "none" }
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort" on:click=move |_| sort.update(|(by, up)| { if *by == col { *up = !*up } else { *by = col; *up = true } })>
                    {move || t(lang.get(), es, en)}{move || match (sort.get().0 == col, sort.get().1) { (true, true) => " ▲", (true, false) => " ▼", _ => "" }}
                </button>
            </th>
        }
    };
    let download = move |_| {
        let l = lang.get_untracked();
        let mut csv = String::from("\u{feff}");
        csv.push_str(t(
            l,
            "severidad,tabla,fila,columna,valor,mensaje\r\n",
            "severity,table,row,column,value,message\r\n",
        ));
        for f in shown.get_untracked() {
            let row = f.row.map(|r| r.to_string()).unwrap_or_default();
            let line = [
                severity_label(f.severity, l).to_owned(),
                f.table.clone(),
                row,
                f.column.clone().unwrap_or_default(),
                f.value.clone().unwrap_or_default(),
                f.message(l).to_owned(),
            ]
            .iter()
            .map(|s| shared::format::csv_cell(s))
            .collect::<Vec<_>>()
            .join(",");
            csv.push_str(&line);
            csv.push_str("\r\n");
        }
        crate::export::download_text(
            t(l, "informe-de-validacion.csv", "validation-report.csv"),
            &csv,
            "text/csv;charset=utf-8",
        );
    };
    let table_options =
        tables.into_iter().map(|x| view! { <option value=x.clone()>{x.clone()}</option> }).collect_view();
    view! {
        <div class="filters report-filters">
            <div class="field">
                <label for="r-sev">{move || t(lang.get(), "Severidad", "Severity")}</label>
                <select id="r-sev" on:change=move |ev| severity.set(match event_target_value(&ev).as_str() {
                    "error" => Some(Severity::Error),
                    "warning" => Some(Severity::Warning),
                    "info" => Some(Severity::Info),
                    _ => None,
                })>
                    <option value="">{move || t(lang.get(), "Todas", "All")}</option>
                    <option value="error">{move || t(lang.get(), "Errores", "Errors")}</option>
                    <option value="warning">{move || t(lang.get(), "Advertencias", "Warnings")}</option>
                    <option value="info">{move || t(lang.get(), "Notas", "Notes")}</option>
                </select>
            </div>
            <div class="field">
                <label for="r-table">{move || t(lang.get(), "Tabla", "Table")}</label>
                <select id="r-table" on:change=move |ev| table.set(event_target_value(&ev))>
                    <option value="">{move || t(lang.get(), "Todas", "All")}</option>
                    {table_options}
                </select>
            </div>
            <div class="field">
                <label for="r-text">{move || t(lang.get(), "Buscar", "Search")}</label>
                <input id="r-text" type="search" on:input=move |ev| text.set(event_target_value(&ev)) />
            </div>
            <button type="button" on:click=download>{move || t(lang.get(), "Descargar el informe (CSV)", "Download the report (CSV)")}</button>
        </div>
        <p class="hint" role="status">{move || {
            let n = shown.read().len();
            if n > SHOWN { format!("{} {SHOWN} {} {}; {}", t(lang.get(), "Se muestran", "Showing"), t(lang.get(), "de", "of"), format::count(n as f64), t(lang.get(), "el CSV los tiene todos", "the CSV has them all")) }
            else { format!("{} {}", counted(n, lang.get(), ("problema", "problemas"), ("problem", "problems")), t(lang.get(), "a la vista", "shown")) }
        }}</p>
        <div class="table-wrap" tabindex="0">
            <table class="data report" data-testid="report">
                <thead><tr>
                    {header(Column::Severity, "Severidad", "Severity")}
                    {header(Column::Table, "Tabla", "Table")}
                    {header(Column::Row, "Fila", "Row")}
                    {header(Column::Name, "Columna", "Column")}
                    {header(Column::Value, "Valor", "Value")}
                    {header(Column::Message, "Mensaje", "Message")}
                </tr></thead>
                <tbody>{move || {
                    let l = lang.get();
                    shown.get().into_iter().take(SHOWN).map(|f| view! {
                        <tr class=match f.severity { Severity::Error => "sev-error", Severity::Warning => "sev-warning", Severity::Info => "sev-info" }>
                            <td data-label=t(l, "Severidad", "Severity")>{severity_label(f.severity, l)}</td>
                            <td data-label=t(l, "Tabla", "Table")>{f.table.clone()}</td>
                            <td class="num" data-label=t(l, "Fila", "Row")>{f.row.map_or_else(|| "—".to_owned(), |r| r.to_string())}</td>
                            <td data-label=t(l, "Columna", "Column")><code>{f.column.clone().unwrap_or_else(|| "—".to_owned())}</code></td>
                            <td data-label=t(l, "Valor", "Value")><code>{f.value.clone().unwrap_or_else(|| "—".to_owned())}</code></td>
                            <td data-label=t(l, "Mensaje", "Message")>{f.message(l).to_owned()}</td>
                        </tr>
                    }).collect_view()
                }}</tbody>
            </table>
        </div>
    }
}

/// "1 error", "2 errores": a count with its noun in the singular or the plural.
fn counted(n: usize, lang: Lang, es: (&str, &str), en: (&str, &str)) -> String {
    let (one, many) = match lang {
        Lang::Es => es,
        Lang::En => en,
    };
    format!("{} {}", format::count(n as f64), if n == 1 { one } else { many })
}

fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Error => t(lang, "Error", "Error"),
        Severity::Warning => t(lang, "Advertencia", "Warning"),
        Severity::Info => t(lang, "Nota", "Note"),
    }
}

/// What publishing the draft changes, table by table, and the links to preview it.
#[component]
fn Changes(
    tables: Vec<shared::manifest::TableEntry>,
    current: Signal<Option<Manifest>>,
    id: String,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let nav = session::nav();
    let tables = StoredValue::new(tables);
    let rows = move || {
        let l = lang.get();
        let now = current.get();
        let mut names: Vec<String> = tables.with_value(|t| t.iter().map(|x| x.name.clone()).collect());
        if let Some(m) = &now {
            names.extend(
                m.tables
                    .iter()
                    .map(|x| x.name.clone())
                    .filter(|n| !tables.with_value(|t| t.iter().any(|x| &x.name == n))),
            );
        }
        names
            .into_iter()
            .map(|name| {
                let before = now.as_ref().and_then(|m| m.tables.iter().find(|x| x.name == name)).map(|x| x.rows);
                let after = tables.with_value(|t| t.iter().find(|x| x.name == name).map(|x| x.rows));
                let shown = |n: Option<usize>| n.map_or_else(|| "—".to_owned(), |n| format::count(n as f64));
                let change = match (before, after) {
                    (Some(b), Some(a)) if a >= b => format!("+{}", format::count((a - b) as f64)),
                    (Some(b), Some(a)) => format!("−{}", format::count((b - a) as f64)),
                    (None, Some(_)) => t(l, "tabla nueva", "new table").to_owned(),
                    (Some(_), None) => t(l, "no incluida: la nueva publicación no la tendrá", "not included: the new snapshot will not have it").to_owned(),
                    (None, None) => String::new(),
                };
                view! { <tr><th scope="row">{name}</th><td class="num">{shown(before)}</td><td class="num">{shown(after)}</td><td>{change}</td></tr> }
            })
            .collect_view()
    };
    let link = move |page: Page, es: &'static str, en: &'static str| {
        let href = format!("{}?s={}", page.path(), workspace::encode(&id));
        let go = href.clone();
        view! { <a class="button" href=href on:click=move |ev: leptos::ev::MouseEvent| { ev.prevent_default(); nav.go(&go); }>{move || t(lang.get(), es, en)}</a> }
    };
    view! {
        <section class="panel" aria-labelledby="changes-title">
            <h2 id="changes-title">{move || t(lang.get(), "4. Qué cambia y vista previa", "4. What changes, and preview")}</h2>
            <table class="data" data-testid="changes">
                <caption>{move || t(lang.get(), "Filas por tabla: publicación vigente y borrador", "Rows per table: current snapshot and draft")}</caption>
                <thead><tr>
                    <th scope="col">{move || t(lang.get(), "Tabla", "Table")}</th>
                    <th scope="col">{move || t(lang.get(), "Vigente", "Current")}</th>
                    <th scope="col">{move || t(lang.get(), "Borrador", "Draft")}</th>
                    <th scope="col">{move || t(lang.get(), "Cambio", "Change")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="hint">{move || t(lang.get(), "La vista previa abre el tablero y la hoja de ruta sobre el borrador, comparados con la publicación vigente: valores revisados, filas nuevas o quitadas, hitos cuyas fechas o estado cambiaron.", "The preview opens the dashboard and the roadmap on the draft, compared with the current snapshot: revised values, rows added or removed, milestones whose dates or status moved.")}</p>
            <p class="actions">
                {link(Page::Coverage, "Vista previa: cobertura", "Preview: coverage")}
                {link(Page::Roadmap, "Vista previa: hoja de ruta", "Preview: roadmap")}
            </p>
        </section>
    }
}

/// Title, date and notes; publishing asks for confirmation and says what will change.
#[component]
fn PublishForm(
    id: String,
    errors: usize,
    warnings: usize,
    current: Signal<Option<Manifest>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let nav = session::nav();
    // Every field is sent, typed in or not (an empty title is refused here, before sending).
    let blank = || Some(String::new());
    let meta = RwSignal::new(PublishMeta { title_es: blank(), title_en: blank(), as_of: blank(), notes: blank() });
    let acknowledged = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<FetchError>);
    let id = StoredValue::new(id);
    let blocked = move || -> Option<String> {
        let l = lang.get();
        let m = meta.get();
        if errors > 0 {
            Some(format!(
                "{} {} {}",
                t(l, "No se puede publicar: hay", "Cannot publish: there are"),
                format::count(errors as f64),
                t(
                    l,
                    "errores. Corrija los archivos y vuelva a subirlos.",
                    "errors. Fix the files and upload them again."
                )
            ))
        } else if [&m.title_es, &m.title_en].iter().any(|title| title.as_deref().unwrap_or_default().trim().is_empty())
        {
            Some(
                t(l, "Escriba el título en español y en inglés.", "Write the title in Spanish and in English.")
                    .to_owned(),
            )
        } else if m.as_of.as_deref().unwrap_or_default().is_empty() {
            Some(t(l, "Indique la fecha de corte de los datos.", "Give the date the data is as of.").to_owned())
        } else if warnings > 0 && !acknowledged.get() {
            Some(t(l, "Confirme que revisó las advertencias.", "Confirm you have reviewed the warnings.").to_owned())
        } else {
            None
        }
    };
    let publish = move |_| {
        busy.set(true);
        let csrf = nav.session.with_untracked(session::Session::csrf);
        let m = meta.get_untracked();
        let draft = id.get_value();
        leptos::task::spawn_local(async move {
            match workspace::publish(&draft, &m, &csrf).await {
                Ok(()) => nav.go(Page::Coverage.path()),
                Err(f) => {
                    confirming.set(false);
                    problem.set(nav.check(f));
                }
            }
            busy.set(false);
        });
    };
    let discard = move |_| {
        let csrf = nav.session.with_untracked(session::Session::csrf);
        let draft = id.get_value();
        leptos::task::spawn_local(async move {
            match workspace::discard(&draft, &csrf).await {
                Ok(()) => nav.go(Page::Publish.path()),
                Err(f) => problem.set(nav.check(f)),
            }
        });
    };
    let has_errors = errors != 0;
    let field = move |key: &'static str,
                      es: &'static str,
                      en: &'static str,
                      kind: &'static str,
                      set: fn(&mut PublishMeta, String)| {
        view! {
            <div class="field">
                <label for=format!("m-{key}")>{move || t(lang.get(), es, en)}</label>
                <input id=format!("m-{key}") type=kind disabled=has_errors on:input=move |ev| meta.update(|m| set(m, event_target_value(&ev))) />
            </div>
        }
    };
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && confirming.get_untracked() {
            confirming.set(false);
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <section class="panel" aria-labelledby="publish-title">
            <h2 id="publish-title">{move || t(lang.get(), "5. Publicar", "5. Publish")}</h2>
            <div class="form-grid">
                {field("title-es", "Título (español)", "Title (Spanish)", "text", |m, v| m.title_es = Some(v))}
                {field("title-en", "Título (inglés)", "Title (English)", "text", |m, v| m.title_en = Some(v))}
                {field("as-of", "Datos al (fecha de corte)", "Data as of", "date", |m, v| m.as_of = Some(v))}
            </div>
            <div class="field">
                <label for="m-notes">{move || t(lang.get(), "Notas: fuentes, advertencias, qué cambió", "Notes: sources, caveats, what changed")}</label>
                <textarea id="m-notes" rows="3" disabled=has_errors on:input=move |ev| meta.update(|m| m.notes = Some(event_target_value(&ev)))></textarea>
            </div>
            <Show when=move || warnings != 0 && errors == 0>
                <label class="check"><input type="checkbox" on:change=move |ev| acknowledged.set(event_target_checked(&ev)) />
                    {move || format!("{} ({}) {}", t(lang.get(), "Revisé las advertencias", "I have reviewed the warnings"), format::count(warnings as f64), t(lang.get(), "y publico de todos modos.", "and publish anyway."))}</label>
            </Show>
            <p class="actions">
                <button type="button" class="primary" data-testid="publish" disabled=move || blocked().is_some() aria-describedby="publish-why" on:click=move |_| confirming.set(true)>
                    {move || t(lang.get(), "Publicar…", "Publish…")}</button>
                <button type="button" on:click=discard>{move || t(lang.get(), "Descartar el borrador", "Discard the draft")}</button>
            </p>
            <p id="publish-why" class="hint" data-testid="publish-why">{move || blocked().unwrap_or_default()}</p>
            {move || problem.get().map(|f| view! { <p class="form-error" role="alert">{f.message(lang.get())}</p> })}
        </section>
        <Show when=move || confirming.get()>
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm">
                    <h2 id="confirm-title">{move || t(lang.get(), "¿Publicar este borrador?", "Publish this draft?")}</h2>
                    <p><strong>{move || t(lang.get(), "Pasará a ser la publicación vigente, la que ven todos en el tablero y la hoja de ruta.", "It becomes the current snapshot, the one everyone sees on the dashboard and the roadmap.")}</strong></p>
                    <p>{move || {
                        let l = lang.get();
                        let m = meta.get();
                        let before = current.get().map(|c| format!("{} {} ({} {}) {}", t(l, "La vigente hasta hoy,", "The current one until now,"), c.title(l), t(l, "datos al", "data as of"), format::date(&c.as_of), t(l, "se conserva y puede volver a ser la vigente.", "is kept and can be made current again."))).unwrap_or_default();
                        format!("«{}» · {} {}. {before}", if l == Lang::Es { m.title_es } else { m.title_en }.unwrap_or_default(), t(l, "datos al", "data as of"), format::date(m.as_of.as_deref().unwrap_or_default()))
                    }}</p>
                    <p class="actions">
                        <button type="button" class="primary" data-testid="confirm-publish" disabled=busy autofocus on:click=publish>{move || t(lang.get(), "Sí, publicar", "Yes, publish")}</button>
                        <button type="button" on:click=move |_| confirming.set(false)>{move || t(lang.get(), "Cancelar", "Cancel")}</button>
                    </p>
                </div>
            </div>
        </Show>
    }
}
