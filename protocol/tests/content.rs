//! The content check: what GreenWatch teaches and tells people can be
//! traced to a public source.
//!
//! - Every question of every pack in `content/quiz/` cites a document and a
//!   place in it (`protocol::quiz::check_source`).
//! - Every pack has at least `MIN_QUESTIONS_PER_LEVEL` questions playable at
//!   each level it offers (`QuizPack::parse` refuses a pack that has not;
//!   checked here again so the rule cannot quietly go).
//! - Every reporting channel in `content/channels/channels.json` names its
//!   sources and the day it was checked (not a day still to come), and on
//!   today's date Home has an urgent line to offer.
//!
//! `--nocapture` prints the count of questions by pack and level.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use protocol::calendar::Date;
use protocol::channels::{ChannelKind, ChannelList, BUNDLED_FILE};
use protocol::quiz::{check_source, Level, QuizPack, BUNDLED_FILES, MIN_QUESTIONS_PER_LEVEL};
use protocol::report::UnixMillis;

fn packs() -> Vec<QuizPack> {
    BUNDLED_FILES
        .iter()
        .map(|(name, json)| QuizPack::parse(json).unwrap_or_else(|err| panic!("{name}: {err}")))
        .collect()
}

#[test]
fn every_question_cites_a_document_and_a_place_in_it() {
    let mut problems = Vec::new();
    for pack in packs() {
        for question in pack.questions() {
            if let Err(problem) = check_source(question.source()) {
                problems.push(format!(
                    "{}: question {}: {problem}: {:?} / {:?}",
                    pack.id(),
                    question.id(),
                    question.source().zh_cn,
                    question.source().en
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_pack_has_enough_questions_at_each_level_it_offers() {
    let mut total: BTreeMap<Level, usize> = BTreeMap::new();
    for pack in packs() {
        assert!(!pack.levels().is_empty(), "{}", pack.id());
        let mut by_level: BTreeMap<Level, usize> = BTreeMap::new();
        for question in pack.questions() {
            *by_level.entry(question.level()).or_default() += 1;
            *total.entry(question.level()).or_default() += 1;
        }
        for &level in pack.levels() {
            let playable = pack.questions_at(level).count();
            assert!(
                playable >= MIN_QUESTIONS_PER_LEVEL,
                "{} offers {level} with only {playable} questions playable there",
                pack.id()
            );
        }
        let offers: Vec<&str> = pack.levels().iter().map(|l| l.code()).collect();
        println!(
            "{:<24} v{:<3} {:>3} questions, by level {:?}, offers {offers:?}",
            pack.id().as_str(),
            pack.version(),
            pack.questions().len(),
            by_level
                .iter()
                .map(|(level, n)| format!("{level} {n}"))
                .collect::<Vec<_>>()
        );
    }
    println!("all packs, by level: {total:?}");
}

/// The day it is in China now, by this machine's clock.
fn today() -> Date {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_millis();
    Date::china_today(UnixMillis(i64::try_from(millis).expect("millis fit")))
}

#[test]
fn every_channel_names_its_sources_and_when_they_were_checked() {
    let list = ChannelList::parse(BUNDLED_FILE).unwrap_or_else(|err| panic!("{err}"));
    let today = today();
    for channel in list.channels() {
        let id = channel.id();
        assert!(!channel.sources().is_empty(), "{id}: no source");
        for source in channel.sources() {
            for text in [source.document(), source.locator()] {
                assert!(
                    !text.zh_cn.trim().is_empty() && !text.en.trim().is_empty(),
                    "{id}: a blank source"
                );
            }
        }
        assert!(
            channel.checked() <= today,
            "{id}: checked {} is after today {today}",
            channel.checked()
        );
        println!(
            "{id:<20} {:<10} checked {} shown today: {}",
            channel.kind().code(),
            channel.checked(),
            channel.is_shown_on(today)
        );
    }
    let line = list
        .urgent_line(today)
        .unwrap_or_else(|| panic!("no urgent line is shown on {today}: check the channels again"));
    assert_eq!(line.kind(), ChannelKind::Phone);
    assert!(line.phone_number().is_some());
}
