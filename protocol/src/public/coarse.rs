//! Where a case is, in public: a cell of a fixed grid, never the phone's fix.
//!
//! The grid divides latitude and longitude into steps of
//! [`CELL_DEGREES`] (0.002°): a cell is 222 m from south to north and
//! 222 m × cos(latitude) from west to east (about 190 m at 30° N, where
//! most of China lies; 130 m in the far north-east). A point is made public
//! only as its cell's centre ([`CoarsePoint::of`]), so every position in
//! one cell gives the same public point, and that point is at most 160 m
//! from the real one. The centres are exact thousandths of a degree, so
//! they print short (`30.551`, `114.253`) and carry none of the fix's
//! digits beyond the third decimal.
//!
//! The app calls the same function before asking for nearby cases, and the
//! server calls it again on what arrives, so an exact position sent by
//! mistake is never used beyond its cell.
//!
//! [`rough_direction`] tells the person how far and which way a public
//! point is from where they stand: "about 300 m north-east".

use serde::{Deserialize, Serialize};

use crate::report::GeoPoint;
use crate::LocalizedText;

/// The grid's step, in degrees of latitude and of longitude.
pub const CELL_DEGREES: f64 = 0.002;
/// Cells per degree (`1 / CELL_DEGREES`).
const CELLS_PER_DEGREE: f64 = 500.0;
/// Rows from the south pole to the north pole, columns around the world.
const ROWS: i64 = 90_000;
const COLUMNS: i64 = 180_000;
/// The mean radius of the Earth (IUGG), for distances.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The centre of one grid cell: the only position anything public shows.
///
/// Made by [`CoarsePoint::of`] (or [`CoarsePoint::from_point`]); reading
/// one from JSON snaps it to its cell's centre again, so whatever arrives
/// is on the grid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CoarsePointWire", into = "CoarsePointWire")]
pub struct CoarsePoint {
    latitude: f64,
    longitude: f64,
}

#[derive(Serialize, Deserialize)]
struct CoarsePointWire {
    latitude: f64,
    longitude: f64,
}

/// A position that has no cell: not a finite latitude in [-90, 90] and
/// longitude in [-180, 180].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a position on Earth")]
pub struct OffTheMap;

impl CoarsePoint {
    /// The centre of the cell holding (`latitude`, `longitude`). The north
    /// pole belongs to the northernmost row, and longitude 180 to the cell
    /// of -180 (the same meridian).
    pub fn of(latitude: f64, longitude: f64) -> Result<CoarsePoint, OffTheMap> {
        if !(latitude.is_finite()
            && longitude.is_finite()
            && (-90.0..=90.0).contains(&latitude)
            && (-180.0..=180.0).contains(&longitude))
        {
            return Err(OffTheMap);
        }
        let row = ((latitude * CELLS_PER_DEGREE).floor() as i64).clamp(-ROWS / 2, ROWS / 2 - 1);
        let mut column = (longitude * CELLS_PER_DEGREE).floor() as i64;
        if column >= COLUMNS / 2 {
            column -= COLUMNS;
        }
        let column = column.clamp(-COLUMNS / 2, COLUMNS / 2 - 1);
        Ok(CoarsePoint {
            latitude: centre(row),
            longitude: centre(column),
        })
    }

    /// The cell of a device's fix (whose values are always on the map).
    pub fn from_point(point: &GeoPoint) -> CoarsePoint {
        CoarsePoint::of(point.latitude(), point.longitude())
            .expect("a GeoPoint is always on the map")
    }

    /// Degrees north of the cell's centre.
    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    /// Degrees east of the cell's centre.
    pub fn longitude(&self) -> f64 {
        self.longitude
    }

    /// The great-circle distance to `other`, in metres.
    pub fn distance_m(&self, other: &CoarsePoint) -> f64 {
        distance_m(
            self.latitude,
            self.longitude,
            other.latitude,
            other.longitude,
        )
    }
}

