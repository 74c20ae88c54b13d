//! About (the channels page): the ways to report shown today, from
//! `protocol::channels` (bundled, or the newer list the server sent), each
//! with its contact, hours, purpose and the day it was checked at its
//! sources; then the bureau's commitment and rewards, and which build of the
//! app is running.

use leptos::prelude::*;
use protocol::channels::{Channel, ChannelKind};

use crate::build_info::build_label;
use crate::channels::{contact_href, today, use_channels};
use crate::components::use_page_title;
use crate::i18n::{strings, tr, use_i18n, Locale};

#[component]
pub fn About() -> impl IntoView {
    use_page_title(|s| s.about_title);
    let channels = use_channels();
    let i18n = use_i18n();
    let list = move || {
        let locale = i18n.locale();
        channels.with(|list| {
            list.map(|list| {
                list.shown_on(today())
                    .map(|channel| channel_item(channel, locale))
                    .collect_view()
            })
        })
    };
    view! {
        <section class="page about">
            <h1>{tr(|s| s.about_title)}</h1>
            <p>{tr(|s| s.about_intro)}</p>
            <ul class="channels">{list}</ul>

            <h2>{tr(|s| s.about_practice_title)}</h2>
            <p>{tr(|s| s.about_practice_body)}</p>

            <h2>{tr(|s| s.about_reward_title)}</h2>
            <p>{tr(|s| s.about_reward_body)}</p>

            <p class="build">
                {tr(|s| s.about_version)} ": " <span data-testid="build-label">{build_label()}</span>
            </p>
        </section>
    }
}

/// One channel: name, kind and contact (a phone number as a `tel:` link, a
/// website as a link, the rest as text), what it is for, its hours, and the
/// day it was checked with its sources behind a disclosure.
fn channel_item(channel: &Channel, locale: Locale) -> impl IntoView {
    let s = strings(locale);
    let text = |text| locale.text(text).to_owned();
    let kind = match channel.kind() {
        ChannelKind::Phone => s.channel_phone,
        ChannelKind::Web => s.channel_web,
        ChannelKind::Wechat => s.channel_wechat,
        ChannelKind::InPerson => s.channel_in_person,
    };
    let contact = text(channel.contact());
    let contact = match (contact_href(channel), channel.kind()) {
        (Some(href), ChannelKind::Phone) => {
            view! { <a class="button primary" href=href>{s.about_call} " " {contact}</a> }
                .into_any()
        }
        (Some(href), _) => {
            view! { <a href=href target="_blank" rel="noopener noreferrer">{contact}</a> }
                .into_any()
        }
        (None, _) => contact.into_any(),
    };
    let sources = channel
        .sources()
        .iter()
        .map(|source| {
            view! {
                <li><cite>{text(source.document())}</cite> <span>{text(source.locator())}</span></li>
            }
        })
        .collect_view();
    view! {
        <li class="channel">
            <h2>{text(channel.name())}</h2>
            <p class="channel-contact"><span class="channel-kind">{kind}</span> {contact}</p>
            <p>{text(channel.purpose())}</p>
            <p class="hint">{s.channel_hours}{text(channel.hours())}</p>
            <details>
                <summary>{s.channel_checked} " " {channel.checked().to_string()} " · " {s.channel_sources}</summary>
                <ul class="sources">{sources}</ul>
            </details>
        </li>
    }
}
