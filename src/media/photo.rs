//! The in-browser photo pipeline: every photo the person picks is prepared
//! here before anything is stored.
//!
//! [`process_photo`] decodes the file with its EXIF orientation applied
//! (`createImageBitmap`, `imageOrientation: "from-image"`), draws it onto an
//! canvas ([`Canvas`]: an `OffscreenCanvas`, or a `<canvas>` element where
//! there is none) whose long edge is at most [`MAX_EDGE`] pixels (never
//! upscaled), and re-encodes it as JPEG at [`JPEG_QUALITY`]. The encoder writes
//! pixels only, so every EXIF field (GPS position, camera, time) is gone from
//! what is stored. The result carries its size and the SHA-256 of its bytes.
//!
//! Memory: a full-size decoded phone photo is tens of megabytes, so callers
//! process one photo at a time (await each call before starting the next),
//! and the decoded bitmap is closed as soon as it has been drawn.
//!
//! A file the browser cannot decode becomes a [`PhotoError`] whose
//! [`message`](PhotoError::message) names the file in both languages. So does
//! a JPEG whose image data is damaged: browsers decode those without an error,
//! painting the lost part grey, so its structure is checked (`JpegCheck`)
//! while the browser decodes.
//!
//! Timing: each call is measured as the `performance` entry [`PERF_MEASURE`]
//! (from the mark [`PERF_START_MARK`]). Only the latest call's measure is
//! kept, so a benchmark reads it after each photo, or watches with a
//! `PerformanceObserver`.

use std::fmt;

use protocol::LocalizedText;
use sha2::{Digest, Sha256};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, ImageBitmap, ImageBitmapOptions, ImageOrientation};

use super::canvas::Canvas;

/// The longest edge, in pixels, of a stored photo.
pub const MAX_EDGE: u32 = protocol::report::media::MAX_PHOTO_EDGE;

/// The JPEG quality of a stored photo (0 to 1, as `convertToBlob` takes it).
pub const JPEG_QUALITY: f64 = 0.8;

/// The MIME type of every stored photo.
pub const OUTPUT_TYPE: &str = "image/jpeg";

/// The `performance.mark` set when a photo starts.
pub const PERF_START_MARK: &str = "greenwatch:photo:start";

/// The `performance.measure` of the latest photo, from [`PERF_START_MARK`].
pub const PERF_MEASURE: &str = "greenwatch:photo";

/// A photo ready to be stored: a JPEG without metadata, at most
/// [`MAX_EDGE`] pixels on its long edge.
#[derive(Debug, Clone)]
pub struct ProcessedPhoto {
    /// The JPEG (`image/jpeg`).
    pub blob: Blob,
    /// Width in pixels, as shown (orientation applied).
    pub width: u32,
    /// Height in pixels, as shown (orientation applied).
    pub height: u32,
    /// Size of `blob` in bytes.
    pub bytes: u64,
    /// SHA-256 of `blob`'s bytes, lowercase hex.
    pub sha256: String,
}

/// Why a picked file could not become a stored photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoError {
    /// The file is not an image at all (a text file, a PDF, …).
    NotAnImage { file_name: String },
    /// An image format this browser cannot decode, such as HEIC in Chromium.
    /// `format` is its short name ("HEIC", "HEIF", "AVIF", "TIFF", "JPEG XL").
    UnsupportedFormat { file_name: String, format: String },
    /// An image the browser could not decode: damaged, truncated, or not what
    /// its name says.
    Undecodable { file_name: String },
    /// Decoded, but the browser failed to produce the JPEG (out of memory, most
    /// likely).
    EncodeFailed { file_name: String },
}

impl PhotoError {
    /// The name of the file this error is about.
    pub fn file_name(&self) -> &str {
        match self {
            PhotoError::NotAnImage { file_name }
            | PhotoError::UnsupportedFormat { file_name, .. }
            | PhotoError::Undecodable { file_name }
            | PhotoError::EncodeFailed { file_name } => file_name,
        }
    }

