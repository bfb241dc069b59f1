//! es-HN number formatting: decimal point, comma thousands (`1,234.5`), `6.4 %`, `L 1,234.50`.
//! Never the browser's locale (DOMAIN.md §6).

use crate::Lang;

/// Groups the integer digits of a non-negative decimal string with commas.
fn group(int_digits: &str) -> String {
    let n = int_digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, ch) in int_digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A number with `decimals` decimal places, e.g. `number(1234.5, 1)` → `"1,234.5"`.
/// Not-a-number and infinities render as an em dash: a chart never says `NaN`.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".to_owned();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let negative = x < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group(int));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A number as machines read it (the exports): no thousands separator, a `.` decimal point, `decimals` places,
/// e.g. `plain(1234.5, 1)` → `"1234.5"`. Empty when not finite: a file never says `NaN`.
pub fn plain(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let s = format!("{x:.decimals$}");
    // `-0.0` rounds to a zero that is not negative.
    match s.strip_prefix('-') {
        Some(rest) if !rest.bytes().any(|b| b.is_ascii_digit() && b != b'0') => rest.to_owned(),
        _ => s,
    }
}

/// A number as a table shows it (`1,234`, `-3.2 %`, `L 1,234.50`, `4.0 pp`) back as a plain number (`1234`,
/// `-3.2`, `1234.50`, `4.0`); `None` when the text is not one. The exports' fallback for cells that do not carry
/// their plain value.
pub fn plain_from_shown(text: &str) -> Option<String> {
    let body = text.trim();
    let body = body.strip_prefix("L ").unwrap_or(body);
    let body = [" %", "%", " pp"].iter().find_map(|u| body.strip_suffix(u)).unwrap_or(body);
    let (sign, digits) = match body.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", body.strip_prefix('+').unwrap_or(body)),
    };
    let well_formed = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        && digits.matches('.').count() <= 1;
    well_formed.then(|| format!("{sign}{}", digits.replace(',', "")))
}

/// A whole count, e.g. `1,234`.
pub fn count(x: f64) -> String {
    number(x, 0)
}

/// A percentage, e.g. `6.4 %`.
pub fn percent(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".to_owned();
    }
    format!("{} %", number(x, decimals))
}

/// A value in its unit, e.g. `1,234`, `6.4 %`, `12.0 días`, `4.0 pp`.
pub fn value(unit: crate::catalog::Unit, x: f64, lang: Lang) -> String {
    use crate::catalog::Unit;
    match unit {
        Unit::Count => count(x),
        Unit::Percent => percent(x, 1),
        Unit::Days => format!("{} {}", number(x, 1), lang.pick("días", "days")),
        Unit::Score => number(x, 2),
        Unit::Points => format!("{} pp", number(x, 1)),
    }
}

/// An amount in lempiras, e.g. `L 1,234.50`.
pub fn lempiras(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_owned();
    }
    format!("L {}", number(x, 2))
}

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A quarter as the interface names it: `T1 2025` in Spanish (*trimestre*), `Q1 2025` in English.
pub fn quarter(year: i32, quarter: u32, lang: Lang) -> String {
    format!("{}{quarter} {year}", lang.pick("T", "Q"))
}

/// A monthly period code `2025-01` as words: `enero de 2025` / `January 2025`; a quarter's `2025-T1` as
/// [`quarter`]'s `T1 2025` / `Q1 2025`. Other codes are returned unchanged.
pub fn period(code: &str, lang: Lang) -> String {
    if let Some((y, q)) = code.split_once("-T")
        && let (Ok(y), Ok(q)) = (y.parse::<u16>(), q.parse::<u8>())
        && (1..=4).contains(&q)
    {
        return quarter(i32::from(y), u32::from(q), lang);
    }
    let parsed = code.split_once('-').and_then(|(y, m)| Some((y.parse::<u16>().ok()?, m.parse::<usize>().ok()?)));
    match parsed {
        Some((y, m)) if (1..=12).contains(&m) && code.len() == 7 => match lang {
            Lang::Es => format!("{} de {y}", MONTHS_ES[m - 1]),
            Lang::En => format!("{} {y}", MONTHS_EN[m - 1]),
        },
        _ => code.to_owned(),
    }
}

