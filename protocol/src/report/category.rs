//! What kind of problem a report is about.
//!
//! The person picks a [`Category`]; each one belongs to one of the six
//! classes of the 12369 environmental reporting system ([`CategoryClass`]),
//! which is what a report is filed under when it is forwarded. (The 12369
//! phone lines were switched off in 2024 and merged into 12345; the
//! classification stays. The channels to report through are
//! `crate::channels`.)

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::{LocalizedStr, LocalizedText};

/// The kind of problem, as the person picks it. Serialised as its stable
/// snake_case [`code`](Category::code); codes are added, never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Water pollution in general.
    Water,
    /// Pollution near a drinking-water source protection area (饮用水源).
    WaterDrinkingSource,
    /// Rivers, ponds, ditches and small water bodies (河道或小微水体).
    WaterRiver,
    Air,
    Noise,
    SolidWaste,
    Radiation,
    Other,
}

/// The six classes of the 12369 environmental reporting classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryClass {
    Water,
    Air,
    Noise,
    SolidWaste,
    Radiation,
    Other,
}

/// Why a category could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CategoryError {
    /// No category was chosen (from [`ReportDraft::validate`](super::ReportDraft::validate)).
    #[error("no category chosen")]
    Missing,
    /// The code is not one of [`Category::ALL`]'s codes.
    #[error("unknown category code \"{0}\"")]
    Unknown(String),
}

impl Category {
    /// Every category, in the order the form shows them.
    pub const ALL: [Category; 8] = [
        Category::Water,
        Category::WaterDrinkingSource,
        Category::WaterRiver,
        Category::Air,
        Category::Noise,
        Category::SolidWaste,
        Category::Radiation,
        Category::Other,
    ];

    /// The stable wire code, the same string serde uses.
    pub fn code(self) -> &'static str {
        match self {
            Category::Water => "water",
            Category::WaterDrinkingSource => "water_drinking_source",
            Category::WaterRiver => "water_river",
            Category::Air => "air",
            Category::Noise => "noise",
            Category::SolidWaste => "solid_waste",
            Category::Radiation => "radiation",
            Category::Other => "other",
        }
    }

    /// The category with this exact code.
    pub fn parse(code: &str) -> Result<Category, CategoryError> {
        Category::ALL
            .into_iter()
            .find(|category| category.code() == code)
            .ok_or_else(|| CategoryError::Unknown(code.to_owned()))
    }

    /// The 12369 class this category is filed under.
    pub fn class(self) -> CategoryClass {
        match self {
            Category::Water | Category::WaterDrinkingSource | Category::WaterRiver => {
                CategoryClass::Water
            }
            Category::Air => CategoryClass::Air,
            Category::Noise => CategoryClass::Noise,
            Category::SolidWaste => CategoryClass::SolidWaste,
            Category::Radiation => CategoryClass::Radiation,
            Category::Other => CategoryClass::Other,
        }
    }

    /// The short name shown on the category's button.
    pub fn name(self) -> LocalizedStr {
        match self {
            Category::Water => LocalizedStr::new("水污染", "Water pollution"),
            Category::WaterDrinkingSource => LocalizedStr::new("饮用水源", "Drinking-water source"),
            Category::WaterRiver => {
                LocalizedStr::new("河道或小微水体", "River or small water body")
            }
            Category::Air => LocalizedStr::new("大气污染", "Air pollution"),
            Category::Noise => LocalizedStr::new("噪声", "Noise"),
            Category::SolidWaste => LocalizedStr::new("固体废物", "Solid waste"),
            Category::Radiation => LocalizedStr::new("辐射", "Radiation"),
            Category::Other => LocalizedStr::new("其他", "Other"),
        }
    }

    /// One plain line of examples, shown under the name.
    pub fn hint(self) -> LocalizedStr {
        match self {
            Category::Water => LocalizedStr::new(
                "工厂偷排、污水直排、河水变色发臭",
                "Discharge from factories, sewage, discoloured or foul water",
            ),
            Category::WaterDrinkingSource => LocalizedStr::new(
                "饮用水水源保护区附近的污染",
                "Pollution near a drinking-water source protection area",
            ),
            Category::WaterRiver => LocalizedStr::new(
                "河流、池塘、沟渠等小微水体",
                "Rivers, ponds, ditches and small water bodies",
            ),
            Category::Air => {
                LocalizedStr::new("黑烟、异味、露天焚烧", "Black smoke, odours, open burning")
            }
            Category::Noise => LocalizedStr::new(
                "夜间施工、工厂、娱乐场所噪声",
                "Night-time construction, factories, venues",
            ),
            Category::SolidWaste => LocalizedStr::new(
                "乱倒垃圾、建筑垃圾、危险废物",
                "Illegal dumping, construction waste, hazardous waste",
            ),
            Category::Radiation => LocalizedStr::new(
                "辐射源、电磁辐射",
                "Radioactive sources, electromagnetic radiation",
            ),
            Category::Other => {
                LocalizedStr::new("其他生态环境问题", "Any other environmental problem")
            }
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Category {
    type Err = CategoryError;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Category::parse(code)
    }
}

impl CategoryClass {
    /// The six classes, in the 12369 order.
    pub const ALL: [CategoryClass; 6] = [
        CategoryClass::Water,
        CategoryClass::Air,
        CategoryClass::Noise,
        CategoryClass::SolidWaste,
        CategoryClass::Radiation,
        CategoryClass::Other,
    ];

    /// The stable wire code, the same string serde uses.
    pub fn code(self) -> &'static str {
        match self {
            CategoryClass::Water => "water",
            CategoryClass::Air => "air",
            CategoryClass::Noise => "noise",
            CategoryClass::SolidWaste => "solid_waste",
            CategoryClass::Radiation => "radiation",
            CategoryClass::Other => "other",
        }
    }

    /// The class's name as 12369 uses it.
    pub fn name(self) -> LocalizedStr {
        match self {
            CategoryClass::Water => LocalizedStr::new("水污染", "Water pollution"),
            CategoryClass::Air => LocalizedStr::new("大气污染", "Air pollution"),
            CategoryClass::Noise => LocalizedStr::new("噪声污染", "Noise pollution"),
            CategoryClass::SolidWaste => LocalizedStr::new("固体废物污染", "Solid waste"),
            CategoryClass::Radiation => LocalizedStr::new("辐射污染", "Radiation"),
            CategoryClass::Other => LocalizedStr::new("其他污染", "Other pollution"),
        }
    }
}

