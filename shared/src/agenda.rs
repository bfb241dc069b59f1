//! Meeting agendas: named lists of slides, each one a saved view of the dashboard (its URL, as the app writes
//! it) and the part of that view shown full screen. The server stores them; the app presents them at `/reunion`.

use serde::{Deserialize, Serialize};

use crate::{Label, Lang};

/// The most slides an agenda may hold, and the longest name, title and URL accepted.
pub const MAX_SLIDES: usize = 60;
pub const MAX_NAME: usize = 120;
pub const MAX_URL: usize = 2_000;

/// What a slide shows of its view: one part, large enough to read at five metres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// Coverage: the headline tiles.
    Tiles,
    /// Coverage: the map by department, with its legend and attribution.
    Map,
    /// Coverage: people served by service.
    Services,
    /// Coverage: by population and sex.
    Populations,
    /// Coverage: by age group.
    Ages,
    /// Coverage: the monthly series.
    Monthly,
    /// Roadmap: the progress summary tiles.
    Progress,
    /// Roadmap: the Gantt timeline.
    Timeline,
    /// Roadmap: late and upcoming milestones, each with its responsible institution.
    Milestones,
    /// Roadmap: each institution's milestones (done, late) and the articulation matrix.
    Institutions,
    /// Roadmap: the risk grid and the ranked risks with their owners.
    Risks,
    /// Roadmap: the meetings' agreements, open first (a meeting starts by reviewing the last one's).
    Agreements,
    /// Coverage: the executive summary (gaps to target, changes, year-end projections), each sentence a link.
    Summary,
    /// Roadmap: the executive summary (overdue and coming milestones, budget against the year).
    RoadmapSummary,
}

impl Part {
    pub const ALL: [Self; 14] = [
        Self::Tiles,
        Self::Map,
        Self::Services,
        Self::Populations,
        Self::Ages,
        Self::Monthly,
        Self::Progress,
        Self::Timeline,
        Self::Milestones,
        Self::Institutions,
        Self::Risks,
        Self::Agreements,
        Self::Summary,
        Self::RoadmapSummary,
    ];

    /// The serialised name (`map`, `monthly`, …).
    pub const fn code(self) -> &'static str {
        match self {
            Self::Tiles => "tiles",
            Self::Map => "map",
            Self::Services => "services",
            Self::Populations => "populations",
            Self::Ages => "ages",
            Self::Monthly => "monthly",
            Self::Progress => "progress",
            Self::Timeline => "timeline",
            Self::Milestones => "milestones",
            Self::Institutions => "institutions",
            Self::Risks => "risks",
            Self::Agreements => "agreements",
            Self::Summary => "summary",
            Self::RoadmapSummary => "roadmap-summary",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// True for the roadmap view's parts (their slides open `/hoja-de-ruta`).
    pub const fn is_roadmap(self) -> bool {
        matches!(
            self,
            Self::Progress
                | Self::Timeline
                | Self::Milestones
                | Self::Institutions
                | Self::Risks
                | Self::Agreements
                | Self::RoadmapSummary
        )
    }

    pub const fn label(self) -> Label {
        let (es, en) = match self {
            Self::Tiles => ("Indicadores principales", "Headline indicators"),
            Self::Map => ("Mapa por departamento", "Map by department"),
            Self::Services => ("Por servicio", "By service"),
            Self::Populations => ("Por población y sexo", "By population and sex"),
            Self::Ages => ("Por grupo de edad", "By age group"),
            Self::Monthly => ("Serie mensual", "Monthly series"),
            Self::Progress => ("Avance de la hoja de ruta", "Roadmap progress"),
            Self::Timeline => ("Cronograma", "Timeline"),
            Self::Milestones => ("Hitos atrasados y próximos", "Late and upcoming milestones"),
            Self::Institutions => ("Instituciones", "Institutions"),
            Self::Risks => ("Riesgos", "Risks"),
            Self::Agreements => ("Acuerdos de la reunión anterior", "Agreements from the last meeting"),
            Self::Summary => ("Resumen ejecutivo: cobertura", "Executive summary: coverage"),
            Self::RoadmapSummary => ("Resumen ejecutivo: hoja de ruta", "Executive summary: roadmap"),
        };
        Label { es, en }
    }
}

/// One slide: a view of the app (a path and query such as `/?indicador=COB-02&lugar=HN-CR` or a frozen
/// `/s/{id}/hoja-de-ruta`) and the part of it shown; `title` replaces the part's name when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slide {
    pub url: String,
    pub part: Part,
    #[serde(default)]
    pub title: String,
}

