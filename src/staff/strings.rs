//! The staff console's strings, in their own table so that none of them
//! ships in the citizen app's wasm.

use crate::i18n::{use_i18n, Locale};

pub struct StaffStrings {
    pub title: &'static str,
    pub sign_in: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub bad_login: &'static str,
    pub unavailable: &'static str,
    pub signed_in_as: &'static str,
    pub sign_out: &'static str,
    pub cases: &'static str,
    pub no_cases: &'static str,
    pub case_number: &'static str,
    pub received: &'static str,
    pub due: &'static str,
    pub overdue: &'static str,
    pub back: &'static str,
    pub description: &'static str,
    pub place: &'static str,
    pub seen_at: &'static str,
    pub media: &'static str,
    pub contact: &'static str,
    pub anonymous: &'static str,
    pub timeline: &'static str,
    pub accept: &'static str,
    pub on_site: &'static str,
    pub resolve: &'static str,
    pub reply: &'static str,
    pub reject: &'static str,
    pub reason: &'static str,
    pub map: &'static str,
}

pub const ZH_CN: StaffStrings = StaffStrings {
    title: "绿色守望 · 案件办理",
    sign_in: "登录",
    username: "用户名",
    password: "密码",
    bad_login: "用户名或密码不正确。",
    unavailable: "现在连不上服务器，请稍后再试。",
    signed_in_as: "当前用户：",
    sign_out: "退出登录",
    cases: "案件",
    no_cases: "暂无案件。",
    case_number: "案件编号",
    received: "收到时间",
    due: "应到场时间",
    overdue: "已超时",
    back: "返回案件列表",
    description: "现场描述",
    place: "地点",
    seen_at: "发现时间",
    media: "照片和录音",
    contact: "举报人联系方式",
    anonymous: "匿名举报",
    timeline: "办理进度",
    accept: "受理",
    on_site: "已到现场",
    resolve: "办结并答复",
    reply: "公开答复",
    reject: "不予受理",
    reason: "原因",
    map: "在地图上查看",
};

pub const EN: StaffStrings = StaffStrings {
    title: "GreenWatch · Case handling",
    sign_in: "Sign in",
    username: "Username",
    password: "Password",
    bad_login: "Wrong username or password.",
    unavailable: "The server cannot be reached now. Try again later.",
    signed_in_as: "Signed in as ",
    sign_out: "Sign out",
    cases: "Cases",
    no_cases: "No cases yet.",
    case_number: "Case number",
    received: "Received",
    due: "On site by",
    overdue: "Overdue",
    back: "Back to the cases",
    description: "Description",
    place: "Place",
    seen_at: "Seen at",
    media: "Photos and voice clips",
    contact: "Reporter's contact",
    anonymous: "Anonymous report",
    timeline: "Handling",
    accept: "Accept",
    on_site: "On site",
    resolve: "Resolve and reply",
    reply: "Public reply",
    reject: "Reject",
    reason: "Reason",
    map: "Show on a map",
};

/// A reactive staff text: `{st(|s| s.sign_in)}`.
pub fn st(key: fn(&StaffStrings) -> &'static str) -> impl Fn() -> &'static str + Copy + 'static {
    let i18n = use_i18n();
    move || {
        key(match i18n.locale() {
            Locale::ZhCn => &ZH_CN,
            Locale::En => &EN,
        })
    }
}
