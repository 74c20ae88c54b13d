//! Home: what GreenWatch is for, the way to report, the line to call when it
//! is urgent (`protocol::channels`' `urgent_line` today), and a report still
//! unsent 24 hours after it was queued, pointed out. Home starts the sync
//! engine when the outbox holds anything for it (`crate::sync::deferred`).

use leptos::prelude::*;

use crate::channels::{contact_href, today, use_channels};
use crate::i18n::{strings, tr, use_i18n};
use crate::outbox::Outbox;
use crate::router::{paths, Link};

/// What Home learns from the outbox once it has shown.
struct Glance {
    /// Some report queued 24 hours ago or more is still not sent.
    unsent_too_long: bool,
    /// The device holds something the sync engine acts on: a queued
    /// report or a support (to send, or its case to follow), or a record
    /// this version cannot read (left to the engine's own judgement).
    engine_needed: bool,
}

impl Glance {
    /// The outbox could not be read: nothing to point out, and the engine
    /// is started all the same (it retries a storage it cannot open).
    const UNREAD: Glance = Glance {
        unsent_too_long: false,
        engine_needed: true,
    };
}

async fn glance() -> Glance {
    let Ok(outbox) = Outbox::open().await else {
        return Glance::UNREAD;
    };
    let now = web_shared::time::now();
    let glance = match outbox.list().await {
        Ok(listing) => Glance {
            unsent_too_long: listing
                .reports
                .iter()
                .any(|report| report.unsent_too_long(now)),
            engine_needed: !listing.unreadable.is_empty()
                || listing
                    .reports
                    .iter()
                    .any(|report| report.queued().is_some())
                || outbox.has_supports().await.unwrap_or(true),
        },
        Err(_) => Glance::UNREAD,
    };
    outbox.close();
    glance
}

#[component]
pub fn Home() -> impl IntoView {
    web_shared::components::use_page_title(crate::i18n::shared(|s| s.nav_home));
    let channels = use_channels();
    let i18n = use_i18n();
    let unsent_too_long = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        let glance = glance().await;
        unsent_too_long.set(glance.unsent_too_long);
        if glance.engine_needed {
            crate::sync::deferred::load_engine();
        }
    });
    let urgent = move || {
        let locale = i18n.locale();
        channels.with(|list| {
            let line = list?.urgent_line(today())?;
            let number = line.phone_number()?.to_owned();
            let href = contact_href(line)?;
            let name = locale.text(line.name()).to_owned();
            let s = strings(locale);
            Some(view! {
                <p class="notice urgent-line">
                    {s.home_urgent} {name} {s.home_urgent_colon}
                    <a href=href>{number}</a>
                </p>
            })
        })
    };
    view! {
        <section class="page home">
            <h1>{tr(|s| s.home_title)}</h1>
            <p class="lead">{tr(|s| s.home_intro)}</p>
            <Show when=move || unsent_too_long.get()>
                <p class="notice unsent-old" role="note">
                    {tr(|s| s.home_unsent_old)} " "
                    <Link href=paths::MY_REPORTS>{tr(|s| s.home_unsent_old_link)}</Link>
                </p>
            </Show>
            <div class="actions">
                <Link href=paths::NEW_REPORT class="button primary">
                    {tr(|s| s.home_report_cta)}
                </Link>
                <Link href=paths::LEARN class="button">
                    {tr(|s| s.home_learn_cta)}
                </Link>
            </div>
            {urgent}
        </section>
    }
}
