//! The main navigation every citizen-facing page shows (the citizen app's
//! bottom bar and Learn's): where each item goes, its icon and its label.
//! Each app renders it its own way (the citizen app with its router's
//! links, Learn with plain links to the other build).

use crate::i18n::Shared;

/// The paths of the main navigation's pages.
pub mod paths {
    pub const HOME: &str = "/";
    pub const NEW_REPORT: &str = "/report/new";
    pub const MY_REPORTS: &str = "/reports";
    /// Learn is its own build: the browser loads it.
    pub const LEARN: &str = "/learn/";
    pub const ABOUT: &str = "/about";
}

/// One item of the main navigation.
pub struct NavItem {
    pub href: &'static str,
    pub icon: &'static str,
    pub label: fn(&Shared) -> &'static str,
}

pub const ITEMS: [NavItem; 5] = [
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
