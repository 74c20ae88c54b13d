//! Browser tests of the app shell, run in headless Chromium by
//! `wasm-bindgen-test-runner` (see webdriver.json).
#![cfg(target_arch = "wasm32")]

use greenwatch_app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_shared::i18n::{negotiate, Locale, STORAGE_KEY};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn storage() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage")
}

fn browser_locale() -> Locale {
    let languages: Vec<String> = web_sys::window()
        .expect("window")
        .navigator()
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    negotiate(languages.iter().map(String::as_str))
}

fn mount() -> (
    HtmlElement,
    leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>,
) {
    let host: HtmlElement = document()
        .create_element("div")
        .expect("div")
        .unchecked_into();
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    let handle = leptos::mount::mount_to(host.clone(), App);
    (host, handle)
}

fn nav_labels(host: &HtmlElement) -> String {
    host.query_selector("nav")
        .expect("query")
        .expect("a nav element")
        .text_content()
        .unwrap_or_default()
}

fn language_button(host: &HtmlElement) -> HtmlElement {
    host.query_selector("button.language-switch")
        .expect("query")
        .expect("the language switch")
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn the_language_follows_the_browser_switches_and_is_remembered() {
    storage().remove_item(STORAGE_KEY).expect("clear");

    // First visit: the browser's language decides.
    let first = browser_locale();
    let (host, handle) = mount();
    leptos::task::tick().await;
    assert!(nav_labels(&host).contains(web_shared::i18n::shared_strings(first).nav_new_report));
    assert_eq!(
        document()
            .document_element()
            .expect("html")
            .get_attribute("lang")
            .as_deref(),
        Some(first.tag())
    );

    // The switch names the other language and moves the whole UI to it.
    let button = language_button(&host);
    assert_eq!(
        button.text_content().as_deref(),
        Some(first.other().native_name())
    );
    button.click();
    leptos::task::tick().await;
    let second = first.other();
    let labels = nav_labels(&host);
    assert!(
        labels.contains(web_shared::i18n::shared_strings(second).nav_new_report),
        "{labels}"
    );
    assert!(
        !labels.contains(web_shared::i18n::shared_strings(first).nav_new_report),
        "{labels}"
    );
    assert_eq!(
        storage().get_item(STORAGE_KEY).expect("read").as_deref(),
        Some(second.tag())
    );
    drop(handle);
    host.remove();

    // A later visit starts in the remembered language.
    let (host, handle) = mount();
    leptos::task::tick().await;
    assert!(nav_labels(&host).contains(web_shared::i18n::shared_strings(second).nav_new_report));
    drop(handle);
    host.remove();
    storage().remove_item(STORAGE_KEY).expect("clear");
}

#[wasm_bindgen_test]
async fn a_corrupt_stored_language_falls_back_to_the_browser() {
    storage().set_item(STORAGE_KEY, "klingon").expect("write");
    let (host, handle) = mount();
    leptos::task::tick().await;
    assert!(nav_labels(&host)
        .contains(web_shared::i18n::shared_strings(browser_locale()).nav_new_report));
    drop(handle);
    host.remove();
    storage().remove_item(STORAGE_KEY).expect("clear");
}

/// Where the link of Home's urgent line leads.
fn urgent_link(host: &HtmlElement) -> Option<String> {
    host.query_selector(".home .notice a")
        .expect("query")?
        .get_attribute("href")
}

#[wasm_bindgen_test]
fn the_bundled_channels_read_through_the_browsers_parser_as_protocol_reads_them() {
    use protocol::channels::{bundled, BUNDLED_FILE};
    assert_eq!(
        greenwatch_app::channels::read(BUNDLED_FILE),
        Some(bundled())
    );
    assert_eq!(greenwatch_app::channels::read("{\"version\": 2}"), None);
    assert_eq!(greenwatch_app::channels::read("not JSON"), None);
}

#[wasm_bindgen_test]
async fn home_offers_the_kept_channel_list_and_ignores_a_kept_copy_that_no_longer_reads() {
    use greenwatch_app::channels::KEPT_KEY;
    use protocol::channels::BUNDLED_FILE;

    // A newer list kept from the server, whose urgent line is another number.
    let newer = BUNDLED_FILE
        .replacen("\"version\": 1,", "\"version\": 2,", 1)
        .replace(
            "\"zh-CN\": \"12345\",\n        \"en\": \"12345\"",
            "\"zh-CN\": \"0574-12345\",\n        \"en\": \"0574-12345\"",
        );
    assert_ne!(newer, BUNDLED_FILE);
    storage().set_item(KEPT_KEY, &newer).expect("write");
    let (host, handle) = mount();
    leptos::task::tick().await;
    assert_eq!(urgent_link(&host).as_deref(), Some("tel:0574-12345"));
    drop(handle);
    host.remove();

    // A kept copy this version cannot read: the bundled list.
    storage()
        .set_item(KEPT_KEY, "{\"version\": 3, \"channels\": \"?\"}")
        .expect("write");
    let (host, handle) = mount();
    leptos::task::tick().await;
    assert_eq!(urgent_link(&host).as_deref(), Some("tel:12345"));
    drop(handle);
    host.remove();
    storage().remove_item(KEPT_KEY).expect("clear");
}
