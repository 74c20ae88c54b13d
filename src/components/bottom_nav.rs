//! The main navigation: a bottom bar on a phone, a top bar on a wide screen.
//! The router's `<A>` marks the current page with `aria-current="page"`.

use leptos::prelude::*;

use crate::i18n::{tr, use_i18n, Strings};
use crate::router::{paths, NavLink};

struct NavItem {
    href: &'static str,
    icon: &'static str,
    label: fn(&Strings) -> &'static str,
}

const ITEMS: [NavItem; 5] = [
    NavItem {
        href: paths::HOME,
        icon: "⌂",
        label: |s| s.nav_home,
    },
    NavItem {
        href: paths::NEW_REPORT,
        icon: "＋",
        label: |s| s.nav_new_report,
    },
    NavItem {
        href: paths::MY_REPORTS,
        icon: "☰",
        label: |s| s.nav_my_reports,
    },
    NavItem {
        href: paths::LEARN,
        icon: "✎",
        label: |s| s.nav_learn,
    },
    NavItem {
        href: paths::ABOUT,
        icon: "☎",
        label: |s| s.nav_about,
    },
];

#[component]
pub fn BottomNav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="bottom-nav" aria-label=tr(|s| s.nav_label)>
            <ul>
                {ITEMS
                    .iter()
                    .map(|item| {
                        let label = item.label;
                        view! {
                            <li>
                                <NavLink href=item.href>
                                    <span class="nav-icon" aria-hidden="true">{item.icon}</span>
                                    <span class="nav-label">{move || label(i18n.t())}</span>
                                </NavLink>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
