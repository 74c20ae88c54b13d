//! Signing in: username and password, the server's answer shown as it is
//! (the same for an unknown name and a wrong password; 429 after too many).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::staff::{LoginRequest, StaffMe, LOGIN_ROUTE};
use protocol::LocalizedText;
use web_shared::components::Field;

use super::api::{self, Problem};
use super::console::{use_console, Screen};
use super::strings::st;
use web_shared::i18n::use_i18n;

#[component]
pub fn LoginForm() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = LoginRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::post::<_, StaffMe>(LOGIN_ROUTE, &request).await {
                Ok(me) => {
                    password.set(String::new());
                    problem.set(None);
                    console.me.set(Some(me));
                    console.screen.set(Screen::Cases);
                }
                Err(error) => problem.set(Some(error)),
            }
        });
    };
    let message = move || {
        let text = |message: &LocalizedText| i18n.locale().text(message).to_owned();
        problem.get().map(|problem| match problem {
            Problem::SignedOut(Some(message)) | Problem::Refused(message) => text(&message),
            Problem::SignedOut(None) => st(|s| s.bad_login)().to_owned(),
            Problem::Unavailable => st(|s| s.unavailable)().to_owned(),
        })
    };
    view! {
        <section class="page">
            <h1>{st(|s| s.sign_in)}</h1>
            <form class="check-form" on:submit=submit>
                <Field id="staff-username" label=st(|s| s.username)>
                    <input id="staff-username" type="text" autocomplete="username" required=true
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) />
                </Field>
                <Field id="staff-password" label=st(|s| s.password)>
                    <input id="staff-password" type="password" autocomplete="current-password" required=true
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                </Field>
                <button type="submit" class="button primary">{st(|s| s.sign_in)}</button>
                <p role="alert">{message}</p>
            </form>
        </section>
    }
}
