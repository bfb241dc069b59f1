//! Print / PDF: a view printed as Chromium prints it (Ctrl+P, "Save as PDF") once it is on screen gives A4 landscape
//! pages, the first of them a cover page that says what the view is, which snapshot, as of when, with which
//! filters and sources. Set `RUMBO_PRINT_PNG=dir` to also turn the pages into PNGs (pdftoppm) to look at.
//!
//! The page is printed through the DevTools protocol after the view has drawn, as a person would print it:
//! `chromium --print-to-pdf` prints when its virtual-time budget runs out, which can come before the wasm has
//! compiled on a busy machine, and then prints the first screen alone.

use std::path::Path;
use std::process::Command;

use tests::{Browser, TempDir, TestServer};

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?} runs (installed by `cargo xtask test`): {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn page_text(pdf: &Path, page: u32) -> String {
    let n = page.to_string();
    run(Command::new("pdftotext").args(["-f", &n, "-l", &n]).arg(pdf).arg("-"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_printed_view_is_a4_landscape_with_its_cover_first() {
    let server = TestServer::start().await;
    let browser = Browser::start(1366, 768).await;
    let dir = TempDir::new("print");
    for (path, name, inside, canvas) in [
        ("/", "Cobertura de servicios", "Mapa por departamento", "[data-testid=map]"),
        ("/hoja-de-ruta", "Hoja de ruta", "Resumen de la hoja de ruta", "canvas"),
    ] {
        browser.client.goto(&server.url(path)).await.expect("goto");
        let drawn = format!("document.querySelector('.print-cover') && document.body.innerText.includes('{inside}')");
        browser.wait_for(&drawn, &format!("{path} to show {inside:?}")).await;
        assert!(browser.canvas_colours(canvas).await > 2, "{path}: {canvas} is drawn before printing");
        let pdf = dir.0.join(format!("{}.pdf", name.replace(' ', "-")));
        std::fs::write(&pdf, browser.print_pdf().await).expect("PDF written");
        let info = run(Command::new("pdfinfo").arg(&pdf));
        assert!(
            info.contains(" pts (A4)") && info.contains("Page size:       841."),
            "A4 landscape (841 × 595 pt): {info}"
        );
        let pages: u32 =
            info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).expect("pages");
        assert!(pages >= 2, "a cover and the view: {pages} pages");
        let cover = page_text(&pdf, 1);
        let heading = format!("{name}: Datos ficticios de demostración");
        for words in [
            heading.as_str(),
            "Datos al",
            "31/10/2026",
            "Filtros",
            "Fuentes",
            "CC BY 3.0 IGO",
            "Enlace fijo",
            "/s/",
            "Datos ficticios de demostración",
            // The executive summary leads the printed pages, on the cover's page (issue 31).
            "Resumen ejecutivo",
        ] {
            assert!(cover.contains(words), "the cover of {path} says {words:?}:\n{cover}");
        }
        assert!(!cover.contains(inside), "the cover of {path} is only the cover:\n{cover}");
        let rest: String = (2..=pages).map(|p| page_text(&pdf, p)).collect();
        assert!(rest.contains(inside), "the view of {path} follows the cover");
        assert!(!rest.contains("NaN"));
        if let Some(out) = std::env::var_os("RUMBO_PRINT_PNG") {
            run(Command::new("pdftoppm")
                .args(["-png", "-r", "45"])
                .arg(&pdf)
                .arg(Path::new(&out).join(name.replace(' ', "-"))));
        }
    }
    browser.close().await;
}
