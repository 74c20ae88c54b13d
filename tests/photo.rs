//! Browser tests of the photo pipeline (`media::photo`), run in headless
//! Chromium by `wasm-bindgen-test-runner` (see webdriver.json), on the real
//! camera photos in e2e/fixtures/photos (see ATTRIBUTION.md there).
#![cfg(target_arch = "wasm32")]

use greenwatch_app::media::photo::{
    blob_bytes, process_photo, sha256_hex, PhotoError, ProcessedPhoto, MAX_EDGE, PERF_MEASURE,
    PERF_START_MARK,
};
use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{
    Blob, File, ImageBitmap, ImageBitmapOptions, ImageOrientation, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d,
};

wasm_bindgen_test_configure!(run_in_browser);

const HMD: &[u8] = include_bytes!("../e2e/fixtures/photos/HMD_Nokia_8.3_5G.jpg");
const IPHONE: &[u8] = include_bytes!("../e2e/fixtures/photos/iphone_hdr_YES.jpg");
const NIKON: &[u8] = include_bytes!("../e2e/fixtures/photos/DSCN0010.jpg");
const PORTRAIT_6: &[u8] = include_bytes!("../e2e/fixtures/photos/portrait_6.jpg");
const LANDSCAPE_8: &[u8] = include_bytes!("../e2e/fixtures/photos/landscape_8.jpg");
const HEIC: &[u8] = include_bytes!("../e2e/fixtures/photos/iphone_13_pro_max.HEIC");
const CORRUPTED: &[u8] = include_bytes!("../e2e/fixtures/photos/corrupted.jpg");

/// A `File` as an `<input type="file">` would give it.
fn file(bytes: &[u8], name: &str, mime: &str) -> File {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = Object::new();
    Reflect::set(&options, &"type".into(), &mime.into()).expect("set type");
    // `new File(parts, name, { type })`: web-sys's typed constructor needs the
    // FilePropertyBag feature, which the app itself does not use.
    let constructor: Function = Reflect::get(&js_sys::global(), &"File".into())
        .expect("File")
        .unchecked_into();
    Reflect::construct(&constructor, &Array::of3(&parts, &name.into(), &options))
        .expect("new File")
        .unchecked_into()
}

fn jpeg(bytes: &[u8], name: &str) -> File {
    file(bytes, name, "image/jpeg")
}

async fn process(bytes: &[u8], name: &str) -> ProcessedPhoto {
    match process_photo(&jpeg(bytes, name)).await {
        Ok(photo) => photo,
        Err(error) => panic!("{name}: {error}"),
    }
}

// ---------------------------------------------------------------- JPEG structure

/// The segments before the image data (start of scan), as (marker, where
/// its payload is in the file).
fn segments_before_scan(jpeg: &[u8]) -> Vec<(u8, std::ops::Range<usize>)> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG starts with SOI");
    let mut segments = Vec::new();
    let mut at = 2;
    loop {
        assert_eq!(jpeg[at], 0xFF, "a marker at {at}");
        while jpeg[at + 1] == 0xFF {
            at += 1; // fill bytes
        }
        let marker = jpeg[at + 1];
        if marker == 0xDA {
            return segments; // start of scan: entropy-coded data follows
        }
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            at += 2; // no length
            continue;
        }
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        segments.push((marker, at + 4..at + 2 + length));
        at += 2 + length;
    }
}

/// The first IFD of a JPEG's EXIF: its byte order and its entries as (tag,
/// offset of the entry in the file).
struct Ifd0 {
    big_endian: bool,
    entries: Vec<(u16, usize)>,
}

