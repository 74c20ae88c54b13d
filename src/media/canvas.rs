//! A 2D canvas to draw a photo on and encode it as JPEG: an
//! `OffscreenCanvas` where the browser has one with `convertToBlob`, else
//! an `<canvas>` element that is never attached to the page (`toBlob`).
//! Older WebKit (Safari before 16.4) and some in-app browsers lack the
//! first; both give the same pixels and the same encoder.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap, ImageEncodeOptions,
    OffscreenCanvas, OffscreenCanvasRenderingContext2d,
};

pub enum Canvas {
    Offscreen(OffscreenCanvas, OffscreenCanvasRenderingContext2d),
    Element(HtmlCanvasElement, CanvasRenderingContext2d),
}

/// Whether the browser offers `OffscreenCanvas` with `convertToBlob`.
fn has_offscreen_canvas() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::get(&window, &"OffscreenCanvas".into())
        .ok()
        .filter(|class| class.is_function())
        .and_then(|class| js_sys::Reflect::get(&class, &"prototype".into()).ok())
        .and_then(|prototype| js_sys::Reflect::has(&prototype, &"convertToBlob".into()).ok())
        .unwrap_or(false)
}

impl Canvas {
    /// A canvas of `width` × `height` pixels with its 2D context; `None`
    /// when the browser gives neither kind.
    pub fn new(width: u32, height: u32) -> Option<Canvas> {
        if has_offscreen_canvas() {
            let canvas = OffscreenCanvas::new(width, height).ok()?;
            let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
            return Some(Canvas::Offscreen(canvas, context));
        }
        let canvas: HtmlCanvasElement = web_sys::window()?
            .document()?
            .create_element("canvas")
            .ok()?
            .dyn_into()
            .ok()?;
        canvas.set_width(width);
        canvas.set_height(height);
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Canvas::Element(canvas, context))
    }

    /// Fills the whole canvas with `color` (a CSS colour).
    pub fn fill(&self, color: &str, width: u32, height: u32) {
        let (w, h) = (f64::from(width), f64::from(height));
        match self {
            Canvas::Offscreen(_, context) => {
                context.set_fill_style_str(color);
                context.fill_rect(0.0, 0.0, w, h);
            }
            Canvas::Element(_, context) => {
                context.set_fill_style_str(color);
                context.fill_rect(0.0, 0.0, w, h);
            }
        }
    }

    /// Draws `bitmap` scaled to `width` × `height` at the top left, with
    /// the browser's default smoothing.
    pub fn draw(&self, bitmap: &ImageBitmap, width: u32, height: u32) -> Result<(), JsValue> {
        let (w, h) = (f64::from(width), f64::from(height));
        match self {
            Canvas::Offscreen(_, context) => {
                context.set_image_smoothing_enabled(true);
                context.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, w, h)
            }
            Canvas::Element(_, context) => {
                context.set_image_smoothing_enabled(true);
                context.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, w, h)
            }
        }
    }

    /// The canvas encoded as `mime` at `quality` (0 to 1). A browser
    /// without that encoder gives another type (PNG): callers check.
    pub async fn encode(&self, mime: &str, quality: f64) -> Option<Blob> {
        let promise = match self {
            Canvas::Offscreen(canvas, _) => {
                let options = ImageEncodeOptions::new();
                options.set_type(mime);
                options.set_quality(quality);
                canvas.convert_to_blob_with_options(&options).ok()?
            }
            Canvas::Element(canvas, _) => {
                let canvas = canvas.clone();
                let mime = mime.to_owned();
                let mut failed = false;
                let promise = js_sys::Promise::new(&mut |resolve, _reject| {
                    let done = Closure::once_into_js(move |blob: JsValue| {
                        let _ = resolve.call1(&JsValue::NULL, &blob);
                    });
                    failed = canvas
                        .to_blob_with_type_and_encoder_options(
                            done.unchecked_ref(),
                            &mime,
                            &JsValue::from_f64(quality),
                        )
                        .is_err();
                });
                if failed {
                    return None;
                }
                promise
            }
        };
        JsFuture::from(promise).await.ok()?.dyn_into().ok()
    }

    /// Frees the canvas's pixels now rather than at the next garbage
    /// collection.
    pub fn release(&self) {
        match self {
            Canvas::Offscreen(canvas, _) => {
                canvas.set_width(0);
                canvas.set_height(0);
            }
            Canvas::Element(canvas, _) => {
                canvas.set_width(0);
                canvas.set_height(0);
            }
        }
    }
}
