//! Staff accounts (administrators): the list, a new account, and disabling
//! or enabling one. The server enforces the rules (never one's own
//! account, always one enabled administrator) and answers why.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::staff::{
    staff_user_path, NewPassword, NewStaffUser, Role, StaffAccount, StaffMe, Username, USERS_ROUTE,
};
use protocol::LocalizedText;
use web_shared::components::Field;

use super::api::{self, Problem};
use super::console::use_console;
use super::strings::{st, StaffStrings};
use web_shared::i18n::use_i18n;
use web_shared::time::display;

fn role_label(role: Role) -> fn(&StaffStrings) -> &'static str {
    match role {
        Role::Admin => |s| s.role_admin,
        Role::Operator => |s| s.role_operator,
    }
}

fn unavailable() -> LocalizedText {
    LocalizedText::new(
        super::strings::ZH_CN.unavailable,
        super::strings::EN.unavailable,
    )
}

#[component]
pub fn Accounts() -> impl IntoView {
    let console = use_console();
    let i18n = use_i18n();
    let accounts = RwSignal::new(None::<Result<Vec<StaffAccount>, Problem>>);
    let problem = RwSignal::new(None::<LocalizedText>);
    let done = RwSignal::new(false);
    let load = move || {
        spawn_local(async move {
            let answer = api::get::<Vec<StaffAccount>>(USERS_ROUTE).await;
            if let Err(Problem::SignedOut(_)) = answer {
                console.signed_out();
                return;
            }
            accounts.set(Some(answer));
        });
    };
    load();
    let report = move |error: Problem| match error {
        Problem::SignedOut(_) => console.signed_out(),
        Problem::Refused(message) => problem.set(Some(message)),
        Problem::Unavailable => problem.set(Some(unavailable())),
    };
    let toggle = move |username: Username, enable: bool| {
        spawn_local(async move {
            let path = staff_user_path(&username, enable);
            match api::post::<_, StaffAccount>(&path, &()).await {
                Ok(_) => {
                    problem.set(None);
                    load();
                }
                Err(error) => report(error),
            }
        });
    };

    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Operator);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let name = match Username::parse(&username.get_untracked()) {
            Ok(name) => name,
            Err(error) => return problem.set(Some(error.message())),
        };
        let secret = match NewPassword::parse(&password.get_untracked()) {
            Ok(secret) => secret,
            Err(error) => return problem.set(Some(error.message())),
        };
        let body = NewStaffUser {
            username: name,
            password: secret,
            role: role.get_untracked(),
        };
        spawn_local(async move {
            match api::post::<_, StaffMe>(USERS_ROUTE, &body).await {
                Ok(_) => {
                    problem.set(None);
                    done.set(true);
                    username.set(String::new());
                    password.set(String::new());
                    load();
                }
                Err(error) => report(error),
            }
        });
    };
    let me = move || {
        console
            .me
            .with(|me| me.as_ref().map(|m| m.username.clone()))
    };

    view! {
        <section class="page">
            <h1>{st(|s| s.accounts)}</h1>
            <p role="alert">{move || problem.get().map(|m| i18n.locale().text(&m).to_owned())}</p>
            {move || match accounts.get() {
                None => ().into_any(),
                Some(Err(_)) => view! { <p class="notice" role="alert">{st(|s| s.unavailable)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="case-table">
                        <thead>
                            <tr>
                                <th scope="col">{st(|s| s.username)}</th>
                                <th scope="col">{st(|s| s.role)}</th>
                                <th scope="col">{st(|s| s.created)}</th>
                                <th scope="col">{st(|s| s.account_state)}</th>
                                <th scope="col">{st(|s| s.audit_action)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|account| {
                                let name = account.username.clone();
                                let label = name.as_str().to_owned();
                                let enable = account.disabled;
                                let verb = if enable { st(|s| s.enable) } else { st(|s| s.disable) };
                                let is_me = me().as_ref() == Some(&name);
                                view! {
                                    <tr>
                                        <td>{label.clone()}</td>
                                        <td>{st(role_label(account.role))}</td>
                                        <td>{display(account.created_at)}</td>
                                        <td>{if account.disabled { st(|s| s.disabled) } else { st(|s| s.enabled) }}</td>
                                        <td>
                                            {(!is_me).then(|| view! {
                                                <button type="button" class="button"
                                                    aria-label=move || format!("{} {}", verb(), label)
                                                    on:click=move |_| toggle(name.clone(), enable)>
                                                    {verb}
                                                </button>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            <h2>{st(|s| s.new_account)}</h2>
            <form class="account-form" on:submit=create>
                <Field id="new-username" label=st(|s| s.username)>
                    <input id="new-username" type="text" autocomplete="off" prop:value=username
                        on:input=move |ev| username.set(event_target_value(&ev)) />
                </Field>
                <Field id="new-role" label=st(|s| s.role)>
                    <select id="new-role" on:change=move |ev| {
                        role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Operator))
                    }>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.code() selected=move || role.get() == r>{st(role_label(r))}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="new-password" label=st(|s| s.initial_password)>
                    <input id="new-password" type="password" autocomplete="new-password" prop:value=password
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                </Field>
                <button type="submit" class="button primary">{st(|s| s.create)}</button>
            </form>
            <p role="status">{move || done.get().then(st(|s| s.created_ok))}</p>
        </section>
    }
}
