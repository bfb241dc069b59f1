//! Helpers shared by the wasm tests: a canvas attached to the page, and a pixel read back from it.

use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

pub fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let canvas: HtmlCanvasElement = document.create_element("canvas").expect("canvas").dyn_into().expect("is a canvas");
    canvas.set_width(width);
    canvas.set_height(height);
    document.body().expect("body").append_child(&canvas).expect("attached");
    canvas
}

pub fn pixel(canvas: &HtmlCanvasElement, x: f64, y: f64) -> [u8; 3] {
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().expect("2d context").dyn_into().expect("2d");
    let d = ctx.get_image_data(x, y, 1.0, 1.0).expect("pixel").data();
    [d[0], d[1], d[2]]
}
