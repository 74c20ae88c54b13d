//! What the public sees of cases: the only place the store reads a case for
//! anything public (Open311 `GET requests`, the transparency figures, the
//! nearby list). Each complete case is read whole into a
//! `protocol::public::CaseRecord` and leaves this module only as
//! `PublicCase::of(&record)`, protocol's one rule of what may be shown.

use std::collections::HashMap;

use protocol::public::{CaseRecord, PublicCase, PublicSummary};
use protocol::report::{Category, UnixMillis};
use protocol::sync::{CaseEventKind, CaseNumber, CreateReport, Timeline, TimelineEvent};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};

use super::case_ops::{case_number, load_timeline, SUPPORTERS_OF_R};
use super::error::StoreError;
use super::handle::Store;

/// The columns of one case's record, `r` being its `reports` row.
fn record_columns() -> String {
    format!(
        "SELECT r.report_id, r.case_year, r.case_seq, r.body, r.created_at, r.public_summary, \
         o.media_url, {SUPPORTERS_OF_R} AS supporters \
         FROM reports r LEFT JOIN open311_requests o ON o.report_id = r.report_id"
    )
}

/// Which complete cases a public read wants (beside `r.complete = 1`).
enum Which {
    /// Every one (the transparency figures).
    All,
    /// First received (`created_at`) in `[start, end]`, newest first.
    Between(UnixMillis, UnixMillis),
    /// Of `category`, first received at or after `since`.
    CategorySince(String, UnixMillis),
}

impl Which {
    /// `sql` (whose condition is this one's) with this one's values bound.
    fn bind<'q>(&self, sql: &'q str) -> Query<'q, Any, AnyArguments<'q>> {
        let query = sqlx::query(sql);
        match self {
            Which::All => query,
            Which::Between(start, end) => query.bind(start.0).bind(end.0),
            Which::CategorySince(category, since) => query.bind(category.clone()).bind(since.0),
        }
    }
}

impl Store {
    /// The public form of the complete cases among `numbers`, in the order
    /// asked, unknown ones left out.
    pub async fn public_cases(
        &self,
        numbers: &[CaseNumber],
    ) -> Result<Vec<PublicCase>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let sql = format!(
            "{} WHERE r.case_year = $1 AND r.case_seq = $2 AND r.complete = 1",
            record_columns()
        );
        let mut cases = Vec::with_capacity(numbers.len());
        for number in numbers {
            let row = sqlx::query(&sql)
                .bind(i64::from(number.year()))
                .bind(i64::from(number.sequence()))
                .fetch_optional(&mut *conn)
                .await?;
            if let Some(row) = row {
                let report_id: String = row.try_get("report_id")?;
                let number = case_number(row.try_get("case_year")?, row.try_get("case_seq")?)?;
                let timeline = load_timeline(&mut conn, &report_id, number).await?;
                cases.push(PublicCase::of(&record(&row, timeline)?));
            }
        }
        Ok(cases)
    }

    /// The public form of every complete case first received between
    /// `start` and `end` (inclusive), newest first.
    pub async fn public_cases_between(
        &self,
        start: UnixMillis,
        end: UnixMillis,
    ) -> Result<Vec<PublicCase>, StoreError> {
        self.read_public(Which::Between(start, end)).await
    }

    /// The public form of every complete case.
    pub async fn all_public_cases(&self) -> Result<Vec<PublicCase>, StoreError> {
        self.read_public(Which::All).await
    }

    /// The public form of every complete case of `category` first received
    /// at or after `since`: the candidates of the nearby list.
    pub async fn public_cases_of(
        &self,
        category: Category,
        since: UnixMillis,
    ) -> Result<Vec<PublicCase>, StoreError> {
        self.read_public(Which::CategorySince(category.code().to_owned(), since))
            .await
    }

    /// Two queries whatever the number of cases: their rows, then all
    /// their events.
    async fn read_public(&self, which: Which) -> Result<Vec<PublicCase>, StoreError> {
        let (condition, order) = match &which {
            Which::All => (String::new(), "r.case_year, r.case_seq"),
            Which::Between(..) => (
                " AND r.created_at >= $1 AND r.created_at <= $2".to_owned(),
                "r.created_at DESC, r.case_year DESC, r.case_seq DESC",
            ),
            Which::CategorySince(..) => (
                format!(
                    " AND {} = $1 AND r.created_at >= $2",
                    self.backend.body_category()
                ),
                "r.created_at DESC, r.case_year DESC, r.case_seq DESC",
            ),
        };
        let cases_sql = format!(
            "{} WHERE r.complete = 1{condition} ORDER BY {order}",
            record_columns()
        );
        let events_sql = format!(
            "SELECT e.report_id, e.at, e.kind FROM case_events e \
             JOIN reports r ON r.report_id = e.report_id \
             WHERE r.complete = 1{condition} ORDER BY e.report_id, e.id"
        );
        let mut conn = self.pool.acquire().await?;
        let rows = which.bind(&cases_sql).fetch_all(&mut *conn).await?;
        let event_rows = which.bind(&events_sql).fetch_all(&mut *conn).await?;
        let mut events: HashMap<String, Vec<TimelineEvent>> = HashMap::new();
        for row in event_rows {
            let kind: String = row.try_get("kind")?;
            let kind: CaseEventKind = serde_json::from_str(&kind)
                .map_err(|error| StoreError::Corrupt(format!("case event: {error}")))?;
            events
                .entry(row.try_get("report_id")?)
                .or_default()
                .push(TimelineEvent {
                    at: UnixMillis(row.try_get("at")?),
                    kind,
                });
        }
        let mut cases = Vec::with_capacity(rows.len());
        for row in &rows {
            let report_id: String = row.try_get("report_id")?;
            let number = case_number(row.try_get("case_year")?, row.try_get("case_seq")?)?;
            let timeline = Timeline::new(number, events.remove(&report_id).unwrap_or_default())
                .map_err(|error| StoreError::Corrupt(format!("timeline of {number}: {error}")))?;
            cases.push(PublicCase::of(&record(row, timeline)?));
        }
        Ok(cases)
    }
}

/// The whole record of the case in `row` (of [`record_columns`]).
fn record(row: &AnyRow, timeline: Timeline) -> Result<CaseRecord, StoreError> {
    let number = timeline.case_number();
    let body: String = row.try_get("body")?;
    let report: CreateReport = serde_json::from_str(&body)
        .map_err(|error| StoreError::Corrupt(format!("body of {number}: {error}")))?;
    let summary: Option<String> = row.try_get("public_summary")?;
    let public_summary = summary
        .map(|text| PublicSummary::parse(&text))
        .transpose()
        .map_err(|error| StoreError::Corrupt(format!("public summary of {number}: {error}")))?;
    let supporters: i64 = row.try_get("supporters")?;
    Ok(CaseRecord {
        report,
        timeline,
        requested_at: UnixMillis(row.try_get("created_at")?),
        media_url: row.try_get("media_url")?,
        public_summary,
        supporters: u32::try_from(supporters).unwrap_or(u32::MAX),
    })
}
