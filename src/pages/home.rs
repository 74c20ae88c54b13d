//! Home: what GreenWatch is for, the way to report, the line to call when it
//! is urgent (`protocol::channels`' `urgent_line` today), and a report still
//! unsent 24 hours after it was queued, pointed out.

use leptos::prelude::*;

use crate::channels::{contact_href, today, use_channels};
use crate::i18n::{strings, tr, use_i18n};
use crate::outbox::Outbox;
use crate::router::{paths, Link};

/// Whether some report queued 24 hours ago or more is still not sent.
async fn any_unsent_too_long() -> bool {
    let Ok(outbox) = Outbox::open().await else {
        return false;
    };
    let now = web_shared::time::now();
    let found = outbox.list().await.is_ok_and(|listing| {
        listing
            .reports
            .iter()
            .any(|report| report.unsent_too_long(now))
    });
    outbox.close();
    found
}

#[component]
pub fn Home() -> impl IntoView {
    web_shared::components::use_page_title(crate::i18n::shared(|s| s.nav_home));
    let channels = use_channels();
    let i18n = use_i18n();
    let unsent_too_long = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        unsent_too_long.set(any_unsent_too_long().await);
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