/// The centre of row or column `index`: `(2 × index + 1) / 1000` degrees,
/// computed as one division so it is the double nearest that decimal.
fn centre(index: i64) -> f64 {
    (2 * index + 1) as f64 / 1000.0
}

impl TryFrom<CoarsePointWire> for CoarsePoint {
    type Error = OffTheMap;

    fn try_from(wire: CoarsePointWire) -> Result<Self, OffTheMap> {
        CoarsePoint::of(wire.latitude, wire.longitude)
    }
}

impl From<CoarsePoint> for CoarsePointWire {
    fn from(point: CoarsePoint) -> Self {
        CoarsePointWire {
            latitude: point.latitude,
            longitude: point.longitude,
        }
    }
}

/// The great-circle (haversine) distance between two positions, in metres.
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// The initial bearing from the first position to the second, in degrees
/// clockwise from north, in `[0, 360)`.
pub fn bearing_deg(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lon2 - lon1).to_radians();
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    y.atan2(x).to_degrees().rem_euclid(360.0)
}

/// One of the eight compass directions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compass {
    North,
    NorthEast,
    East,
    SouthEast,
    South,
    SouthWest,
    West,
    NorthWest,
}

impl Compass {
    /// Clockwise from north.
    pub const ALL: [Compass; 8] = [
        Compass::North,
        Compass::NorthEast,
        Compass::East,
        Compass::SouthEast,
        Compass::South,
        Compass::SouthWest,
        Compass::West,
        Compass::NorthWest,
    ];

    /// The direction nearest `bearing` (degrees clockwise from north): each
    /// covers 45°, north from 337.5° to 22.5°.
    pub fn of_bearing(bearing: f64) -> Compass {
        let sector = (bearing.rem_euclid(360.0) / 45.0).round() as usize % 8;
        Compass::ALL[sector]
    }

    /// Its name, as people say it: 东北 / north-east.
    pub fn name(self) -> crate::LocalizedStr {
        use crate::LocalizedStr as L;
        match self {
            Compass::North => L::new("北", "north"),
            Compass::NorthEast => L::new("东北", "north-east"),
            Compass::East => L::new("东", "east"),
            Compass::SouthEast => L::new("东南", "south-east"),
            Compass::South => L::new("南", "south"),
            Compass::SouthWest => L::new("西南", "south-west"),
            Compass::West => L::new("西", "west"),
            Compass::NorthWest => L::new("西北", "north-west"),
        }
    }
}

/// How far and which way a case's public point is from the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoughDirection {
    /// Less than [`RoughDirection::STEP_M`] / 2 away: no direction means
    /// anything at that distance (the public point is a cell's centre).
    Here,
    /// About `metres` (a multiple of [`RoughDirection::STEP_M`]) towards
    /// `towards`.
    Away { metres: u32, towards: Compass },
}

impl RoughDirection {
    /// Distances are rounded to this many metres: the public point is
    /// itself up to 160 m from the real place, so finer would mislead.
    pub const STEP_M: u32 = 100;

    /// The phrase shown beside the case: "about 300 m north-east".
    pub fn text(self) -> LocalizedText {
        match self {
            RoughDirection::Here => LocalizedText::new("就在附近", "right here"),
            RoughDirection::Away { metres, towards } => {
                let name = towards.name();
                if metres >= 1000 {
                    let km = match metres % 1000 / 100 {
                        0 => format!("{}", metres / 1000),
                        tenths => format!("{}.{tenths}", metres / 1000),
                    };
                    LocalizedText::new(
                        format!("{}方向约 {km} 公里", name.zh_cn),
                        format!("about {km} km {}", name.en),
                    )
                } else {
                    LocalizedText::new(
                        format!("{}方向约 {metres} 米", name.zh_cn),
                        format!("about {metres} m {}", name.en),
                    )
                }
            }
        }
    }
}

