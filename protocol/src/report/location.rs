//! Where the problem is: a position from the device, a typed address or
//! landmark, or both. A report needs at least one of them.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::LocalizedText;

/// A WGS 84 position with its accuracy radius, as the Geolocation API gives
/// it. Fields are checked by [`GeoPoint::parse`] and when deserialising.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "GeoPointWire", into = "GeoPointWire")]
pub struct GeoPoint {
    latitude: f64,
    longitude: f64,
    accuracy_m: f64,
}

/// The unchecked shape of a [`GeoPoint`] on the wire.
#[derive(Clone, Copy, Serialize, Deserialize)]
struct GeoPointWire {
    latitude: f64,
    longitude: f64,
    accuracy_m: f64,
}

/// Why a position was refused.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum GeoPointError {
    #[error("a coordinate or the accuracy is not a finite number")]
    NotFinite,
    #[error("latitude {0} is outside -90..=90")]
    LatitudeOutOfRange(f64),
    #[error("longitude {0} is outside -180..=180")]
    LongitudeOutOfRange(f64),
    #[error("accuracy {0} m is not positive")]
    AccuracyNotPositive(f64),
    #[error("accuracy {0} m is worse than the {max} m allowed", max = GeoPoint::MAX_ACCURACY_M)]
    TooImprecise(f64),
}

impl GeoPoint {
    /// The coarsest accuracy radius accepted, in metres (100 km).
    pub const MAX_ACCURACY_M: f64 = 100_000.0;

    /// Checks that every value is finite, latitude is in [-90, 90], longitude
    /// in [-180, 180] and the accuracy radius in (0, 100 000] metres.
    pub fn parse(
        latitude: f64,
        longitude: f64,
        accuracy_m: f64,
    ) -> Result<GeoPoint, GeoPointError> {
        if !(latitude.is_finite() && longitude.is_finite() && accuracy_m.is_finite()) {
            return Err(GeoPointError::NotFinite);
        }
        if !(-90.0..=90.0).contains(&latitude) {
            return Err(GeoPointError::LatitudeOutOfRange(latitude));
        }
        if !(-180.0..=180.0).contains(&longitude) {
            return Err(GeoPointError::LongitudeOutOfRange(longitude));
        }
        if accuracy_m <= 0.0 {
            return Err(GeoPointError::AccuracyNotPositive(accuracy_m));
        }
        if accuracy_m > Self::MAX_ACCURACY_M {
            return Err(GeoPointError::TooImprecise(accuracy_m));
        }
        Ok(GeoPoint {
            latitude,
            longitude,
            accuracy_m,
        })
    }

    /// Degrees north, -90 to 90.
    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    /// Degrees east, -180 to 180.
    pub fn longitude(&self) -> f64 {
        self.longitude
    }

    /// The radius of the 95 % confidence circle, in metres.
    pub fn accuracy_m(&self) -> f64 {
        self.accuracy_m
    }
}

impl TryFrom<GeoPointWire> for GeoPoint {
    type Error = GeoPointError;

    fn try_from(wire: GeoPointWire) -> Result<Self, Self::Error> {
        GeoPoint::parse(wire.latitude, wire.longitude, wire.accuracy_m)
    }
}

impl From<GeoPoint> for GeoPointWire {
    fn from(point: GeoPoint) -> Self {
        GeoPointWire {
            latitude: point.latitude,
            longitude: point.longitude,
            accuracy_m: point.accuracy_m,
        }
    }
}

impl GeoPointError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            GeoPointError::NotFinite
            | GeoPointError::LatitudeOutOfRange(_)
            | GeoPointError::LongitudeOutOfRange(_)
            | GeoPointError::AccuracyNotPositive(_) => LocalizedText::new(
                "定位结果无效，请重新定位或填写地址、地标。",
                "The position is not valid. Locate again or type an address or landmark.",
            ),
            GeoPointError::TooImprecise(_) => LocalizedText::new(
                "定位误差太大（超过 100 公里），请重新定位或填写地址、地标。",
                "The position is too imprecise (more than 100 km). Locate again or type an address or landmark.",
            ),
        }
    }
}

