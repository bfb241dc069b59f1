//! A drawing backend seen at `1/k` of its size: charts lay out in logical pixels, and every coordinate, line
//! width, radius and font size reaches the real backend multiplied by `k`. Used for the sharp 2× PNG exports
//! and for meeting mode (where a chart's text must read at five metres), without any chart knowing.

use leptos::prelude::{ArcRwSignal, Get, GetUntracked, Set, set_timeout, window_event_listener_untyped};
use plotters::prelude::DrawingBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontFamily, FontStyle, FontTransform,
    text_anchor::Pos,
};

/// `inner`, drawn at `k` device pixels per logical pixel.
pub struct Scaled<B> {
    inner: B,
    k: i32,
}

impl<B: DrawingBackend> Scaled<B> {
    /// `k` is clamped to at least 1.
    pub fn new(inner: B, k: u32) -> Self {
        Self { inner, k: i32::try_from(k.max(1)).unwrap_or(1) }
    }

    fn at(&self, (x, y): BackendCoord) -> BackendCoord {
        (x * self.k, y * self.k)
    }

    fn factor(&self) -> u32 {
        self.k.unsigned_abs()
    }
}

struct Stroke<'a, S> {
    style: &'a S,
    k: u32,
}

impl<S: BackendStyle> BackendStyle for Stroke<'_, S> {
    fn color(&self) -> BackendColor {
        self.style.color()
    }

    fn stroke_width(&self) -> u32 {
        self.style.stroke_width() * self.k
    }
}

struct Font<'a, T> {
    style: &'a T,
    k: f64,
}

impl<T: BackendTextStyle> BackendTextStyle for Font<'_, T> {
    type FontError = T::FontError;

    fn color(&self) -> BackendColor {
        self.style.color()
    }

    fn size(&self) -> f64 {
        self.style.size() * self.k
    }

    fn transform(&self) -> FontTransform {
        self.style.transform()
    }

    fn style(&self) -> FontStyle {
        self.style.style()
    }

    fn anchor(&self) -> Pos {
        self.style.anchor()
    }

    fn family(&self) -> FontFamily<'_> {
        self.style.family()
    }

    #[allow(clippy::cast_possible_truncation)]
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        let ((x0, y0), (x1, y1)) = self.style.layout_box(text)?;
        let k = self.k as i32;
        Ok(((x0 * k, y0 * k), (x1 * k, y1 * k)))
    }

    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.style.draw(text, pos, draw)
    }
}

impl<B: DrawingBackend> DrawingBackend for Scaled<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        let (w, h) = self.inner.get_size();
        (w / self.factor(), h / self.factor())
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let (x, y) = self.at(point);
        let style = color;
        self.inner.draw_rect((x, y), (x + self.k - 1, y + self.k - 1), &style, true)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let (from, to, k) = (self.at(from), self.at(to), self.factor());
        self.inner.draw_line(from, to, &Stroke { style, k })
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let (a, b, k) = (self.at(upper_left), self.at(bottom_right), self.factor());
        self.inner.draw_rect(a, b, &Stroke { style, k }, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let k = self.k;
        let path: Vec<BackendCoord> = path.into_iter().map(|(x, y)| (x * k, y * k)).collect();
        self.inner.draw_path(path, &Stroke { style, k: self.factor() })
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let (c, k) = (self.at(center), self.factor());
        self.inner.draw_circle(c, radius * k, &Stroke { style, k }, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let k = self.k;
        let vert: Vec<BackendCoord> = vert.into_iter().map(|(x, y)| (x * k, y * k)).collect();
        self.inner.fill_polygon(vert, &Stroke { style, k: self.factor() })
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let pos = self.at(pos);
        self.inner.draw_text(text, &Font { style, k: f64::from(self.factor()) }, pos)
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        // In logical pixels: the unscaled style measured by the real backend.
        self.inner.estimate_text_size(text, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let pos = self.at(pos);
        self.inner.blit_bitmap(pos, size, src)
    }
}

/// Device pixels per chart pixel where sharpness is worth four times the pixels: PNG exports (an image at double
/// resolution), printing, slides (a projector shows the charts larger than their layout) and high-density screens.
pub const K: u32 = 2;

thread_local! {
    /// Whether the screen has more than one device pixel per CSS pixel (a high-density display, or zoomed in).
    static DENSE: ArcRwSignal<bool> = ArcRwSignal::new(dense_screen());
    /// Whether every chart draws at `K` whatever the screen: while a PNG is made or the page prints.
    static FULL: ArcRwSignal<bool> = ArcRwSignal::new(false);
    /// The width the dashboard's charts are drawn at (`chart_width`).
    static WIDTH: ArcRwSignal<u32> = ArcRwSignal::new(fitting_width());
}

/// The widest a dashboard chart is drawn, in CSS pixels.
pub const CHART_WIDTH: u32 = 760;

/// `CHART_WIDTH`, or on a narrower screen (a phone) the screen's width less the page's margins: a chart drawn wider
/// than it is shown would be shrunk, its 13 px text read at 7 px.
fn fitting_width() -> u32 {
    let screen = web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|w| w.as_f64()).unwrap_or(1024.0);
    // From 900 px the charts sit two to a row at about their width; below, one to a row, within the page's padding
    // and the figure's border (`style/main.css`).
    if screen >= 900.0 {
        return CHART_WIDTH;
    }
    let room = (screen - 40.0).max(280.0);
    CHART_WIDTH.min(room as u32)
}

