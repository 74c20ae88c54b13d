//! The root components of the citizen app's three builds (`Entry`): each
//! mounts the same layout (language, routing, update state, header, bottom
//! bar, sync) around its own pages. A build holds only the pages its root
//! names, so the wasm of Home, the first load, carries neither the form nor
//! the follow-up pages.

use leptos::prelude::*;

use web_shared::i18n::{provide_i18n, shared};
use web_shared::sw_client;

use crate::components::{BottomNav, LanguageSwitch, UpdateBanner};
use crate::i18n::tr;
use crate::pages::{About, CheckCase, Home, MyReports, NewReport, NotFound, ReportDetail};
use crate::router::{paths, provide_router, Entry, Link, Route};

/// Home, the first load (`/`), without the sync engine (see
/// `crate::sync::deferred`).
#[component]
pub fn App() -> impl IntoView {
    crate::channels::provide_channels();
    view! {
        <Shell entry=Entry::Home page=|route| match route {
            Route::Home => view! { <Home /> }.into_any(),
            _ => view! { <NotFound /> }.into_any(),
        } />
    }
}

/// The report form (`/report/new`), and the page of the report it has just
/// queued (see `Entry::renders`).
#[component]
pub fn ReportApp() -> impl IntoView {
    web_shared::sync::start(crate::sync::SENDERS);
    view! {
        <Shell entry=Entry::Report page=|route| match route {
            Route::NewReport { draft } => view! { <NewReport draft=draft /> }.into_any(),
            Route::Report(id) => view! { <ReportDetail id=id /> }.into_any(),
            _ => view! { <NotFound /> }.into_any(),
        } />
    }
}

/// Following up: My reports, a report, checking a case, About.
#[component]
pub fn FollowApp() -> impl IntoView {
    web_shared::sync::start(crate::sync::SENDERS);
    crate::channels::provide_channels();
    view! {
        <Shell entry=Entry::Follow page=|route| match route {
            Route::MyReports => view! { <MyReports /> }.into_any(),
            Route::Report(id) => view! { <ReportDetail id=id /> }.into_any(),
            Route::About => view! { <About /> }.into_any(),
            Route::CheckCase => view! { <CheckCase /> }.into_any(),
            _ => view! { <NotFound /> }.into_any(),
        } />
    }
}

/// The layout every page of every build shares. The report and follow-up
/// builds run the sync engine from their roots, so reports go whichever of
/// their pages is open when the network returns; Home starts it only when
/// the device holds something for it (`crate::sync::deferred`).
#[component]
fn Shell(entry: Entry, page: fn(Route) -> AnyView) -> impl IntoView {
    provide_i18n();
    let router = provide_router(entry);
    let update = sw_client::start();

    view! {
        <a class="skip-link" href="#main">{shared(|s| s.skip_to_content)}</a>
        <header class="app-header">
            <Link href=paths::HOME class="brand">
                <img class="brand-icon" src="/icons/icon-192.png" alt="" width="32" height="32" />
                <span>{shared(|s| s.app_name)}</span>
            </Link>
            <LanguageSwitch />
        </header>
        <UpdateBanner update=update />
        <Show when=move || router.not_saved_yet()>
            <p class="notice" role="alert">{tr(|s| s.page_not_saved_yet)}</p>
        </Show>
        <main id="main" tabindex="-1">
            {move || page(router.route())}
        </main>
        <BottomNav />
    }
}
