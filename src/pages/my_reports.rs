//! My reports: every report kept on this device, newest first, with the
//! storage it uses. Reports still unsent 24 hours after they were queued are
//! flagged; where the browser has not promised to keep the data (no
//! persistent storage, or no `navigator.storage` at all, as in WebKit's
//! private sessions) and something is unsent, one sentence says it may be
//! lost, with Add to Home Screen in two steps on iPhone and iPad.

use leptos::prelude::*;
use protocol::archive::ARCHIVE_DOWNLOAD_NAME;
use protocol::report::ReportState;
use protocol::sync::{Phase, SyncItem};
use protocol::LocalizedText;

use crate::components::{state_class, use_page_title, SyncStatusBar};
use crate::export;
use crate::i18n::{tr, use_i18n};
use crate::outbox::{quota, Outbox, ReportRecord, UnreadableRecord};
use crate::router::{paths, Link, Route};
use web_shared::format;
use web_shared::time::{display, now};

/// One row of the list, with its preview image's object URL.
#[derive(Clone)]
struct Row {
    record: ReportRecord,
    thumbnail: Option<String>,
    /// Where sending stands, from the sync machine.
    phase: Option<Phase>,
    /// Queued 24 hours ago or more and still not sent.
    unsent_too_long: bool,
}

#[derive(Clone)]
struct Loaded {
    rows: Vec<Row>,
    /// Reports waiting to be sent: the file can hold them.
    unsent: usize,
    unreadable: Vec<UnreadableRecord>,
    usage: Option<quota::Usage>,
    /// Whether the browser promised to keep the data (`None`: it cannot say).
    persisted: Option<bool>,
}

impl Loaded {
    /// Something not on the server yet would go if the browser cleared the
    /// site's data, and nothing promised it will not.
    fn may_lose_unsent(&self) -> bool {
        self.persisted != Some(true) && self.rows.iter().any(|row| row.record.unsent())
    }
}

async fn load() -> Result<Loaded, LocalizedText> {
    let outbox = Outbox::open().await.map_err(|e| e.message())?;
    let listing = outbox.list().await;
    let result = match listing {
        Ok(listing) => {
            let now = now();
            let machine = outbox.sync_machine().await.unwrap_or_default();
            let mut rows = Vec::with_capacity(listing.reports.len());
            for record in listing.reports {
                let thumbnail = match record.id.parse() {
                    Ok(id) => outbox
                        .thumbnail(id)
                        .await
                        .ok()
                        .flatten()
                        .and_then(|thumbnail| thumbnail.object_url()),
                    Err(_) => None,
                };
                let phase = match record.state {
                    ReportState::Draft => None,
                    _ => record
                        .id
                        .parse()
                        .ok()
                        .and_then(|id| machine.get(SyncItem::Report(id)))
                        .map(|report| report.phase.clone()),
                };
                rows.push(Row {
                    unsent_too_long: record.unsent_too_long(now),
                    record,
                    thumbnail,
                    phase,
                });
            }
            Ok(Loaded {
                unsent: rows
                    .iter()
                    .filter(|row| row.record.state.is_waiting_to_send())
                    .count(),
                rows,
                unreadable: listing.unreadable,
                usage: quota::estimate().await,
                persisted: quota::persisted().await,
            })
        }
        Err(error) => Err(error.message()),
    };
    outbox.close();
    result
}

