//! Who to call back, if the person wants to be called back. Both parts are
//! optional: a report without them is anonymous.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::LocalizedText;

/// A trimmed name of 1 to [`PersonName::MAX_CHARS`] characters, one line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

/// Why a name was refused. Counts are in characters after trimming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PersonNameError {
    #[error("empty name")]
    Empty,
    #[error("name too long: {actual} characters, at most {max}")]
    TooLong { max: usize, actual: usize },
    #[error("name contains a control character")]
    ControlCharacter,
}

impl PersonName {
    pub const MAX_CHARS: usize = 50;

    /// Trims `raw` and checks it.
    pub fn parse(raw: &str) -> Result<PersonName, PersonNameError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(PersonNameError::Empty);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(PersonNameError::ControlCharacter);
        }
        let actual = trimmed.chars().count();
        if actual > Self::MAX_CHARS {
            return Err(PersonNameError::TooLong {
                max: Self::MAX_CHARS,
                actual,
            });
        }
        Ok(PersonName(trimmed.to_owned()))
    }

    /// `None` for an empty or whitespace-only field, else [`PersonName::parse`].
    pub fn parse_optional(raw: &str) -> Result<Option<PersonName>, PersonNameError> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            PersonName::parse(raw).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl PersonNameError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match *self {
            PersonNameError::Empty => LocalizedText::new("请填写姓名。", "Type a name."),
            PersonNameError::TooLong { max, actual } => LocalizedText::new(
                format!("姓名最多 {max} 个字（现在 {actual} 个）。"),
                format!("The name can have at most {max} characters (now {actual})."),
            ),
            PersonNameError::ControlCharacter => LocalizedText::new(
                "姓名只能写一行，不能包含换行或控制字符。",
                "The name must be one line, without line breaks or control characters.",
            ),
        }
    }
}

impl TryFrom<String> for PersonName {
    type Error = PersonNameError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        PersonName::parse(&raw)
    }
}

impl From<PersonName> for String {
    fn from(name: PersonName) -> Self {
        name.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number, normalised to an optional leading `+` and 3 to 15 ASCII
/// digits (`12345`, `057463811354`, `+8613800138000`).
///
/// [`PhoneNumber::parse`] also accepts spaces, `-`, `(` and `)` between the
/// digits and drops them; anything else is an error.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

/// Why a phone number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("unexpected character '{0}' in a phone number")]
    InvalidCharacter(char),
    #[error("a + may only appear once, at the start")]
    MisplacedPlus,
    #[error("{actual} digits, at least {min}")]
    TooFewDigits { min: usize, actual: usize },
    #[error("{actual} digits, at most {max}")]
    TooManyDigits { max: usize, actual: usize },
}

impl PhoneNumber {
    pub const MIN_DIGITS: usize = 3;
    /// The E.164 maximum.
    pub const MAX_DIGITS: usize = 15;

    /// Checks `raw` and returns it normalised.
    pub fn parse(raw: &str) -> Result<PhoneNumber, PhoneError> {
        let trimmed = raw.trim();
        let mut normalised = String::with_capacity(trimmed.len());
        let mut digits = 0;
        for (index, c) in trimmed.char_indices() {
            match c {
                '0'..='9' => {
                    digits += 1;
                    normalised.push(c);
                }
                '+' if index == 0 => normalised.push('+'),
                '+' => return Err(PhoneError::MisplacedPlus),
                ' ' | '-' | '(' | ')' => {}
                other => return Err(PhoneError::InvalidCharacter(other)),
            }
        }
        if digits < Self::MIN_DIGITS {
            return Err(PhoneError::TooFewDigits {
                min: Self::MIN_DIGITS,
                actual: digits,
            });
        }
        if digits > Self::MAX_DIGITS {
            return Err(PhoneError::TooManyDigits {
                max: Self::MAX_DIGITS,
                actual: digits,
            });
        }
        Ok(PhoneNumber(normalised))
    }

