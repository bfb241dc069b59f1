//! Fuzz target: the app's decoding path. Arbitrary bytes through the vendored arrow-ipc stream reader
//! (`shared::ipc::decode_stream`, what the wasm runs on every table it fetches) and then the typed views the pages
//! build from it: `Facts` (the coverage dashboard), `Targets`, and the roadmap's four tables. The first byte picks
//! which view. A table the server serves has passed validation, but a cache, a proxy or a damaged disk can hand the
//! app anything: every input must end in an error, never a panic.
//!
//! Findings: any panic (the app has no guard to catch one: in the wasm a panic is an abort), an AddressSanitizer
//! report, an input slower than `-timeout`, memory over `-rss_limit_mb`.
//!
//! Difference from the app: this workspace builds `shared` with `intake`, under which `decode_stream` concatenates
//! several batches where the app refuses them; the reader and the views are the same code.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let Ok(batch) = shared::ipc::decode_stream(bytes.to_vec()) else { return };
    match selector % 6 {
        0 => drop(shared::facts::Facts::try_from(batch)),
        1 => drop(shared::targets::Targets::try_from(&batch)),
        2 => drop(shared::roadmap::Roadmap::from_batches(Some(&batch), None, None, None)),
        3 => drop(shared::roadmap::Roadmap::from_batches(None, Some(&batch), None, None)),
        4 => drop(shared::roadmap::Roadmap::from_batches(None, None, Some(&batch), None)),
        _ => drop(shared::roadmap::Roadmap::from_batches(None, None, None, Some(&batch))),
    }
});
