//! Malformed input never panics, hangs or takes the process down: thousands of mutated CSV, Arrow and Parquet
//! files (bit flips, truncations, inserted bytes, absurd lengths) go through intake and validation, and each one
//! returns a result. (Deterministic and quick, beside the coverage-guided `cargo fuzz` target in `fuzz/`.)

use std::time::{Duration, Instant};

use shared::demo::{DemoConfig, Rng};
use shared::intake::{self, Limits};
use shared::validate::validate_snapshot;

fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let batch = shared::demo::facts(&DemoConfig::default()).slice(0, 400);
    let csv = intake::write_csv(&batch).expect("csv");
    let stream = shared::ipc::write_stream(&batch).expect("stream");
    let mut file = Vec::new();
    {
        let mut w = arrow_ipc::writer::FileWriter::try_new(&mut file, batch.schema_ref()).expect("writer");
        w.write(&batch).expect("write");
        w.finish().expect("finish");
    }
    let mut parquet = Vec::new();
    {
        let mut w = parquet::arrow::ArrowWriter::try_new(&mut parquet, batch.schema(), None).expect("parquet");
        w.write(&batch).expect("write");
        w.close().expect("close");
    }
    vec![("facts.csv", csv), ("facts.arrows", stream), ("facts.arrow", file), ("facts.parquet", parquet)]
}

fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let pick = |rng: &mut Rng, n: usize| (rng.next_u64() % n.max(1) as u64) as usize;
    for _ in 0..=pick(rng, 4) {
        match pick(rng, 5) {
            0 => {
                let i = pick(rng, out.len());
                if let Some(b) = out.get_mut(i) {
                    *b ^= 1 << pick(rng, 8);
                }
            }
            1 => out.truncate(pick(rng, out.len())),
            2 => {
                let i = pick(rng, out.len());
                out.splice(i..i, (0..pick(rng, 16)).map(|_| rng.next_u64() as u8));
            }
            3 => {
                // An absurd declared length or count.
                let i = pick(rng, out.len().saturating_sub(4));
                if out.len() >= i + 4 {
                    out[i..i + 4].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x7F]);
                }
            }
            _ => {
                let i = pick(rng, out.len());
                let j = (i + pick(rng, 64)).min(out.len());
                out.drain(i..j);
            }
        }
    }
    out
}

#[test]
fn mutated_files_get_an_answer_never_a_panic() {
    let limits = Limits { max_rows: 100_000, ..Limits::default() };
    let mut rng = Rng::new(0x00F0_22ED);
    let started = Instant::now();
    let mut answered = 0;
    for (name, seed) in seeds() {
        for _ in 0..600 {
            let input = mutate(&seed, &mut rng);
            let one = Instant::now();
            if let Ok(upload) = intake::read(name, &input, limits) {
                let _ = validate_snapshot(&[upload]);
            }
            assert!(one.elapsed() < Duration::from_secs(5), "{name}: one input took {:?}", one.elapsed());
            answered += 1;
        }
    }
    assert_eq!(answered, 2400);
    eprintln!("2400 mutated inputs answered in {:?}", started.elapsed());
}
