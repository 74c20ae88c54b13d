//! The root component: language, routing and update state, layout, pages.

use leptos::prelude::*;

use web_shared::i18n::{provide_i18n, shared};
use web_shared::sw_client;

use crate::components::{BottomNav, LanguageSwitch, UpdateBanner};
use crate::pages::{About, CheckCase, Home, MyReports, NewReport, NotFound, ReportDetail};
use crate::router::{paths, provide_router, Link, Route};

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    let router = provide_router();
    let update = sw_client::start();
    web_shared::sync::start(crate::sync::SENDERS);
    crate::channels::provide_channels();

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
        <main id="main" tabindex="-1">
            {move || match router.route() {
                Route::Home => view! { <Home /> }.into_any(),
                Route::NewReport { draft } => view! { <NewReport draft=draft /> }.into_any(),
                Route::MyReports => view! { <MyReports /> }.into_any(),
                Route::Report(id) => view! { <ReportDetail id=id /> }.into_any(),
                Route::About => view! { <About /> }.into_any(),
                Route::CheckCase => view! { <CheckCase /> }.into_any(),
                Route::NotFound => view! { <NotFound /> }.into_any(),
            }}
        </main>
        <BottomNav />
    }
}
