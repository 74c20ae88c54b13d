//! What can go wrong with the device's storage, in words a person can act
//! on: a message never shows the browser's own exception text (that stays
//! in [`StorageError::detail`], for logs and tests).

use protocol::report::ReportState;
use protocol::LocalizedText;

/// A stored record this version cannot read: its key (when it has one) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadableRecord {
    pub key: Option<String>,
    pub error: String,
}

#[derive(Debug)]
pub enum StorageError {
    /// The device is out of space for this site: nothing was written.
    QuotaExceeded,
    /// IndexedDB is not available (private mode in some browsers, or
    /// blocked): the database could not be opened.
    Unavailable(String),
    /// The database was written by a newer version of the app
    /// (`VersionError` on open): this page is an old build.
    Outdated(String),
    /// The browser refused to write this value (`UnknownError`,
    /// `DataCloneError`: a disk error, or what a private session will not
    /// keep). Nothing was written.
    Refused(String),
    /// The connection to the database went away under the page
    /// (`InvalidStateError`, `TransactionInactiveError`: the browser closed
    /// it, or its data was being cleared). Nothing was written.
    Closed(String),
    /// A newer version of the app holds the database open in another tab.
    Blocked,
    NotFound,
    NotEditable(ReportState),
    Unreadable(UnreadableRecord),
    /// Anything else the browser reported.
    Browser(String),
}

impl StorageError {
    /// What happened and what to do, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            StorageError::QuotaExceeded => LocalizedText::new(
                "手机存储空间不足，本次内容未能保存。已保存的举报都还在。请删除一些照片或不需要的草稿后重试。",
                "The phone is out of storage space, so this was not saved. Everything saved before is still there. Remove some photos or old drafts and try again.",
            ),
            StorageError::Unavailable(_) => LocalizedText::new(
                "此浏览器现在无法在本机保存内容（无痕模式或存储被关闭时会这样）。页面上填写的内容还在，请不要关闭页面；请换用普通模式或其他浏览器后再试。",
                "This browser cannot keep anything on the device right now (private browsing or blocked storage does this). What you typed is still on screen: keep the page open, and try again in a normal window or another browser.",
            ),
            StorageError::Outdated(_) => LocalizedText::new(
                "本机保存的内容来自本应用的新版本，这个页面还是旧版本。请刷新页面以更新本应用，已保存的内容不会丢失。",
                "What is saved on this device comes from a newer version of the app; this page is an older one. Reload the page to update the app: nothing saved will be lost.",
            ),
            StorageError::Refused(_) => LocalizedText::new(
                "浏览器拒绝在本机保存这项内容，本次内容未能保存。已保存的内容都还在，页面上填写的内容也还在。无痕模式或存储出错时会这样：请换用普通模式，或稍后重试。",
                "The browser refused to keep this on the device, so it was not saved. Everything saved before is still there, and so is what is on screen. Private browsing or a storage fault does this: use a normal window, or try again in a moment.",
            ),
            StorageError::Closed(_) => LocalizedText::new(
                "与本机存储的连接中断了，本次内容未能保存。已保存的内容都还在，页面上填写的内容也还在。请稍后重试；如果一直不行，请先复制描述，再重新打开本应用。",
                "The connection to the device's storage was lost, so this was not saved. Everything saved before is still there, and so is what is on screen. Try again in a moment; if it keeps failing, copy your description, then close and reopen the app.",
            ),
            StorageError::Blocked => LocalizedText::new(
                "本应用在另一个页面中正在更新。请关闭本应用的其他页面后重试。",
                "The app is updating in another tab. Close the app's other tabs and try again.",
            ),
            StorageError::NotFound => LocalizedText::new("找不到这条记录。", "This record was not found."),
            StorageError::NotEditable(_) => LocalizedText::new(
                "这条举报已提交，不能再修改。",
                "This report has already been queued and can no longer be changed.",
            ),
            StorageError::Unreadable(_) => LocalizedText::new(
                "有一条已保存的记录本版本无法读取，它仍保留在本机，没有被删除。更新本应用后也许就能读取。",
                "A saved record cannot be read by this version of the app; it is still kept on the device, not deleted. An update of the app may read it.",
            ),
            StorageError::Browser(_) => LocalizedText::new(
                "浏览器这次没有完成保存，本次内容未能保存。已保存的内容都还在。请稍后重试；如果一直不行，请重新打开本应用。",
                "The browser did not finish saving, so this was not saved. Everything saved before is still there. Try again in a moment; if it keeps failing, close and reopen the app.",
            ),
        }
    }

    /// The browser's own words, for logs and tests (never shown as the message).
    pub fn detail(&self) -> Option<&str> {
        match self {
            StorageError::Unavailable(detail)
            | StorageError::Outdated(detail)
            | StorageError::Refused(detail)
            | StorageError::Closed(detail)
            | StorageError::Browser(detail) => Some(detail),
            StorageError::Unreadable(record) => Some(&record.error),
            _ => None,
        }
    }

    /// Whether trying again later may succeed. Only a record that truly
    /// cannot be read (or is gone, or may not change) is a verdict; a full
    /// disk, a closed connection or a busy database are not.
    pub fn is_transient(&self) -> bool {
        !matches!(
            self,
            StorageError::NotFound | StorageError::NotEditable(_) | StorageError::Unreadable(_)
        )
    }
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for StorageError {}

