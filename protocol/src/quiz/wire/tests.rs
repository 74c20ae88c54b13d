use serde_json::{json, Value};

use super::*;
use crate::quiz::{bundled, draw, merge_packs, Answer, Level, QuizResult};
use crate::report::Field;

/// A change to a body, as JSON or as the read upload.
type BodyEdit = Box<dyn Fn(&mut Value)>;
type UploadEdit = Box<dyn Fn(&mut QuizResultUpload)>;

const NOW: UnixMillis = UnixMillis(1_767_225_600_000); // 2026-01-01T00:00:00Z
const EVENT_ID: &str = "0b8f8d7e-2c5a-4d3e-9a51-1f0e6c2b7a11";
const RESULT_ID: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

/// A valid event result as JSON, to edit.
fn event_body() -> Value {
    json!({
        "event": { "id": EVENT_ID, "name": " 世界环境日·西湖社区 " },
        "pack": "water-quality",
        "correct": 7,
        "total": 10,
        "missed": ["wq-01", "wq-04", "wq-09"],
        "finished_at": NOW.0 - 60_000,
        "mode": "event"
    })
}

fn read(value: &Value) -> Result<QuizResultUpload, serde_json::Error> {
    serde_json::from_value(value.clone())
}

/// The field errors after `edit` of [`event_body`], as `(path, en message)`.
fn errors_after(edit: impl FnOnce(&mut Value)) -> Vec<(String, String)> {
    let mut body = event_body();
    edit(&mut body);
    let upload = read(&body).expect("readable body");
    let errors = upload.validate(NOW).expect_err("should be refused");
    errors
        .iter()
        .map(|error| {
            let path = serde_json::to_value(error.field).expect("field");
            (
                path.as_str().expect("string").to_owned(),
                error.message.en.clone(),
            )
        })
        .collect()
}

/// The one field refused after `edit`.
fn only_error(edit: impl FnOnce(&mut Value)) -> (String, String) {
    let mut errors = errors_after(edit);
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.remove(0)
}

#[test]
fn routes_and_paths_agree() {
    let id: QuizResultId = RESULT_ID.parse().expect("uuid");
    assert_eq!(
        quiz_result_path(id),
        QUIZ_RESULT_ROUTE.replace("{result_id}", RESULT_ID)
    );
    assert!(QUIZ_PACKS_ROUTE.starts_with("/api/v1/"));
    assert!(STAFF_QUIZ_PARTICIPATION_ROUTE.starts_with(crate::staff::STAFF_API));
}

#[test]
fn every_bundled_pack_round_trips_through_the_answer() {
    let packs = bundled();
    for pack in &packs {
        let json = serde_json::to_string(pack).expect("serialise");
        assert_eq!(
            &QuizPack::parse(&json).expect("parse back"),
            pack,
            "{}",
            pack.id()
        );
    }
    let answer = QuizPacksAnswer {
        packs: packs.clone(),
    };
    let json = serde_json::to_string(&answer).expect("serialise");
    let received = QuizPacksAnswer::parse(&json).expect("answer");
    assert_eq!(received.packs, packs);
    assert!(received.skipped.is_empty());
}

#[test]
fn an_invalid_pack_is_skipped_alone() {
    let good = serde_json::to_value(&bundled()[0]).expect("pack");
    let other = serde_json::to_value(&bundled()[1]).expect("pack");
    let mut zero = good.clone();
    zero["id"] = json!("zero-version");
    zero["version"] = json!(0);
    let mut unknown_field = other.clone();
    unknown_field["colour"] = json!("green");
    let body = json!({ "packs": [good, zero, 42, other, unknown_field] }).to_string();
    let received = QuizPacksAnswer::parse(&body).expect("answer");
    assert_eq!(
        received.packs,
        vec![bundled()[0].clone(), bundled()[1].clone()]
    );
    let skipped: Vec<(usize, Option<&str>)> = received
        .skipped
        .iter()
        .map(|s| (s.index, s.id.as_deref()))
        .collect();
    assert_eq!(
        skipped,
        [
            (1, Some("zero-version")),
            (2, None),
            (4, Some(bundled()[1].id().as_str()))
        ]
    );
    assert_eq!(received.skipped[0].error, PackError::VersionZero);
    assert!(matches!(received.skipped[1].error, PackError::Json(_)));
    assert!(
        matches!(&received.skipped[2].error, PackError::Json(m) if m.contains("colour")),
        "{:?}",
        received.skipped[2].error
    );
    assert!(received.skipped[0].to_string().contains("zero-version"));
}

