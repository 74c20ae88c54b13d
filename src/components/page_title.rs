//! Keeps `document.title` in step with the page and the language.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Strings};

/// Sets the tab title to "<page> · <app name>" while the page is shown.
pub fn use_page_title(title: fn(&Strings) -> &'static str) {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let strings = i18n.t();
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&format!("{} · {}", title(strings), strings.app_name));
        }
    });
}
