//! The root component: language and update state, layout, routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{BottomNav, LanguageSwitch, UpdateBanner};
use crate::i18n::{provide_i18n, tr};
use crate::pages::{About, Home, Learn, MyReports, NewReport, NotFound, ReportDetail};
use crate::sw_client;

/// The paths of the app's pages, shared by the router and the navigation.
pub mod paths {
    pub const HOME: &str = "/";
    pub const NEW_REPORT: &str = "/report/new";
    pub const MY_REPORTS: &str = "/reports";
    pub const LEARN: &str = "/learn";
    pub const ABOUT: &str = "/about";
}

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    let update = sw_client::start();

    view! {
        <Router>
            <a class="skip-link" href="#main">{tr(|s| s.skip_to_content)}</a>
            <header class="app-header">
                <a class="brand" href=paths::HOME>
                    <img class="brand-icon" src="/icons/icon-192.png" alt="" width="32" height="32" />
                    <span>{tr(|s| s.app_name)}</span>
                </a>
                <LanguageSwitch />
            </header>
            <UpdateBanner update=update />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/report/new") view=NewReport />
                    <Route path=path!("/reports") view=MyReports />
                    <Route path=path!("/reports/:id") view=ReportDetail />
                    <Route path=path!("/learn") view=Learn />
                    <Route path=path!("/about") view=About />
                </Routes>
            </main>
            <BottomNav />
        </Router>
    }
}
