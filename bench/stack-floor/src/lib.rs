//! The smallest program of each part of the dashboard's stack: a Leptos page (`leptos`), an Arrow IPC table decoded
//! and read (`arrow`), or both. `cargo xtask stack-floor` builds each as the app is built and prints its size.

use wasm_bindgen::prelude::*;

/// Decodes an Arrow IPC stream and sums its first column's dictionary keys times its second column's values.
#[cfg(feature = "arrow")]
fn decode(bytes: &[u8]) -> f64 {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int8Type};
    let Ok(reader) = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None) else {
        return -1.0;
    };
    let mut sum = 0.0;
    for batch in reader.flatten() {
        let keys = batch.column(0).as_dictionary_opt::<Int8Type>();
        let values = batch.column(1).as_primitive_opt::<Float64Type>();
        if let (Some(keys), Some(values)) = (keys, values) {
            for (key, value) in keys.keys().values().iter().zip(values.values().iter()) {
                sum += f64::from(*key) * value;
            }
        }
    }
    sum
}

#[cfg(not(feature = "arrow"))]
#[allow(clippy::cast_precision_loss)]
fn decode(bytes: &[u8]) -> f64 {
    bytes.len() as f64
}

#[cfg(feature = "leptos")]
#[wasm_bindgen(start)]
pub fn start() {
    use leptos::prelude::*;
    leptos::mount::mount_to_body(|| {
        let total = RwSignal::new(0.0);
        leptos::task::spawn_local(async move {
            if let Ok(response) = gloo_net::http::Request::get("/table").send().await
                && let Ok(bytes) = response.binary().await
            {
                total.set(decode(&bytes));
            }
        });
        view! {
            <main>
                <h1>"Hola"</h1>
                <p>{move || total.get().to_string()}</p>
                <button on:click=move |_| total.update(|t| *t += 1.0)>"+"</button>
            </main>
        }
    });
}

#[cfg(not(feature = "leptos"))]
#[wasm_bindgen]
pub fn start(bytes: &[u8]) -> f64 {
    decode(bytes)
}
