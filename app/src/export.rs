//! Exports: any table on screen as a CSV file for people and machines: UTF-8 with the BOM Excel needs to read
//! accents; first a block of `# key: value` lines (the snapshot's id and date, the indicator, period and filters);
//! then the table's rows with plain numbers (no thousands separator, a `.` decimal point: each cell's `data-csv`),
//! a status column beside each column of values (`data-status-head`, `data-status`) instead of words in them, and
//! optionally a row of HXL hashtags (Humanitarian Exchange Language) under the header, from each header cell's
//! `data-hxl`.

use leptos::prelude::*;
use shared::Lang;
use wasm_bindgen::JsCast;

use crate::i18n::t;

/// Saves text as a file the browser downloads.
pub fn download_text(file_name: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(href) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(a) = document().create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(&href);
        a.set_download(file_name);
        a.click();
    }
    // The download has started by then; the object URL is freed.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&href)), std::time::Duration::from_secs(10));
}

fn cells(row: &web_sys::Element) -> Vec<web_sys::Element> {
    let Ok(list) = row.query_selector_all("th, td") else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<web_sys::Element>().ok()).collect()
}

fn text_of(cell: &web_sys::Element) -> String {
    cell.text_content().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cell as the file holds it: its `data-csv` when it has one (a plain number, a header without the screen's
/// hints), a number column's formatted number made plain (`3,408` → `3408`, `—` → empty), otherwise its text.
fn csv_text(cell: &web_sys::Element) -> String {
    if let Some(value) = cell.get_attribute("data-csv") {
        return value;
    }
    let text = text_of(cell);
    if cell.class_list().contains("num") && cell.tag_name().eq_ignore_ascii_case("td") {
        if text == "—" {
            return String::new();
        }
        if let Some(plain) = shared::format::plain_from_shown(&text) {
            return plain;
        }
    }
    text
}

/// What a page's exports say about the view they come from (the indicator, the period, the filters), written into
/// the file's first lines after the snapshot's id and date. A page provides it as context; `Exports` reads it.
#[derive(Clone, Copy)]
pub struct ExportMeta(pub Signal<Vec<(&'static str, String)>>);

/// The file's first lines, each `# key: value` (keys in English, values in the interface language), so that
/// `pandas.read_csv(f, comment="#")` or R's `read.csv(f, comment.char = "#")` skip them and a person reads them:
/// the snapshot (id, title, as-of date, synthetic), then the page's [`ExportMeta`], then the view's address.
fn header_block(lang: Lang, meta: &[(&'static str, String)]) -> String {
    let banner = document().query_selector(".banner[data-as-of]").ok().flatten();
    let attr = |name: &str| banner.as_ref().and_then(|b| b.get_attribute(name)).unwrap_or_default();
    let mut lines: Vec<(&str, String)> = vec![
        ("source", "Rumbo · SETRASS / DGE · SI EMPLEO".to_owned()),
        ("snapshot_id", attr("data-snapshot-id")),
        ("snapshot", attr("data-snapshot")),
        ("as_of", attr("data-as-of-iso")),
    ];
    if attr("data-synthetic") == "true" {
        lines
            .push(("synthetic", t(lang, "Datos ficticios de demostración", "Synthetic demonstration data").to_owned()));
    }
    lines.extend(meta.iter().cloned());
    lines.push(("url", window().location().href().unwrap_or_default()));
    lines.push((
        "notes",
        t(
            lang,
            "números sin separador de miles y con punto decimal; la columna de estado dice por qué falta un valor: reported (reportado) | estimated (estimado) | not_collected (no recolectado) | suppressed (suprimido para proteger datos sensibles) | not_combinable (no se puede sumar) | no_data (sin datos)",
            "numbers without thousands separators and with a decimal point; the status column says why a value is missing: reported | estimated | not_collected | suppressed (hidden to protect sensitive data) | not_combinable (cannot be added up) | no_data",
        )
        .to_owned(),
    ));
    let mut out = String::new();
    for (key, value) in lines.into_iter().filter(|(_, v)| !v.is_empty()) {
        // The line must start with `#` for readers to skip it: no quote (that would quote its first cell) and no
        // line break; its commas stay, each part a cell of its own through `csv_cell` like every cell.
        let value: String = value
            .chars()
            .map(|c| match c {
                '"' => '\'',
                '\n' | '\r' => ' ',
                c => c,
            })
            .collect();
        let line = format!("# {key}: {value}");
        let cells: Vec<String> = line.split(',').map(shared::format::csv_cell).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A table's rows as CSV, for people and machines: the header block, the header (each column that holds values
/// with a status, `data-status-head`, followed by a status column of that name), the HXL row when asked (from the
/// header cells' `data-hxl`; `#status` for status columns), then body and footer with plain numbers.
pub fn table_csv(table: &web_sys::Element, hxl: bool, lang: Lang, meta: &[(&'static str, String)]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header_block(lang, meta));
    let Ok(rows) = table.query_selector_all("tr") else { return out };
    // Per column of the header: the status column's name, when one follows it.
    let mut status_heads: Vec<Option<String>> = Vec::new();
    for i in 0..rows.length() {
        let Some(row) = rows.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let cells = cells(&row);
        if i == 0 {
            status_heads = cells.iter().map(|c| c.get_attribute("data-status-head")).collect();
        }
        let mut line: Vec<String> = Vec::with_capacity(cells.len() + 2);
        for (j, c) in cells.iter().enumerate() {
            line.push(shared::format::csv_cell(&csv_text(c)));
            if let Some(Some(head)) = status_heads.get(j) {
                let status = if i == 0 { head.clone() } else { c.get_attribute("data-status").unwrap_or_default() };
                line.push(shared::format::csv_cell(&status));
            }
        }
        out.push_str(&line.join(","));
        out.push_str("\r\n");
        if i == 0 && hxl {
            let mut tags: Vec<String> = Vec::with_capacity(line.len());
            for (j, c) in cells.iter().enumerate() {
                tags.push(c.get_attribute("data-hxl").unwrap_or_default());
                if let Some(Some(_)) = status_heads.get(j) {
                    tags.push("#status".to_owned());
                }
            }
            out.push_str(&tags.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

/// A file's name in the interface language: `rumbo-departamentos` is `rumbo-departments` in English. `name` is the
/// block's Spanish name (its `data-export`, the buttons' test ids); an unknown one is kept.
pub fn file_stem(name: &str, lang: Lang) -> String {
    const ENGLISH: [(&str, &str); 12] = [
        ("departamentos", "departments"),
        ("servicio", "service"),
        ("poblacion-sexo", "population-sex"),
        ("mensual", "monthly"),
        ("edad", "age"),
        ("mapa", "map"),
        ("hitos-atrasados", "overdue-milestones"),
        ("hitos-proximos", "upcoming-milestones"),
        ("instituciones", "institutions"),
        ("articulacion", "articulation"),
        ("presupuesto", "budget"),
        ("cronograma", "timeline"),
    ];
    let name = match lang {
        Lang::Es => name,
        Lang::En => ENGLISH.iter().find(|(es, _)| *es == name).map_or(name, |(_, en)| en),
    };
    format!("rumbo-{name}")
}

/// "CSV" and "CSV + HXL" buttons for the table of the block they sit in (the closest `[data-export]`).
#[component]
pub fn Exports(
    /// The file's name: `rumbo-{name}.csv` (in English, [`file_stem`]'s).
    name: &'static str,
    lang: RwSignal<Lang>,
    /// Also a "Descargar PNG" button for the block's chart.
    #[prop(optional)]
    png: bool,
    /// No "CSV con HXL" button (tables without HXL hashtags).
    #[prop(optional)]
    no_hxl: bool,
) -> impl IntoView {
    let meta = use_context::<ExportMeta>();
    let export = move |ev: leptos::ev::MouseEvent, hxl: bool| {
        let table = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-export]").ok().flatten())
            .and_then(|block| block.query_selector("table").ok().flatten());
        if let Some(table) = table {
            let stem = file_stem(name, lang.get_untracked());
            let file = if hxl { format!("{stem}-hxl.csv") } else { format!("{stem}.csv") };
            let meta = meta.map(|m| m.0.get_untracked()).unwrap_or_default();
            download_text(&file, &table_csv(&table, hxl, lang.get_untracked(), &meta), "text/csv;charset=utf-8");
        }
    };
    // Folded behind one "Descargar" under each block, so a phone does not scroll past three buttons per chart;
    // open at once on a wide screen (`open` set where the page is wide enough to spare the row).
    let wide = window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w >= 900.0);
    view! {
            <details class="exports" open=wide>
                <summary>{move || t(lang.get(), "Descargar", "Download")}</summary>
                <button type="button" class="secondary" data-testid=format!("csv-{name}") on:click=move |ev| export(ev, false)>
                    {move || t(lang.get(), "Descargar CSV", "Download CSV")}</button>
    {(!no_hxl).then(|| view! {
                <button type="button" class="secondary" data-testid=format!("hxl-{name}") on:click=move |ev| export(ev, true)
                    title=move || t(lang.get(), "Con una fila de etiquetas HXL para el intercambio de datos humanitarios", "With a row of HXL hashtags for humanitarian data exchange")>
                    {move || t(lang.get(), "CSV con HXL", "CSV with HXL")}</button>
                })}
                {png.then(|| view! { <PngButton name=name lang=lang /> })}
            </details>
        }
}

/// Words of the PNG's footer, in the interface language.
struct Footer {
    source: String,
    as_of: String,
    attribution: Option<String>,
    synthetic: Option<&'static str>,
}

/// Draws `text` from `(x, y)` wrapped to `width`, one line every `line` pixels; returns the next free `y`.
fn wrapped(
    ctx: &web_sys::CanvasRenderingContext2d,
    text: &str,
    x: f64,
    mut y: f64,
    width: f64,
    line: f64,
    draw: bool,
) -> f64 {
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        let fits = ctx.measure_text(&candidate).map_or(true, |m| m.width() <= width);
        if fits || current.is_empty() {
            current = candidate;
        } else {
            if draw {
                let _ = ctx.fill_text(&current, x, y);
            }
            y += line;
            word.clone_into(&mut current);
        }
    }
    if !current.is_empty() {
        if draw {
            let _ = ctx.fill_text(&current, x, y);
        }
        y += line;
    }
    y
}

/// The chart of a block as a PNG at the canvas' own 2× resolution, framed by its title and filter caption above
/// and its source, "Datos al …" and (for maps) the boundaries' attribution below, all drawn into the image.
pub fn chart_png(block: &web_sys::Element, lang: Lang) -> Option<String> {
    let chart: web_sys::HtmlCanvasElement = block.query_selector("canvas").ok()??.dyn_into().ok()?;
    let title = block.query_selector("figcaption, h2").ok().flatten().map(|e| text_of(&e)).unwrap_or_default();
    // What the numbers are (the indicator), when the page names one.
    let subject =
        document().query_selector("[data-subject]").ok().flatten().and_then(|e| e.get_attribute("data-subject"));
    let title = match subject {
        Some(s) if !s.is_empty() && !title.starts_with(&s) => format!("{s} — {title}"),
        _ => title,
    };
    let banner = document().query_selector(".banner[data-as-of]").ok().flatten();
    let attr = |name: &str| banner.as_ref().and_then(|b| b.get_attribute(name)).unwrap_or_default();
    let footer = Footer {
        source: format!(
            "{} {}",
            t(lang, "Fuente: SETRASS / DGE, SI EMPLEO —", "Source: SETRASS / DGE, SI EMPLEO —"),
            attr("data-snapshot")
        ),
        as_of: format!("{} {}", t(lang, "Datos al", "Data as of"), attr("data-as-of")),
        attribution: block.query_selector(".attribution").ok().flatten().map(|e| text_of(&e)),
        synthetic: (attr("data-synthetic") == "true")
            .then(|| t(lang, "Datos sintéticos de demostración.", "Synthetic demonstration data.")),
    };
    let k = f64::from(crate::charts::scaled::K);
    let (w, h) = (f64::from(chart.width()), f64::from(chart.height()));
    let pad = 24.0 * k;
    let out: web_sys::HtmlCanvasElement = document().create_element("canvas").ok()?.dyn_into().ok()?;
    let ctx = |c: &web_sys::HtmlCanvasElement| -> Option<web_sys::CanvasRenderingContext2d> {
        c.get_context("2d").ok()??.dyn_into().ok()
    };
    // Measure first (the same fonts on a scratch context), then size the image and draw.
    let layout = |c: &web_sys::CanvasRenderingContext2d, draw: bool| -> (f64, f64) {
        c.set_fill_style_str("#212529");
        c.set_text_baseline("top");
        c.set_font(&format!("700 {}px sans-serif", 20.0 * k));
        let below_title = wrapped(c, &title, pad, pad, w, 26.0 * k, draw);
        let chart_top = below_title + 8.0 * k;
        c.set_font(&format!("{}px sans-serif", 14.0 * k));
        let mut y = chart_top + h + 12.0 * k;
        for line in
            [Some(footer.source.as_str()), Some(footer.as_of.as_str()), footer.attribution.as_deref(), footer.synthetic]
        {
            if let Some(line) = line.filter(|l| !l.trim().is_empty()) {
                y = wrapped(c, line, pad, y, w, 19.0 * k, draw);
            }
        }
        (chart_top, y + pad - 8.0 * k)
    };
    let (_, height) = layout(&ctx(&out)?, false);
    out.set_width((w + 2.0 * pad) as u32);
    out.set_height(height.ceil() as u32);
    let c = ctx(&out)?;
    c.set_fill_style_str("#ffffff");
    c.fill_rect(0.0, 0.0, w + 2.0 * pad, height);
    let (chart_top, _) = layout(&c, true);
    c.draw_image_with_html_canvas_element(&chart, pad, chart_top).ok()?;
    out.to_data_url_with_type("image/png").ok()
}

/// Saves a `data:` URL as a file the browser downloads.
fn download_url(file_name: &str, href: &str) {
    if let Some(a) = document().create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(href);
        a.set_download(file_name);
        a.click();
    }
}

/// "Descargar PNG" for the chart or map of the block it sits in (the closest `[data-png]` or `[data-export]`).
#[component]
pub fn PngButton(
    /// The file's name: `rumbo-{name}.png` (in English, [`file_stem`]'s).
    name: &'static str,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let export = move |ev: leptos::ev::MouseEvent| {
        let block = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-png], [data-export]").ok().flatten());
        let Some(block) = block else { return };
        // The charts draw at the screen's density; the image is made from them redrawn at double resolution.
        crate::charts::scaled::at_full_density(move || {
            if let Some(url) = chart_png(&block, lang.get_untracked()) {
                download_url(&format!("{}.png", file_stem(name, lang.get_untracked())), &url);
            }
        });
    };
    view! {
        <button type="button" class="secondary" data-testid=format!("png-{name}") on:click=export
            title=move || t(lang.get(), "Imagen a doble resolución, con título, filtros, fuente y fecha de los datos", "Image at double resolution, with title, filters, source and data date")>
            {move || t(lang.get(), "Descargar PNG", "Download PNG")}</button>
    }
}