    /// What to tell the person, naming the file, in both languages.
    pub fn message(&self) -> LocalizedText {
        let name = self.file_name();
        match self {
            PhotoError::NotAnImage { .. } => LocalizedText::new(
                format!("“{name}”不是照片。请选择一张照片（JPEG、PNG 等格式）。"),
                format!("“{name}” is not a photo. Please pick a photo (JPEG, PNG, …)."),
            ),
            PhotoError::UnsupportedFormat { format, .. } if is_heif_family(format) => {
                LocalizedText::new(
                    format!(
                        "无法读取“{name}”：此浏览器不支持 {format} 格式。\
                         请在相机设置中选择“兼容性最佳”(JPEG)，或换一张照片。"
                    ),
                    format!(
                        "“{name}” cannot be read: this browser does not support {format} photos. \
                         Choose “Most Compatible” (JPEG) in the camera settings, or pick another photo."
                    ),
                )
            }
            PhotoError::UnsupportedFormat { format, .. } => LocalizedText::new(
                format!(
                    "无法读取“{name}”：此浏览器不支持 {format} 格式。请换一张 JPEG 或 PNG 照片。"
                ),
                format!(
                    "“{name}” cannot be read: this browser does not support {format} images. \
                     Please pick a JPEG or PNG photo instead."
                ),
            ),
            PhotoError::Undecodable { .. } => LocalizedText::new(
                format!("无法读取“{name}”：文件可能已损坏或不完整。请换一张照片。"),
                format!(
                    "“{name}” cannot be read: the file may be damaged or incomplete. \
                     Please pick another photo."
                ),
            ),
            PhotoError::EncodeFailed { .. } => LocalizedText::new(
                format!(
                    "无法处理“{name}”：浏览器未能压缩这张照片，可能是内存不足。\
                     请关闭其他应用或标签页后重试。"
                ),
                format!(
                    "“{name}” could not be prepared: the browser failed to compress it, \
                     perhaps for lack of memory. Close other apps or tabs and try again."
                ),
            ),
        }
    }
}

impl fmt::Display for PhotoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for PhotoError {}

/// The size of a `width` x `height` image scaled so its long edge is at most
/// `max_edge`: aspect ratio kept, short edge rounded to the nearest pixel,
/// never upscaled, never 0 (a 0 in is read as 1).
pub fn target_size(width: u32, height: u32, max_edge: u32) -> (u32, u32) {
    let (width, height, max_edge) = (width.max(1), height.max(1), max_edge.max(1));
    let long = width.max(height);
    if long <= max_edge {
        return (width, height);
    }
    let scale = |edge: u32| -> u32 {
        let scaled =
            (u64::from(edge) * u64::from(max_edge) + u64::from(long) / 2) / u64::from(long);
        // Never more than `max_edge` (edge <= long), never 0.
        (scaled as u32).max(1)
    };
    if width >= height {
        (max_edge, scale(height))
    } else {
        (scale(width), max_edge)
    }
}

/// SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

