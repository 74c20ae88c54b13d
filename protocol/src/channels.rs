//! The ways to report a problem to the ecology and environment authorities
//! (phone lines, websites, WeChat, in person), as data: one file,
//! `content/channels/channels.json` (schema in `content/channels/README.md`),
//! compiled into the app ([`bundled`]) and served by the server at
//! [`CHANNELS_ROUTE`], where a bureau may publish its own list (a higher
//! `version` replaces a lower one, [`ChannelList::newest`]).
//!
//! Every channel names the public sources it was checked against and the day
//! it was checked; one may carry a `valid_until` day, after which it is no
//! longer shown ([`ChannelList::shown_on`], a pure function of today's date).
//! At least one phone channel is marked `urgent`: the line Home shows for
//! urgent cases ([`ChannelList::urgent_line`]).
//!
//! This module knows nothing about how channels are shown or cached.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::{Date, DateError};
use crate::quiz::pack::check_id;
use crate::quiz::{IdError, Language};
use crate::LocalizedText;

/// `GET`: the channel list the server offers, in the file schema, with an
/// `ETag` (`If-None-Match` gets a 304) and `Cache-Control: no-cache`.
pub const CHANNELS_ROUTE: &str = "/api/v1/channels";

/// The query of [`CHANNELS_ROUTE`] an app sends with the version of the list
/// it shows (`?newer_than=3`): a server whose list is not newer answers
/// `204 No Content`, so the app never downloads and reads a list it would
/// not take (on a phone's first load, the list built into both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelsQuery {
    pub newer_than: Option<u32>,
}

impl ChannelsQuery {
    /// The route with the query asking for a list newer than `version`.
    pub fn href(version: u32) -> String {
        format!("{CHANNELS_ROUTE}?newer_than={version}")
    }

    /// Whether a server offering `offered` sends it: always without the
    /// query, else only when it is newer.
    pub fn wants(&self, offered: u32) -> bool {
        self.newer_than.is_none_or(|shown| offered > shown)
    }
}

/// The longest `contact` (a number, a place, a web address), in characters.
pub const MAX_CONTACT_CHARS: usize = 200;

/// The longest phone number, in digits.
pub const MAX_PHONE_DIGITS: usize = 15;

/// How a channel is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// A number to call; `contact` is the number, the same in both
    /// languages: digits, at most [`MAX_PHONE_DIGITS`], with an optional
    /// leading `+` and `-` between digits.
    Phone,
    /// A website; `contact` is its `https://` or `http://` address, the same
    /// in both languages.
    Web,
    /// WeChat; `contact` says how to get there.
    Wechat,
    /// A place to go; `contact` says where.
    InPerson,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 4] = [
        ChannelKind::Phone,
        ChannelKind::Web,
        ChannelKind::Wechat,
        ChannelKind::InPerson,
    ];

    /// The stable code used in the file, the same string serde uses.
    pub fn code(self) -> &'static str {
        match self {
            ChannelKind::Phone => "phone",
            ChannelKind::Web => "web",
            ChannelKind::Wechat => "wechat",
            ChannelKind::InPerson => "in_person",
        }
    }
}

/// A channel's id, for example `hotline-12345`: the rule of quiz ids
/// (1 to 40 characters, `a-z`, `0-9`, single inner hyphens).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChannelId(String);

impl ChannelId {
    pub fn parse(raw: &str) -> Result<ChannelId, IdError> {
        check_id(raw).map(|()| ChannelId(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ChannelId {
    type Error = IdError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        check_id(&raw).map(|()| ChannelId(raw))
    }
}

impl From<ChannelId> for String {
    fn from(id: ChannelId) -> String {
        id.0
    }
}

impl fmt::Display for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a channel's facts were checked: the document, and the place in it
/// (an article, a section, the answer of a press conference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    document: LocalizedText,
    locator: LocalizedText,
}

impl Source {
    pub fn document(&self) -> &LocalizedText {
        &self.document
    }

    /// Where in the document (the file's `where`).
    pub fn locator(&self) -> &LocalizedText {
        &self.locator
    }
}

/// A checked channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    id: ChannelId,
    kind: ChannelKind,
    name: LocalizedText,
    contact: LocalizedText,
    hours: LocalizedText,
    purpose: LocalizedText,
    urgent: bool,
    sources: Vec<Source>,
    checked: Date,
    valid_until: Option<Date>,
}

impl Channel {
    pub fn id(&self) -> &ChannelId {
        &self.id
    }

    pub fn kind(&self) -> ChannelKind {
        self.kind
    }

