//! The app's routes and a small client-side router.
//!
//! `Route::parse` turns a URL into a route in plain Rust (tested natively);
//! `Router` keeps the current route in a signal, follows `history`, and
//! `Link` / `NavLink` navigate without reloading.
//!
//! The citizen app is three builds (`Entry`), each its own wasm, so the
//! first load carries only Home: a link to a page of another build is a
//! normal page load (from the service worker's cache once it has run).
//!
//! Why not leptos_router: the whole first load has a 170 KiB brotli budget
//! and leptos_router's matching machinery cost about 18 KiB of it, for seven
//! fixed routes and one id parameter. See ARCHITECTURE.md.

use leptos::ev::MouseEvent;
use leptos::prelude::*;
use protocol::report::ReportId;
use wasm_bindgen::JsValue;

/// The paths of the app's pages.
pub mod paths {
    pub use web_shared::nav::paths::*;
    pub const CHECK_CASE: &str = "/cases";
}

/// The builds the citizen app is split into, each a wasm of its own with
/// its own `index.html` (see `entries/`, and the server's
/// `static_files::entry_point` and `public/sw.js`, which map paths to the
/// same builds). Only Home's is the first load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Home: `/` (and any unknown path). The first load.
    Home,
    /// The report form, with nearby cases and "I see this too": `/report/…`.
    Report,
    /// Following up: My reports, a report, checking a case, About.
    Follow,
}

impl Entry {
    /// True if this build renders `route` in place. Each build renders its
    /// own pages and `NotFound`; the form's build also renders a report's
    /// page, because the form opens it right after queueing a report, when
    /// there may be no network and the service worker may not have finished
    /// its first install (a page load of another build would fail then).
    /// A page load of a report's page still gets the follow-up build.
    pub fn renders(self, route: &Route) -> bool {
        match (self, route) {
            (Entry::Report, Route::Report(_)) => true,
            _ => route.entry().is_none_or(|entry| entry == self),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Home,
    /// The form; `draft` names a stored draft to continue.
    NewReport {
        draft: Option<ReportId>,
    },
    MyReports,
    Report(ReportId),
    About,
    /// Follow a case with its number and receipt (from any device).
    CheckCase,
    NotFound,
}

impl Route {
    /// The route for a URL's path and query (without the `?`).
    pub fn parse(path: &str, query: &str) -> Route {
        let path = path.trim_end_matches('/');
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [] => Route::Home,
            ["report", "new"] => Route::NewReport {
                draft: query_param(query, "draft").and_then(|id| id.parse().ok()),
            },
            ["reports"] => Route::MyReports,
            ["reports", id] => id.parse().map(Route::Report).unwrap_or(Route::NotFound),
            ["about"] => Route::About,
            ["cases"] => Route::CheckCase,
            _ => Route::NotFound,
        }
    }

    /// The build that renders this route; `None` for `NotFound`, which
    /// every build renders.
    pub fn entry(&self) -> Option<Entry> {
        match self {
            Route::Home => Some(Entry::Home),
            Route::NewReport { .. } => Some(Entry::Report),
            Route::MyReports | Route::Report(_) | Route::About | Route::CheckCase => {
                Some(Entry::Follow)
            }
            Route::NotFound => None,
        }
    }

    /// Parses an app-internal href such as `/report/new?draft=…`.
    pub fn from_href(href: &str) -> Route {
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        Route::parse(path, query)
    }

    pub fn href(&self) -> String {
        match self {
            Route::Home => paths::HOME.into(),
            Route::NewReport { draft: None } => paths::NEW_REPORT.into(),
            Route::NewReport { draft: Some(id) } => format!("{}?draft={id}", paths::NEW_REPORT),
            Route::MyReports => paths::MY_REPORTS.into(),
            Route::Report(id) => format!("{}/{id}", paths::MY_REPORTS),
            Route::About => paths::ABOUT.into(),
            Route::CheckCase => paths::CHECK_CASE.into(),
            Route::NotFound => "/404".into(),
        }
    }
}

fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The current route, provided as context by [`provide_router`].
#[derive(Debug, Clone, Copy)]
pub struct Router {
    route: RwSignal<Route>,
    entry: Entry,
    /// A page of another build was asked for while it could not open
    /// (`web_shared::sw_client::other_pages_open`); cleared by the next
    /// navigation.
    not_saved_yet: RwSignal<bool>,
}

impl Router {
    /// The current route (reactive).
    pub fn route(&self) -> Route {
        self.route.get()
    }

