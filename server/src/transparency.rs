//! The public transparency figures, computed in plain Rust from every
//! complete case's public form (`protocol::public::PublicCase`: category,
//! status and the dates of each step), and the page that shows them.
//!
//! `GET /transparency` is plain HTML rendered here, with no script (the
//! citizen app is at its size budget): Simplified Chinese first, English
//! beside it (`lang="en"`). Its only style sheet is `/transparency.css`, a
//! constant served by the server, so the strict Content-Security-Policy
//! (`style-src 'self'`, no inline style or script) holds. Every text put
//! into the page goes through [`escape`].

use protocol::calendar::china_time;
use protocol::public::PublicCase;
use protocol::report::{Category, UnixMillis};
use protocol::sync::CaseStatus;
use protocol::transparency::{
    CategoryCounts, MedianDuration, StatusCount, TransparencyReport, PERIOD_DAYS, PERIOD_MS,
};
use protocol::LocalizedStr;

/// Where the page's style sheet is served.
pub const CSS_PATH: &str = "/transparency.css";

/// The page's style sheet (no inline styles: the CSP allows `'self'` only).
pub const CSS: &str = "\
:root{color-scheme:light dark;--fg:#1b2b1e;--bg:#f7faf6;--line:#c9d6c9;--accent:#1f6b35}
@media (prefers-color-scheme:dark){:root{--fg:#e4eee4;--bg:#111812;--line:#35453a;--accent:#7fd197}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:60rem;padding:1rem;font:1rem/1.6 system-ui,-apple-system,\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible,.scroll:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
.en{opacity:.85}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;min-width:40rem}
caption{text-align:left;padding:.25rem 0;font-weight:600}
th,td{border:1px solid var(--line);padding:.35rem .5rem;vertical-align:top}
td{text-align:right;font-variant-numeric:tabular-nums}
thead th{text-align:center}
tbody th,tfoot th{text-align:left}
tfoot th,tfoot td{font-weight:700}
dl{display:grid;grid-template-columns:minmax(10rem,max-content) 1fr;gap:.25rem 1rem}
dt{font-weight:600}
dd{margin:0}
footer{margin-top:2rem;font-size:.9rem}
";

/// `text` with the characters that mean something in HTML (text or a
/// quoted attribute) replaced by their references.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// The median of `values` (sorted here): the middle one for an odd count,
/// the mean of the two middle ones (rounded down) for an even count, `None`
/// for none.
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    if n == 0 {
        return None;
    }
    if n % 2 == 1 {
        return Some(values[n / 2]);
    }
    let (low, high) = (values[n / 2 - 1], values[n / 2]);
    Some(low + (high - low).div_euclid(2))
}

fn median_duration(values: Vec<i64>) -> MedianDuration {
    MedianDuration {
        cases: values.len() as u64,
        median_ms: median(values),
    }
}

/// The figures over `cases` at `now`: counts of every case by category and
/// its status now, and the medians over the cases received in the
/// [`PERIOD_DAYS`] days up to `now`.
pub fn summarize(cases: &[PublicCase], now: UnixMillis) -> TransparencyReport {
    let period_start = UnixMillis(now.0.saturating_sub(PERIOD_MS));
    let mut counts = [[0u64; CaseStatus::ALL.len()]; Category::ALL.len()];
    let mut received_in_period = 0;
    let mut to_acceptance = Vec::new();
    let mut to_reply = Vec::new();
    for case in cases {
        let (Some(first), Some(last)) = (case.events().first(), case.events().last()) else {
            continue;
        };
        let status = last.status;
        if let (Some(c), Some(s)) = (
            Category::ALL.iter().position(|&c| c == case.category()),
            CaseStatus::ALL.iter().position(|&s| s == status),
        ) {
            counts[c][s] += 1;
        }
        let received_at = first.at.0;
        if !(period_start.0..=now.0).contains(&received_at) {
            continue;
        }
        received_in_period += 1;
        let first_of = |wanted: CaseStatus| {
            case.events()
                .iter()
                .find(|event| event.status == wanted)
                .map(|event| event.at.0.saturating_sub(received_at).max(0))
        };
        if let Some(took) = first_of(CaseStatus::Accepted) {
            to_acceptance.push(took);
        }
        if let Some(took) = first_of(CaseStatus::Resolved) {
            to_reply.push(took);
        }
    }
    let categories: Vec<CategoryCounts> = Category::ALL
        .iter()
        .zip(counts.iter())
        .map(|(&category, row)| CategoryCounts {
            category,
            by_status: status_counts(|s| row[s]),
            total: row.iter().sum(),
        })
        .collect();
    let totals = status_counts(|s| counts.iter().map(|row| row[s]).sum());
    TransparencyReport {
        generated_at: now,
        period_start,
        total: totals.iter().map(|t| t.count).sum(),
        categories,
        totals,
        received_in_period,
        time_to_acceptance: median_duration(to_acceptance),
        time_to_reply: median_duration(to_reply),
    }
}

