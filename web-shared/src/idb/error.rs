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
    /// IndexedDB is not available (private mode in some browsers, or blocked).
    Unavailable(String),
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
            StorageError::Blocked => LocalizedText::new(
                "本应用在另一个页面中正在更新。请关闭本应用的其他页面后重试。",
                "The app is updating in another tab. Close the app's other tabs and try again.",
            ),
            StorageError::NotFound => LocalizedText::new("找不到这条记录。", "This record was not found."),
            StorageError::NotEditable(_) => LocalizedText::new(
                "这条举报已提交，不能再修改。",
                "This report has already been queued and can no longer be changed.",
            ),
            StorageError::Unreadable(record) => LocalizedText::new(
                format!("有一条已保存的记录无法读取（{}），它仍保留在本机。", record.error),
                format!("A saved record could not be read ({}); it is still kept on the device.", record.error),
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
            StorageError::Unavailable(detail) | StorageError::Browser(detail) => Some(detail),
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

impl From<indexed_db_futures::error::Error> for StorageError {
    fn from(error: indexed_db_futures::error::Error) -> Self {
        use indexed_db_futures::error::{DomException, Error};
        match &error {
            Error::DomException(exception) => {
                let sys: &web_sys::DomException = match exception {
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
                };
                if sys.name() == "QuotaExceededError" {
                    StorageError::QuotaExceeded
                } else {
                    StorageError::Browser(format!("{}: {}", sys.name(), sys.message()))
                }
            }
            other => StorageError::Browser(other.to_string()),
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StorageError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> Self {
        use indexed_db_futures::error::OpenDbError;
        match error {
            OpenDbError::Base(base) => base.into(),
            other => StorageError::Unavailable(other.to_string()),
        }
    }
}