#[component]
pub fn MyReports() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|s| s.my_reports_title);
    let loaded = RwSignal::new(None::<Result<Loaded, LocalizedText>>);
    // Here, not in `SaveUnsent`: the list is drawn again whenever the sync
    // engine changes a report, and what saving said must stay.
    let saved = RwSignal::new(None::<Result<usize, LocalizedText>>);
    let revoke = move || {
        if let Some(Ok(loaded)) = loaded.get_untracked() {
            for url in loaded.rows.iter().filter_map(|row| row.thumbnail.as_ref()) {
                let _ = web_sys::Url::revoke_object_url(url);
            }
        }
    };
    // Loaded again whenever the sync engine changed a report.
    let revision = web_shared::sync::use_sync().map(|sync| sync.revision);
    Effect::new(move |_| {
        if let Some(revision) = revision {
            revision.track();
        }
        leptos::task::spawn_local(async move {
            let fresh = load().await;
            revoke();
            loaded.set(Some(fresh));
        });
    });
    on_cleanup(revoke);

    view! {
        <section class="page my-reports">
            <h1>{tr(|s| s.my_reports_title)}</h1>
            <SyncStatusBar />
            {move || match loaded.get() {
                None => view! { <p>{tr(|s| s.form_loading)}</p> }.into_any(),
                Some(result) => match &result {
                    Err(message) => view! { <p class="notice" role="alert">{i18n.locale().text(message).to_owned()}</p> }.into_any(),
                    Ok(loaded) => view! {
                        {loaded.usage.map(|usage| view! {
                            <p class="storage">
                                {tr(|s| s.reports_storage)} " " {format::bytes(usage.used)} "，"
                                {tr(|s| s.reports_storage_free)} " " {format::bytes(usage.available)}
                            </p>
                        })}
                        {loaded.may_lose_unsent().then(|| view! { <KeepWarning /> })}
                        {(!loaded.unreadable.is_empty()).then(|| {
                            let keys = loaded.unreadable.iter().map(|u| u.key.clone().unwrap_or_else(|| "?".into())).collect::<Vec<_>>().join(", ");
                            view! { <p class="notice" role="alert">{tr(|s| s.reports_unreadable)} " " {keys.clone()}</p> }
                        })}
                        {(loaded.unsent > 0).then(|| view! { <SaveUnsent outcome=saved /> })}
                        {if loaded.rows.is_empty() {
                            view! { <p class="empty">{tr(|s| s.my_reports_empty)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="report-list">
                                    {loaded.rows.iter().cloned().map(|row| view! { <ReportRow row=row /> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any(),
                },
            }}
            <super::my_supports::MySupports />
            <p class="check-link"><Link href=paths::CHECK_CASE>{tr(|s| s.check_link)}</Link></p>
        </section>
    }
}

/// "Save unsent reports to a file" (`crate::export`): the last resort
/// when reports cannot be sent.
#[component]
fn SaveUnsent(outcome: RwSignal<Option<Result<usize, LocalizedText>>>) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let save = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = save_unsent().await;
            outcome.set(Some(result));
            busy.set(false);
        });
    };
    view! {
        <div class="save-unsent">
            <p>{tr(|s| s.save_unsent_hint)}</p>
            <button type="button" on:click=save disabled=move || busy.get()>
                {tr(|s| s.save_unsent_button)}
            </button>
            // One live region for every outcome: the same words a person
            // reads, announced once.
            <p role="status">{move || {
                let t = i18n.t();
                match outcome.get() {
                    None => String::new(),
                    Some(Ok(0)) => t.save_unsent_none.to_owned(),
                    Some(Ok(count)) => format!("{} {count}", t.save_unsent_done),
                    Some(Err(message)) => i18n.locale().text(&message).to_owned(),
                }
            }}</p>
        </div>
    }
}

/// Unsent reports may be lost; on iPhone and iPad, how to keep the app.
#[component]
fn KeepWarning() -> impl IntoView {
    view! {
        <div class="notice keep-warning" role="note">
            <p>{tr(|s| s.reports_may_be_lost)}</p>
            {crate::device::is_ios().then(|| view! {
                <p>{tr(|s| s.reports_ios_home_screen)}</p>
                <ol>
                    <li>{tr(|s| s.reports_ios_step_share)}</li>
                    <li>{tr(|s| s.reports_ios_step_add)}</li>
                </ol>
            })}
        </div>
    }
}

/// Writes the file of unsent reports and has the browser save it: how
/// many reports it holds.
async fn save_unsent() -> Result<usize, LocalizedText> {
    let outbox = Outbox::open().await.map_err(|error| error.message())?;
    let archive = export::unsent_archive(&outbox).await;
    outbox.close();
    match archive.map_err(|error| export::failure(&error))? {
        None => Ok(0),
        Some(archive) => {
            export::download(&archive, ARCHIVE_DOWNLOAD_NAME)?;
            Ok(archive.reports)
        }
    }
}

#[component]
fn ReportRow(row: Row) -> impl IntoView {
    let i18n = use_i18n();
    let record = row.record;
    let category = record.draft.category;
    let state = record.state;
    let when = display(record.draft.seen_at.unwrap_or(record.draft.updated_at));
    let photos = record.draft.photos.len();
    let case_number = row
        .phase
        .as_ref()
        .and_then(Phase::case_number)
        .map(|case_number| case_number.to_string());
    let attention = match &row.phase {
        Some(Phase::NeedsAttention { message, .. }) => Some(message.clone()),
        _ => None,
    };
    let href = record
        .id
        .parse()
        .map(|id| Route::Report(id).href())
        .unwrap_or_default();
    let title = move || match category {
        Some(category) => i18n.locale().label(category.name()).to_owned(),
        None => i18n.locale().label(state.label()).to_owned(),
    };
    view! {
        <li class="report-row">
            {match row.thumbnail {
                Some(url) => view! { <img class="report-thumb" src=url alt="" width="64" height="64" /> }.into_any(),
                None => view! { <span class="report-thumb placeholder" aria-hidden="true"></span> }.into_any(),
            }}
            <div class="report-summary">
                <Link href=href>{title}</Link>
                <p class="meta">
                    <span class=state_class(state)>{move || i18n.locale().label(state.label())}</span>
                    " · " {when.clone()}
                    " · " {photos} " " {tr(|s| s.reports_photos_count)}
                    {case_number.map(|case_number| view! { " · " <span class="case-number">{case_number}</span> })}
                </p>
                {row.unsent_too_long.then(|| view! {
                    <p class="unsent-old">{tr(|s| s.reports_unsent_old)}</p>
                })}
                {attention.map(|message| view! {
                    <p class="attention">{tr(|s| s.report_attention)}{move || i18n.locale().text(&message).to_owned()}</p>
                })}
            </div>
        </li>
    }
}