impl CategoryError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            CategoryError::Missing => {
                LocalizedText::new("请选择问题类别。", "Choose the kind of problem.")
            }
            CategoryError::Unknown(_) => LocalizedText::new(
                "无法识别这个问题类别，请重新选择。",
                "This kind of problem is not recognised. Choose it again.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_serde_and_parse_back() {
        for category in Category::ALL {
            let json = serde_json::to_string(&category).expect("serialise");
            assert_eq!(json, format!("\"{}\"", category.code()));
            assert_eq!(Category::parse(category.code()), Ok(category));
            assert_eq!(category.code().parse::<Category>(), Ok(category));
            let back: Category = serde_json::from_str(&json).expect("parse");
            assert_eq!(back, category);
        }
    }

    #[test]
    fn the_wire_codes_are_stable() {
        let codes: Vec<_> = Category::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(
            codes,
            [
                "water",
                "water_drinking_source",
                "water_river",
                "air",
                "noise",
                "solid_waste",
                "radiation",
                "other"
            ]
        );
    }

    #[test]
    fn unknown_codes_are_errors() {
        for code in ["", "Water", " water", "water ", "waste", "water-river"] {
            assert_eq!(
                Category::parse(code),
                Err(CategoryError::Unknown(code.to_owned())),
                "{code:?}"
            );
        }
        assert!(serde_json::from_str::<Category>("\"soil\"").is_err());
    }

    #[test]
    fn water_kinds_are_filed_as_water() {
        assert_eq!(Category::WaterDrinkingSource.class(), CategoryClass::Water);
        assert_eq!(Category::WaterRiver.class(), CategoryClass::Water);
        assert_eq!(Category::SolidWaste.class(), CategoryClass::SolidWaste);
        // Every class is reachable from some category.
        for class in CategoryClass::ALL {
            assert!(
                Category::ALL.iter().any(|c| c.class() == class),
                "{class:?}"
            );
        }
    }

    #[test]
    fn class_codes_match_serde() {
        for class in CategoryClass::ALL {
            let json = serde_json::to_string(&class).expect("serialise");
            assert_eq!(json, format!("\"{}\"", class.code()));
        }
    }

    #[test]
    fn every_name_and_hint_is_one_non_empty_line_in_both_languages() {
        let texts = Category::ALL
            .iter()
            .flat_map(|c| [c.name(), c.hint()])
            .chain(CategoryClass::ALL.iter().map(|c| c.name()));
        for text in texts {
            for s in [text.zh_cn, text.en] {
                assert!(!s.trim().is_empty(), "{text:?}");
                assert!(!s.contains('\n'), "{text:?}");
            }
        }
    }

    #[test]
    fn errors_have_messages() {
        let missing = CategoryError::Missing.message();
        assert_eq!(missing.zh_cn, "请选择问题类别。");
        assert_eq!(missing.en, "Choose the kind of problem.");
        assert!(!CategoryError::Unknown("x".into()).message().en.is_empty());
    }
}