/// What a client sends to create or replace an agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaInput {
    pub name: String,
    pub slides: Vec<Slide>,
    /// Whether the agreements taken in its meetings are shown to whoever opens a frozen link of the snapshot they
    /// were taken on (donors): what, who, by when and its status, never who recorded it or why it was dropped.
    #[serde(default)]
    pub public_agreements: bool,
}

/// A stored agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agenda {
    pub id: String,
    pub name: String,
    pub slides: Vec<Slide>,
    /// [`AgendaInput::public_agreements`].
    #[serde(default)]
    pub public_agreements: bool,
    pub created_by: String,
    /// RFC 3339, with the offset it was written in (Tegucigalpa time, `-06:00`).
    pub updated_at: String,
}

/// One thing wrong with an agenda, in both languages (`slide` counts from 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub slide: Option<usize>,
    pub es: String,
    pub en: String,
}

impl Problem {
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.es, &self.en)
    }
}

/// True when `url` is a view of the dashboard: `/`, `/hoja-de-ruta` or a frozen `/s/{id}/…`, with an optional
/// query, and nothing that could leave the app (no scheme, no `//`, no fragment, no control characters).
pub fn is_view_url(url: &str) -> bool {
    let path = url.split('?').next().unwrap_or_default();
    let page = match path.strip_prefix("/s/") {
        Some(rest) => match rest.split_once('/') {
            Some((id, page)) if !id.is_empty() => format!("/{page}"),
            _ => return false,
        },
        None => path.to_owned(),
    };
    url.starts_with('/')
        && !url.starts_with("//")
        && !url.contains('#')
        && !url.chars().any(char::is_control)
        && matches!(page.trim_end_matches('/'), "" | "/hoja-de-ruta")
}

/// Every problem with an agenda (none: it may be saved).
pub fn check(input: &AgendaInput) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut add = |slide: Option<usize>, es: String, en: String| out.push(Problem { slide, es, en });
    let name = input.name.trim();
    if name.is_empty() {
        add(None, "La agenda necesita un nombre.".into(), "The agenda needs a name.".into());
    } else if name.chars().count() > MAX_NAME {
        add(
            None,
            format!("El nombre pasa de {MAX_NAME} caracteres."),
            format!("The name is longer than {MAX_NAME} characters."),
        );
    }
    if input.slides.is_empty() {
        add(None, "La agenda no tiene diapositivas.".into(), "The agenda has no slides.".into());
    }
    if input.slides.len() > MAX_SLIDES {
        add(
            None,
            format!("Una agenda tiene como máximo {MAX_SLIDES} diapositivas."),
            format!("An agenda holds at most {MAX_SLIDES} slides."),
        );
    }
    for (i, s) in input.slides.iter().enumerate().take(MAX_SLIDES) {
        let n = Some(i + 1);
        if s.url.len() > MAX_URL || !is_view_url(&s.url) {
            add(
                n,
                format!("Diapositiva {}: «{}» no es un enlace a una vista del tablero.", i + 1, clip(&s.url)),
                format!("Slide {}: “{}” is not a link to a dashboard view.", i + 1, clip(&s.url)),
            );
        } else if s.part.is_roadmap() != is_roadmap_url(&s.url) {
            let (es, en) = if s.part.is_roadmap() {
                (
                    "es de la hoja de ruta, pero el enlace abre la cobertura",
                    "is a roadmap part, but the link opens coverage",
                )
            } else {
                (
                    "es de la cobertura, pero el enlace abre la hoja de ruta",
                    "is a coverage part, but the link opens the roadmap",
                )
            };
            add(
                n,
                format!("Diapositiva {}: «{}» {es}.", i + 1, s.part.label().es),
                format!("Slide {}: “{}” {en}.", i + 1, s.part.label().en),
            );
        }
        if s.title.chars().count() > MAX_NAME {
            add(
                n,
                format!("Diapositiva {}: el título pasa de {MAX_NAME} caracteres.", i + 1),
                format!("Slide {}: the title is longer than {MAX_NAME} characters.", i + 1),
            );
        }
    }
    out
}