/// A monthly period code `2025-01` in short: `ene. 2025` / `Jan 2025` (pickers and axes, where space is short).
/// Other codes are returned unchanged.
pub fn period_short(code: &str, lang: Lang) -> String {
    if code.contains("-T") {
        return period(code, lang);
    }
    let parsed = code.split_once('-').and_then(|(y, m)| Some((y.parse::<u16>().ok()?, m.parse::<usize>().ok()?)));
    match parsed {
        Some((y, m)) if (1..=12).contains(&m) && code.len() == 7 => {
            let name: String = match lang {
                Lang::Es => MONTHS_ES[m - 1].chars().take(3).collect::<String>() + ".",
                Lang::En => MONTHS_EN[m - 1].chars().take(3).collect(),
            };
            format!("{name} {y}")
        }
        _ => code.to_owned(),
    }
}

/// An ISO date `2025-01-05` as `05/01/2025` (dd/mm/aaaa). Other strings are returned unchanged.
pub fn date(iso: &str) -> String {
    let mut parts = iso.splitn(3, '-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

/// One CSV cell, as every CSV the app or the server writes it: quoted when it holds a separator, a quote or a line
/// break; and, when it begins like a spreadsheet formula (`=`, `+`, `-`, `@`, a tab or a carriage return) and is
/// not a plain number such as `-1,234.5` or `-3.2 %`, prefixed with `'` so that Excel shows it as text instead of
/// running it (OWASP, CSV injection).
pub fn csv_cell(value: &str) -> String {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(value);
    let value = if formula { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// A signed number as the exports write them: digits with `,` thousands and a `.` decimal part, maybe ` %`.
fn is_plain_number(value: &str) -> bool {
    let body = value.strip_prefix(['+', '-']).unwrap_or(value);
    let body = body.strip_suffix(" %").or_else(|| body.strip_suffix('%')).unwrap_or(body);
    body.starts_with(|c: char| c.is_ascii_digit()) && body.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_cells_never_start_a_formula_but_numbers_stay_numbers() {
        assert_eq!(csv_cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(csv_cell("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("-1,234.5"), "\"-1,234.5\"");
        assert_eq!(csv_cell("-3.2 %"), "-3.2 %");
        assert_eq!(csv_cell("+12"), "+12");
        assert_eq!(csv_cell("Distrito Central"), "Distrito Central");
        assert_eq!(csv_cell("a \"b\""), "\"a \"\"b\"\"\"");
    }

    use super::*;

    #[test]
    fn numbers_use_es_hn_separators() {
        assert_eq!(number(1234.5, 1), "1,234.5");
        assert_eq!(count(1_234_567.0), "1,234,567");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(0.0), "0");
        assert_eq!(number(-1234.25, 2), "-1,234.25");
        assert_eq!(number(-0.001, 1), "0.0");
        assert_eq!(percent(6.44, 1), "6.4 %");
        assert_eq!(lempiras(1234.5), "L 1,234.50");
    }

    #[test]
    fn plain_numbers_have_no_thousands_separator() {
        assert_eq!(plain(1234.5, 1), "1234.5");
        assert_eq!(plain(1_234_567.0, 0), "1234567");
        assert_eq!(plain(-0.001, 1), "0.0");
        assert_eq!(plain(-12.26, 1), "-12.3");
        assert_eq!(plain(f64::NAN, 1), "");
        assert_eq!(plain_from_shown("3,408").as_deref(), Some("3408"));
        assert_eq!(plain_from_shown("-3.2 %").as_deref(), Some("-3.2"));
        assert_eq!(plain_from_shown("L 1,234.50").as_deref(), Some("1234.50"));
        assert_eq!(plain_from_shown("+4.0 pp").as_deref(), Some("4.0"));
        assert_eq!(plain_from_shown("Sin datos"), None);
        assert_eq!(plain_from_shown("2026-10-31"), None);
        assert_eq!(plain_from_shown("1.2.3"), None);
    }

    #[test]
    fn non_finite_numbers_never_say_nan() {
        assert_eq!(number(f64::NAN, 1), "—");
        assert_eq!(percent(f64::INFINITY, 1), "—");
        assert_eq!(lempiras(f64::NAN), "—");
    }

    #[test]
    fn periods_and_dates_read_in_spanish() {
        assert_eq!(period("2025-01", Lang::Es), "enero de 2025");
        assert_eq!(period("2025-12", Lang::En), "December 2025");
        assert_eq!(period("2025-T1", Lang::Es), "T1 2025");
        assert_eq!(period("2025-T1", Lang::En), "Q1 2025", "a quarter in English");
        assert_eq!(period("2025-T9", Lang::En), "2025-T9");
        assert_eq!(period_short("2025-09", Lang::Es), "sep. 2025");
        assert_eq!(period_short("2025-09", Lang::En), "Sep 2025");
        assert_eq!(period_short("2025", Lang::En), "2025");
        assert_eq!(date("2025-01-05"), "05/01/2025");
    }
}