#[test]
fn an_answer_that_is_not_a_pack_list_is_an_error() {
    for body in ["", "[]", "{}", r#"{"packs": {}}"#, r#"{"packs": null}"#] {
        assert!(QuizPacksAnswer::parse(body).is_err(), "{body}");
    }
    let empty = QuizPacksAnswer::parse(r#"{"packs": []}"#).expect("empty list");
    assert!(empty.packs.is_empty() && empty.skipped.is_empty());
}

#[test]
fn merging_keeps_the_higher_version_and_adds_new_packs() {
    let base = bundled();
    let mut newer = serde_json::to_value(&base[2]).expect("pack");
    newer["version"] = json!(base[2].version() + 1);
    newer["title"]["en"] = json!("Updated");
    let newer = QuizPack::from_value(newer).expect("valid");
    let mut older = serde_json::to_value(&base[3]).expect("pack");
    older["title"]["en"] = json!("Same version, ignored");
    let older = QuizPack::from_value(older).expect("valid");
    let mut extra = serde_json::to_value(&base[0]).expect("pack");
    extra["id"] = json!("extra-pack");
    let extra = QuizPack::from_value(extra).expect("valid");

    let merged = merge_packs(base.clone(), [newer.clone(), older, extra.clone()]);
    assert_eq!(merged.len(), base.len() + 1);
    assert_eq!(merged[2], newer);
    assert_eq!(merged[3], base[3]);
    assert_eq!(merged.last(), Some(&extra));
    // A lower version never replaces a higher one.
    let back = merge_packs(merged.clone(), [base[2].clone()]);
    assert_eq!(back, merged);
}

#[test]
fn an_event_result_validates_with_its_name_trimmed() {
    let upload = read(&event_body()).expect("read");
    let valid = upload.validate(NOW).expect("valid");
    let event = valid.event().expect("event");
    assert_eq!(event.id.to_string(), EVENT_ID);
    assert_eq!(event.name.as_str(), "世界环境日·西湖社区");
    assert_eq!(valid.mode(), QuizMode::Event);
    assert_eq!(
        valid.pack(),
        &PackChoice::One(PackId::parse("water-quality").expect("id"))
    );
    assert_eq!((valid.correct(), valid.total()), (7, 10));
    assert_eq!(valid.missed().len(), 3);
    assert_eq!(valid.finished_at(), UnixMillis(NOW.0 - 60_000));
    // to_upload gives the checked form, which validates to the same result.
    let again = valid.to_upload();
    assert_eq!(
        again.event.as_ref().expect("event").name,
        "世界环境日·西湖社区"
    );
    assert_eq!(again.validate(NOW), Ok(valid));
}

#[test]
fn a_solo_mixed_result_validates() {
    let valid = read(&json!({
        "event": null,
        "pack": "mixed",
        "correct": 10,
        "total": 10,
        "missed": [],
        "finished_at": NOW.0,
        "mode": "solo"
    }))
    .expect("read")
    .validate(NOW)
    .expect("valid");
    assert_eq!(valid.event(), None);
    assert_eq!(valid.mode(), QuizMode::Solo);
    assert_eq!(valid.pack(), &PackChoice::Mixed);
}

#[test]
fn the_upload_serialises_every_field_with_null_for_no_event() {
    let upload = read(&event_body()).expect("read");
    let mut solo = upload.clone();
    solo.event = None;
    solo.mode = QuizMode::Solo;
    let json = serde_json::to_value(&solo).expect("json");
    assert_eq!(json["event"], Value::Null);
    assert_eq!(json["mode"], "solo");
    assert_eq!(
        serde_json::to_value(&upload).expect("json")["mode"],
        "event"
    );
    assert_eq!(read(&json).expect("read back"), solo);
}

#[test]
fn from_result_lists_each_missed_question_once_in_quiz_order() {
    let packs = bundled();
    let choice = PackChoice::One(packs[0].id().clone());
    let questions = draw(&packs, &choice, Level::Adult, 10, 7).expect("draw");
    // Right on the first three, wrong on the fourth, the rest unanswered.
    let mut answers: Vec<Option<Answer>> = questions
        .iter()
        .take(3)
        .map(|q| Some(q.correct_answer()))
        .collect();
    let wrong = (0..questions[3].option_count())
        .find(|i| !questions[3].correct_answer().contains(*i))
        .expect("a wrong option");
    answers.push(Some(Answer::one(wrong)));
    let result = QuizResult::score(&questions, &answers);
    let event = QuizEvent {
        id: EVENT_ID.parse().expect("id"),
        name: EventName::parse("Class 3-2").expect("name"),
    };
    let upload = QuizResultUpload::from_result(&result, &choice, Some(&event), NOW);
    assert_eq!(upload.correct, 3);
    assert_eq!(upload.total, 10);
    let expected: Vec<String> = questions[3..]
        .iter()
        .map(|q| q.question().id().to_string())
        .collect();
    assert_eq!(upload.missed, expected);
    assert_eq!(upload.mode, QuizMode::Event);
    assert_eq!(upload.pack, packs[0].id().as_str());
    let valid = upload.validate(NOW).expect("valid");
    assert_eq!(valid.event(), Some(&event));

    let solo = QuizResultUpload::from_result(&result, &PackChoice::Mixed, None, NOW);
    assert_eq!((solo.mode, solo.pack.as_str()), (QuizMode::Solo, "mixed"));
    assert!(solo.validate(NOW).is_ok());
}

#[test]
fn refuses_a_bad_event_id() {
    let (path, message) = only_error(|b| b["event"]["id"] = json!("event-1"));
    assert_eq!(path, "event.id");
    assert!(message.contains("event id"), "{message}");
}

#[test]
fn refuses_a_blank_long_or_multiline_event_name() {
    for blank in ["", "  \t "] {
        let (path, message) = only_error(|b| b["event"]["name"] = json!(blank));
        assert_eq!(path, "event.name");
        assert!(message.contains("name"), "{message}");
    }
    let (path, message) = only_error(|b| b["event"]["name"] = json!("环".repeat(81)));
    assert_eq!(path, "event.name");
    assert!(message.contains("80"), "{message}");
    assert!(EventName::parse(&format!("  {}  ", "环".repeat(80))).is_ok());
    let (path, message) = only_error(|b| b["event"]["name"] = json!("Class\n3-2"));
    assert_eq!(path, "event.name");
    assert!(message.contains("single line"), "{message}");
}

#[test]
fn a_bad_event_id_and_name_are_both_named() {
    let errors = errors_after(|b| {
        b["event"]["id"] = json!("nope");
        b["event"]["name"] = json!(" ");
    });
    let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["event.id", "event.name"]);
}

