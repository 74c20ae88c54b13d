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

/// The bundled channel file with another version and another number for its
/// urgent line (`hotline-12345`, the first channel), as the server would
/// send it.
fn channel_file(version: u32, urgent_number: &str) -> String {
    use protocol::channels::BUNDLED_FILE;
    let mut json: serde_json::Value = serde_json::from_str(BUNDLED_FILE).expect("bundled JSON");
    json["version"] = version.into();
    let urgent = &mut json["channels"][0];
    assert_eq!(
        urgent["urgent"], true,
        "the bundled file's first channel is its urgent line"
    );
    urgent["contact"]["zh-CN"] = urgent_number.into();
    urgent["contact"]["en"] = urgent_number.into();
    json.to_string()
}

#[wasm_bindgen_test]
fn a_newer_list_from_the_server_is_kept_and_read_back_an_older_or_broken_one_is_not() {
    use greenwatch_app::channels::{Channels, KEPT_KEY};
    use protocol::channels::bundled;

    storage().remove_item(KEPT_KEY).expect("clear");
    let owner = leptos::prelude::Owner::new();
    owner.with(|| {
        let bundled_version = bundled().version();
        let urgent = |channels: &Channels| {
            channels.with(|list| {
                let list = list.expect("a list");
                let line = list.urgent_line(greenwatch_app::channels::today());
                (
                    list.version(),
                    line.and_then(|l| l.phone_number()).map(str::to_owned),
                )
            })
        };
        let channels = Channels::load();
        assert_eq!(urgent(&channels), (bundled_version, Some("12345".into())));

        // The same version or an older one, or a file that does not read:
        // nothing changes and nothing is kept.
        assert!(!channels.take(&channel_file(bundled_version, "0574-11111")));
        assert!(!channels.take("{\"version\": 99}"));
        assert!(!channels.take("not JSON"));
        assert_eq!(storage().get_item(KEPT_KEY).expect("read"), None);
        assert_eq!(urgent(&channels), (bundled_version, Some("12345".into())));

        // A newer one is shown and kept as sent.
        let newer = channel_file(bundled_version + 1, "0574-12345");
        assert!(channels.take(&newer));
        assert_eq!(
            urgent(&channels),
            (bundled_version + 1, Some("0574-12345".into()))
        );
        assert_eq!(
            storage().get_item(KEPT_KEY).expect("read"),
            Some(newer.clone())
        );

        // After a reload (no network): the kept list, not the bundled one.
        let reloaded = Channels::load();
        assert_eq!(
            urgent(&reloaded),
            (bundled_version + 1, Some("0574-12345".into()))
        );
        // And once it is shown, the server's copy of it changes nothing.
        assert!(!reloaded.take(&newer));
    });
    storage().remove_item(KEPT_KEY).expect("clear");
}

/// Waits past the page's first task: the app reads the channel list in a
/// task of its own after it (`channels::provide_channels`).
async fn after_the_first_task() {
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .expect("timer");
    });
    wasm_bindgen_futures::JsFuture::from(timer)
        .await
        .expect("timer");
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn home_offers_the_kept_channel_list_and_ignores_a_kept_copy_that_no_longer_reads() {
    use greenwatch_app::channels::KEPT_KEY;
    use protocol::channels::bundled;

    // A newer list kept from the server, whose urgent line is another number.
    let newer = channel_file(bundled().version() + 1, "0574-12345");
    storage().set_item(KEPT_KEY, &newer).expect("write");
    let (host, handle) = mount();
    after_the_first_task().await;
    assert_eq!(urgent_link(&host).as_deref(), Some("tel:0574-12345"));
    drop(handle);
    host.remove();

    // A kept copy this version cannot read: the bundled list.
    storage()
        .set_item(KEPT_KEY, "{\"version\": 3, \"channels\": \"?\"}")
        .expect("write");
    let (host, handle) = mount();
    after_the_first_task().await;
    assert_eq!(urgent_link(&host).as_deref(), Some("tel:12345"));
    drop(handle);
    host.remove();
    storage().remove_item(KEPT_KEY).expect("clear");
}