fn status_counts(count: impl Fn(usize) -> u64) -> Vec<StatusCount> {
    CaseStatus::ALL
        .iter()
        .enumerate()
        .map(|(i, &status)| StatusCount {
            status,
            count: count(i),
        })
        .collect()
}

/// A duration in whole hours and minutes (rounded to the nearest minute),
/// in Chinese and in English: `("26 小时 5 分钟", "26 h 5 min")`.
pub fn format_duration(ms: i64) -> (String, String) {
    let minutes = ms.max(0).saturating_add(30_000) / 60_000;
    let (hours, minutes) = (minutes / 60, minutes % 60);
    if hours == 0 {
        (format!("{minutes} 分钟"), format!("{minutes} min"))
    } else {
        (
            format!("{hours} 小时 {minutes} 分钟"),
            format!("{hours} h {minutes} min"),
        )
    }
}

/// Chinese, then English in its own `lang="en"` span, both escaped.
fn both(zh: &str, en: &str) -> String {
    format!(
        "{} <span class=\"en\" lang=\"en\">{}</span>",
        escape(zh),
        escape(en)
    )
}

fn label(text: LocalizedStr) -> String {
    both(text.zh_cn, text.en)
}

fn median_item(out: &mut String, term: LocalizedStr, figure: &MedianDuration) {
    out.push_str(&format!("<dt>{}</dt>\n<dd>", label(term)));
    match figure.median_ms {
        Some(ms) => {
            let (zh, en) = format_duration(ms);
            out.push_str(&both(&zh, &en));
            out.push_str(&format!(
                " <small>（{} 件 <span class=\"en\" lang=\"en\">{} cases</span>）</small>",
                figure.cases, figure.cases
            ));
        }
        None => out.push_str(&format!("— {}", both("暂无数据", "no data"))),
    }
    out.push_str("</dd>\n");
}

