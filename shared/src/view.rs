//! The state of a dashboard view, kept in the URL query so that copying the URL reproduces the view and the
//! browser's back and forward buttons work. Parsing never fails: unknown keys are ignored, so old links keep working.

use std::fmt::Write as _;

use crate::Lang;

/// Everything that defines a view. `None` means "the default" (resolved against the loaded snapshot).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct View {
    /// Snapshot shown (`s`); the current one by default.
    pub snapshot: Option<String>,
    /// Snapshot compared with (`comparar`): the previous published one by default, `no` for none.
    pub compare: Option<String>,
    /// Indicator of the map and charts (`indicador`), COB-01 by default.
    pub indicator: Option<String>,
    /// First and last month, `YYYY-MM` (`desde`, `hasta`): the last 12 months of data by default.
    pub from: Option<String>,
    pub to: Option<String>,
    /// A department ISO code or a SI EMPLEO territory code (`lugar`); the whole country by default.
    pub place: Option<String>,
    /// Disaggregation filters (`servicio`, `poblacion`, `sexo`, `edad`); all categories by default.
    pub service: Option<String>,
    pub population: Option<String>,
    pub sex: Option<String>,
    pub age: Option<String>,
    /// The department whose municipalities the map shows (`municipios`, an ISO code): drawn only while the place
    /// is that department or one of its offices, else the country's map (an old link never shows a stray map).
    pub municipalities: Option<String>,
    /// Map values per 10,000 inhabitants (`medida=tasa`) instead of absolute.
    pub per_10k: bool,
    /// The fifth KPI tile, chosen by the user (`kpi`).
    pub kpi: Option<String>,
    /// Roadmap view: the fiscal year of the budget figures (`anio`); every year by default.
    pub year: Option<String>,
    /// Roadmap view: the Gantt's time window (`ventana`): a year `2026` or a quarter `2026-T4`; the whole plan
    /// by default.
    pub window: Option<String>,
    /// Roadmap view: the intervention whose detail is open (`intervencion`).
    pub intervention: Option<String>,
    /// Roadmap view: the key date marked on the Gantt (`fecha_clave`, ISO), the general elections by default.
    pub key_date: Option<String>,
    /// Roadmap view: order of the late and upcoming lists (`orden=institucion`); by date by default.
    pub sort: Option<String>,
    /// Meeting mode: the agenda presented (`agenda`) and its slide, from 1 (`diapositiva`).
    pub agenda: Option<String>,
    pub slide: Option<String>,
    pub lang: Lang,
}

/// The compare value that turns comparison off.
pub const NO_COMPARE: &str = "no";

const KEYS: [&str; 19] = [
    "s",
    "comparar",
    "indicador",
    "desde",
    "hasta",
    "lugar",
    "municipios",
    "servicio",
    "poblacion",
    "sexo",
    "edad",
    "kpi",
    "anio",
    "ventana",
    "intervencion",
    "fecha_clave",
    "orden",
    "agenda",
    "diapositiva",
];

impl View {
    fn slots(&mut self) -> [&mut Option<String>; 19] {
        [
            &mut self.snapshot,
            &mut self.compare,
            &mut self.indicator,
            &mut self.from,
            &mut self.to,
            &mut self.place,
            &mut self.municipalities,
            &mut self.service,
            &mut self.population,
            &mut self.sex,
            &mut self.age,
            &mut self.kpi,
            &mut self.year,
            &mut self.window,
            &mut self.intervention,
            &mut self.key_date,
            &mut self.sort,
            &mut self.agenda,
            &mut self.slide,
        ]
    }

    /// This view without its indicator, period, place, disaggregation filters and fifth tile: the snapshot's default
    /// view, what the rows written for it ([`crate::manifest::Manifest::first_view`]) show exactly as the whole
    /// `facts` does. Keeps the snapshot, the comparison, the language and the measure (drawn from the same rows).
    #[must_use]
    pub fn first_view(&self) -> Self {
        Self {
            indicator: None,
            from: None,
            to: None,
            place: None,
            service: None,
            population: None,
            sex: None,
            age: None,
            kpi: None,
            ..self.clone()
        }
    }

    /// Whether this view is its [`first_view`](Self::first_view): a URL without filters.
    pub fn is_first_view(&self) -> bool {
        *self == self.first_view()
    }