    pub fn name(&self) -> &LocalizedText {
        &self.name
    }

    /// The number to call or the web address (the same in both languages),
    /// how to reach it in WeChat, or the place; trimmed, never blank.
    pub fn contact(&self) -> &LocalizedText {
        &self.contact
    }

    /// The number to dial, for a phone channel.
    pub fn phone_number(&self) -> Option<&str> {
        (self.kind == ChannelKind::Phone).then_some(self.contact.zh_cn.as_str())
    }

    /// When it answers.
    pub fn hours(&self) -> &LocalizedText {
        &self.hours
    }

    /// What it is for (the file's `for`).
    pub fn purpose(&self) -> &LocalizedText {
        &self.purpose
    }

    /// Whether Home offers it for urgent cases (always a phone line).
    pub fn is_urgent(&self) -> bool {
        self.urgent
    }

    /// At least one.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The day its facts were last checked at the sources.
    pub fn checked(&self) -> Date {
        self.checked
    }

    /// The last day it may be shown, if it has one (never before `checked`).
    pub fn valid_until(&self) -> Option<Date> {
        self.valid_until
    }

    /// Whether it may be shown on `today`: always, unless its `valid_until`
    /// day has passed.
    pub fn is_shown_on(&self, today: Date) -> bool {
        self.valid_until.is_none_or(|last| today <= last)
    }
}

/// A checked channel list: the file's `version` and its channels, in file
/// order, ids unique, at least one urgent phone line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawList", into = "RawList")]
pub struct ChannelList {
    version: u32,
    channels: Vec<Channel>,
}

impl ChannelList {
    /// Reads a channel file's JSON and checks every rule of
    /// `content/channels/README.md`.
    pub fn parse(json: &str) -> Result<ChannelList, ChannelsError> {
        let file: ChannelFile =
            serde_json::from_str(json).map_err(|err| ChannelsError::Json(err.to_string()))?;
        file.check()
    }

    /// 1 or more; a list with a higher version replaces one with a lower.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Every channel, shown or not, in file order.
    pub fn channels(&self) -> &[Channel] {
        &self.channels
    }

    /// The channels to show on `today`, in file order: those whose
    /// `valid_until` has not passed.
    pub fn shown_on(&self, today: Date) -> impl Iterator<Item = &Channel> + '_ {
        self.channels.iter().filter(move |c| c.is_shown_on(today))
    }

    /// The line Home offers for urgent cases on `today`: the first urgent
    /// channel shown that day. `None` only when every urgent line has
    /// passed its `valid_until`.
    pub fn urgent_line(&self, today: Date) -> Option<&Channel> {
        self.shown_on(today).find(|c| c.urgent)
    }

    /// `current` or `received`, whichever has the higher version (`current`
    /// when equal): how the app takes the server's list over its own.
    pub fn newest(current: ChannelList, received: ChannelList) -> ChannelList {
        if received.version > current.version {
            received
        } else {
            current
        }
    }
}

/// A channel file as read, its rules not yet checked ([`ChannelFile::check`]
/// does that). [`ChannelList::parse`] reads JSON text through it; the
/// citizen app reads it with the browser's JSON parser and, having no use
/// for why a list is refused, drops the error (`check().ok()`), so its build
/// carries none of the error texts.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct ChannelFile(RawList);

impl ChannelFile {
    /// Every rule of [`ChannelList::parse`] but the JSON syntax.
    pub fn check(self) -> Result<ChannelList, ChannelsError> {
        ChannelList::try_from(self.0)
    }
}

/// The channel list built into the app and the server:
/// `content/channels/channels.json`.
pub const BUNDLED_FILE: &str = include_str!("../../content/channels/channels.json");

/// [`BUNDLED_FILE`], checked.
///
/// # Panics
/// If the bundled file is invalid. The tests parse it, so that is a build
/// mistake, never a runtime condition.
pub fn bundled() -> ChannelList {
    ChannelList::parse(BUNDLED_FILE)
        .unwrap_or_else(|err| panic!("content/channels/channels.json: {err}"))
}

/// Which text of a channel is blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelField {
    Name,
    Contact,
    Hours,
    Purpose,
    /// Of the source at this index (from 0).
    SourceDocument(usize),
    SourceLocator(usize),
}

impl fmt::Display for ChannelField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChannelField::Name => f.write_str("name"),
            ChannelField::Contact => f.write_str("contact"),
            ChannelField::Hours => f.write_str("hours"),
            ChannelField::Purpose => f.write_str("for"),
            ChannelField::SourceDocument(i) => write!(f, "sources[{i}].document"),
            ChannelField::SourceLocator(i) => write!(f, "sources[{i}].where"),
        }
    }
}

