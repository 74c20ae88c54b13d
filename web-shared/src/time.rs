//! Time as the app shows and reads it: the device's local time zone.

use protocol::report::UnixMillis;
use wasm_bindgen::JsValue;

pub fn now() -> UnixMillis {
    UnixMillis(js_sys::Date::now() as i64)
}

/// `YYYY-MM-DDTHH:MM` in local time, the value of `<input type="datetime-local">`.
pub fn to_local_input(at: UnixMillis) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.0 as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// Reads a `datetime-local` value as local time; `None` if it is not one.
pub fn from_local_input(value: &str) -> Option<UnixMillis> {
    if value.len() < 16 {
        return None;
    }
    let millis = js_sys::Date::new(&JsValue::from_str(value)).get_time();
    millis.is_finite().then_some(UnixMillis(millis as i64))
}

/// A short local date and time for lists, e.g. `2026-11-29 14:05`.
pub fn display(at: UnixMillis) -> String {
    to_local_input(at).replacen('T', " ", 1)
}
