//! Small preview images for lists: the browser shrinks an already processed
//! photo while decoding it (no full-size bitmap is kept).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ImageBitmap, ImageBitmapOptions, ResizeQuality};

use super::canvas::Canvas;

/// The long edge of a thumbnail, in CSS pixels times two for sharp screens.
pub const THUMBNAIL_EDGE: u32 = 192;

/// A JPEG of at most `THUMBNAIL_EDGE` on its long side; `None` if the
/// browser cannot make one (the list then shows no picture).
pub async fn thumbnail(photo: &Blob, width: u32, height: u32) -> Option<Blob> {
    let (w, h) = super::photo::target_size(width, height, THUMBNAIL_EDGE);
    let window = web_sys::window()?;
    let options = ImageBitmapOptions::new();
    options.set_resize_width(w);
    options.set_resize_height(h);
    options.set_resize_quality(ResizeQuality::Medium);
    let promise = window
        .create_image_bitmap_with_blob_and_image_bitmap_options(photo, &options)
        .ok()?;
    let bitmap: ImageBitmap = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    let canvas = Canvas::new(w, h);
    let drawn = canvas
        .as_ref()
        .and_then(|canvas| canvas.draw(&bitmap, w, h).ok());
    bitmap.close();
    drawn?;
    let canvas = canvas?;
    let blob = canvas.encode("image/jpeg", 0.7).await;
    canvas.release();
    blob
}
