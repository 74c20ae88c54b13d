//! The reporting channels the app shows (Home's urgent line, the channels
//! page): the list bundled in the build (`protocol::channels::BUNDLED_FILE`),
//! replaced by a newer version the server serves at `CHANNELS_ROUTE`. The
//! newer list is kept in `localStorage` as the server's JSON text, so it
//! shows with no network after one visit; a kept text that no longer parses
//! is ignored (the bundled list is shown) and replaced by the next one the
//! server sends.
//!
//! Which channels show on a day and which line Home offers are
//! `protocol::channels`' rules (`shown_on`, `urgent_line`), with today's
//! date in China Standard Time; this module only loads, keeps and fetches.
//! JSON is read through the browser's parser (`web_shared::json`), not
//! serde_json, for the first load's size.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::calendar::Date;
use protocol::channels::{
    Channel, ChannelFile, ChannelKind, ChannelList, ChannelsQuery, BUNDLED_FILE, CHANNELS_ROUTE,
};
use web_shared::http;

/// The `localStorage` key of the newer list the server sent.
pub const KEPT_KEY: &str = "greenwatch.channels";

/// The channel list on screen, provided by the root component. `None`
/// until it is read (a task after the first) and if not even the bundled
/// list could be read (a broken build).
#[derive(Debug, Clone, Copy)]
pub struct Channels(RwSignal<Option<ChannelList>>);

impl Channels {
    /// The list, reactively.
    pub fn with<R>(&self, f: impl FnOnce(Option<&ChannelList>) -> R) -> R {
        self.0.with(|list| f(list.as_ref()))
    }

    /// The list to show before the server answers, read now.
    pub fn load() -> Channels {
        Channels(RwSignal::new(Self::read_lists()))
    }

    /// The bundled list or the kept one, whichever is newer ([`choose`]).
    fn read_lists() -> Option<ChannelList> {
        let kept = storage::read().and_then(|text| read(&text));
        choose(read(BUNDLED_FILE), kept)
    }

    /// A channel file's JSON text the server sent: if it reads and its
    /// version is higher than the list shown, it is kept (in
    /// `localStorage`, as sent) and shown. Says whether it was taken.
    pub fn take(&self, text: &str) -> bool {
        let Some(received) = read(text) else {
            return false;
        };
        if !self.with(|current| replaces(&received, current)) {
            return false;
        }
        storage::write(text);
        self.0.set(Some(received));
        true
    }
}

/// Today in China: the day `valid_until` is compared with.
pub fn today() -> Date {
    Date::china_today(web_shared::time::now())
}

/// How long after the page's start the server is asked for a newer list.
/// The list changes a few times a year and the one shown is already right
/// for today; on a slow network the page's own first requests (and the
/// service worker's first download) go first. Measured: a refresh sent
/// while Home was still painting held back its first full paint by one
/// round trip in Lighthouse's Slow 4G.
pub const REFRESH_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// Provides the list: bundled or kept, whichever is newer, read in a task
/// of its own right after the page's first one (reading it through the
/// browser's JSON parser and back was the largest piece of Home's start,
/// and the page shows without it); then, [`REFRESH_AFTER`] later, asks the
/// server for a newer one (the page never waits for it).
pub fn provide_channels() -> Channels {
    let channels = Channels(RwSignal::new(None));
    provide_context(channels);
    set_timeout(
        move || channels.0.set(Channels::read_lists()),
        std::time::Duration::ZERO,
    );
    set_timeout(move || spawn_local(refresh(channels)), REFRESH_AFTER);
    channels
}

pub fn use_channels() -> Channels {
    expect_context::<Channels>()
}

/// A channel file's JSON text as a checked list, through the browser's JSON
/// parser; `None` for anything that is not a valid list (why is of no use
/// here, and leaving the error texts out keeps the build small).
pub fn read(text: &str) -> Option<ChannelList> {
    web_shared::json::parse::<ChannelFile>(text)?.check().ok()
}

/// `GET /api/v1/channels?newer_than=<shown>`: a list newer than the one
/// shown replaces it and is kept. The server sends nothing (204) when its
/// list is not newer, so the usual answer costs no reading at all. No
/// answer, another status or a list that does not parse changes nothing.
async fn refresh(channels: Channels) {
    let route = channels
        .with(|list| list.map(ChannelList::version))
        .map_or_else(|| CHANNELS_ROUTE.to_owned(), ChannelsQuery::href);
    let Ok(response) = http::fetch("GET", &route, &[], None, http::SHORT_TIMEOUT).await else {
        return;
    };
    if response.status() != 200 {
        return;
    }
    if let Some(text) = http::text(&response).await {
        channels.take(&text);
    }
}

