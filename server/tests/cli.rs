//! The `rumbo` command line, run as a process.

use std::process::Command;

fn rumbo(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rumbo")).args(args).output().expect("rumbo runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rumbo-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn validate_lists_exactly_the_injected_errors() {
    let dir = temp_dir("validate");
    let (code, _) = rumbo(&["demo", "--out", dir.to_str().expect("utf-8 path")]);
    assert_eq!(code, 0);
    // Inject two errors into the analyst's CSV: an unknown territory in data row 3, a bad period in data row 7.
    let path = dir.join("facts.csv");
    let text = std::fs::read_to_string(&path).expect("csv");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replacen(",T01,", ",T99,", 1);
    lines[7] = lines[7].replacen("2024-11", "2024-13", 1);
    std::fs::write(&path, lines.join("\r\n")).expect("write");

    let files: Vec<String> = ["facts", "interventions", "milestones", "budget_lines", "risks", "targets"]
        .iter()
        .map(|t| dir.join(format!("{t}.csv")).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["validate", "--json"];
    args.extend(files.iter().map(String::as_str));
    let (code, out) = rumbo(&args);
    assert_eq!(code, 1, "errors make the exit code non-zero");
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    let found: Vec<(u64, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["row"].as_u64().unwrap_or(0), f["column"].as_str().unwrap_or_default().to_owned()))
        .collect();
    assert_eq!(found, vec![(3, "territory".to_owned()), (7, "period".to_owned())]);

    let (code, out) = rumbo(&["validate", &files[0]]);
    assert_eq!(code, 1);
    assert!(out.contains("ERROR facts fila 3 columna territory «T99»: código desconocido"), "{out}");
    assert!(out.contains("2 errores, 0 avisos"), "{out}");
    let (_, out) = rumbo(&["validate", "--lang", "en", &files[0]]);
    assert!(out.contains("ERROR facts row 7 column period «2024-13»: invalid period"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreadable_file_is_reported_not_a_crash() {
    let dir = temp_dir("unreadable");
    let path = dir.join("facts.arrow");
    let mut bytes = b"ARROW1\0\0".to_vec();
    bytes.extend_from_slice(&[0xFF; 64]);
    std::fs::write(&path, bytes).expect("write");
    let (code, out) = rumbo(&["validate", path.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(out.contains("ERROR facts.arrow: no se pudo leer el archivo Arrow IPC"), "{out}");
    // The summary counts it: it never says the snapshot can be published after a file it could not read.
    assert!(out.contains("1 error, 0 avisos: corrija los errores antes de publicar"), "{out}");
    assert!(!out.contains("se puede publicar"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