/// Which date of a channel is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateField {
    Checked,
    ValidUntil,
}

impl fmt::Display for DateField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateField::Checked => "checked",
            DateField::ValidUntil => "valid_until",
        })
    }
}

/// Why a channel file was refused. For the people who write the file (the
/// tests and the server's start print it); the app ignores a list it cannot
/// read and keeps the one it has.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChannelsError {
    /// Not JSON, a field missing or unknown, or a value of the wrong type.
    #[error("not a channel file: {0}")]
    Json(String),
    #[error("version must be 1 or more")]
    VersionZero,
    #[error("the file lists no channel")]
    NoChannels,
    #[error(
        "no channel is marked \"urgent\": Home needs a phone line for urgent cases \
         (mark one, without a valid_until that has passed)"
    )]
    NoUrgentLine,
    /// The channel at `index` (from 0) in the file, with the id it has there.
    #[error("channel {id:?} (number {}): {problem}", .index + 1)]
    Channel {
        index: usize,
        id: String,
        problem: ChannelProblem,
    },
}

/// What is wrong with one channel.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChannelProblem {
    #[error("bad id: {0}")]
    BadId(IdError),
    #[error("the same id as channel number {}", .first_index + 1)]
    DuplicateId { first_index: usize },
    #[error("{field}: the {language} text is missing or blank")]
    BlankText {
        field: ChannelField,
        language: Language,
    },
    #[error("contact is {actual} characters long; at most {max}")]
    ContactTooLong { max: usize, actual: usize },
    #[error(
        "contact {0:?} is not a phone number (digits, at most 15, an optional leading + \
         and - between digits, the same in both languages)"
    )]
    NotAPhoneNumber(String),
    #[error(
        "contact {0:?} is not a web address (https:// or http://, no spaces, the same in \
         both languages)"
    )]
    NotAWebAddress(String),
    #[error("no sources: say where each fact was checked")]
    NoSources,
    #[error("{field}: {problem}")]
    BadDate {
        field: DateField,
        problem: DateError,
    },
    #[error("valid_until {valid_until} is before checked {checked}")]
    ValidUntilBeforeChecked { checked: Date, valid_until: Date },
    #[error("only a phone channel can be urgent (Home offers it to call)")]
    UrgentNotPhone,
}

// ----- the file format -----

/// A text as the file has it: a missing language reads as blank.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    #[serde(rename = "zh-CN", default)]
    zh_cn: String,
    #[serde(default)]
    en: String,
}

impl RawText {
    fn check(self, field: ChannelField) -> Result<LocalizedText, ChannelProblem> {
        let blank = |language| ChannelProblem::BlankText { field, language };
        if self.zh_cn.trim().is_empty() {
            Err(blank(Language::ZhCn))
        } else if self.en.trim().is_empty() {
            Err(blank(Language::En))
        } else {
            Ok(LocalizedText::new(self.zh_cn, self.en))
        }
    }
}

