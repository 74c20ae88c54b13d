//! Text shown to people: always in both interface languages.
//!
//! [`LocalizedText`] owns its strings and crosses the network;
//! [`LocalizedStr`] is its compile-time twin for fixed names, hints and labels.

use serde::{Deserialize, Serialize};

/// A message in Simplified Chinese and English.
///
/// The server answers in both languages so the app can show the one its user
/// picked, whatever language the request came in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    pub en: String,
}

impl LocalizedText {
    pub fn new(zh_cn: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh_cn: zh_cn.into(),
            en: en.into(),
        }
    }
}

/// A fixed message in Simplified Chinese and English, known at compile time.
///
/// Used for names, hints and labels (category names, report states). `Copy`
/// and allocation-free; [`LocalizedStr::to_owned_text`] makes the owned
/// [`LocalizedText`] when one must be stored or sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct LocalizedStr {
    #[serde(rename = "zh-CN")]
    pub zh_cn: &'static str,
    pub en: &'static str,
}

impl LocalizedStr {
    pub const fn new(zh_cn: &'static str, en: &'static str) -> Self {
        Self { zh_cn, en }
    }

    /// The same text, owned.
    pub fn to_owned_text(self) -> LocalizedText {
        LocalizedText::new(self.zh_cn, self.en)
    }
}

impl From<LocalizedStr> for LocalizedText {
    fn from(text: LocalizedStr) -> Self {
        text.to_owned_text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_str_becomes_the_same_owned_text() {
        let text = LocalizedStr::new("草稿", "Draft");
        assert_eq!(text.to_owned_text(), LocalizedText::new("草稿", "Draft"));
        assert_eq!(
            serde_json::to_value(text).expect("serialise"),
            serde_json::to_value(text.to_owned_text()).expect("serialise")
        );
    }

    #[test]
    fn serialises_with_bcp47_keys() {
        let text = LocalizedText::new("未找到", "Not found");
        let json = serde_json::to_value(&text).expect("serialise");
        assert_eq!(json["zh-CN"], "未找到");
        assert_eq!(json["en"], "Not found");
    }

    #[test]
    fn rejects_a_body_missing_a_language() {
        let err = serde_json::from_str::<LocalizedText>(r#"{"en":"only English"}"#);
        assert!(err.is_err());
    }
}
