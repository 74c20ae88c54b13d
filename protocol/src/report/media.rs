//! Photos and voice clips attached to a report: their metadata and limits.
//!
//! The bytes themselves live elsewhere (the app's storage, then an upload);
//! a report carries only what is needed to check and match them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;
use uuid::Uuid;

use crate::LocalizedText;

/// At most this many photos per report.
pub const MAX_PHOTOS: usize = 9;
/// At most this many voice clips per report.
pub const MAX_VOICE_CLIPS: usize = 3;
/// The longest voice clip, in milliseconds.
pub const MAX_VOICE_MS: u32 = 60_000;
/// The longest edge of a stored photo, in pixels (the app scales down to it).
pub const MAX_PHOTO_EDGE: u32 = 1600;
/// The largest stored photo file.
pub const MAX_PHOTO_BYTES: u64 = 4 * 1024 * 1024;
/// The largest voice clip file.
pub const MAX_VOICE_BYTES: u64 = 2 * 1024 * 1024;

/// Identifies one photo or voice clip. Serialised as the hyphenated UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MediaId(Uuid);

impl MediaId {
    pub const fn from_uuid(uuid: Uuid) -> Self {
        MediaId(uuid)
    }

    pub const fn as_uuid(&self) -> &Uuid {
        &self.0
    }
}

impl From<Uuid> for MediaId {
    fn from(uuid: Uuid) -> Self {
        MediaId(uuid)
    }
}

impl fmt::Display for MediaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl FromStr for MediaId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(MediaId)
    }
}

/// A SHA-256 digest as exactly 64 lowercase hexadecimal characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Hex(String);

/// Why a digest was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Sha256Error {
    #[error("{actual} characters, a SHA-256 digest has 64")]
    WrongLength { actual: usize },
    #[error("not lowercase hexadecimal")]
    NotLowercaseHex,
}

impl Sha256Hex {
    pub const LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Sha256Hex, Sha256Error> {
        let actual = raw.chars().count();
        if actual != Self::LEN {
            return Err(Sha256Error::WrongLength { actual });
        }
        if !raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(Sha256Error::NotLowercaseHex);
        }
        Ok(Sha256Hex(raw.to_owned()))
    }

    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Sha256Hex {
        Sha256Hex(lower_hex(&Sha256::digest(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `bytes` as lowercase hexadecimal, two characters a byte.
pub(crate) fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

impl Sha256Error {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        LocalizedText::new(
            "文件校验值无效，请删除该文件后重新添加。",
            "A file's checksum is not valid. Remove the file and add it again.",
        )
    }
}

impl TryFrom<String> for Sha256Hex {
    type Error = Sha256Error;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Sha256Hex::parse(&raw)
    }
}

impl From<Sha256Hex> for String {
    fn from(digest: Sha256Hex) -> Self {
        digest.0
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stored photo, after the app scaled and re-encoded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoMeta {
    pub id: MediaId,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub sha256: Sha256Hex,
}

/// The recording formats browsers' `MediaRecorder` produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum AudioMime {
    /// `audio/webm;codecs=opus` (Chromium, Firefox).
    WebmOpus,
    /// `audio/mp4` (Safari; AAC).
    Mp4Aac,
    /// `audio/ogg` (Firefox's alternative).
    Ogg,
}

impl AudioMime {
    pub const ALL: [AudioMime; 3] = [AudioMime::WebmOpus, AudioMime::Mp4Aac, AudioMime::Ogg];

    /// Reads a MIME type as `MediaRecorder.mimeType` or `Blob.type` gives
    /// it: case and parameters are ignored (`audio/webm`,
    /// `Audio/WebM; codecs="opus"` are both [`AudioMime::WebmOpus`]).
    pub fn from_mime(mime: &str) -> Option<AudioMime> {
        let essence = mime.split(';').next().unwrap_or_default().trim();
        if essence.eq_ignore_ascii_case("audio/webm") {
            Some(AudioMime::WebmOpus)
        } else if essence.eq_ignore_ascii_case("audio/mp4") {
            Some(AudioMime::Mp4Aac)
        } else if essence.eq_ignore_ascii_case("audio/ogg") {
            Some(AudioMime::Ogg)
        } else {
            None
        }
    }

    /// The canonical MIME type, also the wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            AudioMime::WebmOpus => "audio/webm;codecs=opus",
            AudioMime::Mp4Aac => "audio/mp4",
            AudioMime::Ogg => "audio/ogg",
        }
    }

    /// A file extension for the format, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            AudioMime::WebmOpus => "webm",
            AudioMime::Mp4Aac => "m4a",
            AudioMime::Ogg => "ogg",
        }
    }
}

