use serde_json::{json, Value};

use super::*;

fn text(zh: &str, en: &str) -> Value {
    json!({ "zh-CN": zh, "en": en })
}

fn source() -> Value {
    json!({ "document": text("《某法》", "Some Law"), "where": text("第一条", "Article 1") })
}

/// A list that passes every rule: an urgent phone line, a website that
/// stops being shown after 2026-12-31, and a place.
fn valid() -> Value {
    json!({
        "version": 3,
        "channels": [
            {
                "id": "line",
                "kind": "phone",
                "name": text("热线", "Hotline"),
                "contact": text(" 12345 ", "12345"),
                "hours": text("全天", "Day and night"),
                "for": text("举报", "Reports"),
                "urgent": true,
                "sources": [source()],
                "checked": "2026-12-02"
            },
            {
                "id": "site",
                "kind": "web",
                "name": text("网站", "Website"),
                "contact": text("https://example.org/report", "https://example.org/report"),
                "hours": text("随时", "Any time"),
                "for": text("网上举报", "Online reports"),
                "sources": [source(), source()],
                "checked": "2026-12-02",
                "valid_until": "2026-12-31"
            },
            {
                "id": "desk",
                "kind": "in_person",
                "name": text("接待处", "Reception"),
                "contact": text("当地生态环境局", "The local ecology and environment bureau"),
                "hours": text("工作日", "Working days"),
                "for": text("当面反映", "In person"),
                "sources": [source()],
                "checked": "2026-11-30"
            }
        ]
    })
}

fn parse(value: &Value) -> Result<ChannelList, ChannelsError> {
    ChannelList::parse(&value.to_string())
}

fn error_after(edit: impl FnOnce(&mut Value)) -> ChannelsError {
    let mut value = valid();
    edit(&mut value);
    parse(&value).expect_err("should be refused")
}

fn problem_after(index: usize, edit: impl FnOnce(&mut Value)) -> ChannelProblem {
    match error_after(edit) {
        ChannelsError::Channel {
            index: at, problem, ..
        } => {
            assert_eq!(at, index);
            problem
        }
        other => panic!("expected a channel problem, got {other:?}"),
    }
}

fn day(raw: &str) -> Date {
    Date::parse(raw).expect("date")
}

#[test]
fn a_valid_list_parses_with_its_facts() {
    let list = parse(&valid()).expect("valid");
    assert_eq!(list.version(), 3);
    let line = &list.channels()[0];
    assert_eq!(line.id().as_str(), "line");
    assert_eq!(line.kind(), ChannelKind::Phone);
    assert_eq!(
        line.contact(),
        &LocalizedText::new("12345", "12345"),
        "trimmed"
    );
    assert_eq!(line.phone_number(), Some("12345"));
    assert_eq!(list.channels()[1].phone_number(), None);
    assert!(line.is_urgent());
    assert_eq!(line.checked(), day("2026-12-02"));
    assert_eq!(line.valid_until(), None);
    assert_eq!(line.sources()[0].locator().en, "Article 1");
    assert_eq!(line.purpose().zh_cn, "举报");
    let site = &list.channels()[1];
    assert!(!site.is_urgent());
    assert_eq!(site.sources().len(), 2);
    assert_eq!(site.valid_until(), Some(day("2026-12-31")));
    assert_eq!(list.channels()[2].kind(), ChannelKind::InPerson);
}

