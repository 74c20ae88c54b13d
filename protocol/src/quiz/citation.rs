//! Whether a question's `source` cites a document and a place in it.
//!
//! A fact in a public-education quiz must be checkable: the source names the
//! document (a title in 《》 or a standard's number such as `GB 3838-2002`)
//! and where in it the fact stands (第十二条, 第二款, 表1, 第3章, 第4.2节,
//! 第2段; Article 12, Clause 2, Table 1, Section 3, Chapter 3, Paragraph 2,
//! Part II). [`check_source`] is the rule; the content check
//! (`protocol/tests/content.rs`) applies it to every bundled pack.
//! [`QuizPack::parse`](super::QuizPack::parse) does not, so a bureau's own
//! pack is never refused for its wording.

use thiserror::Error;

use crate::LocalizedText;

/// What a source lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SourceProblem {
    #[error("the zh-CN source names no document (a title in 《》 or a standard number such as GB 3838-2002)")]
    NoDocument,
    #[error("the zh-CN source names no place in the document (第…条 / 第…款 / 第…章 / 第…节 / 第…段 / 第…项 / 表… / 附录…)")]
    NoLocatorZh,
    #[error("the English source names no place in the document (Article / Clause / Paragraph / Table / Section / Chapter / Part / Annex and its number)")]
    NoLocatorEn,
}

/// `Ok` when `source` names a document and a place in it, in both languages
/// (the document is checked in Chinese only, where titles are marked).
pub fn check_source(source: &LocalizedText) -> Result<(), SourceProblem> {
    if !names_document(&source.zh_cn) {
        return Err(SourceProblem::NoDocument);
    }
    if !has_locator_zh(&source.zh_cn) {
        return Err(SourceProblem::NoLocatorZh);
    }
    if !has_locator_en(&source.en) {
        return Err(SourceProblem::NoLocatorEn);
    }
    Ok(())
}

/// A title in 《》, or a standard number: `GB`, `GB/T`, `HJ`… then a number.
fn names_document(zh: &str) -> bool {
    if let Some(open) = zh.find('《') {
        if zh[open..].contains('》') {
            return true;
        }
    }
    let chars: Vec<char> = zh.chars().collect();
    chars.iter().enumerate().any(|(i, c)| {
        if !c.is_ascii_uppercase() || (i > 0 && chars[i - 1].is_ascii_alphabetic()) {
            return false;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_uppercase() {
            j += 1;
        }
        if j - i < 2 {
            return false;
        }
        if chars.get(j) == Some(&'/') && chars.get(j + 1) == Some(&'T') {
            j += 2;
        }
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        chars.get(j).is_some_and(char::is_ascii_digit)
    })
}

const ZH_NUMERALS: &str = "0123456789.零〇一二三四五六七八九十百千";
const ZH_UNITS: [&str; 8] = ["条", "款", "项", "章", "节", "段", "部分", "篇"];

/// 第 + numerals + a unit, 表 + a number, or 附录 + a letter or number.
fn has_locator_zh(zh: &str) -> bool {
    let chars: Vec<char> = zh.chars().collect();
    (0..chars.len()).any(|i| {
        let rest: String = chars[i..].iter().collect();
        let next = chars.get(i + 1).copied();
        if let Some(numbered) = rest.strip_prefix('第') {
            let digits: String = numbered
                .chars()
                .take_while(|d| ZH_NUMERALS.contains(*d))
                .collect();
            !digits.is_empty()
                && ZH_UNITS
                    .iter()
                    .any(|unit| numbered[digits.len()..].starts_with(unit))
        } else if rest.starts_with('表') {
            next.is_some_and(|d| d.is_ascii_digit() || "一二三四五六七八九十".contains(d))
        } else if rest.starts_with("附录") {
            chars
                .get(i + 2)
                .is_some_and(|d| d.is_ascii_uppercase() || d.is_ascii_digit())
        } else {
            false
        }
    })
}

const EN_WORDS: [&str; 8] = [
    "Article",
    "Clause",
    "Paragraph",
    "Table",
    "Section",
    "Chapter",
    "Part",
    "Annex",
];

/// One of [`EN_WORDS`] (or its plural) then a number: digits, a Roman
/// numeral or a capital letter (`Annex A`, `Table A.1`).
fn has_locator_en(en: &str) -> bool {
    let words: Vec<&str> = en
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).any(|pair| {
        let word = pair[0];
        let word = word.strip_suffix('s').unwrap_or(word);
        EN_WORDS.contains(&word) && is_number(pair[1])
    })
}