impl TryFrom<String> for AudioMime {
    type Error = MediaError;

    fn try_from(mime: String) -> Result<Self, Self::Error> {
        AudioMime::from_mime(&mime).ok_or(MediaError::UnsupportedAudioType { mime })
    }
}

impl From<AudioMime> for &'static str {
    fn from(mime: AudioMime) -> Self {
        mime.as_str()
    }
}

impl fmt::Display for AudioMime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored voice clip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceClipMeta {
    pub id: MediaId,
    pub duration_ms: u32,
    pub bytes: u64,
    pub mime: AudioMime,
    pub sha256: Sha256Hex,
}

/// Why a photo, a voice clip or a list of them was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MediaError {
    #[error("{actual} photos, at most {max}")]
    TooManyPhotos { max: usize, actual: usize },
    #[error("{actual} voice clips, at most {max}")]
    TooManyVoiceClips { max: usize, actual: usize },
    #[error("photo {width}x{height} has no pixels")]
    PhotoNoPixels { width: u32, height: u32 },
    #[error("photo edge {long_edge} px, at most {max}")]
    PhotoTooLarge { max: u32, long_edge: u32 },
    #[error("photo file is empty")]
    PhotoFileEmpty,
    #[error("photo file {actual} bytes, at most {max}")]
    PhotoFileTooBig { max: u64, actual: u64 },
    #[error("voice clip has no duration")]
    VoiceEmpty,
    #[error("voice clip {actual_ms} ms, at most {max_ms}")]
    VoiceTooLong { max_ms: u32, actual_ms: u32 },
    #[error("voice clip file is empty")]
    VoiceFileEmpty,
    #[error("voice clip file {actual} bytes, at most {max}")]
    VoiceFileTooBig { max: u64, actual: u64 },
    #[error("unsupported audio type \"{mime}\"")]
    UnsupportedAudioType { mime: String },
}

impl PhotoMeta {
    /// Width and height at least 1, long edge at most [`MAX_PHOTO_EDGE`],
    /// 1 to [`MAX_PHOTO_BYTES`] bytes.
    pub fn validate(&self) -> Result<(), MediaError> {
        if self.width == 0 || self.height == 0 {
            return Err(MediaError::PhotoNoPixels {
                width: self.width,
                height: self.height,
            });
        }
        let long_edge = self.width.max(self.height);
        if long_edge > MAX_PHOTO_EDGE {
            return Err(MediaError::PhotoTooLarge {
                max: MAX_PHOTO_EDGE,
                long_edge,
            });
        }
        if self.bytes == 0 {
            return Err(MediaError::PhotoFileEmpty);
        }
        if self.bytes > MAX_PHOTO_BYTES {
            return Err(MediaError::PhotoFileTooBig {
                max: MAX_PHOTO_BYTES,
                actual: self.bytes,
            });
        }
        Ok(())
    }
}

impl VoiceClipMeta {
    /// 1 ms to [`MAX_VOICE_MS`] long, 1 to [`MAX_VOICE_BYTES`] bytes.
    pub fn validate(&self) -> Result<(), MediaError> {
        if self.duration_ms == 0 {
            return Err(MediaError::VoiceEmpty);
        }
        if self.duration_ms > MAX_VOICE_MS {
            return Err(MediaError::VoiceTooLong {
                max_ms: MAX_VOICE_MS,
                actual_ms: self.duration_ms,
            });
        }
        if self.bytes == 0 {
            return Err(MediaError::VoiceFileEmpty);
        }
        if self.bytes > MAX_VOICE_BYTES {
            return Err(MediaError::VoiceFileTooBig {
                max: MAX_VOICE_BYTES,
                actual: self.bytes,
            });
        }
        Ok(())
    }
}