/// All the bytes of `blob`, copied into wasm memory.
pub async fn blob_bytes(blob: &Blob) -> Result<Vec<u8>, JsValue> {
    let buffer = JsFuture::from(blob.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Prepares one picked photo for storage (see the module documentation).
///
/// Process one photo at a time: await this before starting the next file.
pub async fn process_photo(file: &File) -> Result<ProcessedPhoto, PhotoError> {
    let performance = web_sys::window().and_then(|window| window.performance());
    if let Some(performance) = &performance {
        let _ = performance.mark(PERF_START_MARK);
    }
    let result = prepare(file).await;
    if let Some(performance) = &performance {
        performance.clear_measures_with_measure_name(PERF_MEASURE);
        let _ = performance.measure_with_start_mark(PERF_MEASURE, PERF_START_MARK);
        performance.clear_marks_with_mark_name(PERF_START_MARK);
    }
    result
}

async fn prepare(file: &File) -> Result<ProcessedPhoto, PhotoError> {
    let file_name = file.name();
    let encode_failed = || PhotoError::EncodeFailed {
        file_name: file_name.clone(),
    };

    // The browser decodes on its own thread; meanwhile, check the JPEG's
    // structure for damage that decoders paint over in grey without failing.
    let decoding = start_decode(file);
    let damaged = jpeg_is_damaged(file).await;
    let Some(bitmap) = finish_decode(decoding).await else {
        return Err(why_undecodable(file, file_name.clone()).await);
    };
    if damaged {
        return Err(PhotoError::Undecodable { file_name });
    }
    let (width, height) = target_size(bitmap.0.width(), bitmap.0.height(), MAX_EDGE);

    let canvas = Canvas::new(width, height).ok_or_else(encode_failed)?;
    // JPEG has no transparency: transparent parts of a PNG become white, not black.
    canvas.fill("#fff", width, height);
    // Smoothing at the browser's default quality ("low": bilinear), as the
    // reference library browser-image-compression does. "high" cost 30-40%
    // more time on a phone photo (scripts/bench) for a difference hard to
    // see at 1600 px; the product target is to be no slower than the library.
    let drawn = canvas.draw(&bitmap.0, width, height);
    // The full-size decoded image is the big allocation: free it now.
    drop(bitmap);
    drawn.map_err(|_| encode_failed())?;

    let blob = canvas.encode(OUTPUT_TYPE, JPEG_QUALITY).await;
    // Release the canvas's pixels now rather than at the next garbage collection.
    canvas.release();
    let blob = blob.ok_or_else(encode_failed)?;
    // A browser without a JPEG encoder falls back to PNG, which is not what we store.
    if blob.type_() != OUTPUT_TYPE {
        return Err(encode_failed());
    }

    let sha256 = blob_sha256(&blob).await.map_err(|_| encode_failed())?;
    Ok(ProcessedPhoto {
        width,
        height,
        bytes: blob.size() as u64,
        sha256,
        blob,
    })
}

/// SHA-256 of a Blob's bytes, lowercase hex: the browser's native digest
/// where it offers one (secure contexts: https and localhost), else
/// [`sha256_hex`] in wasm (a phone on a plain-http LAN address).
pub async fn blob_sha256(blob: &Blob) -> Result<String, JsValue> {
    let buffer: js_sys::ArrayBuffer = JsFuture::from(blob.array_buffer()).await?.unchecked_into();
    let subtle = web_sys::window()
        .filter(|window| window.is_secure_context())
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.subtle());
    if let Some(subtle) = subtle {
        if let Ok(digesting) = subtle.digest_with_str_and_buffer_source("SHA-256", &buffer) {
            if let Ok(digest) = JsFuture::from(digesting).await {
                return Ok(to_hex(&js_sys::Uint8Array::new(&digest).to_vec()));
            }
        }
    }
    Ok(sha256_hex(&js_sys::Uint8Array::new(&buffer).to_vec()))
}

/// An `ImageBitmap` that is closed when dropped, on every path.
struct OwnedBitmap(ImageBitmap);

impl Drop for OwnedBitmap {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Starts decoding the file at full size, EXIF orientation applied; `None`
/// when the browser refuses at once.
fn start_decode(file: &File) -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    window
        .create_image_bitmap_with_blob_and_image_bitmap_options(file, &options)
        .ok()
}

/// The decoded image; `None` when the browser cannot decode the file.
async fn finish_decode(decoding: Option<js_sys::Promise>) -> Option<OwnedBitmap> {
    let bitmap = JsFuture::from(decoding?).await.ok()?;
    bitmap.dyn_into::<ImageBitmap>().ok().map(OwnedBitmap)
}

/// Whether `file` is a JPEG whose structure shows damage (see [`JpegCheck`]).
/// Reads the file in chunks into one small buffer, up to the end of the image
/// data; anything that is not a JPEG, or cannot be read, is "not damaged"
/// (the decoder has the last word on those).
async fn jpeg_is_damaged(file: &Blob) -> bool {
    const CHUNK: usize = 512 * 1024;
    let size = file.size();
    let mut check = JpegCheck::new();
    let mut buffer = vec![0; CHUNK];
    let mut start = 0.0;
    while start < size {
        let end = (start + CHUNK as f64).min(size);
        let Ok(chunk) = file.slice_with_f64_and_f64(start, end) else {
            return false;
        };
        let Ok(array) = JsFuture::from(chunk.array_buffer()).await else {
            return false;
        };
        let array = js_sys::Uint8Array::new(&array);
        let length = (array.length() as usize).min(CHUNK);
        if length == 0 {
            break;
        }
        array
            .subarray(0, length as u32)
            .copy_to(&mut buffer[..length]);
        if let Some(verdict) = check.feed(&buffer[..length]) {
            return verdict == JpegVerdict::Damaged;
        }
        start += length as f64;
    }
    check.finish() == JpegVerdict::Damaged
}

/// The error for a file the browser could not decode, from its first bytes,
/// its MIME type and its name.
async fn why_undecodable(file: &File, file_name: String) -> PhotoError {
    let head = match file.slice_with_i32_and_i32(0, SNIFF_LEN as i32) {
        Ok(head) => blob_bytes(&head).await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    classify_undecodable(file_name, &file.type_(), &head)
}

/// How many leading bytes [`classify_undecodable`] looks at.
const SNIFF_LEN: usize = 16;

/// Why a file the browser could not decode failed. `mime` is the browser's
/// type for it (often empty), `head` its first bytes.
///
/// The content decides first (a damaged JPEG named `.heic` is damaged, not
/// HEIC), then the MIME type, then the extension (only when the type is empty).
fn classify_undecodable(file_name: String, mime: &str, head: &[u8]) -> PhotoError {
    let mime = mime.trim().to_ascii_lowercase();
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .unwrap_or_default();
    let unsupported = |format: &str| PhotoError::UnsupportedFormat {
        file_name: file_name.clone(),
        format: format.to_owned(),
    };

    match sniff(head) {
        Some(Sniffed::Decodable) => return PhotoError::Undecodable { file_name },
        Some(Sniffed::Unsupported(format)) => return unsupported(format),
        None => {}
    }
    if let Some(format) = unsupported_format_by_mime(&mime) {
        return unsupported(format);
    }
    if let Some(format) = unsupported_format_by_extension(&extension) {
        return unsupported(format);
    }
    let claims_image = if mime.is_empty() {
        IMAGE_EXTENSIONS.contains(&extension.as_str())
    } else {
        mime.starts_with("image/")
    };
    if claims_image {
        PhotoError::Undecodable { file_name }
    } else {
        PhotoError::NotAnImage { file_name }
    }
}

enum Sniffed {
    /// A format every browser decodes (JPEG, PNG, GIF, WebP, BMP).
    Decodable,
    /// A format some browsers cannot decode, by its short name.
    Unsupported(&'static str),
}

fn sniff(head: &[u8]) -> Option<Sniffed> {
    const DECODABLE: [&[u8]; 5] = [
        b"\xFF\xD8\xFF",      // JPEG
        b"\x89PNG\r\n\x1A\n", // PNG
        b"GIF87a",            // GIF
        b"GIF89a",            // GIF
        b"\x00\x00\x01\x00",  // ICO
    ];
    let webp = head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP";
    // "BM", the file size, then four reserved zero bytes (so not any text starting "BM").
    let bmp = head.len() >= 10 && head.starts_with(b"BM") && head[6..10] == [0; 4];
    if webp || bmp || DECODABLE.iter().any(|magic| head.starts_with(magic)) {
        return Some(Sniffed::Decodable);
    }
    // ISO base media file (HEIF, AVIF): a box size, then "ftyp" and the major brand.
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return match &head[8..12] {
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"hevm" | b"hevs" => {
                Some(Sniffed::Unsupported("HEIC"))
            }
            b"mif1" | b"msf1" => Some(Sniffed::Unsupported("HEIF")),
            b"avif" | b"avis" => Some(Sniffed::Unsupported("AVIF")),
            _ => None,
        };
    }
    if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        return Some(Sniffed::Unsupported("TIFF"));
    }
    if head.starts_with(b"\xFF\x0A") || head.starts_with(b"\0\0\0\x0CJXL \r\n\x87\n") {
        return Some(Sniffed::Unsupported("JPEG XL"));
    }
    None
}

fn unsupported_format_by_mime(mime: &str) -> Option<&'static str> {
    match mime {
        "image/heic" | "image/heic-sequence" => Some("HEIC"),
        "image/heif" | "image/heif-sequence" => Some("HEIF"),
        "image/avif" => Some("AVIF"),
        "image/tiff" => Some("TIFF"),
        "image/jxl" => Some("JPEG XL"),
        _ => None,
    }
}

