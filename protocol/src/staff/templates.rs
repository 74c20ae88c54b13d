//! Reply templates for resolving a case, after the bureau's practice (the
//! seed): a reply at once after the visit, what was done, and thanks, with
//! the communication subsidy for genuine tips.

use serde::{Deserialize, Serialize};

use crate::LocalizedText;

/// A starting point for a public reply; staff edit it before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTemplate {
    /// Stable id.
    pub id: String,
    /// What it is for.
    pub title: LocalizedText,
    /// The reply text.
    pub reply: LocalizedText,
}

/// The templates of `GET /api/v1/staff/reply-templates`.
pub fn reply_templates() -> Vec<ReplyTemplate> {
    let template = |id: &str, title: (&str, &str), reply: (&str, &str)| ReplyTemplate {
        id: id.to_owned(),
        title: LocalizedText::new(title.0, title.1),
        reply: LocalizedText::new(reply.0, reply.1),
    };
    vec![
        template(
            "confirmed_ordered",
            ("属实，已责令整改", "Confirmed; correction ordered"),
            (
                "您好！接到您的举报后，我局工作人员当日赶赴现场核查。经查，您反映的问题属实，我局已依法责令相关单位立即停止违法行为并限期整改，后续将跟踪复查。感谢您对环境保护工作的关心和支持！",
                "Thank you for your report. Our staff went to the site the same day and found the problem as you described. We have ordered the party responsible to stop at once and to put it right by a deadline, and will check again. Thank you for helping protect the environment.",
            ),
        ),
        template(
            "confirmed_shut_down",
            ("属实，已取缔", "Confirmed; shut down"),
            (
                "您好！根据您提供的线索，我局第一时间赴现场查处，该非法排污点已被依法取缔。对真实提供环境污染线索的群众，我局按规定给予通讯补贴奖励，工作人员将与您联系。感谢您的监督！",
                "Thank you for your tip. We acted on it at once: the illegal discharge point has been shut down according to law. People who give genuine pollution tips receive a communication subsidy; our staff will contact you. Thank you for keeping watch.",
            ),
        ),
        template(
            "not_found_on_site",
            ("现场未发现", "Nothing found on site"),
            (
                "您好！接到您的举报后，我局工作人员当日赶赴现场核查，核查时未发现您反映的污染现象。我局将加强对该区域的巡查（含夜间巡查）。如再次发现，欢迎随时通过本平台或拨打 12345 政务服务便民热线反映。",
                "Thank you for your report. Our staff went to the site the same day but did not find the pollution you described at the time. We will patrol the area more often, at night too. If you see it again, please report it here or call the 12345 hotline.",
            ),
        ),
        template(
            "referred",
            ("已移交其他部门", "Passed to another agency"),
            (
                "您好！经核查，您反映的问题属于其他部门职责范围，我局已将案件转交相关部门处理，并将督促其及时办理。感谢您的支持！",
                "Thank you for your report. The problem falls under another agency's responsibility; we have passed the case to them and will follow up. Thank you for your support.",
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::ReplyText;

    #[test]
    fn templates_are_bilingual_valid_replies_with_unique_ids() {
        let templates = reply_templates();
        assert!(templates.len() >= 3);
        let mut ids: Vec<&str> = templates.iter().map(|t| t.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), templates.len());
        for template in &templates {
            for text in [&template.reply.zh_cn, &template.reply.en] {
                assert!(ReplyText::parse(text).is_ok(), "{}", template.id);
            }
            assert!(!template.title.zh_cn.is_empty() && !template.title.en.is_empty());
        }
    }
}
