//! The citizen app's strings: one [`Strings`] table per language
//! (`zh_cn.rs`, `en.rs`); the compiler refuses a table with a missing entry,
//! so no language can fall behind. The language machinery and the strings
//! the shared components show are `web_shared::i18n`'s.

mod en;
mod strings;
mod zh_cn;

pub use strings::Strings;
pub use web_shared::i18n::{provide_i18n, shared, Locale};

/// The citizen table of `locale`.
pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::ZhCn => &zh_cn::STRINGS,
        Locale::En => &en::STRINGS,
    }
}

/// The language state, with this app's table.
#[derive(Debug, Clone, Copy)]
pub struct I18n(web_shared::i18n::I18n);

impl I18n {
    pub fn locale(&self) -> Locale {
        self.0.locale()
    }

    /// This app's strings in the current language (reactive).
    pub fn t(&self) -> &'static Strings {
        strings(self.0.locale())
    }

    /// The shared strings in the current language (reactive).
    pub fn shared(&self) -> &'static web_shared::i18n::Shared {
        self.0.shared()
    }
}

pub fn use_i18n() -> I18n {
    I18n(web_shared::i18n::use_i18n())
}

/// A reactive string from this app's table: `tr(|s| s.home_title)`.
pub fn tr(
    key: fn(&Strings) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    web_shared::i18n::text(strings, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_differ_where_they_must() {
        let zh = strings(Locale::ZhCn);
        let en = strings(Locale::En);
        assert_ne!(zh.home_title, en.home_title);
        assert_ne!(zh.about_title, en.about_title);
    }
}