/// A typed address or landmark: trimmed, [`Address::MIN_CHARS`] to
/// [`Address::MAX_CHARS`] characters, one line without control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Address(String);

/// Why an address was refused. Counts are in characters after trimming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AddressError {
    #[error("address too short: {actual} characters, at least {min}")]
    TooShort { min: usize, actual: usize },
    #[error("address too long: {actual} characters, at most {max}")]
    TooLong { max: usize, actual: usize },
    #[error("address contains a control character")]
    ControlCharacter,
}

impl Address {
    pub const MIN_CHARS: usize = 2;
    pub const MAX_CHARS: usize = 200;

    /// Trims `raw` and checks it.
    pub fn parse(raw: &str) -> Result<Address, AddressError> {
        let trimmed = raw.trim();
        if trimmed.chars().any(char::is_control) {
            return Err(AddressError::ControlCharacter);
        }
        let actual = trimmed.chars().count();
        if actual < Self::MIN_CHARS {
            Err(AddressError::TooShort {
                min: Self::MIN_CHARS,
                actual,
            })
        } else if actual > Self::MAX_CHARS {
            Err(AddressError::TooLong {
                max: Self::MAX_CHARS,
                actual,
            })
        } else {
            Ok(Address(trimmed.to_owned()))
        }
    }

    /// `None` for an empty or whitespace-only field, else [`Address::parse`].
    pub fn parse_optional(raw: &str) -> Result<Option<Address>, AddressError> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            Address::parse(raw).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl AddressError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match *self {
            AddressError::TooShort { min, actual } => LocalizedText::new(
                format!("地址至少需要 {min} 个字（现在 {actual} 个）。"),
                format!("The address needs at least {min} characters (now {actual})."),
            ),
            AddressError::TooLong { max, actual } => LocalizedText::new(
                format!("地址最多 {max} 个字（现在 {actual} 个）。"),
                format!("The address can have at most {max} characters (now {actual})."),
            ),
            AddressError::ControlCharacter => LocalizedText::new(
                "地址只能写一行，不能包含换行或控制字符。",
                "The address must be one line, without line breaks or control characters.",
            ),
        }
    }
}

impl TryFrom<String> for Address {
    type Error = AddressError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Address::parse(&raw)
    }
}

impl From<Address> for String {
    fn from(address: Address) -> Self {
        address.0
    }
}

impl AsRef<str> for Address {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where the problem is: a position, an address, or both; never neither.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "LocationWire", into = "LocationWire")]
pub struct Location {
    point: Option<GeoPoint>,
    address: Option<Address>,
}

/// The unchecked shape of a [`Location`] on the wire.
#[derive(Clone, Serialize, Deserialize)]
struct LocationWire {
    point: Option<GeoPoint>,
    address: Option<Address>,
}

/// Why a location was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum LocationError {
    #[error("neither a position nor an address")]
    Missing,
    /// The typed address is not valid (from [`Location::parse`]).
    #[error("address: {0}")]
    Address(#[from] AddressError),
}

impl Location {
    /// A location from a position, an address or both.
    pub fn new(
        point: Option<GeoPoint>,
        address: Option<Address>,
    ) -> Result<Location, LocationError> {
        if point.is_none() && address.is_none() {
            return Err(LocationError::Missing);
        }
        Ok(Location { point, address })
    }

    /// A location from the form: the device's position, if any, and the
    /// address field as typed (empty or whitespace-only means none). A typed
    /// address that is not valid is an error even when there is a position.
    pub fn parse(point: Option<GeoPoint>, address_raw: &str) -> Result<Location, LocationError> {
        let address = Address::parse_optional(address_raw)?;
        Location::new(point, address)
    }

    pub fn point(&self) -> Option<&GeoPoint> {
        self.point.as_ref()
    }

    pub fn address(&self) -> Option<&Address> {
        self.address.as_ref()
    }
}

impl TryFrom<LocationWire> for Location {
    type Error = LocationError;

