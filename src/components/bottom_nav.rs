//! The main navigation: a bottom bar on a phone, a top bar on a wide screen.
//! The router's `<A>` marks the current page with `aria-current="page"`.

use leptos::prelude::*;

use web_shared::i18n::{shared, use_i18n};
use web_shared::nav::ITEMS;

use crate::router::NavLink;

#[component]
pub fn BottomNav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="bottom-nav" aria-label=shared(|s| s.nav_label)>
            <ul>
                {ITEMS
                    .iter()
                    .map(|item| {
                        let label = item.label;
                        view! {
                            <li>
                                <NavLink href=item.href>
                                    <span class="nav-icon" aria-hidden="true">{item.icon}</span>
                                    <span class="nav-label">{move || label(i18n.shared())}</span>
                                </NavLink>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