    /// `None` for an empty or whitespace-only field, else [`PhoneNumber::parse`].
    pub fn parse_optional(raw: &str) -> Result<Option<PhoneNumber>, PhoneError> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            PhoneNumber::parse(raw).map(Some)
        }
    }

    /// The normalised number: an optional `+`, then digits only.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl PhoneError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match *self {
            PhoneError::InvalidCharacter(_) => LocalizedText::new(
                "电话号码只能包含数字、空格、“-”和括号，开头可以加“+”。",
                "A phone number can only contain digits, spaces, hyphens and brackets, with an optional + at the start.",
            ),
            PhoneError::MisplacedPlus => LocalizedText::new(
                "“+”只能出现一次，并且只能在号码开头。",
                "A + can only appear once, at the start of the number.",
            ),
            PhoneError::TooFewDigits { min, actual } => LocalizedText::new(
                format!("电话号码至少需要 {min} 位数字（现在 {actual} 位）。"),
                format!("The phone number needs at least {min} digits (now {actual})."),
            ),
            PhoneError::TooManyDigits { max, actual } => LocalizedText::new(
                format!("电话号码最多 {max} 位数字（现在 {actual} 位）。"),
                format!("The phone number can have at most {max} digits (now {actual})."),
            ),
        }
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&raw)
    }
}

