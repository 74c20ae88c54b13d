//! What a medium's bytes are, read from the bytes themselves (the client's
//! `Content-Type` is not trusted): the server keeps only real JPEG photos
//! and recorder formats for voice clips.

use protocol::sync::MediumKind;

/// JPEG: SOI marker and the start of the next marker.
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF];
/// WebM / Matroska: the EBML header's id.
const EBML: &[u8] = &[0x1A, 0x45, 0xDF, 0xA3];
/// Ogg: the capture pattern of the first page.
const OGG: &[u8] = b"OggS";
/// MP4 / ISO BMFF: the `ftyp` box type, after its 4-byte size.
const FTYP: &[u8] = b"ftyp";

/// Whether `bytes` start like a medium of `kind`: JPEG for photos; WebM or
/// Matroska, MP4 or Ogg for voice clips.
pub fn bytes_fit_kind(kind: MediumKind, bytes: &[u8]) -> bool {
    match kind {
        MediumKind::Photo => bytes.starts_with(JPEG),
        MediumKind::Voice => {
            bytes.starts_with(EBML)
                || bytes.starts_with(OGG)
                || bytes.get(4..8).is_some_and(|box_type| box_type == FTYP)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_must_be_jpeg() {
        assert!(bytes_fit_kind(MediumKind::Photo, b"\xFF\xD8\xFF\xE0rest"));
        assert!(!bytes_fit_kind(MediumKind::Photo, b"\x89PNG\r\n\x1a\n"));
        assert!(!bytes_fit_kind(MediumKind::Photo, b"\xFF\xD8"));
        assert!(!bytes_fit_kind(MediumKind::Photo, b""));
        assert!(!bytes_fit_kind(MediumKind::Photo, b"OggS"));
    }

    #[test]
    fn voice_clips_must_be_a_recorder_format() {
        assert!(bytes_fit_kind(MediumKind::Voice, b"\x1A\x45\xDF\xA3\x9f"));
        assert!(bytes_fit_kind(MediumKind::Voice, b"\0\0\0\x20ftypM4A "));
        assert!(bytes_fit_kind(MediumKind::Voice, b"OggS\0\x02"));
        assert!(!bytes_fit_kind(MediumKind::Voice, b"RIFF\0\0\0\0WAVE"));
        assert!(!bytes_fit_kind(MediumKind::Voice, b"\xFF\xD8\xFF\xE0"));
        assert!(!bytes_fit_kind(MediumKind::Voice, b"ftyp"));
        assert!(!bytes_fit_kind(MediumKind::Voice, b""));
    }
}