/// From the person's own position (`from_lat`, `from_lon`, which stays on
/// the phone) to a case's public point: the distance rounded to the
/// nearest [`RoughDirection::STEP_M`] metres and one of eight directions.
///
/// Measured on the flat local map around the two points (north-south and
/// east-west metres at their middle latitude), which within the few
/// kilometres a nearby case can be is the great-circle distance to a
/// fraction of a metre, and needs no sine, arc sine or arc tangent: the
/// app, the only caller, then carries no trigonometry code in its wasm.
pub fn rough_direction(from_lat: f64, from_lon: f64, to: &CoarsePoint) -> RoughDirection {
    let mut east_deg = to.longitude - from_lon;
    if east_deg > 180.0 {
        east_deg -= 360.0;
    } else if east_deg < -180.0 {
        east_deg += 360.0;
    }
    let middle = ((from_lat + to.latitude) / 2.0).to_radians();
    let north = (to.latitude - from_lat).to_radians() * EARTH_RADIUS_M;
    let east = east_deg.to_radians() * cos_series(middle) * EARTH_RADIUS_M;
    let metres = (north * north + east * east).sqrt();
    let step = f64::from(RoughDirection::STEP_M);
    let rounded = (metres / step).round() * step;
    if rounded < step {
        return RoughDirection::Here;
    }
    RoughDirection::Away {
        metres: rounded.min(f64::from(u32::MAX)) as u32,
        towards: Compass::of_offset(east, north),
    }
}

/// The cosine of a latitude in radians (|x| ≤ π/2) from its Taylor series
/// to x¹⁶: within 1e-9 of `f64::cos` there, without the libm code.
fn cos_series(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=8u32 {
        let k = f64::from(2 * n);
        term *= -x2 / ((k - 1.0) * k);
        sum += term;
    }
    sum
}