/// The whole page for `report`.
pub fn render_page(report: &TransparencyReport) -> String {
    let generated = escape(&china_time(report.generated_at));
    let start = escape(&china_time(report.period_start));
    let mut out = String::with_capacity(8 * 1024);
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>公开透明 Transparency · 绿色守望 GreenWatch</title>\n\
         <link rel=\"stylesheet\" href=\"{CSS_PATH}\">\n</head>\n<body>\n<header>\n\
         <p><a href=\"/\">{}</a></p>\n<h1>{}</h1>\n<p>{}</p>\n</header>\n<main>\n",
        both("返回绿色守望", "Back to GreenWatch"),
        both("公开透明", "Transparency"),
        both(
            "环保举报的办理情况，按局里的报告口径公开。",
            "How environmental reports are handled, published as the bureau reports them.",
        ),
    ));

    // Counts by category and status.
    out.push_str(&format!(
        "<section aria-labelledby=\"counts\">\n<h2 id=\"counts\">{}</h2>\n\
         <div class=\"scroll\" role=\"region\" aria-labelledby=\"counts-caption\" tabindex=\"0\">\n\
         <table>\n<caption id=\"counts-caption\">{}</caption>\n<thead>\n<tr><th scope=\"col\">{}</th>",
        both("案件统计", "Case statistics"),
        both(
            &format!("按类别和当前状态统计的全部案件（截至 {generated}）"),
            &format!("All cases by category and current status (as of {generated})"),
        ),
        both("类别", "Category"),
    ));
    for status in CaseStatus::ALL {
        out.push_str(&format!("<th scope=\"col\">{}</th>", label(status.label())));
    }
    out.push_str(&format!(
        "<th scope=\"col\">{}</th></tr>\n</thead>\n<tbody>\n",
        both("合计", "Total")
    ));
    for row in &report.categories {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            label(row.category.name())
        ));
        for cell in &row.by_status {
            out.push_str(&format!("<td>{}</td>", cell.count));
        }
        out.push_str(&format!("<td>{}</td></tr>\n", row.total));
    }
    out.push_str(&format!(
        "</tbody>\n<tfoot>\n<tr><th scope=\"row\">{}</th>",
        both("合计", "Total")
    ));
    for cell in &report.totals {
        out.push_str(&format!("<td>{}</td>", cell.count));
    }
    out.push_str(&format!(
        "<td>{}</td></tr>\n</tfoot>\n</table>\n</div>\n<p>{}</p>\n</section>\n",
        report.total,
        both(
            "只统计已完整收到的举报（含全部照片和录音）。",
            "Only complete reports count (every photo and voice clip received).",
        ),
    ));

    // Medians over the period.
    out.push_str(&format!(
        "<section aria-labelledby=\"times\">\n<h2 id=\"times\">{}</h2>\n<p>{}</p>\n<dl>\n",
        both("办理用时", "Handling times"),
        both(
            &format!(
                "统计周期：最近 {PERIOD_DAYS} 天，{start} 至 {generated}（北京时间），期间收到 {} 件。",
                report.received_in_period
            ),
            &format!(
                "Period: the last {PERIOD_DAYS} days, {start} to {generated} (China Standard Time); {} cases received.",
                report.received_in_period
            ),
        ),
    ));
    median_item(
        &mut out,
        LocalizedStr::new(
            "从收到到受理的中位用时",
            "Median time from receipt to acceptance",
        ),
        &report.time_to_acceptance,
    );
    median_item(
        &mut out,
        LocalizedStr::new(
            "从收到到答复的中位用时",
            "Median time from receipt to reply",
        ),
        &report.time_to_reply,
    );
    out.push_str(&format!(
        "</dl>\n</section>\n</main>\n<footer>\n<p>{}</p>\n</footer>\n</body>\n</html>\n",
        both(
            &format!("生成时间：{generated}（北京时间）"),
            &format!("Generated {generated} (China Standard Time)"),
        ),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn escape_replaces_every_special_character() {
        assert_eq!(
            escape("<a href=\"x\">Tom & 'Jerry'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("河道或小微水体"), "河道或小微水体");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn median_of_odd_even_and_no_values() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![7]), Some(7));
        assert_eq!(median(vec![9, 1, 5]), Some(5));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
        assert_eq!(median(vec![10, 20]), Some(15));
        assert_eq!(median(vec![1, 2]), Some(1));
        assert_eq!(median(vec![i64::MAX - 1, i64::MAX]), Some(i64::MAX - 1));
    }

    #[test]
    fn durations_are_hours_and_minutes() {
        assert_eq!(format_duration(0), ("0 分钟".into(), "0 min".into()));
        assert_eq!(format_duration(29_999), ("0 分钟".into(), "0 min".into()));
        assert_eq!(format_duration(90_000), ("2 分钟".into(), "2 min".into()));
        assert_eq!(
            format_duration(26 * HOUR + 5 * 60_000),
            ("26 小时 5 分钟".into(), "26 h 5 min".into())
        );
        assert_eq!(format_duration(-5), ("0 分钟".into(), "0 min".into()));
    }

    #[test]
    fn times_are_shown_in_china_standard_time() {
        // 2026-01-01 00:00 in Beijing is 2025-12-31 16:00 UTC.
        assert_eq!(
            china_time(UnixMillis(1_767_196_800_000)),
            "2026-01-01 00:00"
        );
        assert_eq!(
            china_time(UnixMillis(1_767_196_799_999)),
            "2025-12-31 23:59"
        );
        assert_eq!(china_time(UnixMillis(0)), "1970-01-01 08:00");
        // A leap day.
        assert_eq!(
            china_time(UnixMillis(1_709_164_800_000)),
            "2024-02-29 08:00"
        );
    }

    /// A public case as the nearby answer carries it (the only way to
    /// make one here without a whole report).
    fn case(category: Category, events: &[(i64, CaseStatus)]) -> PublicCase {
        let events: Vec<_> = events
            .iter()
            .map(|(at, status)| serde_json::json!({"at": at, "status": status}))
            .collect();
        let first = events[0]["at"].clone();
        let last = events[events.len() - 1]["at"].clone();
        let status = events[events.len() - 1]["status"].clone();
        serde_json::from_value(serde_json::json!({
            "case_number": "GW-2026-000001",
            "category": category,
            "status": status,
            "requested_at": first,
            "updated_at": last,
            "events": events,
            "supporters": 0
        }))
        .expect("a public case")
    }

    fn resolved() -> CaseStatus {
        CaseStatus::Resolved
    }

    #[test]
    fn counts_and_medians_over_the_period() {
        let now = 100 * 86_400_000;
        let day = 86_400_000;
        let cases = [
            // In the period: accepted after 1 h, replied after 5 h.
            case(
                Category::Water,
                &[
                    (now - day, CaseStatus::Received),
                    (now - day + HOUR, CaseStatus::Accepted),
                    (now - day + 5 * HOUR, resolved()),
                ],
            ),
            // In the period: accepted after 3 h, not replied yet.
            case(
                Category::Water,
                &[
                    (now - 2 * day, CaseStatus::Received),
                    (now - 2 * day + 3 * HOUR, CaseStatus::Accepted),
                    (now - 2 * day + 4 * HOUR, CaseStatus::OnSite),
                ],
            ),
            // In the period, still only received.
            case(Category::Noise, &[(now - HOUR, CaseStatus::Received)]),
            // Before the period: counted, but not in the medians.
            case(
                Category::Air,
                &[
                    (now - 40 * day, CaseStatus::Received),
                    (now - 40 * day + 100 * HOUR, CaseStatus::Accepted),
                    (now - 40 * day + 200 * HOUR, resolved()),
                ],
            ),
        ];
        let report = summarize(&cases, UnixMillis(now));
        assert_eq!(report.generated_at, UnixMillis(now));
        assert_eq!(report.period_start, UnixMillis(now - 30 * day));
        assert_eq!(report.total, 4);
        assert_eq!(report.received_in_period, 3);
        assert_eq!(report.categories.len(), Category::ALL.len());
        let water = &report.categories[0];
        assert_eq!(water.category, Category::Water);
        assert_eq!(water.total, 2);
        let count = |counts: &[StatusCount], status| {
            counts
                .iter()
                .find(|c| c.status == status)
                .map(|c| c.count)
                .expect("every status")
        };
        assert_eq!(count(&water.by_status, CaseStatus::Resolved), 1);
        assert_eq!(count(&water.by_status, CaseStatus::OnSite), 1);
        assert_eq!(count(&report.totals, CaseStatus::Received), 1);
        assert_eq!(count(&report.totals, CaseStatus::Resolved), 2);
        assert_eq!(count(&report.totals, CaseStatus::Rejected), 0);
        assert_eq!(
            report.time_to_acceptance,
            MedianDuration {
                median_ms: Some(2 * HOUR),
                cases: 2
            }
        );
        assert_eq!(
            report.time_to_reply,
            MedianDuration {
                median_ms: Some(5 * HOUR),
                cases: 1
            }
        );
    }

    #[test]
    fn no_cases_means_zeros_and_no_medians() {
        let report = summarize(&[], UnixMillis(1_767_196_800_000));
        assert_eq!(report.total, 0);
        assert!(report
            .categories
            .iter()
            .all(|row| row.total == 0 && row.by_status.len() == CaseStatus::ALL.len()));
        assert_eq!(report.time_to_acceptance.median_ms, None);
        let html = render_page(&report);
        assert!(html.contains("暂无数据"));
        assert!(html.contains("no data"));
    }

    #[test]
    fn the_page_is_accessible_static_html() {
        let report = summarize(&[], UnixMillis(1_767_196_800_000));
        let html = render_page(&report);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
        assert!(html.contains("<caption"));
        assert!(html.contains("<th scope=\"col\">"));
        assert!(html.contains("<th scope=\"row\">"));
        assert!(html.contains("案件统计 <span class=\"en\" lang=\"en\">Case statistics</span>"));
        assert!(html.contains("href=\"/transparency.css\""));
        assert!(html.contains("<a href=\"/\">"));
        assert!(html.contains("2025-12-02 00:00 至 2026-01-01 00:00"));
        let lower = html.to_ascii_lowercase();
        for forbidden in [
            "<script",
            "<style",
            " style=",
            "javascript:",
            " onclick=",
            " onload=",
            " onerror=",
        ] {
            assert!(!lower.contains(forbidden), "{forbidden}");
        }
    }
}
