//! Meeting agreements in SQLite: one row each (its current status) and its history of changes, written in the
//! same transaction as their audit rows.

use rusqlite::{OptionalExtension, params};
use shared::agreement::{Agreement, AgreementInput, Change, Status, StatusChange};

use super::{Store, StoreError, audit_in, now_rfc3339, random_hex};

const COLUMNS: &str = "agreement_id, agenda_id, slide, view_url, snapshot_id, text, institution, due, intervention, \
                       status, reason, created_by, created_at";

impl Store {
    /// Records an agreement (checked by the caller), pending, with its first change and its audit row.
    pub fn add_agreement(&self, input: &AgreementInput, actor: &str, from: &str) -> Result<Agreement, StoreError> {
        let id = random_hex(8)?;
        let now = now_rfc3339();
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            &format!("INSERT INTO agreements ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', '', ?10, ?11)"),
            params![
                id,
                input.agenda_id,
                i64::try_from(input.slide).unwrap_or(i64::MAX),
                input.view_url,
                input.snapshot_id,
                input.text.trim(),
                input.institution.trim(),
                input.due.trim(),
                input.intervention.trim(),
                actor,
                now
            ],
        )?;
        tx.execute(
            "INSERT INTO agreement_changes (agreement_id, at, by, status, reason) VALUES (?1, ?2, ?3, 'pending', '')",
            params![id, now, actor],
        )?;
        audit_in(&tx, actor, "agreement.create", &id, input.text.trim(), from)?;
        tx.commit()?;
        drop(db);
        self.agreement(&id)?.ok_or(StoreError::NotFound)
    }

    /// Changes an agreement's status, keeping the change and its audit row.
    pub fn change_agreement(
        &self,
        id: &str,
        change: &StatusChange,
        actor: &str,
        from: &str,
    ) -> Result<Agreement, StoreError> {
        let now = now_rfc3339();
        let reason = change.reason.trim();
        let mut db = self.db();
        let tx = db.transaction()?;
        let n = tx.execute(
            "UPDATE agreements SET status = ?2, reason = ?3 WHERE agreement_id = ?1",
            params![id, change.status.code(), reason],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.execute(
            "INSERT INTO agreement_changes (agreement_id, at, by, status, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, now, actor, change.status.code(), reason],
        )?;
        let detail = if reason.is_empty() {
            change.status.code().to_owned()
        } else {
            format!("{}: {reason}", change.status.code())
        };
        audit_in(&tx, actor, "agreement.status", id, &detail, from)?;
        tx.commit()?;
        drop(db);
        self.agreement(id)?.ok_or(StoreError::NotFound)
    }

    pub fn agreement(&self, id: &str) -> Result<Option<Agreement>, StoreError> {
        Ok(self.agreements_where("agreement_id = ?1", id)?.pop())
    }

    /// Every agreement, or an agenda's, oldest first, each with its history.
    pub fn agreements(&self, agenda: Option<&str>) -> Result<Vec<Agreement>, StoreError> {
        match agenda {
            Some(agenda) => self.agreements_where("agenda_id = ?1", agenda),
            None => self.agreements_where("?1 = ?1", ""),
        }
    }

    /// The agreements taken on a snapshot in meetings whose agenda shows them with its frozen links.
    pub fn public_agreements(&self, snapshot_id: &str) -> Result<Vec<Agreement>, StoreError> {
        self.agreements_where(
            "snapshot_id = ?1 AND agenda_id IN (SELECT agenda_id FROM agendas WHERE public_agreements = 1)",
            snapshot_id,
        )
    }

    fn agreements_where(&self, filter: &str, value: &str) -> Result<Vec<Agreement>, StoreError> {
        let db = self.db();
        let mut stmt =
            db.prepare(&format!("SELECT {COLUMNS} FROM agreements WHERE {filter} ORDER BY created_at, rowid"))?;
        let mut list = stmt
            .query_map([value], |r| {
                let status: String = r.get(9)?;
                Ok(Agreement {
                    id: r.get(0)?,
                    taken: AgreementInput {
                        agenda_id: r.get(1)?,
                        slide: usize::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                        view_url: r.get(3)?,
                        snapshot_id: r.get(4)?,
                        text: r.get(5)?,
                        institution: r.get(6)?,
                        due: r.get(7)?,
                        intervention: r.get(8)?,
                    },
                    status: Status::from_code(&status).unwrap_or(Status::Pending),
                    reason: r.get(10)?,
                    created_by: r.get(11)?,
                    created_at: r.get(12)?,
                    history: Vec::new(),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut changes = db.prepare(
            "SELECT at, by, status, reason FROM agreement_changes WHERE agreement_id = ?1 ORDER BY change_id",
        )?;
        for a in &mut list {
            a.history = changes
                .query_map([&a.id], |r| {
                    let status: String = r.get(2)?;
                    Ok(Change {
                        at: r.get(0)?,
                        by: r.get(1)?,
                        status: Status::from_code(&status).unwrap_or(Status::Pending),
                        reason: r.get(3)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
        }
        Ok(list)
    }

    /// Whether an agenda exists (an agreement is taken on one).
    pub fn agenda_exists(&self, id: &str) -> Result<bool, StoreError> {
        let db = self.db();
        Ok(db.query_row("SELECT 1 FROM agendas WHERE agenda_id = ?1", [id], |_| Ok(())).optional()?.is_some())
    }
}