#[test]
fn refuses_a_bad_pack() {
    for pack in ["", "Water", "water_quality", "-mixed"] {
        let (path, _) = only_error(|b| b["pack"] = json!(pack));
        assert_eq!(path, "pack", "{pack}");
    }
}

#[test]
fn refuses_a_total_out_of_range() {
    let (path, message) = only_error(|b| {
        b["total"] = json!(0);
        b["correct"] = json!(0);
        b["missed"] = json!([]);
    });
    assert_eq!(path, "total");
    assert!(message.contains("1 to 50"), "{message}");
    let (path, _) = only_error(|b| b["total"] = json!(51));
    assert_eq!(path, "total");
    // 50 is allowed.
    let mut body = event_body();
    body["total"] = json!(50);
    assert!(read(&body).expect("read").validate(NOW).is_ok());
}

#[test]
fn refuses_more_right_than_questions() {
    let (path, _) = only_error(|b| {
        b["correct"] = json!(11);
        b["missed"] = json!([]);
    });
    assert_eq!(path, "correct");
}

#[test]
fn refuses_bad_repeated_or_too_many_missed_questions() {
    let (path, message) = only_error(|b| b["missed"][1] = json!("WQ 4"));
    assert_eq!(path, "missed");
    assert!(message.contains("WQ 4"), "{message}");
    let (path, message) = only_error(|b| b["missed"][2] = json!("wq-01"));
    assert_eq!(path, "missed");
    assert!(message.contains("twice"), "{message}");
    // 7 right of 10 leaves at most 3 missed.
    let (path, message) = only_error(|b| b["missed"] = json!(["q-1", "q-2", "q-3", "q-4"]));
    assert_eq!(path, "missed");
    assert!(message.contains("only 3"), "{message}");
    // Fewer is fine (a question may appear in two packs of a mixed quiz).
    let mut body = event_body();
    body["missed"] = json!(["wq-01"]);
    assert!(read(&body).expect("read").validate(NOW).is_ok());
}

#[test]
fn refuses_a_finish_in_the_future_or_before_2000() {
    let mut body = event_body();
    body["finished_at"] = json!(NOW.0 + SeenAt::CLOCK_SKEW_MS);
    assert!(
        read(&body).expect("read").validate(NOW).is_ok(),
        "clock skew is allowed"
    );
    let (path, message) =
        only_error(|b| b["finished_at"] = json!(NOW.0 + SeenAt::CLOCK_SKEW_MS + 1));
    assert_eq!(path, "finished_at");
    assert!(message.contains("future"), "{message}");
    let (path, message) = only_error(|b| b["finished_at"] = json!(SeenAt::EARLIEST.0 - 1));
    assert_eq!(path, "finished_at");
    assert!(message.contains("2000"), "{message}");
}