    /// Parses a query string (with or without the leading `?`).
    pub fn from_query(query: &str) -> Self {
        let mut view = Self::default();
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match key {
                "lang" => view.lang = if value == "en" { Lang::En } else { Lang::Es },
                "medida" => view.per_10k = value == "tasa",
                _ => {
                    if let Some(i) = KEYS.iter().position(|k| *k == key)
                        && !value.is_empty()
                    {
                        *view.slots()[i] = Some(value);
                    }
                }
            }
        }
        view
    }

    /// The query string, with a leading `?` (empty when everything is at its default). Keys in a fixed order.
    pub fn to_query(&self) -> String {
        let mut copy = self.clone();
        let mut parts: Vec<String> = KEYS
            .iter()
            .zip(copy.slots())
            .filter_map(|(k, v)| v.as_deref().map(|v| format!("{k}={}", encode(v))))
            .collect();
        if self.per_10k {
            parts.push("medida=tasa".to_owned());
        }
        if self.lang == Lang::En {
            parts.push("lang=en".to_owned());
        }
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    }
}

/// The prefix of frozen links: `/s/{snapshot-id}/` (coverage) and `/s/{snapshot-id}/hoja-de-ruta` pin a
/// dashboard page to one snapshot, whatever is published later.
pub const FROZEN: &str = "/s/";

/// A frozen link's snapshot id (decoded; `None` when empty) and the path of its page (`/`, `/hoja-de-ruta`); `None`
/// for any other path.
pub fn split_frozen(path: &str) -> Option<(Option<String>, String)> {
    let rest = path.strip_prefix(FROZEN)?;
    let (id, page) = rest.split_once('/').unwrap_or((rest, ""));
    Some(((!id.is_empty()).then(|| decode(id)), format!("/{page}")))
}

/// The frozen link of a dashboard page (`/`, `/hoja-de-ruta`) showing view `v` of snapshot `id` (the view's own
/// snapshot is ignored).
pub fn frozen_path(id: &str, page: &str, v: &View) -> String {
    let rest = View { snapshot: None, ..v.clone() };
    format!("{FROZEN}{}/{}{}", encode(id), page.trim_start_matches('/'), rest.to_query())
}

/// The page path of an embedded part under a frozen link: `/s/{snapshot-id}/embed/{part}` shows one part of a
/// published snapshot's view alone, to be framed by another site (`rumbo serve --embed-origins`).
pub const EMBED: &str = "/embed/";

/// The part a frozen link's page path embeds (`/embed/map` → the map); `None` for any other page.
pub fn embedded_part(page: &str) -> Option<crate::agenda::Part> {
    crate::agenda::Part::from_code(page.strip_prefix(EMBED)?.trim_end_matches('/'))
}

/// The embed URL of `part` of the view `v` of snapshot `id` (the view's own snapshot is ignored).
pub fn embed_url(id: &str, part: crate::agenda::Part, v: &View) -> String {
    let rest = View { snapshot: None, ..v.clone() };
    format!("{FROZEN}{}{EMBED}{}{}", encode(id), part.code(), rest.to_query())
}

/// The wanted indicator when the snapshot has it, else the fallback, else the first one: how a view's indicator (and
/// its fifth tile's) is resolved, in the app and for a first view the server cuts.
pub fn pick(wanted: Option<&str>, indicators: &[String], fallback: &str) -> String {
    wanted
        .filter(|w| indicators.iter().any(|i| i == w))
        .or_else(|| indicators.iter().find(|i| *i == fallback).map(String::as_str))
        .or_else(|| indicators.first().map(String::as_str))
        .unwrap_or(fallback)
        .to_owned()
}

