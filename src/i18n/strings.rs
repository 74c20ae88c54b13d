//! The table of every user-visible string. One instance per language; adding a
//! field here makes every language's table fail to compile until it has it.

pub struct Strings {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_new_report: &'static str,
    pub nav_my_reports: &'static str,
    pub nav_learn: &'static str,
    pub nav_about: &'static str,
    /// Accessible name of the language switch; the button shows the other
    /// language's own name.
    pub switch_language: &'static str,

    pub update_available: &'static str,
    pub update_now: &'static str,
    pub update_later: &'static str,

    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_report_cta: &'static str,
    pub home_learn_cta: &'static str,
    pub home_urgent: &'static str,

    pub new_report_title: &'static str,
    pub new_report_intro: &'static str,
    pub new_report_unavailable: &'static str,

    pub my_reports_title: &'static str,
    pub my_reports_empty: &'static str,

    pub learn_title: &'static str,
    pub learn_intro: &'static str,
    pub learn_unavailable: &'static str,

    pub about_title: &'static str,
    pub about_intro: &'static str,
    pub about_hotline_title: &'static str,
    pub about_hotline_body: &'static str,
    pub about_call: &'static str,
    pub about_local_lines_title: &'static str,
    pub about_local_lines_body: &'static str,
    pub about_online_title: &'static str,
    pub about_online_weibo: &'static str,
    pub about_online_forums: &'static str,
    pub about_online_app: &'static str,
    pub about_practice_title: &'static str,
    pub about_practice_body: &'static str,
    pub about_reward_title: &'static str,
    pub about_reward_body: &'static str,
    pub about_version: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub not_found_home: &'static str,
}
