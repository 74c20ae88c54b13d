//! Open cases near the person while they report (`GET /api/v1/nearby`).
//!
//! Asked only when the form has a position and a category and a real
//! `GET /api/health` has just answered: offline nothing is asked, and the
//! form never waits for it (the list appears beside it when it comes).
//! The position sent is its grid cell (`NearbyQuery::new` of
//! `CoarsePoint::from_point`); the exact fix only serves to tell, on the
//! phone, how far and which way each case is.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::public::{rough_direction, CoarsePoint, NearbyAnswer, NearbyQuery, PublicCase};
use protocol::report::Category;
use protocol::sync::CaseNumber;
use web_shared::http;
use web_shared::sync::{use_sync, SyncStatus};

use super::form::Form;
use crate::i18n::{tr, use_i18n};

/// How long the nearby answer may take before the list is left empty.
const NEARBY_TIMEOUT: Duration = Duration::from_secs(10);

/// The cases shown, and for which cell and category they were asked.
type Shown = Option<(CoarsePoint, Category, Vec<PublicCase>)>;

#[component]
pub(super) fn NearbyCases(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let wanted = Memo::new(move |_| {
        form.draft.with(|d| {
            let d = d.as_ref()?;
            Some((CoarsePoint::from_point(d.point.as_ref()?), d.category?))
        })
    });
    // The sync engine's last word on reachability: coming back online asks
    // again (the health check below decides; this only triggers it).
    let sync = use_sync();
    let offline = Memo::new(move |_| {
        sync.is_some_and(|sync| {
            matches!(sync.status.get(), SyncStatus::Waiting { offline: true, .. })
        })
    });
    let shown = RwSignal::new(None as Shown);
    // Cases this phone already supports: their button says so, even after
    // the list is asked again (one support per person and case).
    let supported = RwSignal::new(Vec::<CaseNumber>::new());
    spawn_local(async move {
        if let Ok(outbox) = crate::outbox::Outbox::open().await {
            if let Ok((records, _)) = outbox.supports().await {
                let numbers = records.iter().map(|r| r.support.case_number());
                supported.update(|s| s.extend(numbers));
            }
            outbox.close();
        }
    });
    Effect::new(move |_| {
        let Some((cell, category)) = wanted.get() else {
            shown.set(None);
            return;
        };
        if offline.get() {
            return;
        }
        spawn_local(async move {
            let cases = ask(cell, category).await;
            // A later change of cell or category has its own request.
            if wanted.get_untracked() == Some((cell, category)) {
                let fresh = cases.map(|cases| (cell, category, cases));
                // The same answer again leaves the list (and an open
                // support panel in it) as it is.
                if fresh.is_some() && shown.with_untracked(|s| *s != fresh) {
                    shown.set(fresh);
                }
            }
        });
    });
    let list = move || {
        let (cell, category, cases) = shown.get()?;
        if wanted.get() != Some((cell, category)) || cases.is_empty() {
            return None;
        }
        // Untracked: typing elsewhere in the form must not redraw the list
        // (the cell, tracked through `wanted`, changes with the position).
        let here = form
            .draft
            .with_untracked(|d| d.as_ref().and_then(|d| d.point))
            .map(|p| (p.latitude(), p.longitude()))?;
        Some(view! {
            <section class="nearby" aria-labelledby="nearby-title">
                <h2 id="nearby-title">{tr(|s| s.nearby_title)}</h2>
                <p class="help">{tr(|s| s.nearby_help)}</p>
                <ul class="nearby-list">
                    {cases.into_iter().take(protocol::public::nearby::MAX_CASES).map(|case| {
                        let number = case.case_number();
                        let status = case.status();
                        let summary = case.summary().map(|s| s.as_str().to_owned());
                        let direction = case
                            .position()
                            .map(|to| rough_direction(here.0, here.1, to).text());
                        let reporters = case.reporters();
                        view! {
                            <li>
                                <p>
                                    <strong>{number.to_string()}</strong> " · "
                                    {move || i18n.locale().label(status.label())}
                                </p>
                                {summary.map(|s| view! { <p>{s}</p> })}
                                <p>
                                    {direction.map(|d| move || i18n.locale().text(&d).to_owned())}
                                    " · " {tr(|s| s.nearby_reporters)} {reporters}
                                </p>
                                <super::support::SupportButton case_number=number supported=supported />
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })
    };
    view! { {list} }
}

/// The nearby cases of `cell` and `category`, or `None` when the server
/// cannot be reached or gave no readable answer. The health check comes
/// first, so an unreachable server is never sent the position.
async fn ask(cell: CoarsePoint, category: Category) -> Option<Vec<PublicCase>> {
    let health = http::health().await.ok()?;
    if !health.ok() {
        return None;
    }
    let path = NearbyQuery::new(cell, category).path();
    let answer = http::fetch("GET", &path, &[], None, NEARBY_TIMEOUT)
        .await
        .ok()?;
    if !answer.ok() {
        return None;
    }
    http::json::<NearbyAnswer>(&answer)
        .await
        .map(|answer| answer.cases)
}