/// A view's period `(from, to)` over `months`, the months with data of its indicator (oldest first): the wanted end
/// month when the indicator has it, else its last; the wanted first month when it has it and it is not after the
/// end, else the first month with data from 11 months before the end (a year).
///
/// `opening`, for an indicator that does not add up over time ([`crate::dashboard::opening`]), is the period a
/// view opens on when it wants none.
pub fn period(
    wanted_from: Option<&str>,
    wanted_to: Option<&str>,
    months: &[String],
    opening: Option<&(String, String)>,
) -> (String, String) {
    if let (None, None, Some(opening)) = (wanted_from, wanted_to, opening) {
        return opening.clone();
    }
    let last = months.last().cloned().unwrap_or_default();
    let to = wanted_to.filter(|m| months.iter().any(|x| x == m)).map_or(last, str::to_owned);
    let default_from = crate::dashboard::shift_month(&to, -11)
        .map(|m| months.iter().find(|x| **x >= m).cloned().unwrap_or(m))
        .unwrap_or_default();
    let from =
        wanted_from.filter(|m| months.iter().any(|x| x == m) && *m <= to.as_str()).map_or(default_from, str::to_owned);
    (from, to)
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Decodes `%XX` and `+`; malformed escapes are kept as they are.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(b) => {
                    out.push(b);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_links_name_their_snapshot_and_page() {
        let frozen = |p: &str| split_frozen(p);
        assert_eq!(frozen("/s/2026-12-04-ab12/"), Some((Some("2026-12-04-ab12".to_owned()), "/".to_owned())));
        assert_eq!(frozen("/s/a%20b/hoja-de-ruta"), Some((Some("a b".to_owned()), "/hoja-de-ruta".to_owned())));
        assert_eq!(frozen("/s/abc"), Some((Some("abc".to_owned()), "/".to_owned())));
        assert_eq!(frozen("/s//"), Some((None, "/".to_owned())));
        assert_eq!(frozen("/hoja-de-ruta"), None);
    }

    #[test]
    fn an_embed_url_names_its_snapshot_part_and_view() {
        use crate::agenda::Part;
        let view = View { indicator: Some("COB-02".into()), lang: Lang::En, ..View::default() };
        let url = embed_url("2026-10-31-ab12", Part::Map, &View { snapshot: Some("other".into()), ..view.clone() });
        assert_eq!(url, "/s/2026-10-31-ab12/embed/map?indicador=COB-02&lang=en");
        let (id, page) = split_frozen(url.split('?').next().unwrap_or_default()).unwrap_or_default();
        assert_eq!((id.as_deref(), embedded_part(&page)), (Some("2026-10-31-ab12"), Some(Part::Map)));
        assert_eq!(embedded_part("/embed/progress/"), Some(Part::Progress));
        for page in ["/", "/hoja-de-ruta", "/embed/", "/embed/mapa", "/embedmap"] {
            assert_eq!(embedded_part(page), None, "{page}");
        }
    }

    #[test]
    fn a_view_survives_the_url() {
        let view = View {
            snapshot: Some("abc".into()),
            indicator: Some("INT-05".into()),
            from: Some("2025-11".into()),
            to: Some("2026-10".into()),
            place: Some("HN-CR".into()),
            municipalities: Some("HN-CR".into()),
            age: Some("60+".into()),
            window: Some("2026-T4".into()),
            intervention: Some("HR-ART-007".into()),
            per_10k: true,
            lang: Lang::En,
            ..View::default()
        };
        let query = view.to_query();
        assert_eq!(
            query,
            "?s=abc&indicador=INT-05&desde=2025-11&hasta=2026-10&lugar=HN-CR&municipios=HN-CR&edad=60%2B&ventana=2026-T4&intervencion=HR-ART-007&medida=tasa&lang=en"
        );
        assert_eq!(View::from_query(&query), view);
    }

    #[test]
    fn a_url_without_filters_is_the_first_view() {
        let plain = View::from_query("?s=2026-01-01-ab12&comparar=no&medida=tasa&lang=en");
        assert!(plain.is_first_view(), "snapshot, comparison, measure and language are not filters");
        assert!(View::from_query("?municipios=HN-CR").is_first_view(), "nor the map's level: the place is");
        for filter in ["indicador=COB-02", "desde=2026-01", "lugar=HN-CR", "sexo=mujer", "edad=18-29", "kpi=COB-03"] {
            let v = View::from_query(&format!("?lang=en&{filter}"));
            assert!(!v.is_first_view(), "{filter}");
            assert_eq!(v.first_view(), View::from_query("?lang=en"), "{filter} dropped, the rest kept");
        }
    }

    #[test]
    fn defaults_give_an_empty_query_and_junk_is_ignored() {
        assert_eq!(View::default().to_query(), "");
        assert_eq!(View::from_query("?x=1&&lugar=&%zz&edad=%2"), View { age: Some("%2".into()), ..View::default() });
    }

    #[test]
    fn a_period_keeps_the_wanted_months_the_indicator_has_and_defaults_to_its_last_year() {
        let mut sorted: Vec<String> = (1..=10).map(|m| format!("2026-{m:02}")).chain(["2025-06".to_owned()]).collect();
        sorted.sort();
        assert_eq!(
            period(None, None, &sorted, None),
            ("2026-01".to_owned(), "2026-10".to_owned()),
            "the first month with data from 2025-11"
        );
        assert_eq!(
            period(Some("2026-02"), Some("2026-05"), &sorted, None),
            ("2026-02".to_owned(), "2026-05".to_owned())
        );
        assert_eq!(
            period(Some("2026-07"), Some("2026-05"), &sorted, None).0,
            "2025-06",
            "a first month after the end: a year"
        );
        assert_eq!(
            period(Some("1999-01"), Some("2031-01"), &sorted, None),
            ("2026-01".to_owned(), "2026-10".to_owned())
        );
        let indicators = ["COB-02".to_owned(), "COB-01".to_owned()];
        assert_eq!(pick(Some("COB-02"), &indicators, "COB-01"), "COB-02");
        assert_eq!(pick(Some("NO-SUCH"), &indicators, "COB-01"), "COB-01");
        assert_eq!(pick(None, &indicators, "GONE"), "COB-02", "the first one");
    }
}