impl Ifd0 {
    fn read(jpeg: &[u8]) -> Option<Ifd0> {
        let (_, app1) = segments_before_scan(jpeg)
            .into_iter()
            .find(|(marker, payload)| {
                *marker == 0xE1 && jpeg[payload.clone()].starts_with(b"Exif\0\0")
            })?;
        let tiff_at = app1.start + 6;
        let tiff = &jpeg[tiff_at..];
        let big_endian = &tiff[..2] == b"MM";
        let u16_at = |at: usize| {
            let pair = [tiff[at], tiff[at + 1]];
            if big_endian {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        };
        let quad = [tiff[4], tiff[5], tiff[6], tiff[7]];
        let ifd = if big_endian {
            u32::from_be_bytes(quad)
        } else {
            u32::from_le_bytes(quad)
        } as usize;
        let count = usize::from(u16_at(ifd));
        let entries = (0..count)
            .map(|i| {
                let entry = ifd + 2 + 12 * i;
                (u16_at(entry), tiff_at + entry)
            })
            .collect();
        Some(Ifd0 {
            big_endian,
            entries,
        })
    }

    fn entry(&self, tag: u16) -> Option<usize> {
        self.entries
            .iter()
            .find(|(found, _)| *found == tag)
            .map(|(_, at)| *at)
    }
}

const TAG_ORIENTATION: u16 = 0x0112;
const TAG_GPS_IFD: u16 = 0x8825;

fn has_gps(jpeg: &[u8]) -> bool {
    Ifd0::read(jpeg).is_some_and(|ifd| ifd.entry(TAG_GPS_IFD).is_some())
}

/// The EXIF orientation of a JPEG (1 when it has none).
fn orientation(jpeg: &[u8]) -> u16 {
    let Some(ifd) = Ifd0::read(jpeg) else {
        return 1;
    };
    let Some(entry) = ifd.entry(TAG_ORIENTATION) else {
        return 1;
    };
    let pair = [jpeg[entry + 8], jpeg[entry + 9]];
    if ifd.big_endian {
        u16::from_be_bytes(pair)
    } else {
        u16::from_le_bytes(pair)
    }
}

/// The same JPEG with its EXIF orientation set to 1 (as stored).
fn with_orientation_1(jpeg: &[u8]) -> Vec<u8> {
    let ifd = Ifd0::read(jpeg).expect("EXIF");
    let entry = ifd.entry(TAG_ORIENTATION).expect("an orientation tag");
    let mut patched = jpeg.to_vec();
    let one = if ifd.big_endian {
        1u16.to_be_bytes()
    } else {
        1u16.to_le_bytes()
    };
    patched[entry + 8..entry + 10].copy_from_slice(&one);
    assert_eq!(orientation(&patched), 1);
    patched
}

/// Checks what every stored photo must be: a JPEG without any metadata.
async fn assert_clean_jpeg(photo: &ProcessedPhoto, name: &str) -> Vec<u8> {
    assert_eq!(photo.blob.type_(), "image/jpeg", "{name}");
    let bytes = blob_bytes(&photo.blob).await.expect("blob bytes");
    assert_eq!(&bytes[..2], &[0xFF, 0xD8], "{name}: starts with SOI");
    let markers: Vec<u8> = segments_before_scan(&bytes)
        .iter()
        .map(|(marker, _)| *marker)
        .collect();
    assert!(
        !markers.contains(&0xE1),
        "{name}: no APP1 (EXIF or XMP) segment, found markers {markers:02X?}"
    );
    assert!(
        !bytes.windows(6).any(|window| window == b"Exif\0\0"),
        "{name}: no EXIF header anywhere"
    );
    assert!(!has_gps(&bytes), "{name}: no GPS");
    assert_eq!(photo.bytes, bytes.len() as u64, "{name}: bytes");
    assert_eq!(photo.bytes as f64, photo.blob.size(), "{name}: bytes");
    assert_eq!(photo.sha256, sha256_hex(&bytes), "{name}: sha256");
    assert_eq!(photo.sha256.len(), 64);
    assert!(photo
        .sha256
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    bytes
}

// ---------------------------------------------------------------- pixels

async fn decode(blob: &Blob) -> ImageBitmap {
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    let promise = web_sys::window()
        .expect("window")
        .create_image_bitmap_with_blob_and_image_bitmap_options(blob, &options)
        .expect("createImageBitmap");
    JsFuture::from(promise)
        .await
        .expect("decodes")
        .unchecked_into()
}

/// An image's RGBA pixels.
struct Pixels {
    width: usize,
    height: usize,
    rgba: Vec<u8>,
}

impl Pixels {
    async fn of(blob: &Blob) -> Pixels {
        let bitmap = decode(blob).await;
        let (width, height) = (bitmap.width(), bitmap.height());
        let canvas = OffscreenCanvas::new(width, height).expect("canvas");
        let context: OffscreenCanvasRenderingContext2d = canvas
            .get_context("2d")
            .expect("context")
            .expect("2d")
            .unchecked_into();
        context
            .draw_image_with_image_bitmap(&bitmap, 0.0, 0.0)
            .expect("draw");
        bitmap.close();
        // getImageData: its ImageData result needs a web-sys feature the app does not use.
        let get_image_data: Function = Reflect::get(&context, &"getImageData".into())
            .expect("getImageData")
            .unchecked_into();
        let image_data = get_image_data
            .call4(
                &context,
                &0.into(),
                &0.into(),
                &width.into(),
                &height.into(),
            )
            .expect("image data");
        let data: js_sys::Uint8ClampedArray = Reflect::get(&image_data, &"data".into())
            .expect("data")
            .unchecked_into();
        Pixels {
            width: width as usize,
            height: height as usize,
            rgba: data.to_vec(),
        }
    }

    fn rgb(&self, x: usize, y: usize) -> [f64; 3] {
        let at = 4 * (y * self.width + x);
        [0, 1, 2].map(|c| f64::from(self.rgba[at + c]))
    }

    /// The image turned a quarter clockwise (`clockwise`) or anticlockwise.
    fn rotated(&self, clockwise: bool) -> Pixels {
        let (width, height) = (self.height, self.width);
        let mut rgba = vec![0; self.rgba.len()];
        for y in 0..height {
            for x in 0..width {
                let (from_x, from_y) = if clockwise {
                    (y, self.height - 1 - x)
                } else {
                    (self.width - 1 - y, x)
                };
                let from = 4 * (from_y * self.width + from_x);
                let to = 4 * (y * width + x);
                rgba[to..to + 4].copy_from_slice(&self.rgba[from..from + 4]);
            }
        }
        Pixels {
            width,
            height,
            rgba,
        }
    }

    /// The mean absolute difference per channel, over 10x10 blocks (so the
    /// comparison is about the picture, not JPEG noise). Same size required.
    fn distance(&self, other: &Pixels) -> f64 {
        assert_eq!((self.width, self.height), (other.width, other.height));
        const BLOCK: usize = 10;
        let mean = |pixels: &Pixels, bx: usize, by: usize| {
            let mut sum = [0.0; 3];
            for y in by * BLOCK..(by + 1) * BLOCK {
                for x in bx * BLOCK..(bx + 1) * BLOCK {
                    let rgb = pixels.rgb(x, y);
                    (0..3).for_each(|c| sum[c] += rgb[c]);
                }
            }
            sum.map(|s| s / (BLOCK * BLOCK) as f64)
        };
        let (columns, rows) = (self.width / BLOCK, self.height / BLOCK);
        let mut total = 0.0;
        for by in 0..rows {
            for bx in 0..columns {
                let (a, b) = (mean(self, bx, by), mean(other, bx, by));
                total += (0..3).map(|c| (a[c] - b[c]).abs()).sum::<f64>();
            }
        }
        total / (3 * columns * rows) as f64
    }

    fn flipped_vertically(&self) -> Pixels {
        let row = 4 * self.width;
        let rgba = self.rgba.chunks(row).rev().flatten().copied().collect();
        Pixels {
            width: self.width,
            height: self.height,
            rgba,
        }
    }
}

// ---------------------------------------------------------------- tests

#[wasm_bindgen_test]
async fn the_fixtures_carry_what_the_tests_rely_on() {
    assert!(has_gps(HMD) && has_gps(IPHONE) && has_gps(NIKON));
    assert_eq!(orientation(HMD), 1);
    assert_eq!(orientation(IPHONE), 1);
    assert_eq!(orientation(NIKON), 1);
    assert_eq!(orientation(PORTRAIT_6), 6);
    assert_eq!(orientation(LANDSCAPE_8), 8);
}

#[wasm_bindgen_test]
async fn a_wide_phone_photo_is_scaled_to_the_long_edge_without_metadata() {
    let photo = process(HMD, "HMD_Nokia_8.3_5G.jpg").await;
    // 4608x1976: 1976 * 1600 / 4608 = 686.1
    assert_eq!((photo.width, photo.height), (1600, 686));
    assert!(photo.width.max(photo.height) <= MAX_EDGE);
    assert_clean_jpeg(&photo, "HMD").await;
    let decoded = decode(&photo.blob).await;
    assert_eq!((decoded.width(), decoded.height()), (1600, 686));
    decoded.close();
    assert!(photo.bytes < HMD.len() as u64 / 2, "{} bytes", photo.bytes);
}

#[wasm_bindgen_test]
async fn an_iphone_photo_is_scaled_to_the_long_edge_without_metadata() {
    let photo = process(IPHONE, "iphone_hdr_YES.jpg").await;
    // 3264x2448, orientation 1: 4:3 exactly.
    assert_eq!((photo.width, photo.height), (1600, 1200));
    assert!(photo.width.max(photo.height) <= MAX_EDGE);
    assert_clean_jpeg(&photo, "iPhone").await;
    let decoded = decode(&photo.blob).await;
    assert_eq!((decoded.width(), decoded.height()), (1600, 1200));
    decoded.close();
}

#[wasm_bindgen_test]
async fn a_small_photo_is_not_upscaled_but_still_loses_its_gps() {
    let photo = process(NIKON, "DSCN0010.jpg").await;
    assert_eq!((photo.width, photo.height), (640, 480));
    assert_clean_jpeg(&photo, "DSCN0010").await;
}

#[wasm_bindgen_test]
async fn orientation_6_comes_out_portrait() {
    let photo = process(PORTRAIT_6, "portrait_6.jpg").await;
    assert_eq!((photo.width, photo.height), (450, 600));
    assert_clean_jpeg(&photo, "portrait_6").await;
    let decoded = decode(&photo.blob).await;
    assert_eq!((decoded.width(), decoded.height()), (450, 600));
    decoded.close();
}

#[wasm_bindgen_test]
async fn orientation_8_comes_out_landscape() {
    let photo = process(LANDSCAPE_8, "landscape_8.jpg").await;
    assert_eq!((photo.width, photo.height), (600, 450));
    assert_clean_jpeg(&photo, "landscape_8").await;
}

/// The stored pixels themselves are turned, the way the camera meant: the
/// output matches the stored pixels (read with orientation 1) turned by hand,
/// and clearly differs from the other plausible mistakes.
async fn assert_pixels_turned(original: &[u8], name: &str, clockwise: bool) {
    let photo = process(original, name).await;
    let output = Pixels::of(&photo.blob).await;

    let as_stored = with_orientation_1(original);
    let as_stored = file(&as_stored, "as-stored.jpg", "image/jpeg");
    let stored = Pixels::of(&as_stored).await;
    assert_eq!((stored.height, stored.width), (output.width, output.height));

    let expected = stored.rotated(clockwise);
    let right = output.distance(&expected);
    let wrong_way = output.distance(&stored.rotated(!clockwise));
    let mirrored = output.distance(&expected.flipped_vertically());
    console_log!(
        "{name}: distance to the turned original {right:.2}, \
         turned the wrong way {wrong_way:.2}, mirrored {mirrored:.2}"
    );
    assert!(
        right < 3.0,
        "{name}: output differs from the turned original by {right:.1} levels"
    );
    assert!(
        wrong_way > 10.0 * right && mirrored > 10.0 * right,
        "{name}: the check must tell orientations apart \
         (right {right:.1}, wrong way {wrong_way:.1}, mirrored {mirrored:.1})"
    );
}

#[wasm_bindgen_test]
async fn orientation_6_turns_the_pixels_clockwise() {
    assert_pixels_turned(PORTRAIT_6, "portrait_6.jpg", true).await;
}

#[wasm_bindgen_test]
async fn orientation_8_turns_the_pixels_anticlockwise() {
    assert_pixels_turned(LANDSCAPE_8, "landscape_8.jpg", false).await;
}

/// Chromium (where these tests run) has no HEIC decoder; Safari has one.
fn decodes_heic() -> bool {
    let agent = web_sys::window()
        .and_then(|window| window.navigator().user_agent().ok())
        .unwrap_or_default();
    !agent.contains("Chrome/")
}

#[wasm_bindgen_test]
async fn heic_that_the_browser_cannot_decode_gets_the_heic_message() {
    let expected = PhotoError::UnsupportedFormat {
        file_name: "iphone_13_pro_max.HEIC".into(),
        format: "HEIC".into(),
    };
    // As picked from the gallery, and with no type at all (as browsers often
    // give HEIC files): the name and the content tell.
    for mime in ["image/heic", ""] {
        let result = process_photo(&file(HEIC, "iphone_13_pro_max.HEIC", mime)).await;
        match result {
            Err(error) => {
                assert_eq!(error, expected, "type {mime:?}");
                let message = error.message();
                assert!(message.zh_cn.contains("无法读取“iphone_13_pro_max.HEIC”"));
                assert!(message.zh_cn.contains("HEIC"));
                assert!(message
                    .en
                    .contains("“iphone_13_pro_max.HEIC” cannot be read"));
                assert!(message.en.contains("HEIC"));
            }
            // A browser that decodes HEIC stores it like any photo.
            Ok(photo) => {
                assert!(decodes_heic(), "Chromium cannot decode HEIC");
                assert!(photo.width.max(photo.height) <= MAX_EDGE);
                assert_clean_jpeg(&photo, "HEIC").await;
            }
        }
    }
}

#[wasm_bindgen_test]
async fn a_corrupted_jpeg_is_undecodable() {
    let error = process_photo(&jpeg(CORRUPTED, "corrupted.jpg"))
        .await
        .expect_err("corrupted.jpg must not be stored");
    assert_eq!(
        error,
        PhotoError::Undecodable {
            file_name: "corrupted.jpg".into()
        }
    );
    assert!(error.message().zh_cn.contains("“corrupted.jpg”"));
    assert!(error.message().en.contains("“corrupted.jpg”"));
}

#[wasm_bindgen_test]
async fn a_text_file_is_not_an_image() {
    let notes = file(
        b"Smoke over the river at 7 am.\n",
        "notes.txt",
        "text/plain",
    );
    let error = process_photo(&notes)
        .await
        .expect_err("a text file is not a photo");
    assert_eq!(
        error,
        PhotoError::NotAnImage {
            file_name: "notes.txt".into()
        }
    );
    assert!(error.message().zh_cn.contains("“notes.txt”"));
    assert!(error.message().en.contains("“notes.txt”"));
}

fn performance() -> web_sys::Performance {
    web_sys::window()
        .and_then(|window| window.performance())
        .expect("performance")
}

/// The duration of the latest photo, as a benchmark reads it.
fn last_measure_ms() -> f64 {
    let entries = performance().get_entries_by_name(PERF_MEASURE);
    assert_eq!(entries.length(), 1, "one measure: the latest photo's");
    Reflect::get(&entries.get(0), &"duration".into())
        .expect("duration")
        .as_f64()
        .expect("a number")
}

#[wasm_bindgen_test]
async fn each_photo_is_measured_and_marks_do_not_pile_up() {
    for _ in 0..2 {
        process(NIKON, "DSCN0010.jpg").await;
        assert!(last_measure_ms() > 0.0);
        assert_eq!(
            performance().get_entries_by_name(PERF_START_MARK).length(),
            0
        );
    }
    let _ = process_photo(&jpeg(CORRUPTED, "corrupted.jpg")).await;
    assert!(last_measure_ms() > 0.0);
    assert_eq!(
        performance().get_entries_by_name(PERF_START_MARK).length(),
        0
    );
}

/// Per-photo timings for the two large phone photos (printed with
/// `-- --nocapture`); fails only if a photo takes absurdly long.
#[wasm_bindgen_test]
async fn timings_of_the_large_phone_photos() {
    for (bytes, name) in [
        (HMD, "HMD_Nokia_8.3_5G.jpg"),
        (IPHONE, "iphone_hdr_YES.jpg"),
    ] {
        let input = jpeg(bytes, name);
        let mut runs = Vec::new();
        for _ in 0..5 {
            process_photo(&input).await.expect("processes");
            runs.push(last_measure_ms());
        }
        runs.sort_by(f64::total_cmp);
        console_log!(
            "{name}: median {:.0} ms (runs {:?})",
            runs[runs.len() / 2],
            runs.iter().map(|ms| ms.round()).collect::<Vec<_>>()
        );
        assert!(runs[runs.len() / 2] < 5_000.0, "{name}: {runs:?}");
    }
}
