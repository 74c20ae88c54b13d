//! English (second interface language).

use super::Strings;

pub const STRINGS: Strings = Strings {
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

    home_title: "Report pollution, protect your surroundings",
    home_intro: "Seen a factory discharging at night, black smoke, illegal dumping or noise? Note the time, the place and what you saw, and report it to the environmental bureau.",
    home_report_cta: "New report",
    home_learn_cta: "Learn about the environment",
    home_urgent: "In an emergency, call the 12369 environmental hotline.",

    new_report_title: "New report",
    new_report_intro: "A report holds: the kind of problem, a description, photos, voice clips, the place and the time you saw it.",
    new_report_unavailable: "The online report form is being built. Until then, please call the 12369 environmental hotline.",

    my_reports_title: "My reports",
    my_reports_empty: "There are no reports on this device yet.",

    learn_title: "Learn",
    learn_intro: "Quizzes on water, air, noise, waste sorting and environmental law.",
    learn_unavailable: "The quizzes are being built. Please check back soon.",

    about_title: "Reporting channels",
    about_intro: "You can report an environmental problem to the bureau through any of these channels.",
    about_hotline_title: "12369 environmental hotline",
    about_hotline_body: "The national environmental hotline: tell the staff directly about the pollution you saw.",
    about_call: "Call",
    about_local_lines_title: "Cixi local hotlines",
    about_local_lines_body: "Other numbers of the Cixi environmental bureau:",
    about_online_title: "Online",
    about_online_weibo: "The bureau's Sina Weibo account “慈溪环境保护” (Cixi Environmental Protection): report with text and photos.",
    about_online_forums: "Online forums: Cixi Forum (慈溪论坛) and Minsheng e-Diantong (民生e点通).",
    about_online_app: "The “爱慈溪” (Love Cixi) phone app: report with text, photos and voice, and follow the handling and the result.",
    about_practice_title: "Our commitment",
    about_practice_body: "Every complaint is accepted, handled and answered at the first opportunity, with staff on site the same day.",
    about_reward_title: "Rewards for genuine tips",
    about_reward_body: "Citizens who give genuine leads on pollution can receive a communication subsidy as a reward, under the bureau's rules.",
    about_version: "Version",

    not_found_title: "Page not found",
    not_found_body: "The page you were looking for does not exist or has moved.",
    not_found_home: "Back to the home page",
};
