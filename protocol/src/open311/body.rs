//! What every GeoReport v2 answer can do: be written as JSON or XML.

use super::format::Format;

/// The answers this module can write in both formats.
pub trait Open311Body {
    /// The JSON answer.
    fn to_json(&self) -> String;
    /// The XML answer, with its declaration.
    fn to_xml(&self) -> String;

    fn render(&self, format: Format) -> String {
        match format {
            Format::Json => self.to_json(),
            Format::Xml => self.to_xml(),
        }
    }
}

/// JSON of a serialisable value; the wire types here always serialise.
pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}