fn unsupported_format_by_extension(extension: &str) -> Option<&'static str> {
    match extension {
        "heic" => Some("HEIC"),
        "heif" | "hif" => Some("HEIF"),
        "avif" => Some("AVIF"),
        "tif" | "tiff" => Some("TIFF"),
        "jxl" => Some("JPEG XL"),
        _ => None,
    }
}

/// Extensions that claim an image, for files whose MIME type is empty.
const IMAGE_EXTENSIONS: [&str; 9] = [
    "jpg", "jpeg", "jfif", "png", "gif", "webp", "bmp", "ico", "svg",
];

/// What [`JpegCheck`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JpegVerdict {
    /// The file does not start like a JPEG: not checked.
    NotJpeg,
    /// The image data is well formed up to its end (EOI).
    Intact,
    /// The image data is corrupt or cut short.
    Damaged,
}

/// Where [`JpegCheck`] is in the file.
#[derive(Debug, Clone, Copy)]
enum JpegState {
    /// The start of image (FF D8) and the FF of the first marker: `seen` of them.
    Start { seen: usize },
    /// Between segments, looking for the next marker's FF (stray bytes are
    /// skipped, as decoders do).
    BetweenSegments,
    /// After an FF between segments: the marker code comes next.
    Marker,
    /// A segment's two length bytes.
    Length { marker: u8, high: Option<u8> },
    /// A segment's payload; entropy-coded data follows a start of scan (SOS).
    Payload {
        remaining: usize,
        scan_follows: bool,
    },
    /// Entropy-coded data.
    Scan,
    /// An FF in entropy-coded data.
    ScanFf,
}

