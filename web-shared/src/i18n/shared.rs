//! The strings the shared components and more than one app show: the
//! app's name, the main navigation, the language switch, the update banner
//! and a case's timeline. Each app keeps the rest in a table of its own.

use super::locale::Locale;

pub struct Shared {
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
    pub case_reply: &'static str,
    pub case_reason: &'static str,
    pub case_duplicate_of: &'static str,
    pub case_reward_approved: &'static str,
    pub case_reward_paid: &'static str,
}

pub const ZH_CN: Shared = Shared {
    app_name: "绿色守望",
    skip_to_content: "跳到主要内容",
    nav_label: "主导航",
    nav_home: "首页",
    nav_new_report: "我要举报",
    nav_my_reports: "我的举报",
    nav_learn: "环保知识",
    nav_about: "举报渠道",
    switch_language: "切换到英文界面",
    update_available: "有新版本可用。",
    update_now: "立即更新",
    update_later: "稍后",
    case_reply: "回复：",
    case_reason: "原因：",
    case_duplicate_of: "重复案件：",
    case_reward_approved: "通讯补贴待发放：",
    case_reward_paid: "通讯补贴已发放：",
};

pub const EN: Shared = Shared {
    app_name: "GreenWatch",
    skip_to_content: "Skip to main content",
    nav_label: "Main",
    nav_home: "Home",
    nav_new_report: "New report",
    nav_my_reports: "My reports",
    nav_learn: "Learn",
    nav_about: "Channels",
    switch_language: "Switch to Chinese",
    update_available: "A new version is available.",
    update_now: "Update now",
    update_later: "Later",
    case_reply: "Reply: ",
    case_reason: "Reason: ",
    case_duplicate_of: "Duplicate of: ",
    case_reward_approved: "Subsidy approved, to be paid: ",
    case_reward_paid: "Subsidy paid: ",
};

/// The shared table of `locale`.
pub fn shared_strings(locale: Locale) -> &'static Shared {
    match locale {
        Locale::ZhCn => &ZH_CN,
        Locale::En => &EN,
    }
}