impl StorageError {
    /// The error for a `DOMException` of `name` (its text kept as `detail`)
    /// met while reading or writing.
    pub fn from_exception(name: &str, detail: String) -> Self {
        match name {
            "QuotaExceededError" => StorageError::QuotaExceeded,
            "UnknownError" | "DataCloneError" => StorageError::Refused(detail),
            "InvalidStateError" | "TransactionInactiveError" => StorageError::Closed(detail),
            "VersionError" => StorageError::Outdated(detail),
            _ => StorageError::Browser(detail),
        }
    }

    /// The error for a `DOMException` of `name` met while opening the
    /// database: whatever it is (but a full disk or a newer version), the
    /// store cannot be used now.
    pub fn from_open_exception(name: &str, detail: String) -> Self {
        match name {
            "QuotaExceededError" => StorageError::QuotaExceeded,
            "VersionError" => StorageError::Outdated(detail),
            _ => StorageError::Unavailable(detail),
        }
    }
}

/// The `DOMException` inside an IndexedDB error, if it is one.
fn exception(error: &indexed_db_futures::error::Error) -> Option<&web_sys::DomException> {
    use indexed_db_futures::error::{DomException, Error};
    let Error::DomException(exception) = error else {
        return None;
    };
    Some(match exception {
        DomException::InvalidStateError(e)
        | DomException::TransactionInactiveError(e)
        | DomException::NotFoundError(e)
        | DomException::ConstraintError(e)
        | DomException::InvalidAccessError(e)
        | DomException::DataError(e)
        | DomException::AbortError(e)
        | DomException::ReadOnlyError(e)
        | DomException::DataCloneError(e)
        | DomException::SyntaxError(e)
        | DomException::Other(e) => e,
    })
}

impl From<indexed_db_futures::error::Error> for StorageError {
    fn from(error: indexed_db_futures::error::Error) -> Self {
        match exception(&error) {
            Some(sys) => StorageError::from_exception(
                &sys.name(),
                format!("{}: {}", sys.name(), sys.message()),
            ),
            None => StorageError::Browser(error.to_string()),
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StorageError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> Self {
        use indexed_db_futures::error::OpenDbError;
        match error {
            OpenDbError::Base(base) => match exception(&base) {
                Some(sys) => StorageError::from_open_exception(
                    &sys.name(),
                    format!("{}: {}", sys.name(), sys.message()),
                ),
                None => StorageError::Unavailable(base.to_string()),
            },
            other => StorageError::Unavailable(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = "UnknownError: Error preparing Blob/File data to be stored in object store";

    #[test]
    fn each_exception_a_person_can_meet_has_its_own_sentence() {
        let cases = [
            ("QuotaExceededError", "存储空间不足"),
            ("UnknownError", "浏览器拒绝"),
            ("DataCloneError", "浏览器拒绝"),
            ("InvalidStateError", "连接中断"),
            ("TransactionInactiveError", "连接中断"),
            ("VersionError", "新版本"),
            ("AbortError", "没有完成保存"),
        ];
        for (name, words) in cases {
            let message = StorageError::from_exception(name, RAW.into()).message();
            assert!(message.zh_cn.contains(words), "{name}: {}", message.zh_cn);
        }
    }

    #[test]
    fn an_open_failure_says_the_store_cannot_be_used() {
        for name in ["UnknownError", "InvalidStateError", "SecurityError"] {
            assert!(matches!(
                StorageError::from_open_exception(name, RAW.into()),
                StorageError::Unavailable(_)
            ));
        }
        assert!(matches!(
            StorageError::from_open_exception("VersionError", RAW.into()),
            StorageError::Outdated(_)
        ));
        assert!(matches!(
            StorageError::from_open_exception("QuotaExceededError", RAW.into()),
            StorageError::QuotaExceeded
        ));
    }

    #[test]
    fn no_message_shows_the_browser_s_words_and_every_one_is_in_both_languages() {
        let errors = [
            StorageError::QuotaExceeded,
            StorageError::Unavailable(RAW.into()),
            StorageError::Outdated(RAW.into()),
            StorageError::Refused(RAW.into()),
            StorageError::Closed(RAW.into()),
            StorageError::Blocked,
            StorageError::NotFound,
            StorageError::NotEditable(ReportState::Queued),
            StorageError::Unreadable(UnreadableRecord {
                key: Some("k".into()),
                error: RAW.into(),
            }),
            StorageError::Browser(RAW.into()),
        ];
        for error in errors {
            let message = error.message();
            for text in [&message.zh_cn, &message.en] {
                assert!(!text.contains("Error"), "{error:?}: {text}");
                assert!(!text.contains("Blob"), "{error:?}: {text}");
            }
            assert!(!message.zh_cn.is_empty() && !message.en.is_empty());
            assert_ne!(message.zh_cn, message.en);
        }
    }
}
