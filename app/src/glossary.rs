//! The glossary: the few words and codes the dashboard uses without explaining them where they stand (indicator
//! codes, HXL, "L" for lempiras, percentage points, a snapshot's version, a value's status, the traffic light), in
//! Spanish and English, in the footer of every page (`#glosario`).

use leptos::prelude::*;
use shared::{Label, Lang};

use crate::i18n::t;

/// One term and what it means.
struct Entry {
    term: Label,
    meaning: Label,
}

const ENTRIES: [Entry; 8] = [
    Entry {
        term: Label { es: "Códigos de indicador (COB-01, INT-05…)", en: "Indicator codes (COB-01, INT-05…)" },
        meaning: Label {
            es: "Identificador estable de cada indicador: COB cobertura, INT intermediación y colocación, DER derivación entre instituciones, FOR formación, EMP emprendimiento, REI reintegración, MIL migración laboral, CTX contexto (otras instituciones), HR hoja de ruta. La «i» junto a un indicador da su definición, unidad, fuente y frecuencia.",
            en: "A stable id for each indicator: COB coverage, INT job matching and placement, DER referrals between institutions, FOR training, EMP entrepreneurship, REI reintegration, MIL labour migration, CTX context (other institutions), HR roadmap. The \"i\" next to an indicator gives its definition, unit, source and frequency.",
        },
    },
    Entry {
        term: Label { es: "L, HNL", en: "L, HNL" },
        meaning: Label {
            es: "Lempiras, la moneda de Honduras (código ISO HNL): L\u{a0}1,234.50.",
            en: "Lempiras, Honduras' currency (ISO code HNL): L\u{a0}1,234.50.",
        },
    },
    Entry {
        term: Label { es: "pp (puntos porcentuales)", en: "pp (percentage points)" },
        meaning: Label {
            es: "La diferencia entre dos porcentajes: de 60 % a 66 % son 6.0 pp (no un 10 %).",
            en: "The difference between two percentages: from 60 % to 66 % is 6.0 pp (not 10 %).",
        },
    },
    Entry {
        term: Label { es: "Publicación y versión", en: "Snapshot and version" },
        meaning: Label {
            es: "Cada publicación es una copia fija de los datos a una fecha («Datos al …»). «Versión 2» es la segunda publicada (la primera es la 1); la vigente es la que se muestra por defecto. Un enlace fijo (/s/…) muestra siempre la misma publicación.",
            en: "Each snapshot is a fixed copy of the data at a date (\"Data as of …\"). \"Version 2\" is the second one published (the first is 1); the current one is shown by default. A frozen link (/s/…) always shows the same snapshot.",
        },
    },
    Entry {
        term: Label { es: "Estado de un valor", en: "A value's status" },
        meaning: Label {
            es: "Reportado; estimado (marcado «e»: calculado, no contado); no recolectado; suprimido (oculto para proteger a una población sensible: menos de 5 personas, o una celda con la que se podría calcular otra oculta); sin datos (ninguna oficina lo reporta). Un valor que falta nunca es un cero.",
            en: "Reported; estimated (marked \"e\": computed, not counted); not collected; suppressed (hidden to protect a sensitive population: under 5 people, or a cell from which a hidden one could be worked out); no data (no office reports it). A missing value is never a zero.",
        },
    },
    Entry {
        term: Label { es: "Semáforo", en: "Traffic light" },
        meaning: Label {
            es: "Verde: a lo sumo 10 puntos bajo el ritmo esperado; ámbar: de 10 a 25; rojo: más de 25 o vencido sin terminar; gris: sin iniciar o sin datos.",
            en: "Green: at most 10 points under the expected pace; amber: 10 to 25; red: over 25, or past its end unfinished; grey: not started or no data.",
        },
    },
    Entry {
        term: Label { es: "HXL", en: "HXL" },
        meaning: Label {
            es: "Humanitarian Exchange Language: una fila de etiquetas (#adm1+name, #indicator+value) bajo el encabezado de un CSV, para que las herramientas humanitarias (HDX, OCHA) reconozcan las columnas.",
            en: "Humanitarian Exchange Language: a row of hashtags (#adm1+name, #indicator+value) under a CSV's header, so that humanitarian tools (HDX, OCHA) recognise the columns.",
        },
    },
    Entry {
        term: Label { es: "Archivos CSV", en: "CSV files" },
        meaning: Label {
            es: "Sus primeras líneas, que empiezan con #, dicen la publicación, su fecha, el indicador, el periodo y los filtros; los números van sin separador de miles y con punto decimal, y una columna de estado dice por qué falta un valor. En pandas: read_csv(archivo, comment=\"#\").",
            en: "Their first lines, starting with #, give the snapshot, its date, the indicator, the period and the filters; numbers have no thousands separator and a decimal point, and a status column says why a value is missing. In pandas: read_csv(file, comment=\"#\").",
        },
    },
];

/// The glossary, folded: a "Glosario" disclosure in the footer of every page.
#[component]
pub fn Glossary(lang: RwSignal<Lang>) -> impl IntoView {
    let entries = move || {
        let l = lang.get();
        ENTRIES.iter().map(|e| view! { <dt>{e.term.get(l)}</dt><dd>{e.meaning.get(l)}</dd> }).collect_view()
    };
    view! {
        <details class="glossary" id="glosario" data-testid="glossary">
            <summary>{move || t(lang.get(), "Glosario", "Glossary")}</summary>
            <dl>{entries}</dl>
        </details>
    }
}
