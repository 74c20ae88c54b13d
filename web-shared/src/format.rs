//! Numbers as text, formatted by the browser (`Number.prototype.toFixed`):
//! Rust's float formatting machinery would add kilobytes to the wasm.

/// `value` with `digits` decimals, e.g. `fixed(30.169712, 5)` is `30.16971`.
pub fn fixed(value: f64, digits: u8) -> String {
    js_sys::Number::from(value)
        .to_fixed(digits)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// Bytes as a short human figure: `512 B`, `1.2 MB`.
pub fn bytes(count: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = count.max(0.0);
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let digits = if unit == 0 { 0 } else { 1 };
    format!("{} {}", fixed(value, digits), UNITS[unit])
}
