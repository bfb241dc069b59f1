//! Exports: any table on screen as a CSV file, the cells exactly as shown (es-HN numbers included), UTF-8 with
//! the BOM Excel needs to read accents; optionally with a row of HXL hashtags (Humanitarian Exchange Language)
//! under the header, taken from each header cell's `data-hxl`.

use leptos::prelude::*;
use shared::Lang;
use wasm_bindgen::JsCast;

use crate::i18n::t;

/// One CSV field, quoted when it must be.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

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

/// A table's rows as CSV: header, the HXL row when asked (from the header cells' `data-hxl`), body and footer.
pub fn table_csv(table: &web_sys::Element, hxl: bool) -> String {
    let mut out = String::from("\u{feff}");
    let Ok(rows) = table.query_selector_all("tr") else { return out };
    for i in 0..rows.length() {
        let Some(row) = rows.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let cells = cells(&row);
        let line: Vec<String> = cells.iter().map(|c| csv_field(&text_of(c))).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
        if i == 0 && hxl {
            let tags: Vec<String> = cells.iter().map(|c| c.get_attribute("data-hxl").unwrap_or_default()).collect();
            out.push_str(&tags.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

/// "CSV" and "CSV + HXL" buttons for the table of the block they sit in (the closest `[data-export]`).
#[component]
pub fn Exports(
    /// The file's name: `rumbo-{name}.csv`.
    name: &'static str,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let export = move |ev: leptos::ev::MouseEvent, hxl: bool| {
        let table = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-export]").ok().flatten())
            .and_then(|block| block.query_selector("table").ok().flatten());
        if let Some(table) = table {
            let file = if hxl { format!("rumbo-{name}-hxl.csv") } else { format!("rumbo-{name}.csv") };
            download_text(&file, &table_csv(&table, hxl), "text/csv;charset=utf-8");
        }
    };
    view! {
        <p class="exports">
            <button type="button" class="secondary" data-testid=format!("csv-{name}") on:click=move |ev| export(ev, false)>
                {move || t(lang.get(), "Descargar CSV", "Download CSV")}</button>
            <button type="button" class="secondary" data-testid=format!("hxl-{name}") on:click=move |ev| export(ev, true)
                title=move || t(lang.get(), "Con una fila de etiquetas HXL para el intercambio de datos humanitarios", "With a row of HXL hashtags for humanitarian data exchange")>
                {move || t(lang.get(), "CSV con HXL", "CSV with HXL")}</button>
        </p>
    }
}