    /// Whether the last link followed led to a page that cannot open yet
    /// (reactive): the layout says so.
    pub fn not_saved_yet(&self) -> bool {
        self.not_saved_yet.get()
    }

    /// A page load of another build, unless it cannot open now (then it is
    /// said, and the current page stays). Says whether it may go.
    fn may_load_other_build(&self) -> bool {
        let may = web_shared::sw_client::other_pages_open();
        self.not_saved_yet.set(!may);
        may
    }

    /// True if this build renders the page at `href` (so a link to it is
    /// followed in place).
    pub fn renders(&self, href: &str) -> bool {
        self.entry.renders(&Route::from_href(href))
    }

    /// Goes to an app-internal href in place of the current page: a page
    /// of another build is loaded, replacing this one in history (a page
    /// that is replaced is never kept in the back-forward cache).
    pub fn replace(&self, href: &str) {
        self.go(href, History::Replace);
    }

    /// Goes to an app-internal href, adding a history entry; a page of
    /// another build is loaded.
    pub fn navigate(&self, href: &str) {
        self.go(href, History::Push);
    }

    fn go(&self, href: &str, history: History) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if !self.renders(href) {
            if !self.may_load_other_build() {
                return;
            }
            let location = window.location();
            let _ = match history {
                History::Push => location.assign(href),
                History::Replace => location.replace(href),
            };
            return;
        }
        if let Ok(entries) = window.history() {
            let _ = match history {
                History::Push => entries.push_state_with_url(&JsValue::NULL, "", Some(href)),
                History::Replace => entries.replace_state_with_url(&JsValue::NULL, "", Some(href)),
            };
        }
        window.scroll_to_with_x_and_y(0.0, 0.0);
        self.not_saved_yet.set(false);
        self.route.set(Route::from_href(href));
        focus_main();
    }
}

/// Whether a navigation adds a history entry or takes the current one's
/// place.
#[derive(Debug, Clone, Copy)]
enum History {
    Push,
    Replace,
}

/// After an in-app navigation, screen readers start at the new page's
/// content, as after a page load (`<main tabindex="-1">`).
fn focus_main() {
    let main = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("main"))
        .and_then(|element| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element).ok());
    if let Some(main) = main {
        let _ = main.focus();
    }
}

fn current_location() -> Route {
    web_sys::window()
        .map(|window| {
            let location = window.location();
            Route::parse(
                &location.pathname().unwrap_or_default(),
                &location.search().unwrap_or_default(),
            )
        })
        .unwrap_or(Route::Home)
}

/// Reads the route from the address bar and follows back/forward, in the
/// build `entry`.
pub fn provide_router(entry: Entry) -> Router {
    let router = Router {
        route: RwSignal::new(current_location()),
        entry,
        not_saved_yet: RwSignal::new(false),
    };
    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        router.route.set(current_location())
    });
    on_cleanup(move || handle.remove());
    provide_context(router);
    router
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// Follows a click on an app link in place, unless the person asked for a
/// new tab or window, or the link leads out of this build (to another of
/// the citizen app's builds, or to Learn): the browser loads that page, if
/// it can open (`Router::may_load_other_build`).
fn follow(router: Router, ev: MouseEvent, href: &str) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return;
    }
    if href == paths::LEARN || !router.renders(href) {
        if !router.may_load_other_build() {
            ev.prevent_default();
        }
        return;
    }
    ev.prevent_default();
    router.navigate(href);
}

/// A link to a page of the app.
#[component]
pub fn Link(
    #[prop(into)] href: String,
    #[prop(optional)] class: &'static str,
    children: Children,
) -> impl IntoView {
    let router = use_router();
    let target = href.clone();
    view! {
        <a href=href class=class on:click=move |ev| follow(router, ev, &target)>
            {children()}
        </a>
    }
}

