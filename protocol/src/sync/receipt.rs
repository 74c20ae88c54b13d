//! The receipt: the secret that lets the person who sent a report, and only
//! them, follow its case.
//!
//! The app makes a [`ReceiptSecret`] (32 bytes from the platform's secure
//! random source) before the report's first create and stores it with the
//! report; the create body carries only its [`ReceiptHash`]. Following the
//! case sends the secret in the `X-Receipt` header; the server hashes it and
//! compares. Why the client, not the server, makes it: see [`super`].

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::report::media::lower_hex;
use crate::report::{Sha256Error, Sha256Hex};
use crate::LocalizedText;

/// 256 random bits, written on the wire as unpadded base64url (43
/// characters). Its `Debug` never shows it; nothing in this crate logs it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReceiptSecret([u8; ReceiptSecret::BYTES]);

/// Why a receipt secret was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ReceiptError {
    #[error("{actual} characters, a receipt has {expected}", expected = ReceiptSecret::ENCODED_LEN)]
    WrongLength { actual: usize },
    #[error("not canonical unpadded base64url")]
    NotBase64Url,
}

impl ReceiptSecret {
    /// The secret's size: 256 bits, twice the 128 the receipt needs at least.
    pub const BYTES: usize = 32;
    /// Its length on the wire.
    pub const ENCODED_LEN: usize = 43;

    /// The secret made of `bytes`, which the caller takes from a secure
    /// random source (`crypto.getRandomValues` in the app).
    pub const fn from_bytes(bytes: [u8; ReceiptSecret::BYTES]) -> Self {
        ReceiptSecret(bytes)
    }

    /// Reads the wire form: exactly [`ReceiptSecret::ENCODED_LEN`] characters
    /// of canonical unpadded base64url.
    pub fn parse(encoded: &str) -> Result<ReceiptSecret, ReceiptError> {
        let actual = encoded.chars().count();
        if actual != Self::ENCODED_LEN {
            return Err(ReceiptError::WrongLength { actual });
        }
        let bytes = base64url_decode(encoded).ok_or(ReceiptError::NotBase64Url)?;
        let bytes = bytes.try_into().map_err(|_| ReceiptError::NotBase64Url)?;
        Ok(ReceiptSecret(bytes))
    }

    /// The wire form, for the `X-Receipt` header and for storage.
    pub fn to_base64url(&self) -> String {
        base64url_encode(&self.0)
    }

    pub fn as_bytes(&self) -> &[u8; ReceiptSecret::BYTES] {
        &self.0
    }

    /// What the create body carries and the server keeps: the SHA-256 of
    /// the 32 secret bytes.
    pub fn hash(&self) -> ReceiptHash {
        ReceiptHash(
            Sha256Hex::parse(&lower_hex(&Sha256::digest(self.0)))
                .expect("a SHA-256 digest in lowercase hex is 64 hex characters"),
        )
    }
}

impl fmt::Debug for ReceiptSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReceiptSecret(<hidden>)")
    }
}

impl ReceiptError {
    /// What to tell the person, in both languages. (The server never says
    /// why a receipt was refused: a bad receipt gets the same 404 as an
    /// unknown case.)
    pub fn message(&self) -> LocalizedText {
        LocalizedText::new(
            "这份报告的回执码已损坏，无法查询办理进度。",
            "This report's receipt code is damaged; its progress cannot be looked up.",
        )
    }
}

impl TryFrom<String> for ReceiptSecret {
    type Error = ReceiptError;

    fn try_from(encoded: String) -> Result<Self, Self::Error> {
        ReceiptSecret::parse(&encoded)
    }
}

impl From<ReceiptSecret> for String {
    fn from(secret: ReceiptSecret) -> Self {
        secret.to_base64url()
    }
}

/// The SHA-256 of a [`ReceiptSecret`]'s bytes, as 64 lowercase hex
/// characters: what the create body carries and the server stores.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReceiptHash(Sha256Hex);