/// The list to show from the bundled one and the kept one, either of which
/// may be missing or unreadable: the higher version (the bundled one when
/// equal, so a new build's corrections win over an old server's copy of the
/// same version).
pub fn choose(bundled: Option<ChannelList>, kept: Option<ChannelList>) -> Option<ChannelList> {
    match (bundled, kept) {
        (Some(bundled), Some(kept)) => Some(ChannelList::newest(bundled, kept)),
        (bundled, kept) => bundled.or(kept),
    }
}

/// Whether a list the server sent replaces the one shown: only a higher
/// version does.
pub fn replaces(received: &ChannelList, current: Option<&ChannelList>) -> bool {
    current.is_none_or(|current| received.version() > current.version())
}

/// Where the channel's contact leads: `tel:` for a phone line, the address
/// of a website; WeChat and in-person channels are text only.
pub fn contact_href(channel: &Channel) -> Option<String> {
    match channel.kind() {
        ChannelKind::Phone => channel.phone_number().map(|number| format!("tel:{number}")),
        // Checked by protocol: an http(s) address, the same in both languages.
        ChannelKind::Web => Some(channel.contact().en.clone()),
        ChannelKind::Wechat | ChannelKind::InPerson => None,
    }
}

/// The browser's `localStorage`, where the kept list lives.
mod storage {
    use super::KEPT_KEY;

    fn local() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn read() -> Option<String> {
        local()?.get_item(KEPT_KEY).ok().flatten()
    }

    /// Private mode or a full disk: the list lasts this visit only.
    pub fn write(text: &str) {
        if let Some(storage) = local() {
            let _ = storage.set_item(KEPT_KEY, text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::channels::bundled;

    /// The bundled list with another version and its first channel renamed.
    fn version(v: u32) -> ChannelList {
        let mut json: serde_json::Value = serde_json::from_str(BUNDLED_FILE).expect("bundled JSON");
        json["version"] = v.into();
        json["channels"][0]["name"]["en"] = format!("version {v}").into();
        ChannelList::parse(&json.to_string()).expect("valid")
    }

    fn first_name(list: Option<ChannelList>) -> Option<String> {
        list.map(|l| l.channels()[0].name().en.clone())
    }

    #[test]
    fn the_newer_of_bundled_and_kept_is_shown_and_either_alone_will_do() {
        assert_eq!(
            first_name(choose(Some(version(1)), Some(version(2)))),
            Some("version 2".into())
        );
        // A build bundling a higher version than the kept copy wins.
        assert_eq!(
            first_name(choose(Some(version(3)), Some(version(2)))),
            Some("version 3".into())
        );
        // On a tie the build's own copy wins.
        assert_eq!(
            first_name(choose(Some(version(2)), Some(version(2)))),
            Some("version 2".into())
        );
        // A kept text that did not parse is no list at all.
        assert_eq!(
            first_name(choose(Some(version(1)), None)),
            Some("version 1".into())
        );
        assert_eq!(
            first_name(choose(None, Some(version(2)))),
            Some("version 2".into())
        );
        assert_eq!(choose(None, None), None);
    }

    #[test]
    fn only_a_higher_version_from_the_server_replaces_the_list() {
        assert!(replaces(&version(2), Some(&version(1))));
        assert!(!replaces(&version(1), Some(&version(1))));
        assert!(!replaces(&version(1), Some(&version(2))));
        assert!(replaces(&version(1), None));
    }

    #[test]
    fn phones_link_with_tel_websites_to_their_address_and_the_rest_are_text() {
        let list = bundled();
        let href = |id: &str| {
            let channel = list
                .channels()
                .iter()
                .find(|c| c.id().as_str() == id)
                .expect("channel");
            contact_href(channel)
        };
        assert_eq!(href("hotline-12345").as_deref(), Some("tel:12345"));
        assert_eq!(href("emergency-110").as_deref(), Some("tel:110"));
        assert_eq!(
            href("mee-online").as_deref(),
            Some("https://www.mee.gov.cn/")
        );
        assert_eq!(href("mee-wechat"), None);
        assert_eq!(href("in-person"), None);
        // No channel anywhere leads to the switched-off 12369 lines.
        assert!(list
            .channels()
            .iter()
            .filter_map(contact_href)
            .all(|href| !href.contains("12369")));
    }

    #[test]
    fn home_offers_12345_today() {
        let today = Date::parse("2026-12-02").expect("date");
        let line = bundled().urgent_line(today).map(contact_href);
        assert_eq!(line, Some(Some("tel:12345".into())));
    }
}
