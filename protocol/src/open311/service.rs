//! Our categories as Open311 services, their definitions, and the discovery
//! document.
//!
//! Each [`Category`] is one service: `service_code` is its stable code,
//! `service_name` and `description` its name and hint in the answer's
//! language, `group` its 12369 class. No service has extra attributes
//! (`metadata: false`); a definition is still answered, with an empty
//! attribute list, so clients that always ask get a sensible answer.

use serde::Serialize;

use super::body::{json, Open311Body};
use super::format::Locale;
use super::xml::XmlWriter;
use crate::report::Category;

/// When this endpoint's services or behaviour last changed (discovery's
/// `changeset`).
pub const CHANGESET: &str = "2026-11-29T00:00:00Z";
/// The specification discovery points to.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub service_code: &'static str,
    pub service_name: &'static str,
    pub description: &'static str,
    pub metadata: bool,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub keywords: &'static str,
    pub group: &'static str,
}

impl Service {
    pub fn of(category: Category, locale: Locale) -> Service {
        Service {
            service_code: category.code(),
            service_name: locale.pick(category.name()),
            description: locale.pick(category.hint()),
            metadata: false,
            // A request becomes a case with its number at once.
            kind: "realtime",
            keywords: category.class().code(),
            group: locale.pick(category.class().name()),
        }
    }

    /// Every category, in the app's order.
    pub fn all(locale: Locale) -> Vec<Service> {
        Category::ALL
            .into_iter()
            .map(|category| Service::of(category, locale))
            .collect()
    }
}

impl Open311Body for [Service] {
    fn to_json(&self) -> String {
        json(self)
    }

    fn to_xml(&self) -> String {
        let mut xml = XmlWriter::new();
        xml.start("services");
        for service in self {
            xml.start("service")
                .text("service_code", service.service_code)
                .text("service_name", service.service_name)
                .text("description", service.description)
                .text("metadata", if service.metadata { "true" } else { "false" })
                .text("type", service.kind)
                .text("keywords", service.keywords)
                .text("group", service.group)
                .end();
        }
        xml.finish()
    }
}

/// `GET services/{code}`: no extra attributes for any of our services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceDefinition {
    pub service_code: &'static str,
    pub attributes: Vec<()>,
}

impl ServiceDefinition {
    pub fn of(category: Category) -> ServiceDefinition {
        ServiceDefinition {
            service_code: category.code(),
            attributes: Vec::new(),
        }
    }
}

impl Open311Body for ServiceDefinition {
    fn to_json(&self) -> String {
        json(self)
    }

    fn to_xml(&self) -> String {
        let mut xml = XmlWriter::new();
        xml.start("service_definition")
            .text("service_code", self.service_code)
            .start("attributes");
        xml.finish()
    }
}

/// The discovery document: where the endpoint is and what it speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Discovery {
    pub changeset: &'static str,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<Endpoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub specification: &'static str,
    pub url: String,
    pub changeset: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub formats: [&'static str; 2],
}

impl Discovery {
    /// The endpoint at `endpoint_url` (the public URL and the base path).
    pub fn new(endpoint_url: String, contact: String, key_service: String) -> Discovery {
        Discovery {
            changeset: CHANGESET,
            contact,
            key_service,
            endpoints: vec![Endpoint {
                specification: SPECIFICATION,
                url: endpoint_url,
                changeset: CHANGESET,
                kind: "production",
                formats: ["text/xml", "application/json"],
            }],
        }
    }
}

impl Open311Body for Discovery {
    fn to_json(&self) -> String {
        json(self)
    }

    fn to_xml(&self) -> String {
        let mut xml = XmlWriter::new();
        xml.start("discovery")
            .text("changeset", self.changeset)
            .text("contact", &self.contact)
            .text("key_service", &self.key_service)
            .start("endpoints");
        for endpoint in &self.endpoints {
            xml.start("endpoint")
                .text("specification", endpoint.specification)
                .text("url", &endpoint.url)
                .text("changeset", endpoint.changeset)
                .text("type", endpoint.kind)
                .start("formats");
            for format in endpoint.formats {
                xml.text("format", format);
            }
            xml.end().end();
        }
        xml.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_is_a_service_named_in_the_answers_language() {
        let en = Service::all(Locale::En);
        assert_eq!(en.len(), Category::ALL.len());
        assert_eq!(en[3].service_code, "air");
        assert_eq!(en[3].service_name, "Air pollution");
        assert_eq!(Service::all(Locale::ZhCn)[3].service_name, "大气污染");
        let json: serde_json::Value = serde_json::from_str(&en.to_json()).unwrap();
        assert_eq!(json[3]["type"], "realtime");
        assert_eq!(json[3]["metadata"], false);
        assert!(en
            .to_xml()
            .contains("<service><service_code>water</service_code>"));
    }

    #[test]
    fn a_definition_has_no_attributes() {
        let definition = ServiceDefinition::of(Category::Noise);
        assert_eq!(
            definition.to_json(),
            r#"{"service_code":"noise","attributes":[]}"#
        );
        assert!(definition
            .to_xml()
            .ends_with("<service_definition><service_code>noise</service_code><attributes></attributes></service_definition>"));
    }
}
