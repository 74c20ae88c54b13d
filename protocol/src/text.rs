//! Text that the server sends to people: always in both interface languages.

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

#[cfg(test)]
mod tests {
    use super::*;

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
