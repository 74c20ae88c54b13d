//! The two interface languages and how the first one is picked.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    ZhCn,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The BCP 47 tag, as used in `<html lang>` and in storage.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Parses a stored tag; anything else is `None`, never a panic.
    pub fn from_tag(tag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|locale| locale.tag() == tag)
    }

    /// The language's own name for itself ("中文", "English").
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::ZhCn => "中文",
            Locale::En => "English",
        }
    }

    /// This language's half of a bilingual text from `protocol`.
    pub fn text(self, text: &protocol::LocalizedText) -> &str {
        match self {
            Locale::ZhCn => &text.zh_cn,
            Locale::En => &text.en,
        }
    }

    /// This language's half of a fixed bilingual label from `protocol`.
    pub fn label(self, label: protocol::LocalizedStr) -> &'static str {
        match self {
            Locale::ZhCn => label.zh_cn,
            Locale::En => label.en,
        }
    }

    /// The other interface language (there are two).
    pub fn other(self) -> Self {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }
}

/// Picks the interface language from the browser's preferred languages, in
/// order: the first Chinese or English tag wins; with neither, Chinese.
pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Locale {
    preferred
        .into_iter()
        .find_map(|tag| {
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            match primary.to_ascii_lowercase().as_str() {
                "zh" => Some(Locale::ZhCn),
                "en" => Some(Locale::En),
                _ => None,
            }
        })
        .unwrap_or(Locale::ZhCn)
}