impl From<LocalizedText> for RawText {
    fn from(text: LocalizedText) -> Self {
        RawText {
            zh_cn: text.zh_cn,
            en: text.en,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    document: RawText,
    #[serde(rename = "where")]
    locator: RawText,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    id: String,
    kind: ChannelKind,
    name: RawText,
    contact: RawText,
    hours: RawText,
    #[serde(rename = "for")]
    purpose: RawText,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    urgent: bool,
    sources: Vec<RawSource>,
    checked: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    valid_until: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    version: u32,
    channels: Vec<RawChannel>,
}

impl TryFrom<RawList> for ChannelList {
    type Error = ChannelsError;

    fn try_from(raw: RawList) -> Result<Self, Self::Error> {
        if raw.version == 0 {
            return Err(ChannelsError::VersionZero);
        }
        if raw.channels.is_empty() {
            return Err(ChannelsError::NoChannels);
        }
        let mut channels: Vec<Channel> = Vec::with_capacity(raw.channels.len());
        for (index, raw_channel) in raw.channels.into_iter().enumerate() {
            let raw_id = raw_channel.id.clone();
            let in_channel = |problem| ChannelsError::Channel {
                index,
                id: raw_id.clone(),
                problem,
            };
            let channel = check_channel(raw_channel).map_err(in_channel)?;
            if let Some(first_index) = channels.iter().position(|c| c.id == channel.id) {
                return Err(in_channel(ChannelProblem::DuplicateId { first_index }));
            }
            channels.push(channel);
        }
        if !channels.iter().any(|c| c.urgent) {
            return Err(ChannelsError::NoUrgentLine);
        }
        Ok(ChannelList {
            version: raw.version,
            channels,
        })
    }
}

fn check_channel(raw: RawChannel) -> Result<Channel, ChannelProblem> {
    let id = ChannelId::parse(&raw.id).map_err(ChannelProblem::BadId)?;
    let name = raw.name.check(ChannelField::Name)?;
    let contact = check_contact(raw.kind, raw.contact)?;
    let hours = raw.hours.check(ChannelField::Hours)?;
    let purpose = raw.purpose.check(ChannelField::Purpose)?;
    if raw.urgent && raw.kind != ChannelKind::Phone {
        return Err(ChannelProblem::UrgentNotPhone);
    }
    if raw.sources.is_empty() {
        return Err(ChannelProblem::NoSources);
    }
    let mut sources = Vec::with_capacity(raw.sources.len());
    for (i, source) in raw.sources.into_iter().enumerate() {
        sources.push(Source {
            document: source.document.check(ChannelField::SourceDocument(i))?,
            locator: source.locator.check(ChannelField::SourceLocator(i))?,
        });
    }
    let date = |field, raw: &str| {
        Date::parse(raw).map_err(|problem| ChannelProblem::BadDate { field, problem })
    };
    let checked = date(DateField::Checked, &raw.checked)?;
    let valid_until = match &raw.valid_until {
        Some(raw) => Some(date(DateField::ValidUntil, raw)?),
        None => None,
    };
    if let Some(valid_until) = valid_until {
        if valid_until < checked {
            return Err(ChannelProblem::ValidUntilBeforeChecked {
                checked,
                valid_until,
            });
        }
    }
    Ok(Channel {
        id,
        kind: raw.kind,
        name,
        contact,
        hours,
        purpose,
        urgent: raw.urgent,
        sources,
        checked,
        valid_until,
    })
}

/// The contact trimmed, within [`MAX_CONTACT_CHARS`], and for a phone or a
/// website a well-formed number or address, the same in both languages.
fn check_contact(kind: ChannelKind, raw: RawText) -> Result<LocalizedText, ChannelProblem> {
    let trimmed = RawText {
        zh_cn: raw.zh_cn.trim().to_owned(),
        en: raw.en.trim().to_owned(),
    };
    let contact = trimmed.check(ChannelField::Contact)?;
    for text in [&contact.zh_cn, &contact.en] {
        let length = text.chars().count();
        if length > MAX_CONTACT_CHARS {
            return Err(ChannelProblem::ContactTooLong {
                max: MAX_CONTACT_CHARS,
                actual: length,
            });
        }
    }
    let same = contact.zh_cn == contact.en;
    match kind {
        ChannelKind::Phone if !(same && is_phone_number(&contact.zh_cn)) => {
            Err(ChannelProblem::NotAPhoneNumber(contact.zh_cn))
        }
        ChannelKind::Web if !(same && is_web_address(&contact.zh_cn)) => {
            Err(ChannelProblem::NotAWebAddress(contact.zh_cn))
        }
        _ => Ok(contact),
    }
}

/// `12345`, `+86-574-12345678`: digits with an optional leading `+` and
/// single hyphens between digits.
fn is_phone_number(raw: &str) -> bool {
    let body = raw.strip_prefix('+').unwrap_or(raw);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    (1..=MAX_PHONE_DIGITS).contains(&digits)
        && body.chars().all(|c| c.is_ascii_digit() || c == '-')
        && !body.starts_with('-')
        && !body.ends_with('-')
        && !body.contains("--")
}

fn is_web_address(raw: &str) -> bool {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty() && !rest.starts_with('/') && !rest.chars().any(char::is_whitespace)
    })
}

impl From<ChannelList> for RawList {
    fn from(list: ChannelList) -> Self {
        RawList {
            version: list.version,
            channels: list.channels.into_iter().map(RawChannel::from).collect(),
        }
    }
}

impl From<Channel> for RawChannel {
    fn from(channel: Channel) -> Self {
        RawChannel {
            id: channel.id.into(),
            kind: channel.kind,
            name: channel.name.into(),
            contact: channel.contact.into(),
            hours: channel.hours.into(),
            purpose: channel.purpose.into(),
            urgent: channel.urgent,
            sources: channel
                .sources
                .into_iter()
                .map(|s| RawSource {
                    document: s.document.into(),
                    locator: s.locator.into(),
                })
                .collect(),
            checked: channel.checked.to_string(),
            valid_until: channel.valid_until.map(|d| d.to_string()),
        }
    }
}

#[cfg(test)]
mod tests;
