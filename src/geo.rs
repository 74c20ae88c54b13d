//! "Use my position": one Geolocation reading with its accuracy.

use protocol::LocalizedText;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A reading as the browser gave it; `protocol::report::GeoPoint::parse`
/// validates it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoError {
    Unsupported,
    PermissionDenied,
    Unavailable,
    Timeout,
}

impl GeoError {
    pub fn message(self) -> LocalizedText {
        match self {
            GeoError::Unsupported => LocalizedText::new(
                "此浏览器无法获取位置。请填写地址或附近的地标。",
                "This browser cannot tell your position. Type an address or a nearby landmark.",
            ),
            GeoError::PermissionDenied => LocalizedText::new(
                "未获得位置权限。请填写地址或附近的地标，或在浏览器设置中允许定位。",
                "Location access was refused. Type an address or a nearby landmark, or allow location in the browser settings.",
            ),
            GeoError::Unavailable => LocalizedText::new(
                "暂时无法确定位置。请填写地址或附近的地标。",
                "Your position cannot be found right now. Type an address or a nearby landmark.",
            ),
            GeoError::Timeout => LocalizedText::new(
                "定位超时。请再试一次，或填写地址或附近的地标。",
                "Finding your position took too long. Try again, or type an address or a nearby landmark.",
            ),
        }
    }
}

/// Asks for the current position (high accuracy, up to 20 s, a reading up
/// to one minute old is fine).
pub async fn current_position() -> Result<Reading, GeoError> {
    let window = web_sys::window().ok_or(GeoError::Unsupported)?;
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &"geolocation".into()).unwrap_or(false) {
        return Err(GeoError::Unsupported);
    }
    let geolocation = navigator.geolocation().map_err(|_| GeoError::Unsupported)?;
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(20_000);
    options.set_maximum_age(60_000);
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |position: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &position);
        });
        let err = Closure::once_into_js(move |error: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        if geolocation
            .get_current_position_with_error_callback_and_options(
                ok.unchecked_ref(),
                Some(err.unchecked_ref()),
                &options,
            )
            .is_err()
        {
            // The error callback will not run; nothing else to do here.
        }
    });
    match JsFuture::from(promise).await {
        Ok(position) => {
            let position: web_sys::Position = position.unchecked_into();
            let coords = position.coords();
            Ok(Reading {
                latitude: coords.latitude(),
                longitude: coords.longitude(),
                accuracy_m: coords.accuracy(),
            })
        }
        Err(error) => Err(
            match error.dyn_ref::<web_sys::PositionError>().map(|e| e.code()) {
                Some(1) => GeoError::PermissionDenied,
                Some(3) => GeoError::Timeout,
                _ => GeoError::Unavailable,
            },
        ),
    }
}