/// At most [`MAX_PHOTOS`] photos, each valid. Reports the first problem.
pub fn validate_photos(photos: &[PhotoMeta]) -> Result<(), MediaError> {
    if photos.len() > MAX_PHOTOS {
        return Err(MediaError::TooManyPhotos {
            max: MAX_PHOTOS,
            actual: photos.len(),
        });
    }
    photos.iter().try_for_each(PhotoMeta::validate)
}

/// At most [`MAX_VOICE_CLIPS`] clips, each valid. Reports the first problem.
pub fn validate_voice_clips(clips: &[VoiceClipMeta]) -> Result<(), MediaError> {
    if clips.len() > MAX_VOICE_CLIPS {
        return Err(MediaError::TooManyVoiceClips {
            max: MAX_VOICE_CLIPS,
            actual: clips.len(),
        });
    }
    clips.iter().try_for_each(VoiceClipMeta::validate)
}

/// Whole megabytes, for messages (the limits are whole MiB).
fn mib(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Whole seconds, rounded up, for messages.
fn seconds(ms: u32) -> u32 {
    ms.div_ceil(1000)
}

impl MediaError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            MediaError::TooManyPhotos { max, actual } => LocalizedText::new(
                format!("最多可以添加 {max} 张照片（现在 {actual} 张），请删除一些。"),
                format!("You can add at most {max} photos (now {actual}). Remove some."),
            ),
            MediaError::TooManyVoiceClips { max, actual } => LocalizedText::new(
                format!("最多可以添加 {max} 段语音（现在 {actual} 段），请删除一些。"),
                format!("You can add at most {max} voice recordings (now {actual}). Remove some."),
            ),
            MediaError::PhotoNoPixels { .. } | MediaError::PhotoFileEmpty => LocalizedText::new(
                "有一张照片无法读取，请删除后重新添加。",
                "A photo could not be read. Remove it and add it again.",
            ),
            MediaError::PhotoTooLarge { max, long_edge } => LocalizedText::new(
                format!("有一张照片尺寸过大（{long_edge} 像素，最多 {max}），请删除后重新添加。"),
                format!("A photo is too large ({long_edge} pixels, at most {max}). Remove it and add it again."),
            ),
            MediaError::PhotoFileTooBig { max, .. } => LocalizedText::new(
                format!("有一张照片文件过大（最多 {} MB），请删除后重新添加。", mib(*max)),
                format!("A photo file is too big (at most {} MB). Remove it and add it again.", mib(*max)),
            ),
            MediaError::VoiceEmpty | MediaError::VoiceFileEmpty => LocalizedText::new(
                "有一段语音是空的，请删除后重新录制。",
                "A voice recording is empty. Remove it and record again.",
            ),
            MediaError::VoiceTooLong { max_ms, actual_ms } => LocalizedText::new(
                format!(
                    "每段语音最长 {} 秒（这段 {} 秒），请删除后重新录制。",
                    seconds(*max_ms),
                    seconds(*actual_ms)
                ),
                format!(
                    "A voice recording can be at most {} seconds (this one is {} s). Remove it and record again.",
                    seconds(*max_ms),
                    seconds(*actual_ms)
                ),
            ),
            MediaError::VoiceFileTooBig { max, .. } => LocalizedText::new(
                format!("有一段语音文件过大（最多 {} MB），请删除后重新录制。", mib(*max)),
                format!("A voice recording file is too big (at most {} MB). Remove it and record again.", mib(*max)),
            ),
            MediaError::UnsupportedAudioType { .. } => LocalizedText::new(
                "不支持这种录音格式，请用浏览器自带的录音功能重新录制。",
                "This recording format is not supported. Record again in the browser.",
            ),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const SHA: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    pub(crate) fn photo(width: u32, height: u32, bytes: u64) -> PhotoMeta {
        PhotoMeta {
            id: MediaId::from_uuid(Uuid::from_u128(
                u128::from(width) << 32 | u128::from(height),
            )),
            width,
            height,
            bytes,
            sha256: Sha256Hex::parse(SHA).expect("valid"),
        }
    }

    pub(crate) fn clip(duration_ms: u32, bytes: u64) -> VoiceClipMeta {
        VoiceClipMeta {
            id: MediaId::from_uuid(Uuid::from_u128(u128::from(duration_ms))),
            duration_ms,
            bytes,
            mime: AudioMime::WebmOpus,
            sha256: Sha256Hex::parse(SHA).expect("valid"),
        }
    }

    #[test]
    fn limits_are_the_agreed_ones() {
        assert_eq!(MAX_PHOTOS, 9);
        assert_eq!(MAX_VOICE_CLIPS, 3);
        assert_eq!(MAX_VOICE_MS, 60_000);
        assert_eq!(MAX_PHOTO_EDGE, 1600);
        assert_eq!(MAX_PHOTO_BYTES, 4_194_304);
        assert_eq!(MAX_VOICE_BYTES, 2_097_152);
    }

    #[test]
    fn media_ids_display_and_serialise_as_hyphenated_uuids() {
        let text = "67e55044-10b1-426f-9247-bb680e5fe0c8";
        let id: MediaId = text.parse().expect("uuid");
        assert_eq!(id.to_string(), text);
        assert_eq!(
            serde_json::to_string(&id).expect("serialise"),
            format!("\"{text}\"")
        );
        assert_eq!(
            serde_json::from_str::<MediaId>(&format!("\"{text}\"")).expect("parse"),
            id
        );
        assert!("not-a-uuid".parse::<MediaId>().is_err());
    }

    #[test]
    fn digests_are_64_lowercase_hex_characters() {
        assert_eq!(Sha256Hex::parse(SHA).expect("valid").as_str(), SHA);
        assert_eq!(
            Sha256Hex::parse(&SHA[1..]),
            Err(Sha256Error::WrongLength { actual: 63 })
        );
        assert_eq!(
            Sha256Hex::parse(&format!("{SHA}0")),
            Err(Sha256Error::WrongLength { actual: 65 })
        );
        assert_eq!(
            Sha256Hex::parse(&SHA.to_uppercase()),
            Err(Sha256Error::NotLowercaseHex)
        );
        assert_eq!(
            Sha256Hex::parse(&format!("g{}", &SHA[1..])),
            Err(Sha256Error::NotLowercaseHex)
        );
        // 64 bytes, but not 64 characters.
        assert_eq!(
            Sha256Hex::parse(&"é".repeat(32)),
            Err(Sha256Error::WrongLength { actual: 32 })
        );
        assert!(serde_json::from_str::<Sha256Hex>("\"abc\"").is_err());
    }

    #[test]
    fn digests_of_bytes_match_known_values() {
        assert_eq!(Sha256Hex::of(b"").as_str(), SHA);
        assert_eq!(
            Sha256Hex::of(b"abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(lower_hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }

    #[test]
    fn photo_bounds() {
        assert_eq!(photo(1600, 1200, 1).validate(), Ok(()));
        assert_eq!(photo(1, 1, MAX_PHOTO_BYTES).validate(), Ok(()));
        assert_eq!(
            photo(0, 10, 10).validate(),
            Err(MediaError::PhotoNoPixels {
                width: 0,
                height: 10
            })
        );
        assert_eq!(
            photo(1200, 1601, 10).validate(),
            Err(MediaError::PhotoTooLarge {
                max: 1600,
                long_edge: 1601
            })
        );
        assert_eq!(photo(10, 10, 0).validate(), Err(MediaError::PhotoFileEmpty));
        assert_eq!(
            photo(10, 10, MAX_PHOTO_BYTES + 1).validate(),
            Err(MediaError::PhotoFileTooBig {
                max: MAX_PHOTO_BYTES,
                actual: MAX_PHOTO_BYTES + 1
            })
        );
    }

    #[test]
    fn voice_clip_bounds() {
        assert_eq!(clip(1, 1).validate(), Ok(()));
        assert_eq!(clip(60_000, MAX_VOICE_BYTES).validate(), Ok(()));
        assert_eq!(clip(0, 10).validate(), Err(MediaError::VoiceEmpty));
        assert_eq!(
            clip(60_001, 10).validate(),
            Err(MediaError::VoiceTooLong {
                max_ms: 60_000,
                actual_ms: 60_001
            })
        );
        assert_eq!(clip(10, 0).validate(), Err(MediaError::VoiceFileEmpty));
        assert_eq!(
            clip(10, MAX_VOICE_BYTES + 1).validate(),
            Err(MediaError::VoiceFileTooBig {
                max: MAX_VOICE_BYTES,
                actual: MAX_VOICE_BYTES + 1
            })
        );
    }

    #[test]
    fn list_limits() {
        assert_eq!(validate_photos(&vec![photo(10, 10, 10); 9]), Ok(()));
        assert_eq!(
            validate_photos(&vec![photo(10, 10, 10); 10]),
            Err(MediaError::TooManyPhotos { max: 9, actual: 10 })
        );
        assert_eq!(
            validate_photos(&[photo(10, 10, 10), photo(10, 10, 0)]),
            Err(MediaError::PhotoFileEmpty)
        );
        assert_eq!(validate_voice_clips(&vec![clip(10, 10); 3]), Ok(()));
        assert_eq!(
            validate_voice_clips(&vec![clip(10, 10); 4]),
            Err(MediaError::TooManyVoiceClips { max: 3, actual: 4 })
        );
    }

    #[test]
    fn audio_mime_types_are_read_tolerantly() {
        for (raw, mime) in [
            ("audio/webm", AudioMime::WebmOpus),
            ("audio/webm;codecs=opus", AudioMime::WebmOpus),
            ("Audio/WebM; codecs=\"opus\"", AudioMime::WebmOpus),
            (" audio/webm ", AudioMime::WebmOpus),
            ("audio/mp4", AudioMime::Mp4Aac),
            ("audio/mp4;codecs=mp4a.40.2", AudioMime::Mp4Aac),
            ("audio/ogg;codecs=opus", AudioMime::Ogg),
            ("AUDIO/OGG", AudioMime::Ogg),
        ] {
            assert_eq!(AudioMime::from_mime(raw), Some(mime), "{raw:?}");
        }
        for raw in ["", "audio/wav", "video/webm", "audio/webmx", "audio"] {
            assert_eq!(AudioMime::from_mime(raw), None, "{raw:?}");
        }
        for mime in AudioMime::ALL {
            assert_eq!(AudioMime::from_mime(mime.as_str()), Some(mime));
            let json = serde_json::to_string(&mime).expect("serialise");
            assert_eq!(json, format!("\"{}\"", mime.as_str()));
            assert_eq!(
                serde_json::from_str::<AudioMime>(&json).expect("parse"),
                mime
            );
        }
        assert_eq!(
            serde_json::from_str::<AudioMime>("\"audio/webm\"").expect("parse"),
            AudioMime::WebmOpus
        );
        assert!(serde_json::from_str::<AudioMime>("\"audio/wav\"").is_err());
    }

    #[test]
    fn messages_are_specific() {
        let message = MediaError::TooManyPhotos { max: 9, actual: 10 }.message();
        assert!(message.zh_cn.contains("9 张") && message.zh_cn.contains("10 张"));
        assert!(message.en.contains("at most 9 photos (now 10)"));
        let message = MediaError::TooManyVoiceClips { max: 3, actual: 4 }.message();
        assert!(message.zh_cn.contains("3 段") && message.en.contains("at most 3 voice"));
        let message = MediaError::VoiceTooLong {
            max_ms: 60_000,
            actual_ms: 60_001,
        }
        .message();
        assert!(message.en.contains("60 seconds") && message.en.contains("61 s"));
        let message = MediaError::PhotoFileTooBig {
            max: MAX_PHOTO_BYTES,
            actual: 1,
        }
        .message();
        assert!(message.zh_cn.contains("4 MB") && message.en.contains("4 MB"));
    }
}
