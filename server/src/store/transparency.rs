//! What the public transparency figures are computed from: every complete
//! case's category and timeline.

use protocol::report::{Category, UnixMillis};
use protocol::sync::{CaseEventKind, TimelineEvent};
use sqlx::Row;

use super::error::StoreError;
use super::handle::Store;

/// One complete case as the transparency figures see it: no case number,
/// no content, no contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseHistory {
    pub category: Category,
    /// Oldest first; the first one is `received`.
    pub events: Vec<TimelineEvent>,
}

impl Store {
    /// Every complete case, with its category and timeline. A report still
    /// missing a medium (`complete = 0`) has no timeline and is not here.
    pub async fn case_histories(&self) -> Result<Vec<CaseHistory>, StoreError> {
        let sql = format!(
            "SELECT r.report_id, {} AS category, e.at, e.kind \
             FROM reports r JOIN case_events e ON e.report_id = r.report_id \
             WHERE r.complete = 1 ORDER BY r.report_id, e.id",
            self.backend.body_category()
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let mut cases: Vec<CaseHistory> = Vec::new();
        let mut current: Option<String> = None;
        for row in rows {
            let report_id: String = row.try_get("report_id")?;
            let kind: String = row.try_get("kind")?;
            let kind: CaseEventKind = serde_json::from_str(&kind)
                .map_err(|error| StoreError::Corrupt(format!("case event: {error}")))?;
            let event = TimelineEvent {
                at: UnixMillis(row.try_get("at")?),
                kind,
            };
            if current.as_deref() != Some(report_id.as_str()) {
                let category: String = row.try_get("category")?;
                let category = Category::parse(&category)
                    .map_err(|_| StoreError::Corrupt(format!("category of {report_id}")))?;
                cases.push(CaseHistory {
                    category,
                    events: Vec::new(),
                });
                current = Some(report_id);
            }
            if let Some(case) = cases.last_mut() {
                case.events.push(event);
            }
        }
        Ok(cases)
    }
}
