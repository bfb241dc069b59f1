//! Meeting agreements: one row each (its current status) and its history of changes, written in the same
//! transaction as their audit rows.

use shared::agreement::{Agreement, AgreementInput, Change, Status, StatusChange};

use super::sql::{Row, p};
use super::{Store, StoreError, audit_in, now_rfc3339, random_hex};

const COLUMNS: &str = "agreement_id, agenda_id, slide, view_url, snapshot_id, text, institution, due, intervention, \
                       status, reason, created_by, created_at";

impl Store {
    /// Records an agreement (checked by the caller), pending, with its first change and its audit row.
    pub fn add_agreement(&self, input: &AgreementInput, actor: &str, from: &str) -> Result<Agreement, StoreError> {
        let id = random_hex(8)?;
        let now = now_rfc3339();
        self.tx(true, |tx| {
            tx.exec(
                &format!("INSERT INTO agreements ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', '', ?10, ?11)"),
                p![
                    &id,
                    &input.agenda_id,
                    i64::try_from(input.slide).unwrap_or(i64::MAX),
                    &input.view_url,
                    &input.snapshot_id,
                    input.text.trim(),
                    input.institution.trim(),
                    input.due.trim(),
                    input.intervention.trim(),
                    actor,
                    &now
                ],
            )?;
            tx.exec(
                "INSERT INTO agreement_changes (agreement_id, at, by, status, reason) VALUES (?1, ?2, ?3, 'pending', '')",
                p![&id, &now, actor],
            )?;
            audit_in(tx, actor, "agreement.create", &id, input.text.trim(), from)
        })?;
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
        self.tx(true, |tx| {
            let n = tx.exec(
                "UPDATE agreements SET status = ?2, reason = ?3 WHERE agreement_id = ?1",
                p![id, change.status.code(), reason],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            tx.exec(
                "INSERT INTO agreement_changes (agreement_id, at, by, status, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                p![id, &now, actor, change.status.code(), reason],
            )?;
            let detail = if reason.is_empty() {
                change.status.code().to_owned()
            } else {
                format!("{}: {reason}", change.status.code())
            };
            audit_in(tx, actor, "agreement.status", id, &detail, from)
        })?;
        self.agreement(id)?.ok_or(StoreError::NotFound)
    }

    pub fn agreement(&self, id: &str) -> Result<Option<Agreement>, StoreError> {
        Ok(self.agreements_where("agreement_id = ?1", id)?.pop())
    }

    /// Every agreement, or an agenda's, oldest first, each with its history.
    pub fn agreements(&self, agenda: Option<&str>) -> Result<Vec<Agreement>, StoreError> {
        match agenda {
            Some(agenda) => self.agreements_where("agenda_id = ?1", agenda),
            None => self.agreements_where("?1 = ''", ""),
        }
    }

    /// The agreements taken on a snapshot in meetings whose agenda shows them with its frozen links.
    pub fn public_agreements(&self, snapshot_id: &str) -> Result<Vec<Agreement>, StoreError> {
        self.agreements_where(
            "snapshot_id = ?1 AND agenda_id IN (SELECT agenda_id FROM agendas WHERE public_agreements = TRUE)",
            snapshot_id,
        )
    }

    fn agreements_where(&self, filter: &str, value: &str) -> Result<Vec<Agreement>, StoreError> {
        self.run(|s| {
            let rows =
                s.rows(&format!("SELECT {COLUMNS} FROM agreements WHERE {filter} ORDER BY created_at, rowid"), p![value])?;
            let mut list = rows.iter().map(agreement_row).collect::<Result<Vec<_>, _>>()?;
            for a in &mut list {
                a.history = s
                    .rows(
                        "SELECT at, by, status, reason FROM agreement_changes WHERE agreement_id = ?1 ORDER BY change_id",
                        p![&a.id],
                    )?
                    .iter()
                    .map(|r| {
                        Ok(Change {
                            at: r.text(0)?,
                            by: r.text(1)?,
                            status: Status::from_code(&r.text(2)?).unwrap_or(Status::Pending),
                            reason: r.text(3)?,
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
            }
            Ok(list)
        })
    }

    /// Whether an agenda exists (an agreement is taken on one).
    pub fn agenda_exists(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.run(|s| s.row("SELECT 1 FROM agendas WHERE agenda_id = ?1", p![id]))?.is_some())
    }
}

fn agreement_row(r: &Row) -> Result<Agreement, StoreError> {
    Ok(Agreement {
        id: r.text(0)?,
        taken: AgreementInput {
            agenda_id: r.text(1)?,
            slide: usize::try_from(r.int(2)?).unwrap_or(0),
            view_url: r.text(3)?,
            snapshot_id: r.text(4)?,
            text: r.text(5)?,
            institution: r.text(6)?,
            due: r.text(7)?,
            intervention: r.text(8)?,
        },
        status: Status::from_code(&r.text(9)?).unwrap_or(Status::Pending),
        reason: r.text(10)?,
        created_by: r.text(11)?,
        created_at: r.text(12)?,
        history: Vec::new(),
    })
}