/// A navigation link: marked `aria-current="page"` on its own page.
#[component]
pub fn NavLink(href: &'static str, children: Children) -> impl IntoView {
    let router = use_router();
    let own = Route::from_href(href);
    let current = move || {
        let route = router.route();
        // (Learn's link is never current here: it is another build.)
        let same = (route == own && own != Route::NotFound)
            || matches!(
                (route, own),
                (Route::NewReport { .. }, Route::NewReport { .. })
            );
        same.then_some("page")
    };
    view! {
        <a href=href aria-current=current on:click=move |ev| follow(router, ev, href)>
            {children()}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "6f1c2b4e-8a3d-4f7b-9c1e-2d5a6b7c8d9e";

    #[test]
    fn every_page_parses() {
        assert_eq!(Route::parse("/", ""), Route::Home);
        assert_eq!(Route::parse("", ""), Route::Home);
        assert_eq!(
            Route::parse("/report/new", ""),
            Route::NewReport { draft: None }
        );
        assert_eq!(Route::parse("/reports", ""), Route::MyReports);
        assert_eq!(Route::parse("/reports/", ""), Route::MyReports);
        // Learn is another build: not a route of this one.
        assert_eq!(Route::parse("/learn", ""), Route::NotFound);
        assert_eq!(Route::parse("/about", ""), Route::About);
        assert_eq!(Route::parse("/cases", ""), Route::CheckCase);
    }

    #[test]
    fn ids_and_queries_are_read() {
        let id: ReportId = ID.parse().expect("id");
        assert_eq!(
            Route::parse(&format!("/reports/{ID}"), ""),
            Route::Report(id)
        );
        assert_eq!(
            Route::parse("/report/new", &format!("?draft={ID}")),
            Route::NewReport { draft: Some(id) }
        );
        assert_eq!(
            Route::parse("/report/new", &format!("x=1&draft={ID}")),
            Route::NewReport { draft: Some(id) }
        );
    }

    #[test]
    fn each_page_belongs_to_one_build_and_home_is_alone_in_the_first() {
        let id: ReportId = ID.parse().expect("id");
        assert_eq!(Route::Home.entry(), Some(Entry::Home));
        assert_eq!(
            Route::NewReport { draft: Some(id) }.entry(),
            Some(Entry::Report)
        );
        for route in [
            Route::MyReports,
            Route::Report(id),
            Route::About,
            Route::CheckCase,
        ] {
            assert_eq!(route.entry(), Some(Entry::Follow), "{route:?}");
        }
        assert_eq!(Route::NotFound.entry(), None);
    }

    #[test]
    fn each_build_renders_its_own_pages_and_the_form_also_the_report_it_queued() {
        let id: ReportId = ID.parse().expect("id");
        let routes = [
            Route::Home,
            Route::NewReport { draft: None },
            Route::MyReports,
            Route::Report(id),
            Route::About,
            Route::CheckCase,
        ];
        for entry in [Entry::Home, Entry::Report, Entry::Follow] {
            assert!(entry.renders(&Route::NotFound), "{entry:?}");
            for route in routes {
                let own = route.entry() == Some(entry);
                let queued = entry == Entry::Report && route == Route::Report(id);
                assert_eq!(entry.renders(&route), own || queued, "{entry:?} {route:?}");
            }
        }
    }

    #[test]
    fn bad_urls_are_not_found_or_ignored() {
        assert_eq!(Route::parse("/reports/not-a-uuid", ""), Route::NotFound);
        assert_eq!(Route::parse("/nothing", ""), Route::NotFound);
        assert_eq!(Route::parse("/reports/a/b", ""), Route::NotFound);
        // A bad draft id opens a fresh form rather than failing.
        assert_eq!(
            Route::parse("/report/new", "?draft=zzz"),
            Route::NewReport { draft: None }
        );
    }

    #[test]
    fn hrefs_parse_back_to_their_route() {
        let id: ReportId = ID.parse().expect("id");
        for route in [
            Route::Home,
            Route::NewReport { draft: None },
            Route::NewReport { draft: Some(id) },
            Route::MyReports,
            Route::Report(id),
            Route::About,
            Route::CheckCase,
        ] {
            assert_eq!(Route::from_href(&route.href()), route, "{route:?}");
        }
    }
}
