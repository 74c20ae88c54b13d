//! Interface languages, Simplified Chinese first and English second: the
//! machinery every app uses.
//!
//! The language is negotiated from the browser's languages on first visit,
//! can be switched, and is remembered in `localStorage` (one choice for all
//! three apps). Each app keeps its visible strings in a table of its own per
//! language (a missing entry does not compile) and reads them through
//! [`text`], which is reactive: switching language re-renders in place. The
//! strings the shared components show are in [`Shared`].

mod locale;
mod shared;

use leptos::prelude::*;
pub use locale::{negotiate, Locale};
pub use shared::{shared_strings, Shared};

/// The key under which the chosen language is remembered.
pub const STORAGE_KEY: &str = "greenwatch.locale";

/// The app-wide language state, provided as context by [`provide_i18n`].
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The shared strings of the current language (reactive).
    pub fn shared(&self) -> &'static Shared {
        shared_strings(self.locale.get())
    }

    /// Switches language, remembers the choice and updates `<html lang>`.
    pub fn set_locale(&self, locale: Locale) {
        self.locale.set(locale);
        browser::remember(locale);
    }
}

/// Creates the language state from storage or the browser, and provides it.
pub fn provide_i18n() -> I18n {
    let initial = browser::remembered().unwrap_or_else(browser::negotiated);
    let i18n = I18n {
        locale: RwSignal::new(initial),
    };
    Effect::new(move |_| browser::apply_to_document(i18n.locale.get()));
    provide_context(i18n);
    i18n
}

/// A reactive string from an app's table: `table` gives the table of a
/// language, `key` picks the string. Apps wrap it (`tr`, `st`, `lt`) with
/// their own table.
///
/// Every call returns the same closure type (the key is a plain `fn`), so
/// the view code that renders it is compiled once, not once per string: this
/// keeps the wasm small.
pub fn text<T: 'static>(
    table: fn(Locale) -> &'static T,
    key: fn(&T) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || key(table(i18n.locale()))
}

/// A bilingual text (an error from `protocol`, say), when there is one, in
/// the current language: reactive to both.
pub fn localized(
    text: impl Fn() -> Option<protocol::LocalizedText> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    let i18n = use_i18n();
    Signal::derive(move || text().map(|text| i18n.locale().text(&text).to_owned()))
}

/// A reactive string from the shared table.
pub fn shared(
    key: fn(&Shared) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    text(shared_strings, key)
}

/// The language state; panics only if [`provide_i18n`] was not called by
/// the root component, which is a programming error.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// The thin browser glue: storage, navigator, document.
mod browser {
    use super::locale::{negotiate, Locale};
    use super::STORAGE_KEY;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn remembered() -> Option<Locale> {
        let tag = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
        Locale::from_tag(&tag)
    }

    pub fn remember(locale: Locale) {
        if let Some(storage) = storage() {
            // Private mode or a full disk: the choice lasts this visit only.
            let _ = storage.set_item(STORAGE_KEY, locale.tag());
        }
    }

    pub fn negotiated() -> Locale {
        let Some(window) = web_sys::window() else {
            return Locale::ZhCn;
        };
        let languages: Vec<String> = window
            .navigator()
            .languages()
            .iter()
            .filter_map(|value| value.as_string())
            .collect();
        negotiate(languages.iter().map(String::as_str))
    }

    pub fn apply_to_document(locale: Locale) {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", locale.tag());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_browsers_get_chinese() {
        for tag in ["zh-CN", "zh", "zh-TW", "zh-Hans-CN", "ZH_cn"] {
            assert_eq!(negotiate([tag]), Locale::ZhCn, "{tag}");
        }
    }

    #[test]
    fn english_browsers_get_english() {
        for tag in ["en", "en-US", "en-GB"] {
            assert_eq!(negotiate([tag]), Locale::En, "{tag}");
        }
    }

    #[test]
    fn the_first_supported_language_wins() {
        assert_eq!(negotiate(["fr-FR", "en-US", "zh-CN"]), Locale::En);
        assert_eq!(negotiate(["de", "zh-CN", "en"]), Locale::ZhCn);
    }

    #[test]
    fn chinese_is_the_default() {
        assert_eq!(negotiate([]), Locale::ZhCn);
        assert_eq!(negotiate(["fr", "ja", ""]), Locale::ZhCn);
    }

    #[test]
    fn tags_round_trip_and_bad_tags_are_refused() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
        }
        assert_eq!(Locale::from_tag("fr"), None);
        assert_eq!(Locale::from_tag(""), None);
    }

    #[test]
    fn the_shared_tables_differ_where_they_must() {
        let zh = shared_strings(Locale::ZhCn);
        let en = shared_strings(Locale::En);
        assert_ne!(zh.nav_home, en.nav_home);
        assert_ne!(zh.app_name, en.app_name);
    }
}