#[test]
fn a_channel_is_not_shown_once_its_valid_until_has_passed() {
    let list = parse(&valid()).expect("valid");
    let shown = |today: &str| {
        list.shown_on(day(today))
            .map(|c| c.id().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(shown("2026-12-02"), ["line", "site", "desk"]);
    // The last valid day is still shown; the next is not.
    assert_eq!(shown("2026-12-31"), ["line", "site", "desk"]);
    assert_eq!(shown("2027-01-01"), ["line", "desk"]);
    // Before it was checked is no reason to hide it.
    assert_eq!(shown("2020-01-01"), ["line", "site", "desk"]);
}

#[test]
fn the_urgent_line_is_the_first_urgent_channel_shown_that_day() {
    let mut value = valid();
    value["channels"][0]["valid_until"] = json!("2026-12-10");
    value["channels"][2]["kind"] = json!("phone");
    value["channels"][2]["contact"] = text("110", "110");
    value["channels"][2]["urgent"] = json!(true);
    let list = parse(&value).expect("valid");
    let urgent = |today| list.urgent_line(day(today)).map(|c| c.id().to_string());
    assert_eq!(urgent("2026-12-10").as_deref(), Some("line"));
    assert_eq!(urgent("2026-12-11").as_deref(), Some("desk"));

    let mut only = valid();
    only["channels"][0]["valid_until"] = json!("2026-12-10");
    let list = parse(&only).expect("valid");
    assert_eq!(list.urgent_line(day("2026-12-11")), None);
}

#[test]
fn a_higher_version_replaces_a_lower_one_and_only_then() {
    let current = parse(&valid()).expect("valid");
    let mut newer = valid();
    newer["version"] = json!(4);
    newer["channels"][0]["contact"] = text("110", "110");
    let newer = parse(&newer).expect("valid");
    assert_eq!(
        ChannelList::newest(current.clone(), newer.clone()),
        newer.clone()
    );
    assert_eq!(
        ChannelList::newest(newer.clone(), current.clone()),
        newer.clone()
    );
    let mut same = valid();
    same["channels"][0]["contact"] = text("119", "119");
    let same = parse(&same).expect("valid");
    assert_eq!(
        ChannelList::newest(current.clone(), same),
        current,
        "an equal version keeps the current list"
    );
}

#[test]
fn a_list_round_trips_through_json_in_the_file_shape() {
    let list = parse(&valid()).expect("valid");
    let json = serde_json::to_value(&list).expect("serialise");
    assert_eq!(json["channels"][0]["contact"]["en"], "12345");
    assert_eq!(json["channels"][0]["for"]["en"], "Reports");
    assert_eq!(
        json["channels"][0]["sources"][0]["where"]["zh-CN"],
        "第一条"
    );
    assert_eq!(json["channels"][0]["urgent"], true);
    assert!(json["channels"][1].get("urgent").is_none());
    assert!(json["channels"][0].get("valid_until").is_none());
    assert_eq!(json["channels"][1]["valid_until"], "2026-12-31");
    let back: ChannelList = serde_json::from_value(json).expect("read back");
    assert_eq!(back, list);
}

#[test]
fn refuses_what_is_not_a_channel_file() {
    assert!(matches!(
        ChannelList::parse("{"),
        Err(ChannelsError::Json(_))
    ));
    let err = error_after(|v| v["colour"] = json!("green"));
    assert!(
        matches!(err, ChannelsError::Json(ref m) if m.contains("colour")),
        "{err}"
    );
    let err = error_after(|v| v["channels"][0]["kind"] = json!("fax"));
    assert!(
        matches!(err, ChannelsError::Json(ref m) if m.contains("fax")),
        "{err}"
    );
    let err = error_after(|v| {
        v["channels"][0]
            .as_object_mut()
            .expect("channel")
            .remove("checked");
    });
    assert!(
        matches!(err, ChannelsError::Json(ref m) if m.contains("checked")),
        "{err}"
    );
    let err = error_after(|v| {
        v["channels"][0]
            .as_object_mut()
            .expect("channel")
            .remove("sources");
    });
    assert!(
        matches!(err, ChannelsError::Json(ref m) if m.contains("sources")),
        "{err}"
    );
    assert_eq!(
        error_after(|v| v["version"] = json!(0)),
        ChannelsError::VersionZero
    );
    assert_eq!(
        error_after(|v| v["channels"] = json!([])),
        ChannelsError::NoChannels
    );
}

#[test]
fn refuses_a_list_without_an_urgent_line() {
    let err = error_after(|v| {
        v["channels"][0]
            .as_object_mut()
            .expect("channel")
            .remove("urgent");
    });
    assert_eq!(err, ChannelsError::NoUrgentLine);
    assert!(err.to_string().contains("urgent"));
    assert_eq!(
        problem_after(1, |v| v["channels"][1]["urgent"] = json!(true)),
        ChannelProblem::UrgentNotPhone
    );
}

#[test]
fn refuses_a_channel_without_sources_or_with_a_blank_source() {
    let err = error_after(|v| v["channels"][2]["sources"] = json!([]));
    assert_eq!(
        err,
        ChannelsError::Channel {
            index: 2,
            id: "desk".into(),
            problem: ChannelProblem::NoSources
        }
    );
    assert_eq!(
        err.to_string(),
        "channel \"desk\" (number 3): no sources: say where each fact was checked"
    );
    assert_eq!(
        problem_after(1, |v| v["channels"][1]["sources"][1]["where"]["en"] =
            json!(" ")),
        ChannelProblem::BlankText {
            field: ChannelField::SourceLocator(1),
            language: Language::En
        }
    );
    assert_eq!(
        problem_after(0, |v| v["channels"][0]["sources"][0]["document"] =
            json!({ "en": "Law" })),
        ChannelProblem::BlankText {
            field: ChannelField::SourceDocument(0),
            language: Language::ZhCn
        }
    );
}

#[test]
fn refuses_bad_dates_naming_the_field() {
    assert_eq!(
        problem_after(0, |v| v["channels"][0]["checked"] = json!("2026-13-01")),
        ChannelProblem::BadDate {
            field: DateField::Checked,
            problem: DateError::NoSuchDay("2026-13-01".into())
        }
    );
    assert!(matches!(
        problem_after(1, |v| v["channels"][1]["valid_until"] = json!("31/12/2026")),
        ChannelProblem::BadDate {
            field: DateField::ValidUntil,
            ..
        }
    ));
    assert_eq!(
        problem_after(1, |v| v["channels"][1]["valid_until"] = json!("2026-12-01")),
        ChannelProblem::ValidUntilBeforeChecked {
            checked: day("2026-12-02"),
            valid_until: day("2026-12-01")
        }
    );
}

#[test]
fn refuses_bad_ids_texts_and_contacts() {
    assert_eq!(
        problem_after(0, |v| v["channels"][0]["id"] = json!("Hot Line")),
        ChannelProblem::BadId(IdError::Character('H'))
    );
    assert_eq!(
        problem_after(2, |v| v["channels"][2]["id"] = json!("line")),
        ChannelProblem::DuplicateId { first_index: 0 }
    );
    for (key, field) in [
        ("name", ChannelField::Name),
        ("hours", ChannelField::Hours),
        ("for", ChannelField::Purpose),
    ] {
        assert_eq!(
            problem_after(1, |v| v["channels"][1][key]["zh-CN"] = json!("")),
            ChannelProblem::BlankText {
                field,
                language: Language::ZhCn
            },
            "{key}"
        );
    }
    assert_eq!(
        problem_after(2, |v| v["channels"][2]["contact"]["en"] = json!("  ")),
        ChannelProblem::BlankText {
            field: ChannelField::Contact,
            language: Language::En
        }
    );
    assert_eq!(
        problem_after(2, |v| v["channels"][2]["contact"]["zh-CN"] =
            json!("号".repeat(201))),
        ChannelProblem::ContactTooLong {
            max: MAX_CONTACT_CHARS,
            actual: 201
        }
    );
    for bad in [
        "12369 ext 2",
        "call 12345",
        "+",
        "-110",
        "110-",
        "1--10",
        "1234567890123456",
    ] {
        assert_eq!(
            problem_after(0, |v| v["channels"][0]["contact"] = text(bad, bad)),
            ChannelProblem::NotAPhoneNumber(bad.into()),
            "{bad}"
        );
    }
    assert_eq!(
        problem_after(0, |v| v["channels"][0]["contact"] = text("12345", "12346")),
        ChannelProblem::NotAPhoneNumber("12345".into())
    );
    for good in ["110", "+86-574-12345678", "057463811354"] {
        let mut value = valid();
        value["channels"][0]["contact"] = text(good, good);
        assert!(parse(&value).is_ok(), "{good}");
    }
    for bad in [
        "www.mee.gov.cn",
        "https://",
        "https:///x",
        "https://a b",
        "ftp://x.cn",
    ] {
        assert_eq!(
            problem_after(1, |v| v["channels"][1]["contact"] = text(bad, bad)),
            ChannelProblem::NotAWebAddress(bad.into()),
            "{bad}"
        );
    }
}

#[test]
fn a_file_read_as_is_then_checked_is_what_parse_gives() {
    let value = valid();
    let file: ChannelFile = serde_json::from_value(value.clone()).expect("the file shape");
    assert_eq!(file.check(), parse(&value));
    // Reading the shape checks no rule; `check` refuses what `parse` refuses.
    let mut no_urgent = valid();
    no_urgent["channels"][0]["urgent"] = json!(false);
    let file: ChannelFile = serde_json::from_value(no_urgent).expect("the file shape");
    assert_eq!(file.check(), Err(ChannelsError::NoUrgentLine));
    assert!(serde_json::from_value::<ChannelFile>(json!({ "version": 1 })).is_err());
}

#[test]
fn kind_codes_match_serde() {
    for kind in ChannelKind::ALL {
        let json = serde_json::to_string(&kind).expect("serialise");
        assert_eq!(json, format!("\"{}\"", kind.code()));
    }
}

#[test]
fn the_bundled_list_is_valid_and_has_an_urgent_line_today() {
    let list = bundled();
    assert!(list
        .urgent_line(day("2026-12-02"))
        .is_some_and(|line| line.kind() == ChannelKind::Phone));
}

#[test]
fn a_list_is_sent_only_when_newer_than_the_one_shown() {
    let any = ChannelsQuery { newer_than: None };
    assert!(any.wants(1));
    let shown = ChannelsQuery {
        newer_than: Some(3),
    };
    assert!(!shown.wants(2));
    assert!(!shown.wants(3));
    assert!(shown.wants(4));
    assert_eq!(ChannelsQuery::href(3), "/api/v1/channels?newer_than=3");
}
