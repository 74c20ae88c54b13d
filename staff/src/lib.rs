//! The staff console: bureau staff sign in, see the cases (overdue first),
//! open one and act on it (accept, on site, resolve with a public reply,
//! reject, the communication subsidy) and read quiz participation by event;
//! administrators also read the audit
//! log and manage staff accounts (links shown to them only). Its own binary
//! (`src/bin/staff.rs`) and trunk entry (`staff.html`, served under
//! `/staff/`), so none of it is in the citizen app's first load; it is not
//! cached for offline use.
//!
//! The rules (which action each status allows, what is overdue) and the
//! bodies are `protocol::staff`'s; the server checks every one of them.

mod accounts;
mod api;
mod audit;
mod case_list;
mod case_page;
mod console;
mod import;
mod login;
mod participation;
mod strings;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::staff::{Role, StaffMe, LOGOUT_ROUTE, ME_ROUTE};

use api::Problem;
use console::{Console, Screen};
use strings::st;
use web_shared::components::LanguageSwitch;
use web_shared::i18n::provide_i18n;

#[component]
pub fn StaffApp() -> impl IntoView {
    provide_i18n();
    let console = Console {
        me: RwSignal::new(None),
        screen: RwSignal::new(Screen::Loading),
    };
    provide_context(console);
    spawn_local(async move {
        match api::get::<StaffMe>(ME_ROUTE).await {
            Ok(me) => {
                console.me.set(Some(me));
                console.screen.set(Screen::Cases);
            }
            Err(_) => console.screen.set(Screen::SignedOut),
        }
    });
    let sign_out = move |_| {
        spawn_local(async move {
            let _: Result<(), Problem> = api::post_empty(LOGOUT_ROUTE).await;
            console.signed_out();
        });
    };

    view! {
        <header class="app-header">
            <span class="brand">{st(|s| s.title)}</span>
            {move || console.me.get().map(|me| view! {
                <span class="staff-user">{st(|s| s.signed_in_as)} {me.username.as_str().to_owned()}</span>
                <button type="button" class="button" on:click=sign_out>{st(|s| s.sign_out)}</button>
            })}
            <LanguageSwitch />
        </header>
        {move || console.me.get().map(|me| {
            let admin = me.role.allows(Role::Admin);
            let link = move |screen: Screen, label: fn(&strings::StaffStrings) -> &'static str| {
                let target = screen.clone();
                view! {
                    <button type="button" class="link-button"
                        aria-current=move || (console.screen.get() == target).then_some("page")
                        on:click=move |_| console.screen.set(screen.clone())>
                        {st(label)}
                    </button>
                }
            };
            view! {
                <nav class="staff-nav" aria-label=st(|s| s.nav)>
                    {link(Screen::Cases, |s| s.cases)}
                    {link(Screen::Participation, |s| s.participation)}
                    {link(Screen::Import, |s| s.import)}
                    {admin.then(|| view! {
                        {link(Screen::Audit, |s| s.audit)}
                        {link(Screen::Accounts, |s| s.accounts)}
                    })}
                </nav>
            }
        })}
        <main id="main" class="staff">
            {move || match console.screen.get() {
                Screen::Loading => ().into_any(),
                Screen::SignedOut => view! { <login::LoginForm /> }.into_any(),
                Screen::Cases => view! { <case_list::CaseList /> }.into_any(),
                Screen::Case(number) => view! { <case_page::CasePage number=number /> }.into_any(),
                Screen::Audit => view! { <audit::AuditLog /> }.into_any(),
                Screen::Accounts => view! { <accounts::Accounts /> }.into_any(),
                Screen::Participation => view! { <participation::Participation /> }.into_any(),
                Screen::Import => view! { <import::ImportReports /> }.into_any(),
            }}
        </main>
    }
}