    fn try_from(wire: LocationWire) -> Result<Self, Self::Error> {
        Location::new(wire.point, wire.address)
    }
}

impl From<Location> for LocationWire {
    fn from(location: Location) -> Self {
        LocationWire {
            point: location.point,
            address: location.address,
        }
    }
}

impl LocationError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            LocationError::Missing => LocalizedText::new(
                "请使用当前位置或填写地址、地标。",
                "Use your position or type an address or landmark.",
            ),
            LocationError::Address(error) => error.message(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_corners_of_the_map() {
        for (lat, lon) in [(90.0, 180.0), (-90.0, -180.0), (0.0, 0.0), (29.87, 121.55)] {
            let point = GeoPoint::parse(lat, lon, 1.0).expect("in range");
            assert_eq!((point.latitude(), point.longitude()), (lat, lon));
        }
    }

    #[test]
    fn refuses_coordinates_just_outside_the_map() {
        assert_eq!(
            GeoPoint::parse(90.0001, 0.0, 10.0),
            Err(GeoPointError::LatitudeOutOfRange(90.0001))
        );
        assert_eq!(
            GeoPoint::parse(-90.0001, 0.0, 10.0),
            Err(GeoPointError::LatitudeOutOfRange(-90.0001))
        );
        assert_eq!(
            GeoPoint::parse(0.0, 180.0001, 10.0),
            Err(GeoPointError::LongitudeOutOfRange(180.0001))
        );
        assert_eq!(
            GeoPoint::parse(0.0, -180.0001, 10.0),
            Err(GeoPointError::LongitudeOutOfRange(-180.0001))
        );
    }

    #[test]
    fn refuses_nan_and_infinities() {
        for (lat, lon, acc) in [
            (f64::NAN, 0.0, 10.0),
            (0.0, f64::NAN, 10.0),
            (0.0, 0.0, f64::NAN),
            (f64::INFINITY, 0.0, 10.0),
            (0.0, f64::NEG_INFINITY, 10.0),
            (0.0, 0.0, f64::INFINITY),
        ] {
            assert_eq!(
                GeoPoint::parse(lat, lon, acc),
                Err(GeoPointError::NotFinite),
                "{lat} {lon} {acc}"
            );
        }
    }

    #[test]
    fn accuracy_must_be_positive_and_at_most_100_km() {
        assert_eq!(
            GeoPoint::parse(0.0, 0.0, 0.0),
            Err(GeoPointError::AccuracyNotPositive(0.0))
        );
        assert_eq!(
            GeoPoint::parse(0.0, 0.0, -5.0),
            Err(GeoPointError::AccuracyNotPositive(-5.0))
        );
        assert!(GeoPoint::parse(0.0, 0.0, f64::MIN_POSITIVE).is_ok());
        assert!(GeoPoint::parse(0.0, 0.0, 100_000.0).is_ok());
        assert_eq!(
            GeoPoint::parse(0.0, 0.0, 100_000.1),
            Err(GeoPointError::TooImprecise(100_000.1))
        );
    }

    #[test]
    fn a_point_serialises_with_its_field_names_and_is_checked_when_read() {
        let point = GeoPoint::parse(29.87, 121.55, 12.5).expect("valid");
        let json = serde_json::to_string(&point).expect("serialise");
        assert_eq!(
            json,
            r#"{"latitude":29.87,"longitude":121.55,"accuracy_m":12.5}"#
        );
        assert_eq!(
            serde_json::from_str::<GeoPoint>(&json).expect("parse"),
            point
        );
        let bad = r#"{"latitude":91.0,"longitude":121.55,"accuracy_m":12.5}"#;
        assert!(serde_json::from_str::<GeoPoint>(bad).is_err());
    }

    #[test]
    fn an_address_is_trimmed_and_two_to_two_hundred_characters() {
        assert_eq!(
            Address::parse("  东湖  ").map(Address::into_inner),
            Ok("东湖".to_owned())
        );
        assert_eq!(
            Address::parse(" 湖 "),
            Err(AddressError::TooShort { min: 2, actual: 1 })
        );
        assert_eq!(
            Address::parse("   "),
            Err(AddressError::TooShort { min: 2, actual: 0 })
        );
        assert!(Address::parse(&"路".repeat(200)).is_ok());
        assert_eq!(
            Address::parse(&"路".repeat(201)),
            Err(AddressError::TooLong {
                max: 200,
                actual: 201
            })
        );
    }

    #[test]
    fn an_address_has_no_control_characters() {
        for raw in ["东湖\n公园", "a\u{0}b", "东湖\t公园", "ab\u{7f}"] {
            assert_eq!(
                Address::parse(raw),
                Err(AddressError::ControlCharacter),
                "{raw:?}"
            );
        }
        // Trailing newlines are surrounding whitespace, trimmed away.
        assert!(Address::parse("东湖公园\n").is_ok());
        assert!(serde_json::from_str::<Address>(r#""a\u0000b""#).is_err());
    }

    #[test]
    fn a_location_needs_a_point_or_an_address() {
        let point = GeoPoint::parse(30.0, 120.0, 20.0).expect("valid");
        let address = Address::parse("西湖边").expect("valid");
        assert_eq!(Location::new(None, None), Err(LocationError::Missing));
        assert!(Location::new(Some(point), None).is_ok());
        assert!(Location::new(None, Some(address.clone())).is_ok());
        let both = Location::new(Some(point), Some(address.clone())).expect("valid");
        assert_eq!(both.point(), Some(&point));
        assert_eq!(both.address(), Some(&address));
        let json = serde_json::to_string(&both).expect("serialise");
        assert_eq!(
            serde_json::from_str::<Location>(&json).expect("parse"),
            both
        );
        assert!(serde_json::from_str::<Location>(r#"{"point":null,"address":null}"#).is_err());
    }

    #[test]
    fn location_parse_reads_the_form_fields() {
        let point = GeoPoint::parse(30.0, 120.0, 20.0).expect("valid");
        assert_eq!(Location::parse(None, "  "), Err(LocationError::Missing));
        let location = Location::parse(Some(point), " \t").expect("valid");
        assert_eq!(location.address(), None);
        let location = Location::parse(None, " 西湖边 ").expect("valid");
        assert_eq!(location.address().map(Address::as_str), Some("西湖边"));
        assert_eq!(
            Location::parse(Some(point), "湖"),
            Err(LocationError::Address(AddressError::TooShort {
                min: 2,
                actual: 1
            }))
        );
    }

    #[test]
    fn messages_say_what_to_do() {
        let missing = LocationError::Missing.message();
        assert_eq!(missing.zh_cn, "请使用当前位置或填写地址、地标。");
        assert_eq!(
            missing.en,
            "Use your position or type an address or landmark."
        );
        let short = AddressError::TooShort { min: 2, actual: 1 }.message();
        assert!(short.zh_cn.contains('2') && short.en.contains('2'));
    }

    fn coordinate() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            -200.0..200.0f64,
            -100_001.0..100_001.0f64,
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(90.0),
            Just(-180.0),
            Just(0.0),
            Just(-0.0),
        ]
    }

    proptest! {
        #[test]
        fn geo_point_parse_accepts_iff_in_range(
            lat in coordinate(),
            lon in coordinate(),
            acc in coordinate(),
        ) {
            let in_range = lat.is_finite()
                && lon.is_finite()
                && acc.is_finite()
                && (-90.0..=90.0).contains(&lat)
                && (-180.0..=180.0).contains(&lon)
                && acc > 0.0
                && acc <= 100_000.0;
            match GeoPoint::parse(lat, lon, acc) {
                Ok(point) => {
                    prop_assert!(in_range);
                    prop_assert_eq!(point.latitude().to_bits(), lat.to_bits());
                    prop_assert_eq!(point.longitude().to_bits(), lon.to_bits());
                    prop_assert_eq!(point.accuracy_m().to_bits(), acc.to_bits());
                }
                Err(_) => prop_assert!(!in_range),
            }
        }
    }
}
