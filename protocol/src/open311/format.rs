//! Which format and language an Open311 answer is in.
//!
//! The format is the resource's suffix (`requests.json`, `requests.xml`), as
//! the spec has it; a resource without one is refused (the route answers
//! 404). The language is the `locale` query parameter if it names one we
//! have (`zh-CN`, `en`), else the first such in `Accept-Language`, else
//! Simplified Chinese: service names and status notes come in that language.

use std::fmt;

/// The two formats GeoReport v2 defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Xml => "xml",
        }
    }
}

/// A path segment split into its name and format: `requests.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource<'a> {
    pub name: &'a str,
    pub format: Format,
}

impl<'a> Resource<'a> {
    /// `None` unless the segment ends in `.json` or `.xml` after a
    /// non-empty name.
    pub fn parse(segment: &'a str) -> Option<Resource<'a>> {
        let (name, suffix) = segment.rsplit_once('.')?;
        let format = match suffix {
            "json" => Format::Json,
            "xml" => Format::Xml,
            _ => return None,
        };
        (!name.is_empty()).then_some(Resource { name, format })
    }
}

/// The language of names and notes in an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

impl Locale {
    fn from_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "zh" => Some(Locale::ZhCn),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The `locale` parameter if we have it, else the first language of
    /// `Accept-Language` we have (by its order and `q`), else zh-CN.
    pub fn negotiate(param: Option<&str>, accept_language: Option<&str>) -> Locale {
        if let Some(locale) = param.and_then(Locale::from_tag) {
            return locale;
        }
        let mut best: Option<(f32, Locale)> = None;
        for item in accept_language.unwrap_or_default().split(',') {
            let mut parts = item.split(';');
            let Some(locale) = parts.next().and_then(Locale::from_tag) else {
                continue;
            };
            let q = parts
                .find_map(|part| part.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(best_q, _)| q > best_q) {
                best = Some((q, locale));
            }
        }
        best.map(|(_, locale)| locale).unwrap_or_default()
    }

    pub fn pick(self, text: crate::LocalizedStr) -> &'static str {
        match self {
            Locale::ZhCn => text.zh_cn,
            Locale::En => text.en,
        }
    }

    pub fn pick_owned(self, text: &crate::LocalizedText) -> &str {
        match self {
            Locale::ZhCn => &text.zh_cn,
            Locale::En => &text.en,
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suffix_chooses_the_format() {
        assert_eq!(
            Resource::parse("requests.json"),
            Some(Resource {
                name: "requests",
                format: Format::Json
            })
        );
        assert_eq!(
            Resource::parse("GW-2026-000001.xml"),
            Some(Resource {
                name: "GW-2026-000001",
                format: Format::Xml
            })
        );
        assert_eq!(Resource::parse("requests"), None);
        assert_eq!(Resource::parse("requests.html"), None);
        assert_eq!(Resource::parse(".json"), None);
    }

    #[test]
    fn the_parameter_wins_then_accept_language_by_quality() {
        assert_eq!(Locale::negotiate(Some("en"), Some("zh-CN")), Locale::En);
        assert_eq!(Locale::negotiate(Some("fr"), Some("en-GB")), Locale::En);
        assert_eq!(
            Locale::negotiate(None, Some("fr;q=1, zh-CN;q=0.5, en;q=0.8")),
            Locale::En
        );
        assert_eq!(Locale::negotiate(None, Some("zh-Hans-CN")), Locale::ZhCn);
        assert_eq!(Locale::negotiate(None, Some("en;q=0")), Locale::ZhCn);
        assert_eq!(Locale::negotiate(None, None), Locale::ZhCn);
    }
}
