//! Keeps `document.title` in step with the page and the language.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Sets the tab title to "<page> · <app name>" while the page is shown;
/// `title` is a reactive string from the app's table.
pub fn use_page_title(title: impl Fn() -> &'static str + 'static) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let app_name = i18n.shared().app_name;
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&format!("{} · {}", title(), app_name));
        }
    });
}
