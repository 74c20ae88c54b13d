//! What can go wrong with the outbox, in words a person can act on.

use protocol::report::ReportState;
use protocol::LocalizedText;

use super::UnreadableRecord;

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
    pub fn message(&self) -> LocalizedText {
        match self {
            StorageError::QuotaExceeded => LocalizedText::new(
                "手机存储空间不足，本次内容未能保存。已保存的举报都还在。请删除一些照片或不需要的草稿后重试。",
                "The phone is out of storage space, so this was not saved. Everything saved before is still there. Remove some photos or old drafts and try again.",
            ),
            StorageError::Unavailable(detail) => LocalizedText::new(
                format!("此浏览器无法在本机保存举报（{detail}）。请关闭无痕模式后重试。"),
                format!("This browser cannot keep reports on the device ({detail}). Leave private browsing and try again."),
            ),
            StorageError::Blocked => LocalizedText::new(
                "请关闭本应用的其他页面后重试。",
                "Close the app's other tabs and try again.",
            ),
            StorageError::NotFound => LocalizedText::new("找不到这条举报。", "This report was not found."),
            StorageError::NotEditable(_) => LocalizedText::new(
                "这条举报已提交，不能再修改。",
                "This report has already been queued and can no longer be changed.",
            ),
            StorageError::Unreadable(record) => LocalizedText::new(
                format!("有一条已保存的记录无法读取（{}），它仍保留在本机。", record.error),
                format!("A saved record could not be read ({}); it is still kept on the device.", record.error),
            ),
            StorageError::Browser(detail) => LocalizedText::new(
                format!("保存时出错：{detail}"),
                format!("Saving failed: {detail}"),
            ),
        }
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