/// A pasted link made relative: `https://host/s/abc/?lang=en` becomes `/s/abc/?lang=en` (anything else is
/// returned trimmed, for [`check`] to judge).
pub fn relative(url: &str) -> String {
    let url = url.trim();
    for scheme in ["https://", "http://"] {
        if let Some(rest) = url.strip_prefix(scheme) {
            return rest.find('/').map_or_else(|| "/".to_owned(), |i| rest[i..].to_owned());
        }
    }
    url.to_owned()
}

/// True when a view URL opens the roadmap page.
pub fn is_roadmap_url(url: &str) -> bool {
    let path = url.split('?').next().unwrap_or_default().trim_end_matches('/');
    path == "/hoja-de-ruta" || (path.starts_with("/s/") && path.ends_with("/hoja-de-ruta"))
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(80).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slide(url: &str, part: Part) -> Slide {
        Slide { url: url.into(), part, title: String::new() }
    }

    #[test]
    fn view_urls_stay_inside_the_app() {
        for ok in [
            "/",
            "/?indicador=COB-02&lugar=HN-CR",
            "/hoja-de-ruta?ventana=2026",
            "/s/abc/",
            "/s/abc/hoja-de-ruta?lang=en",
        ] {
            assert!(is_view_url(ok), "{ok}");
        }
        for bad in [
            "",
            "https://evil.example/",
            "//evil.example/",
            "/publicar",
            "/s//",
            "/s/abc",
            "/#x",
            "/?a=\u{7}",
            "javascript:alert(1)",
        ] {
            assert!(!is_view_url(bad), "{bad}");
        }
    }

    #[test]
    fn pasted_links_become_relative() {
        assert_eq!(relative(" http://127.0.0.1:8080/s/abc/hoja-de-ruta?lang=en "), "/s/abc/hoja-de-ruta?lang=en");
        assert_eq!(relative("https://rumbo.example"), "/");
        assert_eq!(relative("/?lugar=HN-CR"), "/?lugar=HN-CR");
    }

    #[test]
    fn every_problem_is_listed_with_its_slide() {
        let input = AgendaInput {
            name: "  ".into(),
            slides: vec![
                slide("/?indicador=COB-01", Part::Map),
                slide("https://x.example/", Part::Tiles),
                slide("/", Part::Timeline),
                Slide { title: "x".repeat(MAX_NAME + 1), ..slide("/hoja-de-ruta", Part::Progress) },
            ],
            public_agreements: false,
        };
        let problems = check(&input);
        let slides: Vec<Option<usize>> = problems.iter().map(|p| p.slide).collect();
        assert_eq!(slides, [None, Some(2), Some(3), Some(4)]);
        assert!(problems[2].es.contains("hoja de ruta"), "{}", problems[2].es);
        assert!(
            check(&AgendaInput {
                name: "Consejo".into(),
                slides: vec![slide("/", Part::Map)],
                public_agreements: false
            })
            .is_empty()
        );
        assert_eq!(check(&AgendaInput { name: "Consejo".into(), slides: vec![], public_agreements: false }).len(), 1);
    }

    #[test]
    fn parts_round_trip_through_json() {
        for p in Part::ALL {
            let json = serde_json::to_string(&p).expect("serialises");
            assert_eq!(json, format!("\"{}\"", p.code()));
            assert_eq!(Part::from_code(p.code()), Some(p));
        }
    }
}