impl ReceiptHash {
    pub fn parse(raw: &str) -> Result<ReceiptHash, Sha256Error> {
        Sha256Hex::parse(raw).map(ReceiptHash)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Whether `secret` is the one this hash was made from. Compares every
    /// character, whatever the first difference (the server's check).
    pub fn matches(&self, secret: &ReceiptSecret) -> bool {
        let theirs = secret.hash();
        let (a, b) = (self.as_str().as_bytes(), theirs.as_str().as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl fmt::Display for ReceiptHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §5 base64url, without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        // 1 byte gives 2 characters, 2 give 3, 3 give 4.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize]));
        }
    }
    out
}

/// The inverse of [`base64url_encode`]: no padding, no other alphabet, and
/// only the canonical form (unused trailing bits zero), so each byte string
/// has exactly one encoding.
pub fn base64url_decode(encoded: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        Some(u32::from(v))
    };
    let input = encoded.as_bytes();
    if input.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(input.len() / 4 * 3 + 2);
    for chunk in input.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let bytes = chunk.len() - 1;
        let unused = n & (0x00ff_ffff >> (8 * bytes));
        if unused != 0 {
            return None;
        }
        out.extend((0..bytes).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        for (raw, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(raw.as_bytes()), encoded);
            assert_eq!(
                base64url_decode(encoded).as_deref(),
                Some(raw.as_bytes()),
                "{encoded}"
            );
        }
        // The URL-safe characters, where standard base64 has `+` and `/`.
        assert_eq!(base64url_encode(&[0xfb, 0xff, 0xbf]), "-_-_");
        assert_eq!(base64url_decode("-_-_"), Some(vec![0xfb, 0xff, 0xbf]));
    }

    #[test]
    fn every_character_of_the_alphabet_reads_back() {
        for (value, &c) in ALPHABET.iter().enumerate() {
            // A character then "A": the character's 6 bits, then zeros.
            let text = format!("{}A", char::from(c));
            assert_eq!(
                base64url_decode(&text),
                Some(vec![(value as u8) << 2]),
                "{text}"
            );
        }
    }

    #[test]
    fn base64url_refuses_everything_else() {
        for bad in [
            "Zg==", "Zm9v+A", "Zm9v/A", "Z", "Zm9vY", "Zh", "Zm9", "Zm 9v",
        ] {
            assert_eq!(base64url_decode(bad), None, "{bad}");
        }
        // "Zh" and "Zm9" would decode with non-zero unused bits.
        assert_eq!(base64url_decode("Zg"), Some(b"f".to_vec()));
        assert_eq!(base64url_decode("Zm8"), Some(b"fo".to_vec()));
    }

    #[test]
    fn a_secret_is_43_characters_and_hashes_its_bytes() {
        let secret = ReceiptSecret::from_bytes([0; 32]);
        let encoded = secret.to_base64url();
        assert_eq!(encoded, "A".repeat(43));
        assert_eq!(ReceiptSecret::parse(&encoded), Ok(secret.clone()));
        // SHA-256 of 32 zero bytes.
        assert_eq!(
            secret.hash().as_str(),
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
        );
        let other = ReceiptSecret::from_bytes([1; 32]);
        assert!(secret.hash().matches(&secret));
        assert!(!secret.hash().matches(&other));
        assert_ne!(secret.hash(), other.hash());
    }

    #[test]
    fn a_secret_is_refused_unless_exactly_right() {
        let good = ReceiptSecret::from_bytes([0xab; 32]).to_base64url();
        assert_eq!(
            ReceiptSecret::parse(&good[1..]),
            Err(ReceiptError::WrongLength { actual: 42 })
        );
        assert_eq!(
            ReceiptSecret::parse(&format!("{good}A")),
            Err(ReceiptError::WrongLength { actual: 44 })
        );
        assert_eq!(
            ReceiptSecret::parse(&format!("{}=", &good[..42])),
            Err(ReceiptError::NotBase64Url)
        );
        // The last character carries 4 bits and 2 unused ones: "B" sets one.
        assert_eq!(
            ReceiptSecret::parse(&format!("{}B", "A".repeat(42))),
            Err(ReceiptError::NotBase64Url)
        );
        assert_eq!(
            ReceiptSecret::parse(&"é".repeat(43)),
            Err(ReceiptError::NotBase64Url)
        );
        assert!(ReceiptError::NotBase64Url.message().en.contains("receipt"));
    }

    #[test]
    fn a_secret_serialises_as_its_wire_form_and_hides_in_debug() {
        let secret = ReceiptSecret::from_bytes([7; 32]);
        let json = serde_json::to_string(&secret).expect("serialise");
        assert_eq!(json, format!("\"{}\"", secret.to_base64url()));
        assert_eq!(
            serde_json::from_str::<ReceiptSecret>(&json).expect("parse"),
            secret
        );
        assert_eq!(format!("{secret:?}"), "ReceiptSecret(<hidden>)");
        assert!(serde_json::from_str::<ReceiptSecret>("\"abc\"").is_err());
    }

    #[test]
    fn a_hash_is_64_lowercase_hex_characters() {
        let hash = ReceiptSecret::from_bytes([9; 32]).hash();
        let json = serde_json::to_string(&hash).expect("serialise");
        assert_eq!(json.len(), 66);
        assert_eq!(
            serde_json::from_str::<ReceiptHash>(&json).expect("parse"),
            hash
        );
        assert_eq!(ReceiptHash::parse(hash.as_str()), Ok(hash.clone()));
        assert!(ReceiptHash::parse(&hash.as_str().to_uppercase()).is_err());
        assert!(serde_json::from_str::<ReceiptHash>("\"00\"").is_err());
        assert_eq!(hash.to_string(), hash.as_str());
    }

    proptest! {
        #[test]
        fn base64url_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..100)) {
            let encoded = base64url_encode(&bytes);
            prop_assert_eq!(encoded.len(), (bytes.len() * 4).div_ceil(3));
            prop_assert!(encoded.bytes().all(|c| ALPHABET.contains(&c)));
            prop_assert_eq!(base64url_decode(&encoded), Some(bytes));
        }

        #[test]
        fn base64url_decodes_only_canonical_text(text in "[A-Za-z0-9_=+/-]{0,12}") {
            if let Some(bytes) = base64url_decode(&text) {
                prop_assert_eq!(base64url_encode(&bytes), text);
            }
        }

        #[test]
        fn secrets_round_trip_and_match_only_their_hash(
            a in any::<[u8; 32]>(),
            b in any::<[u8; 32]>(),
        ) {
            let (a, b) = (ReceiptSecret::from_bytes(a), ReceiptSecret::from_bytes(b));
            prop_assert_eq!(ReceiptSecret::parse(&a.to_base64url()), Ok(a.clone()));
            prop_assert!(a.hash().matches(&a));
            prop_assert_eq!(a.hash().matches(&b), a == b);
        }
    }
}