/// A streaming check of a JPEG's structure (not its pixels), for the damage
/// browsers decode without an error: a flipped or erased block of a
/// memory card turns part of the photo grey or garbled, and a file cut short
/// loses its bottom, yet `createImageBitmap` succeeds.
///
/// In entropy-coded data an FF byte is only ever followed by 00 (stuffing),
/// FF (fill), a restart marker, the end of image, or a real segment marker
/// (progressive scans); anything else, or a file that ends before its end of
/// image, is damage. Metadata segments are skipped by their length, so a
/// thumbnail inside EXIF does not count, and nothing after the end of image
/// (gain maps, other pictures) is read.
struct JpegCheck {
    state: JpegState,
    scanned: bool,
}

impl JpegCheck {
    fn new() -> Self {
        JpegCheck {
            state: JpegState::Start { seen: 0 },
            scanned: false,
        }
    }

    /// Reads the next bytes of the file; `Some` once the verdict is known.
    fn feed(&mut self, mut bytes: &[u8]) -> Option<JpegVerdict> {
        use JpegState::*;
        while let Some((&byte, rest)) = bytes.split_first() {
            match self.state {
                Start { seen } => {
                    if byte != [0xFF, 0xD8, 0xFF][seen] {
                        return Some(JpegVerdict::NotJpeg);
                    }
                    self.state = if seen == 2 {
                        Marker
                    } else {
                        Start { seen: seen + 1 }
                    };
                    bytes = rest;
                }
                BetweenSegments | Scan => {
                    // The rest of this chunk, when it has no FF, is skipped.
                    let at = bytes.iter().position(|&b| b == 0xFF)?;
                    self.state = if matches!(self.state, Scan) {
                        ScanFf
                    } else {
                        Marker
                    };
                    bytes = &bytes[at + 1..];
                }
                Marker => {
                    bytes = rest;
                    self.state = match byte {
                        0xFF => Marker,
                        0xD9 if self.scanned => return Some(JpegVerdict::Intact),
                        0xD9 => return Some(JpegVerdict::Damaged),
                        0x00 | 0x01 | 0xD0..=0xD8 => BetweenSegments,
                        marker => Length { marker, high: None },
                    };
                }
                Length { marker, high } => {
                    bytes = rest;
                    self.state = match high {
                        None => Length {
                            marker,
                            high: Some(byte),
                        },
                        Some(high) => {
                            let length = usize::from(u16::from_be_bytes([high, byte]));
                            let Some(remaining) = length.checked_sub(2) else {
                                return Some(JpegVerdict::Damaged);
                            };
                            Payload {
                                remaining,
                                scan_follows: marker == 0xDA,
                            }
                        }
                    };
                }
                Payload {
                    remaining,
                    scan_follows,
                } => {
                    let skip = remaining.min(bytes.len());
                    bytes = &bytes[skip..];
                    self.state = if skip < remaining {
                        Payload {
                            remaining: remaining - skip,
                            scan_follows,
                        }
                    } else if scan_follows {
                        self.scanned = true;
                        Scan
                    } else {
                        BetweenSegments
                    };
                }
                ScanFf => {
                    bytes = rest;
                    self.state = match byte {
                        0x00 | 0x01 | 0xD0..=0xD7 => Scan,
                        0xFF => ScanFf,
                        0xD9 => return Some(JpegVerdict::Intact),
                        0xC0..=0xCF | 0xDA..=0xFE => Length {
                            marker: byte,
                            high: None,
                        },
                        // Reserved codes, or a start of image inside the data.
                        _ => return Some(JpegVerdict::Damaged),
                    };
                }
            }
        }
        None
    }

    /// The verdict at the end of the file, when [`feed`](Self::feed) gave none.
    fn finish(&self) -> JpegVerdict {
        match self.state {
            JpegState::Start { .. } => JpegVerdict::NotJpeg,
            // The end of image never came: the file was cut short.
            _ => JpegVerdict::Damaged,
        }
    }
}

