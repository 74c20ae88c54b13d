//! Home: what GreenWatch is for, and the way to report; a report still
//! unsent 24 hours after it was queued is pointed out here.

use leptos::prelude::*;

use crate::i18n::tr;
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
    let unsent_too_long = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        unsent_too_long.set(any_unsent_too_long().await);
    });
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
            <p class="notice">
                {tr(|s| s.home_urgent)} " "
                <a href="tel:12345">"12345"</a>
            </p>
        </section>
    }
}
