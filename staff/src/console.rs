//! The console's state its parts share: who is signed in and which screen
//! is shown (provided by `StaffApp`, read with [`use_console`]).

use leptos::prelude::*;
use protocol::staff::StaffMe;
use protocol::sync::CaseNumber;

/// What the console shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Loading,
    SignedOut,
    Cases,
    Case(CaseNumber),
    /// Administrators only (the server answers 403 to others).
    Audit,
    Accounts,
    /// Learn quiz participation by event (any staff member).
    Participation,
    /// Importing a file of unsent reports from a phone (any staff member).
    Import,
}

/// The console's state, for its parts.
#[derive(Clone, Copy)]
pub struct Console {
    pub me: RwSignal<Option<StaffMe>>,
    pub screen: RwSignal<Screen>,
}

impl Console {
    /// The session ended (logout, expiry): back to the sign-in form.
    pub fn signed_out(&self) {
        self.me.set(None);
        self.screen.set(Screen::SignedOut);
    }
}

/// The console's state; every part lives inside `StaffApp`.
pub fn use_console() -> Console {
    use_context::<Console>().unwrap_or_else(|| {
        // Only reachable if a part is mounted outside `StaffApp`: a bug.
        panic!("the staff console's parts live inside StaffApp")
    })
}