fn is_heif_family(format: &str) -> bool {
    matches!(format, "HEIC" | "HEIF")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_edge_matches_the_product_rule() {
        assert_eq!(MAX_EDGE, 1600);
        assert_eq!(JPEG_QUALITY, 0.8);
    }

    #[test]
    fn large_phone_photos_fit_the_long_edge() {
        assert_eq!(target_size(4608, 1976, 1600), (1600, 686));
        assert_eq!(target_size(3264, 2448, 1600), (1600, 1200));
        assert_eq!(target_size(2448, 3264, 1600), (1200, 1600));
        assert_eq!(target_size(1976, 4608, 1600), (686, 1600));
        assert_eq!(target_size(4000, 4000, 1600), (1600, 1600));
    }

    #[test]
    fn never_upscales() {
        assert_eq!(target_size(640, 480, 1600), (640, 480));
        assert_eq!(target_size(1600, 1200, 1600), (1600, 1200));
        assert_eq!(target_size(1, 1, 1600), (1, 1));
        assert_eq!(target_size(450, 600, 1600), (450, 600));
    }

    #[test]
    fn rounds_the_short_edge_to_the_nearest_pixel() {
        // 1001 * 1600 / 3200 = 500.5: half rounds up.
        assert_eq!(target_size(3200, 1001, 1600), (1600, 501));
        // 1999 * 1600 / 4000 = 799.6
        assert_eq!(target_size(4000, 1999, 1600), (1600, 800));
        // 1001 * 1600 / 4000 = 400.4
        assert_eq!(target_size(1001, 4000, 1600), (400, 1600));
    }

    #[test]
    fn never_returns_zero() {
        assert_eq!(target_size(100_000, 1, 1600), (1600, 1));
        assert_eq!(target_size(1, 100_000, 1600), (1, 1600));
        assert_eq!(target_size(0, 0, 1600), (1, 1));
        assert_eq!(target_size(0, 5000, 1600), (1, 1600));
        assert_eq!(target_size(300, 200, 0), (1, 1));
    }

    #[test]
    fn huge_sizes_do_not_overflow() {
        assert_eq!(target_size(u32::MAX, u32::MAX, 1600), (1600, 1600));
        assert_eq!(
            target_size(u32::MAX, u32::MAX / 2, u32::MAX - 1),
            (u32::MAX - 1, u32::MAX / 2)
        );
    }

    #[test]
    fn keeps_the_aspect_ratio_within_half_a_pixel() {
        for (width, height) in [
            (4608, 1976),
            (4032, 3024),
            (3000, 4000),
            (1601, 3),
            (7, 9999),
        ] {
            let (w, h) = target_size(width, height, 1600);
            assert_eq!(w.max(h), 1600);
            let exact = f64::from(width.min(height)) * 1600.0 / f64::from(width.max(height));
            assert!(
                (f64::from(w.min(h)) - exact).abs() <= 0.5,
                "{width}x{height}"
            );
        }
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    const JPEG_HEAD: &[u8] = b"\xFF\xD8\xFF\xE1\x3F\xFEExif\0\0II*\0";
    const HEIC_HEAD: &[u8] = b"\0\0\0\x28ftypheic\0\0\0\0";

    fn classify(name: &str, mime: &str, head: &[u8]) -> PhotoError {
        classify_undecodable(name.to_owned(), mime, head)
    }

    fn unsupported(name: &str, format: &str) -> PhotoError {
        PhotoError::UnsupportedFormat {
            file_name: name.to_owned(),
            format: format.to_owned(),
        }
    }

    #[test]
    fn heic_is_recognised_by_content_type_or_extension() {
        let name = "IMG_1.HEIC";
        assert_eq!(
            classify(name, "image/heic", HEIC_HEAD),
            unsupported(name, "HEIC")
        );
        assert_eq!(classify(name, "", HEIC_HEAD), unsupported(name, "HEIC"));
        assert_eq!(classify(name, "", b""), unsupported(name, "HEIC"));
        assert_eq!(
            classify("photo.jpg", "image/jpeg", HEIC_HEAD),
            unsupported("photo.jpg", "HEIC")
        );
        assert_eq!(classify("x", "image/heif", b""), unsupported("x", "HEIF"));
        assert_eq!(classify("x.heif", "", b""), unsupported("x.heif", "HEIF"));
        assert_eq!(
            classify("x", "", b"\0\0\0\x1cftypmif1\0\0\0\0"),
            unsupported("x", "HEIF")
        );
    }

    #[test]
    fn a_damaged_jpeg_is_undecodable_whatever_its_name() {
        let undecodable = |name: &str| PhotoError::Undecodable {
            file_name: name.to_owned(),
        };
        assert_eq!(
            classify("corrupted.jpg", "image/jpeg", JPEG_HEAD),
            undecodable("corrupted.jpg")
        );
        assert_eq!(
            classify("IMG_1.HEIC", "image/heic", JPEG_HEAD),
            undecodable("IMG_1.HEIC")
        );
        assert_eq!(classify("a.bin", "", JPEG_HEAD), undecodable("a.bin"));
        // Claims to be an image but its content is unknown.
        assert_eq!(
            classify("a.png", "image/png", b"garbage"),
            undecodable("a.png")
        );
        assert_eq!(classify("a.JPG", "", b"garbage"), undecodable("a.JPG"));
        assert_eq!(
            classify("empty.jpg", "image/jpeg", b""),
            undecodable("empty.jpg")
        );
    }

    #[test]
    fn other_files_are_not_images() {
        let not_an_image = |name: &str| PhotoError::NotAnImage {
            file_name: name.to_owned(),
        };
        assert_eq!(
            classify("notes.txt", "text/plain", b"hello"),
            not_an_image("notes.txt")
        );
        assert_eq!(
            classify("report.pdf", "application/pdf", b"%PDF-1.7"),
            not_an_image("report.pdf")
        );
        assert_eq!(
            classify("noextension", "", b"hello"),
            not_an_image("noextension")
        );
        assert_eq!(
            classify("cars.txt", "text/plain", b"BMW and Audi parked"),
            not_an_image("cars.txt")
        );
        assert_eq!(
            classify("x.dat", "", b"BM\x36\x00\x0C\x00\0\0\0\0\x36\0"),
            PhotoError::Undecodable {
                file_name: "x.dat".into()
            }
        );
        assert_eq!(
            classify("video.mp4", "video/mp4", b"\0\0\0\x20ftypisom"),
            not_an_image("video.mp4")
        );
    }

    #[test]
    fn other_unsupported_formats_are_named() {
        assert_eq!(
            classify("scan.tif", "image/tiff", b"II*\0"),
            unsupported("scan.tif", "TIFF")
        );
        assert_eq!(classify("a.avif", "", b""), unsupported("a.avif", "AVIF"));
        assert_eq!(classify("a", "image/jxl", b""), unsupported("a", "JPEG XL"));
    }

    fn check_jpeg(bytes: &[u8], chunk: usize) -> JpegVerdict {
        let mut check = JpegCheck::new();
        for part in bytes.chunks(chunk) {
            if let Some(verdict) = check.feed(part) {
                return verdict;
            }
        }
        check.finish()
    }

    /// The verdict whatever the chunk size (state carries across chunks).
    fn jpeg_verdict(bytes: &[u8]) -> JpegVerdict {
        let verdict = check_jpeg(bytes, bytes.len().max(1));
        for chunk in [1, 2, 3, 7, 4093] {
            assert_eq!(check_jpeg(bytes, chunk), verdict, "chunks of {chunk}");
        }
        verdict
    }

    /// A minimal JPEG layout: an APP1 holding a thumbnail (with its own EOI),
    /// a table, a scan with stuffing and restart markers, then `tail`.
    fn layout(scan: &[u8], tail: &[u8]) -> Vec<u8> {
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend([0xFF, 0xE1, 0x00, 0x0C]);
        jpeg.extend(b"Exif\0\0\xFF\xD8\xFF\xD9");
        jpeg.extend([0xFF, 0xFF, 0xDB, 0x00, 0x04, 0xAB, 0xCD]); // fill byte, DQT
        jpeg.extend([0xFF, 0xDA, 0x00, 0x03, 0x01]);
        jpeg.extend(scan);
        jpeg.extend(tail);
        jpeg
    }

    const GOOD_SCAN: &[u8] = b"\x12\xFF\x00\x34\xFF\xD0\x56\xFF\xD1\x78";

    #[test]
    fn a_well_formed_jpeg_is_intact() {
        assert_eq!(
            jpeg_verdict(&layout(GOOD_SCAN, b"\xFF\xD9")),
            JpegVerdict::Intact
        );
        // Whatever follows the end of image is not read (gain maps, trailers).
        let trailing = layout(GOOD_SCAN, b"\xFF\xD9\x00\xFF\x02garbage");
        assert_eq!(jpeg_verdict(&trailing), JpegVerdict::Intact);
        // Progressive: tables and another scan between scans.
        let progressive = layout(
            GOOD_SCAN,
            b"\xFF\xC4\x00\x03\x00\xFF\xDA\x00\x03\x02\x9A\xFF\x00\xFF\xFF\xD9",
        );
        assert_eq!(jpeg_verdict(&progressive), JpegVerdict::Intact);
    }

    #[test]
    fn corrupt_or_cut_short_image_data_is_damaged() {
        let reserved_marker = layout(b"\x12\xFF\xFF\xFF\x9F\x34", b"\xFF\xD9");
        assert_eq!(jpeg_verdict(&reserved_marker), JpegVerdict::Damaged);
        let start_of_image = layout(b"\x12\xFF\xD8\x34", b"\xFF\xD9");
        assert_eq!(jpeg_verdict(&start_of_image), JpegVerdict::Damaged);
        assert_eq!(jpeg_verdict(&layout(GOOD_SCAN, b"")), JpegVerdict::Damaged);
        // Cut inside a segment, or before any image data.
        assert_eq!(
            jpeg_verdict(b"\xFF\xD8\xFF\xE1\x10\x00Exif"),
            JpegVerdict::Damaged
        );
        assert_eq!(jpeg_verdict(b"\xFF\xD8\xFF\xD9"), JpegVerdict::Damaged);
        assert_eq!(
            jpeg_verdict(b"\xFF\xD8\xFF\xDB\x00\x01"),
            JpegVerdict::Damaged
        );
    }

    #[test]
    fn other_files_are_not_checked() {
        assert_eq!(jpeg_verdict(b"\x89PNG\r\n\x1A\n"), JpegVerdict::NotJpeg);
        assert_eq!(jpeg_verdict(b"hello"), JpegVerdict::NotJpeg);
        assert_eq!(jpeg_verdict(b"\xFF\xD8"), JpegVerdict::NotJpeg);
        assert_eq!(jpeg_verdict(b""), JpegVerdict::NotJpeg);
    }

    #[test]
    fn the_fixture_photos_are_judged_right() {
        let photos: [(&[u8], JpegVerdict); 7] = [
            (
                include_bytes!("../../e2e/fixtures/photos/HMD_Nokia_8.3_5G.jpg"),
                JpegVerdict::Intact,
            ),
            (
                include_bytes!("../../e2e/fixtures/photos/iphone_hdr_YES.jpg"),
                JpegVerdict::Intact,
            ),
            (
                include_bytes!("../../e2e/fixtures/photos/DSCN0010.jpg"),
                JpegVerdict::Intact,
            ),
            (
                include_bytes!("../../e2e/fixtures/photos/portrait_6.jpg"),
                JpegVerdict::Intact,
            ),
            (
                include_bytes!("../../e2e/fixtures/photos/landscape_8.jpg"),
                JpegVerdict::Intact,
            ),
            (
                include_bytes!("../../e2e/fixtures/photos/corrupted.jpg"),
                JpegVerdict::Damaged,
            ),
            (
                include_bytes!("../../e2e/fixtures/photos/iphone_13_pro_max.HEIC"),
                JpegVerdict::NotJpeg,
            ),
        ];
        for (index, (bytes, expected)) in photos.into_iter().enumerate() {
            assert_eq!(jpeg_verdict(bytes), expected, "photo {index}");
        }
    }

    #[test]
    fn messages_name_the_file_in_both_languages() {
        let heic = unsupported("IMG_1.HEIC", "HEIC").message();
        assert_eq!(
            heic.zh_cn,
            "无法读取“IMG_1.HEIC”：此浏览器不支持 HEIC 格式。请在相机设置中选择“兼容性最佳”(JPEG)，或换一张照片。"
        );
        assert_eq!(
            heic.en,
            "“IMG_1.HEIC” cannot be read: this browser does not support HEIC photos. Choose “Most Compatible” (JPEG) in the camera settings, or pick another photo."
        );
        let errors = [
            PhotoError::NotAnImage {
                file_name: "notes.txt".into(),
            },
            unsupported("scan.tif", "TIFF"),
            PhotoError::Undecodable {
                file_name: "corrupted.jpg".into(),
            },
            PhotoError::EncodeFailed {
                file_name: "big.png".into(),
            },
        ];
        for error in errors {
            let message = error.message();
            let quoted = format!("“{}”", error.file_name());
            assert!(message.zh_cn.contains(&quoted), "{message:?}");
            assert!(message.en.contains(&quoted), "{message:?}");
            assert_ne!(message.zh_cn, message.en);
            assert_eq!(error.to_string(), message.en);
        }
    }
}