impl From<PhoneNumber> for String {
    fn from(phone: PhoneNumber) -> Self {
        phone.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How to reach the person who reported, if they said.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: Option<PersonName>,
    pub phone: Option<PhoneNumber>,
}

/// Why the contact details were refused: the first field that failed.
/// ([`ReportDraft::validate`](super::ReportDraft::validate) reports both.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ContactError {
    #[error("name: {0}")]
    Name(#[from] PersonNameError),
    #[error("phone: {0}")]
    Phone(#[from] PhoneError),
}

impl Contact {
    /// Contact details from the form's two fields; an empty or
    /// whitespace-only field means "not given".
    pub fn parse(name_raw: &str, phone_raw: &str) -> Result<Contact, ContactError> {
        Ok(Contact {
            name: PersonName::parse_optional(name_raw)?,
            phone: PhoneNumber::parse_optional(phone_raw)?,
        })
    }

    /// Neither a name nor a phone number.
    pub fn is_anonymous(&self) -> bool {
        self.name.is_none() && self.phone.is_none()
    }
}

impl ContactError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            ContactError::Name(error) => error.message(),
            ContactError::Phone(error) => error.message(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_trimmed_and_one_to_fifty_characters() {
        assert_eq!(
            PersonName::parse("  王小明 ").map(PersonName::into_inner),
            Ok("王小明".to_owned())
        );
        assert!(PersonName::parse("王").is_ok());
        assert_eq!(PersonName::parse("  "), Err(PersonNameError::Empty));
        assert!(PersonName::parse(&"名".repeat(50)).is_ok());
        assert_eq!(
            PersonName::parse(&"名".repeat(51)),
            Err(PersonNameError::TooLong {
                max: 50,
                actual: 51
            })
        );
        assert_eq!(
            PersonName::parse("王\n小明"),
            Err(PersonNameError::ControlCharacter)
        );
    }

    #[test]
    fn phone_numbers_in_common_formats_parse() {
        for (raw, normalised) in [
            ("12369", "12369"),
            ("0574-63811354", "057463811354"),
            ("+86 138 0013 8000", "+8613800138000"),
            ("(0574) 6381-1354", "057463811354"),
            ("  13800138000 ", "13800138000"),
            ("+ 86 (138) 0013-8000", "+8613800138000"),
            ("110", "110"),
            ("123456789012345", "123456789012345"),
        ] {
            let phone = PhoneNumber::parse(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            assert_eq!(phone.as_str(), normalised, "{raw:?}");
        }
    }

    #[test]
    fn malformed_phone_numbers_are_errors() {
        assert_eq!(
            PhoneNumber::parse("abc"),
            Err(PhoneError::InvalidCharacter('a'))
        );
        assert_eq!(PhoneNumber::parse("++86"), Err(PhoneError::MisplacedPlus));
        assert_eq!(PhoneNumber::parse("86+123"), Err(PhoneError::MisplacedPlus));
        assert_eq!(
            PhoneNumber::parse("12"),
            Err(PhoneError::TooFewDigits { min: 3, actual: 2 })
        );
        assert_eq!(
            PhoneNumber::parse("+"),
            Err(PhoneError::TooFewDigits { min: 3, actual: 0 })
        );
        assert_eq!(
            PhoneNumber::parse("1234567890123456"),
            Err(PhoneError::TooManyDigits {
                max: 15,
                actual: 16
            })
        );
        assert_eq!(
            PhoneNumber::parse("138.0013.8000"),
            Err(PhoneError::InvalidCharacter('.'))
        );
        // Full-width digits are not ASCII digits.
        assert_eq!(
            PhoneNumber::parse("１２３６９"),
            Err(PhoneError::InvalidCharacter('１'))
        );
        assert!(PhoneNumber::parse("12369 ext 2").is_err());
    }

    #[test]
    fn empty_fields_mean_anonymous() {
        let contact = Contact::parse("", "  ").expect("valid");
        assert!(contact.is_anonymous());
        assert_eq!(contact, Contact::default());

        let contact = Contact::parse(" 王小明 ", "").expect("valid");
        assert!(!contact.is_anonymous());
        assert_eq!(
            contact.name.as_ref().map(PersonName::as_str),
            Some("王小明")
        );
        assert_eq!(contact.phone, None);

        let contact = Contact::parse("", "12369").expect("valid");
        assert!(!contact.is_anonymous());
    }

    #[test]
    fn contact_errors_name_their_field() {
        assert_eq!(
            Contact::parse("ok", "abc"),
            Err(ContactError::Phone(PhoneError::InvalidCharacter('a')))
        );
        assert!(matches!(
            Contact::parse(&"名".repeat(51), "12369"),
            Err(ContactError::Name(PersonNameError::TooLong { .. }))
        ));
    }

    #[test]
    fn serde_keeps_the_normalised_form_and_checks_it() {
        let contact = Contact::parse("王小明", "+86 138 0013 8000").expect("valid");
        let json = serde_json::to_string(&contact).expect("serialise");
        assert_eq!(json, r#"{"name":"王小明","phone":"+8613800138000"}"#);
        assert_eq!(
            serde_json::from_str::<Contact>(&json).expect("parse"),
            contact
        );
        assert!(serde_json::from_str::<Contact>(r#"{"name":null,"phone":"abc"}"#).is_err());
        assert!(serde_json::from_str::<Contact>(r#"{"name":"","phone":null}"#).is_err());
    }

    #[test]
    fn messages_are_specific() {
        let message = PhoneError::TooFewDigits { min: 3, actual: 2 }.message();
        assert!(message.zh_cn.contains('3') && message.zh_cn.contains('2'));
        assert!(message.en.contains('3') && message.en.contains('2'));
        for error in [PhoneError::InvalidCharacter('x'), PhoneError::MisplacedPlus] {
            assert!(!error.message().zh_cn.is_empty());
        }
    }

    fn phone_like() -> impl Strategy<Value = String> {
        prop_oneof![
            "[+]?[0-9 ()\\-]{0,24}",
            "\\s*[+]?[0-9]{1,3}[ \\-]?\\(?[0-9]{2,4}\\)?[ \\-]?[0-9]{3,5}[ \\-]?[0-9]{0,4}\\s*",
            any::<String>(),
        ]
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent(raw in phone_like()) {
            if let Ok(phone) = PhoneNumber::parse(&raw) {
                let again = PhoneNumber::parse(phone.as_str());
                prop_assert_eq!(again.as_ref(), Ok(&phone));
                let s = phone.as_str();
                let digits = s.strip_prefix('+').unwrap_or(s);
                prop_assert!(digits.chars().all(|c| c.is_ascii_digit()));
                prop_assert!((3..=15).contains(&digits.len()));
            }
        }
    }
}