/// The width to draw a dashboard chart at (reactive: it follows the window).
pub fn chart_width() -> u32 {
    WIDTH.with(|w| w.get())
}

fn dense_screen() -> bool {
    web_sys::window().is_some_and(|w| w.device_pixel_ratio() > 1.0)
}

/// Device pixels per chart pixel for a canvas drawn now (reactive: a chart's effect redraws when it changes).
/// One on a standard-density screen, where a `K`× canvas would be scaled down again by the browser, at four times
/// the pixels to fill on every filter change; `K` on a high-density screen, on a slide, while a PNG is made and
/// while the page prints.
pub fn density(presenting: bool) -> u32 {
    let full = FULL.with(|f| f.get()) | DENSE.with(|d| d.get());
    if full || presenting { K } else { 1 }
}

/// Follows the screen's density (zooming in or moving the window to another display changes it) and draws every
/// chart at `K` for printing. Called once, by the app's root.
pub fn watch_density() {
    let _ = window_event_listener_untyped("resize", |_| {
        let dense = dense_screen();
        if DENSE.with(|d| d.get_untracked()) != dense {
            DENSE.with(|d| d.set(dense));
        }
        let width = fitting_width();
        if WIDTH.with(|w| w.get_untracked()) != width {
            WIDTH.with(|w| w.set(width));
        }
    });
    let _ = window_event_listener_untyped("beforeprint", |_| FULL.with(|f| f.set(true)));
    let _ = window_event_listener_untyped("afterprint", |_| FULL.with(|f| f.set(false)));
}

/// Redraws every chart at `K`, runs `f` once they are drawn (in the next task: the redraws run before it), then
/// returns them to the screen's density. For PNG exports.
pub fn at_full_density(f: impl FnOnce() + 'static) {
    FULL.with(|s| s.set(true));
    set_timeout(
        move || {
            f();
            FULL.with(|s| s.set(false));
        },
        std::time::Duration::ZERO,
    );
}

/// What charts draw on in the browser: a canvas seen at `1/k` of its size.
pub type Area = plotters::drawing::DrawingArea<Scaled<plotters_canvas::CanvasBackend>, plotters::coord::Shift>;

/// The drawing area of a canvas whose width and height are already `k` times the chart's layout size.
/// The first call also sets the performance mark `rumbo-first-chart` (milliseconds since navigation: the
/// first-load benchmark reads it; the chart is drawn in the same task, before the browser paints).
pub fn area(canvas: web_sys::HtmlCanvasElement, k: u32) -> Option<Area> {
    use plotters::prelude::IntoDrawingArea;
    static MARKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !MARKED.swap(true, std::sync::atomic::Ordering::Relaxed)
        && let Some(performance) = web_sys::window().and_then(|w| w.performance())
    {
        let _ = performance.mark("rumbo-first-chart");
    }
    plotters_canvas::CanvasBackend::with_canvas_object(canvas).map(|b| Scaled::new(b, k).into_drawing_area())
}