impl Compass {
    /// The direction of a flat offset (`east`, `north`, any unit): the
    /// same sectors as [`Compass::of_bearing`], found by comparing the two
    /// parts against tan 22.5° and tan 67.5° instead of an arc tangent.
    pub fn of_offset(east: f64, north: f64) -> Compass {
        const TAN_22_5: f64 = std::f64::consts::SQRT_2 - 1.0;
        const TAN_67_5: f64 = std::f64::consts::SQRT_2 + 1.0;
        let (across, along) = (east.abs(), north.abs());
        if across <= along * TAN_22_5 {
            if north >= 0.0 {
                Compass::North
            } else {
                Compass::South
            }
        } else if across >= along * TAN_67_5 {
            if east >= 0.0 {
                Compass::East
            } else {
                Compass::West
            }
        } else {
            match (north >= 0.0, east >= 0.0) {
                (true, true) => Compass::NorthEast,
                (true, false) => Compass::NorthWest,
                (false, true) => Compass::SouthEast,
                (false, false) => Compass::SouthWest,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_point_becomes_its_cells_centre_with_three_decimals() {
        let cell = CoarsePoint::of(30.551_234_567, 114.252_987_654).expect("on the map");
        assert_eq!((cell.latitude(), cell.longitude()), (30.551, 114.253));
        assert_eq!(
            serde_json::to_string(&cell).expect("json"),
            r#"{"latitude":30.551,"longitude":114.253}"#
        );
        // South and west of zero: cells are [k, k + 1) steps, floor not truncation.
        let cell = CoarsePoint::of(-0.000_5, -0.000_5).expect("on the map");
        assert_eq!((cell.latitude(), cell.longitude()), (-0.001, -0.001));
        let cell = CoarsePoint::of(0.0, 0.0).expect("on the map");
        assert_eq!((cell.latitude(), cell.longitude()), (0.001, 0.001));
    }

    #[test]
    fn the_edges_of_the_map_stay_on_it() {
        let north = CoarsePoint::of(90.0, 180.0).expect("on the map");
        assert_eq!((north.latitude(), north.longitude()), (89.999, -179.999));
        let south = CoarsePoint::of(-90.0, -180.0).expect("on the map");
        assert_eq!((south.latitude(), south.longitude()), (-89.999, -179.999));
        let east = CoarsePoint::of(0.0, 179.999_9).expect("on the map");
        assert_eq!(east.longitude(), 179.999);
        for (lat, lon) in [
            (90.1, 0.0),
            (0.0, -180.1),
            (f64::NAN, 0.0),
            (0.0, f64::INFINITY),
        ] {
            assert_eq!(CoarsePoint::of(lat, lon), Err(OffTheMap), "{lat} {lon}");
        }
    }

    #[test]
    fn reading_one_snaps_it_to_the_grid() {
        let exact = r#"{"latitude":30.55123456,"longitude":114.25298765}"#;
        let read: CoarsePoint = serde_json::from_str(exact).expect("parse");
        assert_eq!(read, CoarsePoint::of(30.551, 114.253).expect("cell"));
        assert!(serde_json::from_str::<CoarsePoint>(r#"{"latitude":91,"longitude":0}"#).is_err());
    }

    #[test]
    fn distances_match_known_values() {
        // One degree of latitude: about 111.2 km.
        let d = distance_m(30.0, 114.0, 31.0, 114.0);
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
        // One cell north is 222 m; one east at 30° N about 193 m.
        let d = distance_m(30.001, 114.001, 30.003, 114.001);
        assert!((d - 222.4).abs() < 0.5, "{d}");
        let d = distance_m(30.001, 114.001, 30.001, 114.003);
        assert!((d - 192.6).abs() < 0.5, "{d}");
        assert_eq!(distance_m(30.0, 114.0, 30.0, 114.0), 0.0);
    }

    #[test]
    fn directions_point_the_right_way() {
        let from = (30.501, 114.301);
        let cases = [
            ((30.503, 114.301), Compass::North),
            ((30.501, 114.303), Compass::East),
            ((30.497, 114.301), Compass::South),
            ((30.501, 114.297), Compass::West),
            ((30.503, 114.3035), Compass::NorthEast),
            ((30.499, 114.2985), Compass::SouthWest),
            ((30.499, 114.3035), Compass::SouthEast),
            ((30.503, 114.2985), Compass::NorthWest),
        ];
        for ((lat, lon), expected) in cases {
            let to = CoarsePoint::of(lat, lon).expect("cell");
            match rough_direction(from.0, from.1, &to) {
                RoughDirection::Away { towards, .. } => {
                    assert_eq!(towards, expected, "{lat} {lon}")
                }
                RoughDirection::Here => panic!("{lat} {lon} is not here"),
            }
        }
        assert_eq!(Compass::of_bearing(359.0), Compass::North);
        assert_eq!(Compass::of_bearing(22.4), Compass::North);
        assert_eq!(Compass::of_bearing(22.6), Compass::NorthEast);
        assert_eq!(Compass::of_bearing(-90.0), Compass::West);
    }

    #[test]
    fn distances_are_rounded_to_100_m_and_said_in_both_languages() {
        // About 294 m north-east of (30.501, 114.301).
        let to = CoarsePoint::of(30.502_5, 114.302_5).expect("cell");
        let rough = rough_direction(30.501, 114.301, &to);
        assert_eq!(
            rough,
            RoughDirection::Away {
                metres: 300,
                towards: Compass::NorthEast
            }
        );
        let text = rough.text();
        assert_eq!(text.en, "about 300 m north-east");
        assert_eq!(text.zh_cn, "东北方向约 300 米");
        let far = RoughDirection::Away {
            metres: 1200,
            towards: Compass::South,
        };
        assert_eq!(far.text().en, "about 1.2 km south");
        assert_eq!(far.text().zh_cn, "南方向约 1.2 公里");
        // In one's own cell: here, whatever the direction.
        let here = CoarsePoint::of(30.5, 114.3).expect("cell");
        assert_eq!(
            rough_direction(30.500_8, 114.300_8, &here),
            RoughDirection::Here
        );
        assert_eq!(RoughDirection::Here.text().en, "right here");
    }

    fn latitude() -> impl Strategy<Value = f64> {
        prop_oneof![-90.0..=90.0f64, 18.0..54.0f64, Just(90.0), Just(-90.0)]
    }

    fn longitude() -> impl Strategy<Value = f64> {
        prop_oneof![-180.0..=180.0f64, 73.0..135.0f64, Just(180.0), Just(-180.0)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn the_public_point_is_within_160_m_and_on_the_grid(
            lat in latitude(),
            lon in longitude(),
        ) {
            let cell = CoarsePoint::of(lat, lon).expect("on the map");
            // The meridian ±180 is one; measure the short way round.
            let d = distance_m(lat, lon, cell.latitude(), cell.longitude());
            prop_assert!(d <= 160.0, "{lat},{lon} -> {cell:?}: {d} m");
            // The centre is its own cell's centre: coarsening twice is once.
            prop_assert_eq!(CoarsePoint::of(cell.latitude(), cell.longitude()), Ok(cell));
            // Three decimals at most.
            for value in [cell.latitude(), cell.longitude()] {
                let text = value.to_string();
                let decimals = text.split('.').nth(1).map_or(0, str::len);
                prop_assert!(decimals <= 3, "{text}");
            }
        }

        #[test]
        fn every_point_of_a_cell_gives_the_same_public_point(
            row in -44_999i64..44_999,
            column in -89_999i64..89_999,
            a in (0.001..0.999f64, 0.001..0.999f64),
            b in (0.001..0.999f64, 0.001..0.999f64),
        ) {
            let point = |(u, v): (f64, f64)| {
                CoarsePoint::of(
                    (row as f64 + u) * CELL_DEGREES,
                    (column as f64 + v) * CELL_DEGREES,
                )
                .expect("on the map")
            };
            let (first, second) = (point(a), point(b));
            prop_assert_eq!(first, second);
            prop_assert_eq!(first.latitude(), centre(row));
            prop_assert_eq!(first.longitude(), centre(column));
        }

        #[test]
        fn distances_are_symmetric(
            a in (18.0..54.0f64, 73.0..135.0f64),
            b in (18.0..54.0f64, 73.0..135.0f64),
        ) {
            let there = distance_m(a.0, a.1, b.0, b.1);
            let back = distance_m(b.0, b.1, a.0, a.1);
            prop_assert!((there - back).abs() < 1e-6 * there.max(1.0));
        }

        /// Within 5 km (a nearby case is within 500 m of one's cell), the
        /// rough distance is the great-circle one rounded to the step, and
        /// the direction is the initial bearing's sector (or its
        /// neighbour, right on a sector's edge).
        #[test]
        fn rough_directions_agree_with_the_great_circle_nearby(
            a in (-60.0..60.0f64, -179.0..179.0f64),
            offset in (-0.045..0.045f64, -0.045..0.045f64),
        ) {
            let to = CoarsePoint::of(a.0 + offset.0, a.1 + offset.1).expect("cell");
            let exact = distance_m(a.0, a.1, to.latitude(), to.longitude());
            match rough_direction(a.0, a.1, &to) {
                RoughDirection::Away { metres, towards } => {
                    prop_assert_eq!(metres % RoughDirection::STEP_M, 0);
                    prop_assert!((f64::from(metres) - exact).abs() <= 50.0 + 1.0);
                    let bearing = bearing_deg(a.0, a.1, to.latitude(), to.longitude());
                    let sector = Compass::ALL.iter().position(|c| *c == towards).expect("one");
                    let exact_sector = Compass::ALL
                        .iter()
                        .position(|c| *c == Compass::of_bearing(bearing))
                        .expect("one");
                    let apart = (sector + 8 - exact_sector) % 8;
                    prop_assert!(apart == 0 || apart == 1 || apart == 7, "{bearing}");
                }
                RoughDirection::Here => prop_assert!(exact < 51.0),
            }
        }

        #[test]
        fn the_cosine_series_is_the_cosine(
            x in -std::f64::consts::FRAC_PI_2..std::f64::consts::FRAC_PI_2
        ) {
            prop_assert!((cos_series(x) - x.cos()).abs() < 1e-8);
        }
    }
}
