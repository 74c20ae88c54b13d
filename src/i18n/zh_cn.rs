//! 简体中文（默认界面语言）。

use super::Strings;

pub const STRINGS: Strings = Strings {
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

    home_title: "随手举报，守护身边的环境",
    home_intro: "看到夜间偷排污水、冒黑烟、乱倒垃圾或噪声扰民？记下时间、地点和现场情况，向生态环境部门举报。",
    home_report_cta: "我要举报",
    home_learn_cta: "学习环保知识",
    home_urgent: "情况紧急时，请直接拨打 12369 环保举报热线。",

    new_report_title: "我要举报",
    new_report_intro: "举报内容包括：问题类别、现场描述、照片、录音、地点和发现时间。",
    new_report_unavailable: "在线举报表单正在建设中。在此之前，请拨打 12369 环保举报热线。",

    my_reports_title: "我的举报",
    my_reports_empty: "这台设备上还没有举报记录。",

    learn_title: "环保知识",
    learn_intro: "通过问答了解水、大气、噪声、垃圾分类和环境保护法律知识。",
    learn_unavailable: "知识问答正在建设中，敬请期待。",

    about_title: "举报渠道",
    about_intro: "发现环境污染问题，可以通过以下渠道向生态环境部门反映。",
    about_hotline_title: "12369 环保举报热线",
    about_hotline_body: "全国统一的环保举报电话，可直接向工作人员反映环境污染问题。",
    about_call: "拨打",
    about_local_lines_title: "慈溪本地举报电话",
    about_local_lines_body: "慈溪市生态环境部门的其他举报电话：",
    about_online_title: "网上渠道",
    about_online_weibo: "新浪官方微博“慈溪环境保护”：图文反映问题。",
    about_online_forums: "网络论坛：慈溪论坛、民生e点通。",
    about_online_app: "手机应用“爱慈溪”：可用文字、照片、语音反映问题，并查询办理进度和结果。",
    about_practice_title: "办理承诺",
    about_practice_body: "对群众的环境投诉，做到第一时间受理、第一时间处置、第一时间回复，当日赴现场处置。",
    about_reward_title: "有奖举报",
    about_reward_body: "真实提供环境污染线索的市民，可按规定获得一定的通讯补贴作为奖励。",
    about_version: "版本",

    not_found_title: "页面不存在",
    not_found_body: "您要找的页面不存在或已移动。",
    not_found_home: "返回首页",
};
