//! The spec's error answer: a list of `{code, description}`, in JSON
//! `[{"code": 400, "description": "…"}]` and in XML
//! `<errors><error><code>400</code><description>…</description></error></errors>`.
//! `code` repeats the HTTP status.

use serde::Serialize;

use super::body::Open311Body;
use super::xml::XmlWriter;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Open311Error {
    pub code: u16,
    pub description: String,
}

/// One or more errors answered together, all with the same status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Errors {
    status: u16,
    errors: Vec<Open311Error>,
}

impl Open311Errors {
    /// One error with `status`.
    pub fn one(status: u16, description: impl Into<String>) -> Open311Errors {
        Open311Errors::many(status, [description.into()])
    }

    /// Several errors with `status`, one per description.
    pub fn many(status: u16, descriptions: impl IntoIterator<Item = String>) -> Open311Errors {
        let errors = descriptions
            .into_iter()
            .map(|description| Open311Error {
                code: status,
                description,
            })
            .collect();
        Open311Errors { status, errors }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn errors(&self) -> &[Open311Error] {
        &self.errors
    }
}

impl Open311Body for Open311Errors {
    fn to_json(&self) -> String {
        super::body::json(&self.errors)
    }

    fn to_xml(&self) -> String {
        let mut xml = XmlWriter::new();
        xml.start("errors");
        for error in &self.errors {
            xml.start("error")
                .text("code", &error.code.to_string())
                .text("description", &error.description)
                .end();
        }
        xml.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats_list_every_error() {
        let errors = Open311Errors::many(400, ["a".to_owned(), "b & c".to_owned()]);
        assert_eq!(
            errors.to_json(),
            r#"[{"code":400,"description":"a"},{"code":400,"description":"b & c"}]"#
        );
        assert_eq!(
            errors.to_xml(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><errors>\
             <error><code>400</code><description>a</description></error>\
             <error><code>400</code><description>b &amp; c</description></error></errors>"
        );
    }
}