fn is_number(token: &str) -> bool {
    let token = token.trim_end_matches(|c: char| ".,;:)".contains(c));
    let Some(first) = token.chars().next() else {
        return false;
    };
    if first.is_ascii_digit() {
        return true;
    }
    if token.chars().all(|c| "IVXLC".contains(c)) {
        return true;
    }
    // A capital letter alone or before a dot: Annex A, Table A.1.
    first.is_ascii_uppercase()
        && token[first.len_utf8()..]
            .chars()
            .all(|c| c == '.' || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(zh: &str, en: &str) -> Result<(), SourceProblem> {
        check_source(&LocalizedText::new(zh, en))
    }

    #[test]
    fn accepts_a_document_with_an_article_clause_table_or_section() {
        for (zh, en) in [
            (
                "《中华人民共和国环境保护法》（2014年修订）第十二条",
                "Environmental Protection Law (2014 revision), Article 12",
            ),
            (
                "《中华人民共和国环境保护法》第五十七条第二款",
                "Environmental Protection Law, Article 57, Paragraph 2",
            ),
            (
                "GB 3838-2002《地表水环境质量标准》表1",
                "GB 3838-2002, Table 1",
            ),
            ("GB 3096-2008 第5.1条", "GB 3096-2008, Clause 5.1"),
            ("GB/T 19095-2019 第4章", "GB/T 19095-2019, Chapter 4"),
            (
                "HJ 633-2012 表2",
                "HJ 633-2012, Table 2 (air quality index levels)",
            ),
            (
                "联合国大会第2994（XXVII）号决议《联合国人类环境会议》第1段",
                "UN General Assembly resolution 2994 (XXVII), Paragraph 1",
            ),
            ("《某办法》附录A", "Some rules, Annex A"),
            ("《某规范》第三部分", "Some code, Part III"),
            (
                "《某条例》第二十二条",
                "Some regulation, Articles 22 and 23",
            ),
        ] {
            assert_eq!(source(zh, en), Ok(()), "{zh} / {en}");
        }
    }

    #[test]
    fn refuses_a_source_without_a_document() {
        assert_eq!(
            source("生态环境部网站第3段", "Ministry website, Paragraph 3"),
            Err(SourceProblem::NoDocument)
        );
        assert_eq!(
            source(
                "联合国环境规划署：世界环境日",
                "UNEP: World Environment Day"
            ),
            Err(SourceProblem::NoDocument)
        );
    }

    #[test]
    fn refuses_a_source_without_a_place_in_the_document() {
        for zh in [
            "《中华人民共和国噪声污染防治法》（2022年施行）",
            "GB 3838-2002《地表水环境质量标准》",
            "《生活垃圾分类制度实施方案》（国办发〔2017〕26号）",
            "《关于设立浙江生态日的决议》第一批",
            "《某法》第十四届",
            "《某法》表格",
        ] {
            assert_eq!(
                source(zh, "Article 1"),
                Err(SourceProblem::NoLocatorZh),
                "{zh}"
            );
        }
        for en in [
            "Noise Pollution Law (2022)",
            "part of the law",
            "Table of contents",
            "Article",
            "Section one",
        ] {
            assert_eq!(
                source("《某法》第一条", en),
                Err(SourceProblem::NoLocatorEn),
                "{en}"
            );
        }
    }

    #[test]
    fn problems_name_what_is_missing() {
        assert!(SourceProblem::NoLocatorZh.to_string().contains("第…条"));
        assert!(SourceProblem::NoLocatorEn.to_string().contains("Article"));
        assert!(SourceProblem::NoDocument.to_string().contains("《》"));
    }
}