#[test]
fn refuses_a_mode_that_does_not_fit_the_event() {
    let (path, message) = only_error(|b| b["mode"] = json!("solo"));
    assert_eq!(path, "mode");
    assert!(message.contains("solo"), "{message}");
    let (path, message) = only_error(|b| b["event"] = Value::Null);
    assert_eq!(path, "mode");
    assert!(message.contains("event mode"), "{message}");
}

#[test]
fn every_broken_rule_is_named_once_in_field_order() {
    let errors = errors_after(|b| {
        b["mode"] = json!("solo");
        b["finished_at"] = json!(0);
        b["missed"] = json!(["x", "x", "bad id"]);
        b["total"] = json!(60);
        b["pack"] = json!("Nope");
        b["event"]["name"] = json!("");
    });
    let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "event.name",
            "pack",
            "total",
            "missed",
            "finished_at",
            "mode"
        ]
    );
    // The ApiError of such an answer reads back.
    let mut body = event_body();
    body["pack"] = json!("Nope");
    let fields = read(&body)
        .expect("read")
        .validate(NOW)
        .expect_err("invalid")
        .into_vec();
    assert_eq!(fields[0].field, Field::QuizPack);
    let api = crate::ApiError::invalid(fields);
    let json = serde_json::to_string(&api).expect("json");
    assert!(json.contains(r#""field":"pack""#), "{json}");
    assert_eq!(
        serde_json::from_str::<crate::ApiError>(&json).expect("parse"),
        api
    );
}

#[test]
fn unknown_missing_or_mistyped_fields_make_the_body_unreadable() {
    let cases: [(&str, BodyEdit); 6] = [
        ("nickname", Box::new(|b| b["nickname"] = json!("小明"))),
        (
            "event.extra",
            Box::new(|b| b["event"]["school"] = json!("x")),
        ),
        (
            "missing total",
            Box::new(|b| {
                b.as_object_mut().expect("object").remove("total");
            }),
        ),
        ("correct 300", Box::new(|b| b["correct"] = json!(300))),
        ("negative", Box::new(|b| b["correct"] = json!(-1))),
        ("mode", Box::new(|b| b["mode"] = json!("class"))),
    ];
    for (name, edit) in cases {
        let mut body = event_body();
        edit(&mut body);
        assert!(read(&body).is_err(), "{name}");
    }
}

#[test]
fn the_fingerprint_covers_every_field() {
    let base = read(&event_body()).expect("read");
    let print = base.fingerprint();
    assert_eq!(print.len(), 64);
    assert_eq!(read(&event_body()).expect("read").fingerprint(), print);
    let edits: [UploadEdit; 9] = [
        Box::new(|u| u.event = None),
        Box::new(|u| u.event.as_mut().expect("event").id = EVENT_ID.replace('0', "1")),
        Box::new(|u| u.event.as_mut().expect("event").name.push('!')),
        Box::new(|u| u.pack = "mixed".into()),
        Box::new(|u| u.correct -= 1),
        Box::new(|u| u.total += 1),
        Box::new(|u| u.missed.reverse()),
        Box::new(|u| u.finished_at.0 += 1),
        Box::new(|u| u.mode = QuizMode::Solo),
    ];
    for (i, edit) in edits.iter().enumerate() {
        let mut changed = base.clone();
        edit(&mut changed);
        assert_ne!(changed.fingerprint(), print, "edit {i}");
    }
}

#[test]
fn ids_and_modes_read_back() {
    let id: QuizResultId = RESULT_ID.parse().expect("uuid");
    assert_eq!(id.to_string(), RESULT_ID);
    assert!("not-a-uuid".parse::<QuizResultId>().is_err());
    let receipt = QuizResultReceipt {
        result_id: id,
        received_at: NOW,
    };
    let json = serde_json::to_value(receipt).expect("json");
    assert_eq!(
        json,
        json!({ "result_id": RESULT_ID, "received_at": NOW.0 })
    );
    for mode in [QuizMode::Solo, QuizMode::Event] {
        assert_eq!(QuizMode::from_code(mode.code()), Some(mode));
        assert_eq!(
            serde_json::to_value(mode).expect("json"),
            json!(mode.code())
        );
    }
    assert_eq!(QuizMode::from_code("class"), None);
    assert!(serde_json::from_value::<EventName>(json!(" ")).is_err());
}
