//! The roadmap (*hoja de ruta*) of a snapshot and what the roadmap view shows about it.
//!
//! [`Roadmap::from_batches`] is the one place the roadmap's canonical Arrow tables (`interventions`, `milestones`,
//! `budget_lines`, `risks`) become typed rows; afterwards nothing can fail. The tables are small (tens to hundreds
//! of rows), so plain structs are simpler than column views. The rules are DOMAIN.md §5's:
//! progress = weights of done milestones ÷ weights of milestones not cancelled; planned progress at a date =
//! weights of milestones planned by then ÷ the same total; the traffic light compares the two.
//!
//! A milestone keeps its baseline (`baseline_date`, the date first planned) beside its current plan
//! (`planned_date`): a replan moves the plan, never the baseline, so what a replan hides is measured from the
//! baseline: [`Milestone::baseline_delay`], [`Progress::baseline_pct`], [`Roadmap::replanned`],
//! [`Roadmap::past_baseline`]. The traffic light follows the current plan (what was agreed to do now) and the
//! screens show the baseline beside it.

use std::collections::{BTreeMap, HashMap};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};

use crate::Lang;
use crate::dashboard::Light;
use crate::date::Day;
use crate::tables::col;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RoadmapError {
    #[error("{table}: falta la columna «{column}» / missing column «{column}»")]
    MissingColumn { table: &'static str, column: &'static str },
    #[error("{table}: la columna «{column}» tiene tipo {found} / column «{column}» has type {found}")]
    WrongType { table: &'static str, column: &'static str, found: String },
    #[error("{table}, fila {row}: «{column}» está vacía o no es válida / row {row}: «{column}» is empty or invalid")]
    BadCell { table: &'static str, column: &'static str, row: usize },
}

/// Milestone statuses that count as done.
pub const DONE: [&str; 2] = ["cumplido", "cumplido_con_retraso"];
/// The milestone status left out of progress altogether.
pub const CANCELLED: &str = "cancelado";
/// The risk state that leaves a risk out of the probability × impact grid.
pub const CLOSED_RISK: &str = "cerrado";
/// How far ahead "upcoming" milestones look.
pub const UPCOMING_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct Intervention {
    pub id: String,
    pub name_es: String,
    pub name_en: Option<String>,
    pub strategy: String,
    /// The responsible institution.
    pub institution: String,
    pub co_institutions: Vec<String>,
    /// SI EMPLEO territories; empty means national.
    pub territories: Vec<String>,
    pub planned_start: Day,
    pub planned_end: Day,
    pub actual_start: Option<Day>,
    pub actual_end: Option<Day>,
    pub status: String,
    pub priority: i64,
    /// Linked indicator ids (the coverage view can be opened on them).
    pub indicators: Vec<String>,
}

impl Intervention {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.name_en.as_deref().filter(|s| !s.is_empty()).unwrap_or(&self.name_es),
            Lang::Es => &self.name_es,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub id: String,
    pub intervention_id: String,
    pub name_es: String,
    pub name_en: Option<String>,
    /// The current plan.
    pub planned: Day,
    /// The date first planned (the `planned` date when the table has none).
    pub baseline: Day,
    pub actual: Option<Day>,
    pub status: String,
    pub weight: f64,
}

impl Milestone {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.name_en.as_deref().filter(|s| !s.is_empty()).unwrap_or(&self.name_es),
            Lang::Es => &self.name_es,
        }
    }

    pub fn is_done(&self) -> bool {
        DONE.contains(&self.status.as_str())
    }

    pub fn is_cancelled(&self) -> bool {
        self.status == CANCELLED
    }

    /// Past its planned date (strictly before `at`) and neither done nor cancelled.
    pub fn is_overdue(&self, at: Day) -> bool {
        self.planned < at && !self.is_done() && !self.is_cancelled()
    }

    /// Moved from its baseline by a replan.
    pub fn is_replanned(&self) -> bool {
        self.planned != self.baseline
    }

    /// Days the current plan lies after the baseline (negative when brought forward).
    pub fn replanned_by(&self) -> i64 {
        self.planned.0 - self.baseline.0
    }

    /// Days after `reference` that the milestone was done or, not done, that it will be done at the earliest:
    /// its actual date when done (negative when early); otherwise the later of `at` and its current plan.
    /// `None` when cancelled, or done without an actual date.
    fn delay_from(&self, reference: Day, at: Day) -> Option<i64> {
        if self.is_cancelled() {
            return None;
        }
        let end = if self.is_done() { self.actual? } else { at.max(self.planned) };
        Some(end.0 - reference.0)
    }

    /// The delay measured from the baseline: a milestone replanned from March to June and done in June is 92
    /// days late here, on time by [`Self::plan_delay`].
    pub fn baseline_delay(&self, at: Day) -> Option<i64> {
        self.delay_from(self.baseline, at)
    }

    /// The delay measured from the current plan.
    pub fn plan_delay(&self, at: Day) -> Option<i64> {
        self.delay_from(self.planned, at)
    }

    /// Past its baseline (strictly before `at`) and neither done nor cancelled: overdue had it not been replanned.
    pub fn is_past_baseline(&self, at: Day) -> bool {
        self.baseline < at && !self.is_done() && !self.is_cancelled()
    }

    /// The line a replanned milestone shows beside its date: its baseline, its current plan and its delay from
    /// the baseline, and, when done, how it did against both ("Línea de base: 15/03/2026 · replanificado al
    /// 15/06/2026 · 92 días de desfase"). `None` when it was never replanned.
    pub fn baseline_note(&self, at: Day, lang: Lang) -> Option<String> {
        if !self.is_replanned() {
            return None;
        }
        // One format per part, words picked by language: this is shown in the wasm app.
        let w = |es: &'static str, en: &'static str| if lang == Lang::Es { es } else { en };
        let head = format!(
            "{} {} · {} {}",
            w("Línea de base:", "Baseline:"),
            self.baseline.display(),
            w("replanificado al", "replanned to"),
            self.planned.display()
        );
        let Some(days) = self.baseline_delay(at) else { return Some(head) };
        let from_baseline = if days >= 0 {
            w("días después de su línea de base", "days after its baseline")
        } else {
            w("días antes de su línea de base", "days before its baseline")
        };
        let slip = match self.actual.filter(|_| self.is_done()) {
            Some(a) => {
                let plan = if a <= self.planned {
                    w("a tiempo según el plan vigente", "on its current plan").to_owned()
                } else {
                    format!(
                        "{} {}",
                        a.0 - self.planned.0,
                        w("días después del plan vigente", "days after its current plan")
                    )
                };
                format!("{} {}, {} {from_baseline} · {plan}", w("cumplido el", "done on"), a.display(), days.abs())
            }
            None if days >= 0 => format!("{days} {}", w("días de desfase", "days of slippage")),
            None => format!("{} {from_baseline}", -days),
        };
        Some(format!("{head} · {slip}"))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BudgetLine {
    pub intervention_id: String,
    pub fiscal_year: i64,
    pub funding_source: String,
    pub approved_hnl: f64,
    pub current_hnl: f64,
    pub committed_hnl: f64,
    pub executed_hnl: f64,
}

impl BudgetLine {
    /// Executed ÷ current budget, in percent (`None` without a current budget).
    pub fn execution_pct(&self) -> Option<f64> {
        execution_pct(self.executed_hnl, self.current_hnl)
    }
}

fn execution_pct(executed_hnl: f64, current_hnl: f64) -> Option<f64> {
    (current_hnl > 0.0).then(|| 100.0 * executed_hnl / current_hnl)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub id: String,
    pub intervention_id: Option<String>,
    pub description_es: String,
    pub description_en: Option<String>,
    pub category: String,
    /// 1..5.
    pub probability: u8,
    /// 1..5.
    pub impact: u8,
    pub mitigation: String,
    pub owner: String,
    pub state: String,
}

impl Risk {
    pub fn description(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.description_en.as_deref().filter(|s| !s.is_empty()).unwrap_or(&self.description_es),
            Lang::Es => &self.description_es,
        }
    }

    pub fn score(&self) -> u8 {
        self.probability * self.impact
    }
}

/// A snapshot's roadmap.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Roadmap {
    pub interventions: Vec<Intervention>,
    pub milestones: Vec<Milestone>,
    pub budget: Vec<BudgetLine>,
    pub risks: Vec<Risk>,
}

/// Reads the columns of one canonical table, without panicking on unexpected types.
struct Columns<'a> {
    table: &'static str,
    batch: &'a RecordBatch,
}

impl Columns<'_> {
    fn array(&self, column: &'static str) -> Result<&ArrayRef, RoadmapError> {
        self.batch.column_by_name(column).ok_or(RoadmapError::MissingColumn { table: self.table, column })
    }

    fn wrong(&self, column: &'static str, array: &ArrayRef) -> RoadmapError {
        RoadmapError::WrongType { table: self.table, column, found: array.data_type().to_string() }
    }

    /// A text column (`Utf8`, or dictionary-encoded); a missing optional column is all `None`.
    fn text(&self, column: &'static str, required: bool) -> Result<Vec<Option<String>>, RoadmapError> {
        let Some(array) = self.batch.column_by_name(column) else {
            return if required {
                Err(RoadmapError::MissingColumn { table: self.table, column })
            } else {
                Ok(vec![None; self.batch.num_rows()])
            };
        };
        let cells: Vec<Option<String>> = if let Some(s) = array.as_string_opt::<i32>() {
            s.iter().map(|v| v.map(str::to_owned)).collect()
        } else if let Some(codes) = crate::ipc::dictionary_codes(array) {
            codes.into_iter().map(|c| c.map(str::to_owned)).collect()
        } else {
            return Err(self.wrong(column, array));
        };
        // An empty string means "no value" in files from spreadsheets.
        let cells: Vec<Option<String>> = cells.into_iter().map(|c| c.filter(|s| !s.trim().is_empty())).collect();
        if required && let Some(row) = cells.iter().position(Option::is_none) {
            return Err(RoadmapError::BadCell { table: self.table, column, row: row + 1 });
        }
        Ok(cells)
    }

    fn required(&self, column: &'static str) -> Result<Vec<String>, RoadmapError> {
        Ok(self.text(column, true)?.into_iter().map(Option::unwrap_or_default).collect())
    }

    fn list(&self, column: &'static str) -> Result<Vec<Vec<String>>, RoadmapError> {
        Ok(self
            .text(column, false)?
            .into_iter()
            .map(|c| {
                c.map(|s| s.split(';').map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect())
                    .unwrap_or_default()
            })
            .collect())
    }

    fn number(&self, column: &'static str) -> Result<Vec<f64>, RoadmapError> {
        let array = self.array(column)?;
        let cells: Vec<Option<f64>> = if let Some(a) = array.as_primitive_opt::<Float64Type>() {
            a.iter().collect()
        } else if let Some(a) = array.as_primitive_opt::<Int64Type>() {
            a.iter().map(|v| v.map(|v| v as f64)).collect()
        } else {
            return Err(self.wrong(column, array));
        };
        cells
            .into_iter()
            .enumerate()
            .map(|(row, v)| {
                v.filter(|x| x.is_finite()).ok_or(RoadmapError::BadCell { table: self.table, column, row: row + 1 })
            })
            .collect()
    }

    fn day(&self, column: &'static str, required: bool) -> Result<Vec<Option<Day>>, RoadmapError> {
        self.text(column, required)?
            .into_iter()
            .enumerate()
            .map(|(row, v)| match v {
                None => Ok(None),
                Some(s) => {
                    Day::parse(&s).map(Some).ok_or(RoadmapError::BadCell { table: self.table, column, row: row + 1 })
                }
            })
            .collect()
    }

    fn required_day(&self, column: &'static str) -> Result<Vec<Day>, RoadmapError> {
        Ok(self.day(column, true)?.into_iter().map(|d| d.unwrap_or(Day(0))).collect())
    }
}

fn interventions(batch: &RecordBatch) -> Result<Vec<Intervention>, RoadmapError> {
    let c = Columns { table: crate::tables::INTERVENTIONS.name, batch };
    let ids = c.required(col::INTERVENTION_ID)?;
    let (names_es, names_en) = (c.required(col::NAME_ES)?, c.text(col::NAME_EN, false)?);
    let (strategies, institutions) = (c.required(col::STRATEGY)?, c.required(col::INSTITUTION)?);
    let (co, territories, indicators) =
        (c.list(col::CO_INSTITUTIONS)?, c.list(col::TERRITORIES)?, c.list(col::INDICATORS)?);
    let (planned_start, planned_end) = (c.required_day(col::PLANNED_START)?, c.required_day(col::PLANNED_END)?);
    let (actual_start, actual_end) = (c.day(col::ACTUAL_START, false)?, c.day(col::ACTUAL_END, false)?);
    let (status, priority) = (c.required(col::STATUS)?, c.number(col::PRIORITY)?);
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.into_iter().enumerate() {
        out.push(Intervention {
            id,
            name_es: names_es[i].clone(),
            name_en: names_en[i].clone(),
            strategy: strategies[i].clone(),
            institution: institutions[i].clone(),
            co_institutions: co[i].clone(),
            territories: territories[i].clone(),
            planned_start: planned_start[i],
            planned_end: planned_end[i],
            actual_start: actual_start[i],
            actual_end: actual_end[i],
            status: status[i].clone(),
            priority: priority[i] as i64,
            indicators: indicators[i].clone(),
        });
    }
    Ok(out)
}

fn milestones(batch: &RecordBatch) -> Result<Vec<Milestone>, RoadmapError> {
    let c = Columns { table: crate::tables::MILESTONES.name, batch };
    let (ids, owners) = (c.required(col::MILESTONE_ID)?, c.required(col::INTERVENTION_ID)?);
    let (names_es, names_en) = (c.required(col::NAME_ES)?, c.text(col::NAME_EN, false)?);
    let (planned, actual) = (c.required_day(col::PLANNED_DATE)?, c.day(col::ACTUAL_DATE, false)?);
    // Snapshots from before the column read as they did: the baseline is the plan.
    let baseline = c.day(col::BASELINE_DATE, false)?;
    let (status, weight) = (c.required(col::STATUS)?, c.number(col::WEIGHT)?);
    Ok(ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| Milestone {
            id,
            intervention_id: owners[i].clone(),
            name_es: names_es[i].clone(),
            name_en: names_en[i].clone(),
            planned: planned[i],
            baseline: baseline[i].unwrap_or(planned[i]),
            actual: actual[i],
            status: status[i].clone(),
            weight: weight[i],
        })
        .collect())
}

fn budget(batch: &RecordBatch) -> Result<Vec<BudgetLine>, RoadmapError> {
    let c = Columns { table: crate::tables::BUDGET_LINES.name, batch };
    let (owners, years, sources) =
        (c.required(col::INTERVENTION_ID)?, c.number(col::FISCAL_YEAR)?, c.required(col::FUNDING_SOURCE)?);
    let (approved, current) = (c.number(col::APPROVED_HNL)?, c.number(col::CURRENT_HNL)?);
    let (committed, executed) = (c.number(col::COMMITTED_HNL)?, c.number(col::EXECUTED_HNL)?);
    Ok(owners
        .into_iter()
        .enumerate()
        .map(|(i, intervention_id)| BudgetLine {
            intervention_id,
            fiscal_year: years[i] as i64,
            funding_source: sources[i].clone(),
            approved_hnl: approved[i],
            current_hnl: current[i],
            committed_hnl: committed[i],
            executed_hnl: executed[i],
        })
        .collect())
}

fn risks(batch: &RecordBatch) -> Result<Vec<Risk>, RoadmapError> {
    let c = Columns { table: crate::tables::RISKS.name, batch };
    let (ids, owners) = (c.required(col::RISK_ID)?, c.text(col::INTERVENTION_ID, false)?);
    let (es, en) = (c.required(col::DESCRIPTION_ES)?, c.text(col::DESCRIPTION_EN, false)?);
    let (category, probability, impact) =
        (c.required(col::CATEGORY)?, c.number(col::PROBABILITY)?, c.number(col::IMPACT)?);
    let (mitigation, owner, state) = (c.required(col::MITIGATION)?, c.required(col::OWNER)?, c.required(col::STATE)?);
    let scale = |v: f64| v.round().clamp(1.0, 5.0) as u8;
    Ok(ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| Risk {
            id,
            intervention_id: owners[i].clone(),
            description_es: es[i].clone(),
            description_en: en[i].clone(),
            category: category[i].clone(),
            probability: scale(probability[i]),
            impact: scale(impact[i]),
            mitigation: mitigation[i].clone(),
            owner: owner[i].clone(),
            state: state[i].clone(),
        })
        .collect())
}

/// Actual and planned physical progress, in percent; `None` when there are no milestone weights to count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub actual_pct: Option<f64>,
    /// By the current plan.
    pub planned_pct: Option<f64>,
    /// By the baseline: what was planned by the date before any replan.
    pub baseline_pct: Option<f64>,
}

impl Progress {
    fn of<'a>(milestones: impl Iterator<Item = &'a Milestone>, at: Day) -> Self {
        let (mut total, mut done, mut planned, mut baseline) = (0.0, 0.0, 0.0, 0.0);
        for m in milestones.filter(|m| !m.is_cancelled()) {
            total += m.weight;
            if m.is_done() {
                done += m.weight;
            }
            if m.planned <= at {
                planned += m.weight;
            }
            if m.baseline <= at {
                baseline += m.weight;
            }
        }
        let pct = |x: f64| (total > 0.0).then(|| 100.0 * x / total);
        Self { actual_pct: pct(done), planned_pct: pct(planned), baseline_pct: pct(baseline) }
    }

    /// Percentage points behind plan (negative when ahead).
    pub fn points_behind(&self) -> Option<f64> {
        Some(self.planned_pct? - self.actual_pct?)
    }

    /// Percentage points behind the baseline (negative when ahead): the schedule variance no replan resets.
    pub fn points_behind_baseline(&self) -> Option<f64> {
        Some(self.baseline_pct? - self.actual_pct?)
    }
}

/// Money of a set of budget lines, in lempiras.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Money {
    pub approved_hnl: f64,
    pub current_hnl: f64,
    pub committed_hnl: f64,
    pub executed_hnl: f64,
}

impl Money {
    fn add(&mut self, b: &BudgetLine) {
        self.approved_hnl += b.approved_hnl;
        self.current_hnl += b.current_hnl;
        self.committed_hnl += b.committed_hnl;
        self.executed_hnl += b.executed_hnl;
    }

    /// Executed ÷ current budget, in percent (`None` without a current budget).
    pub fn execution_pct(&self) -> Option<f64> {
        execution_pct(self.executed_hnl, self.current_hnl)
    }

    /// Current budget not yet executed.
    pub fn gap_hnl(&self) -> f64 {
        self.current_hnl - self.executed_hnl
    }
}

/// The roadmap's headline figures at a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub progress: Progress,
    pub light: Light,
    /// Milestones (not cancelled) planned on or before the date.
    pub milestones_due: usize,
    /// Of those, done.
    pub milestones_due_done: usize,
    /// Done at all (some ahead of their date).
    pub milestones_done: usize,
    /// Milestones not cancelled.
    pub milestones_total: usize,
    pub overdue: usize,
    /// Milestones (not cancelled) whose plan moved from their baseline.
    pub replanned: usize,
    /// Milestones past their baseline and not done: the overdue ones and those a replan moved ahead.
    pub past_baseline: usize,
    /// Interventions by strategy code, then status code.
    pub by_strategy_status: BTreeMap<String, BTreeMap<String, usize>>,
    /// Interventions by traffic light.
    pub by_light: Vec<(Light, usize)>,
    pub budget: Money,
    /// Budget by funding source code, in the order of the built-in list, then others by code.
    pub budget_by_source: Vec<(String, Money)>,
}

/// One responsible institution's scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    pub institution: String,
    pub owned: usize,
    /// Green among those with a light other than grey.
    pub on_track: usize,
    pub rated: usize,
    pub overdue_milestones: usize,
    pub budget: Money,
}

impl Scorecard {
    pub fn on_track_pct(&self) -> Option<f64> {
        (self.rated > 0).then(|| 100.0 * self.on_track as f64 / self.rated as f64)
    }
}

/// An institution's part in each strategy: interventions it leads and those it co-leads.
#[derive(Debug, Clone, PartialEq)]
pub struct Articulation {
    pub institution: String,
    /// `(leads, co-responsible)` per strategy, in the order of [`crate::catalog::STRATEGIES`].
    pub cells: Vec<(usize, usize)>,
}

/// What moved between two snapshots of the roadmap.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Slippage {
    /// Milestone id, planned date before and now.
    pub moved: Vec<(String, Day, Day)>,
    /// Milestone id, status before and now.
    pub status_changed: Vec<(String, String, String)>,
    /// Intervention id, light before and now.
    pub light_changed: Vec<(String, Light, Light)>,
    /// Milestones only in the newer snapshot, and only in the older one.
    pub added: usize,
    pub removed: usize,
}

impl Roadmap {
    /// Reads the roadmap tables of a snapshot (canonical Arrow); tables the snapshot lacks are empty.
    pub fn from_batches(
        interventions_batch: Option<&RecordBatch>,
        milestones_batch: Option<&RecordBatch>,
        budget_batch: Option<&RecordBatch>,
        risks_batch: Option<&RecordBatch>,
    ) -> Result<Self, RoadmapError> {
        Ok(Self {
            interventions: interventions_batch.map(interventions).transpose()?.unwrap_or_default(),
            milestones: milestones_batch.map(milestones).transpose()?.unwrap_or_default(),
            budget: budget_batch.map(budget).transpose()?.unwrap_or_default(),
            risks: risks_batch.map(risks).transpose()?.unwrap_or_default(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.interventions.is_empty()
    }

    pub fn intervention(&self, id: &str) -> Option<&Intervention> {
        self.interventions.iter().find(|i| i.id == id)
    }

    /// An intervention's milestones, by planned date.
    pub fn milestones_of(&self, id: &str) -> Vec<&Milestone> {
        let mut out: Vec<&Milestone> = self.milestones.iter().filter(|m| m.intervention_id == id).collect();
        crate::sort_with(&mut out, &|a, b| a.planned.cmp(&b.planned).then_with(|| a.id.cmp(&b.id)));
        out
    }

    pub fn budget_of(&self, id: &str) -> Vec<&BudgetLine> {
        self.budget.iter().filter(|b| b.intervention_id == id).collect()
    }

    pub fn risks_of(&self, id: &str) -> Vec<&Risk> {
        self.risks.iter().filter(|r| r.intervention_id.as_deref() == Some(id)).collect()
    }

    pub fn progress_of(&self, id: &str, at: Day) -> Progress {
        Progress::of(self.milestones.iter().filter(|m| m.intervention_id == id), at)
    }

    /// DOMAIN.md §5's traffic light for an intervention at a date. Grey when it is cancelled, has no milestones,
    /// or has not started and was not due to; red when past its planned end unfinished; otherwise by the points
    /// its progress is under plan (at most 10 green, up to 25 amber, more red).
    pub fn light_of(&self, i: &Intervention, at: Day) -> Light {
        let progress = self.progress_of(&i.id, at);
        let finished = i.status == "finalizada" || progress.actual_pct.is_some_and(|p| p >= 100.0);
        if i.status == "cancelada" || progress.actual_pct.is_none() {
            Light::Grey
        } else if finished {
            Light::Green
        } else if i.status == "no_iniciada" && i.planned_start > at {
            Light::Grey
        } else if i.planned_end < at {
            Light::Red
        } else {
            progress.points_behind().map_or(Light::Grey, Light::of_gap)
        }
    }

    /// Milestones overdue at a date, oldest first.
    pub fn overdue(&self, at: Day) -> Vec<&Milestone> {
        let mut out: Vec<&Milestone> = self.milestones.iter().filter(|m| m.is_overdue(at)).collect();
        crate::sort_with(&mut out, &|a, b| a.planned.cmp(&b.planned).then_with(|| a.id.cmp(&b.id)));
        out
    }

    /// Milestones past their baseline at a date and not done (overdue or replanned ahead), oldest baseline first.
    pub fn past_baseline(&self, at: Day) -> Vec<&Milestone> {
        let mut out: Vec<&Milestone> = self.milestones.iter().filter(|m| m.is_past_baseline(at)).collect();
        crate::sort_with(&mut out, &|a, b| a.baseline.cmp(&b.baseline).then_with(|| a.id.cmp(&b.id)));
        out
    }

    /// Milestones (not cancelled) whose plan moved from their baseline, the furthest moved first.
    pub fn replanned(&self) -> Vec<&Milestone> {
        let mut out: Vec<&Milestone> =
            self.milestones.iter().filter(|m| m.is_replanned() && !m.is_cancelled()).collect();
        crate::sort_with(&mut out, &|a, b| {
            b.replanned_by().abs().cmp(&a.replanned_by().abs()).then_with(|| a.id.cmp(&b.id))
        });
        out
    }

    /// Milestones not done and planned from the date to [`UPCOMING_DAYS`] after it, soonest first.
    pub fn upcoming(&self, at: Day) -> Vec<&Milestone> {
        let until = at.plus(UPCOMING_DAYS);
        let mut out: Vec<&Milestone> = self
            .milestones
            .iter()
            .filter(|m| m.planned >= at && m.planned <= until && !m.is_done() && !m.is_cancelled())
            .collect();
        crate::sort_with(&mut out, &|a, b| a.planned.cmp(&b.planned).then_with(|| a.id.cmp(&b.id)));
        out
    }

    /// Budget lines of one fiscal year, or all of them.
    fn lines(&self, year: Option<i64>) -> impl Iterator<Item = &BudgetLine> {
        self.budget.iter().filter(move |b| year.is_none_or(|y| b.fiscal_year == y))
    }

    /// Fiscal years with budget lines, oldest first.
    pub fn fiscal_years(&self) -> Vec<i64> {
        let mut years: Vec<i64> = self.budget.iter().map(|b| b.fiscal_year).collect();
        crate::sort_with(&mut years, &|a, b| a.cmp(b));
        years.dedup();
        years
    }

    pub fn summary(&self, at: Day, year: Option<i64>) -> Summary {
        let live: Vec<&Milestone> = self.milestones.iter().filter(|m| !m.is_cancelled()).collect();
        let due: Vec<&&Milestone> = live.iter().filter(|m| m.planned <= at).collect();
        let progress = Progress::of(self.milestones.iter(), at);
        let mut by_strategy_status: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut lights: HashMap<Light, usize> = HashMap::new();
        for i in &self.interventions {
            *by_strategy_status.entry(i.strategy.clone()).or_default().entry(i.status.clone()).or_default() += 1;
            *lights.entry(self.light_of(i, at)).or_default() += 1;
        }
        let mut budget = Money::default();
        let mut by_source: HashMap<&str, Money> = HashMap::new();
        for b in self.lines(year) {
            budget.add(b);
            by_source.entry(b.funding_source.as_str()).or_default().add(b);
        }
        let order =
            |code: &str| crate::catalog::FUNDING_SOURCES.iter().position(|c| c.code == code).unwrap_or(usize::MAX);
        let mut budget_by_source: Vec<(String, Money)> =
            by_source.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        crate::sort_with(&mut budget_by_source, &|a, b| order(&a.0).cmp(&order(&b.0)).then_with(|| a.0.cmp(&b.0)));
        Summary {
            light: progress.points_behind().map_or(Light::Grey, Light::of_gap),
            progress,
            milestones_due: due.len(),
            milestones_due_done: due.iter().filter(|m| m.is_done()).count(),
            milestones_done: live.iter().filter(|m| m.is_done()).count(),
            milestones_total: live.len(),
            overdue: self.overdue(at).len(),
            replanned: live.iter().filter(|m| m.is_replanned()).count(),
            past_baseline: self.past_baseline(at).len(),
            by_strategy_status,
            by_light: [Light::Green, Light::Amber, Light::Red, Light::Grey]
                .into_iter()
                .map(|l| (l, lights.get(&l).copied().unwrap_or(0)))
                .collect(),
            budget,
            budget_by_source,
        }
    }

    /// One scorecard per responsible institution, most interventions first.
    pub fn scorecards(&self, at: Day, year: Option<i64>) -> Vec<Scorecard> {
        let mut cards: BTreeMap<&str, Scorecard> = BTreeMap::new();
        let owner_of: HashMap<&str, &str> =
            self.interventions.iter().map(|i| (i.id.as_str(), i.institution.as_str())).collect();
        for i in &self.interventions {
            let card = cards.entry(i.institution.as_str()).or_insert_with(|| Scorecard {
                institution: i.institution.clone(),
                owned: 0,
                on_track: 0,
                rated: 0,
                overdue_milestones: 0,
                budget: Money::default(),
            });
            card.owned += 1;
            match self.light_of(i, at) {
                Light::Grey => {}
                Light::Green => {
                    card.rated += 1;
                    card.on_track += 1;
                }
                _ => card.rated += 1,
            }
        }
        for m in self.overdue(at) {
            if let Some(card) = owner_of.get(m.intervention_id.as_str()).and_then(|o| cards.get_mut(o)) {
                card.overdue_milestones += 1;
            }
        }
        for b in self.lines(year) {
            if let Some(card) = owner_of.get(b.intervention_id.as_str()).and_then(|o| cards.get_mut(o)) {
                card.budget.add(b);
            }
        }
        let mut out: Vec<Scorecard> = cards.into_values().collect();
        crate::sort_with(&mut out, &|a, b| b.owned.cmp(&a.owned).then_with(|| a.institution.cmp(&b.institution)));
        out
    }

    /// Institutions × strategies: how many interventions each leads or co-leads, institutions in the order of
    /// the built-in list (others after, by code).
    pub fn articulation(&self) -> Vec<Articulation> {
        let strategies = &crate::catalog::STRATEGIES;
        let mut rows: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for i in &self.interventions {
            let Some(s) = strategies.iter().position(|c| c.code == i.strategy) else { continue };
            rows.entry(i.institution.clone()).or_insert_with(|| vec![(0, 0); strategies.len()])[s].0 += 1;
            for co in &i.co_institutions {
                rows.entry(co.clone()).or_insert_with(|| vec![(0, 0); strategies.len()])[s].1 += 1;
            }
        }
        let order = |code: &str| crate::catalog::INSTITUTIONS.iter().position(|c| c.code == code).unwrap_or(usize::MAX);
        let mut out: Vec<Articulation> =
            rows.into_iter().map(|(institution, cells)| Articulation { institution, cells }).collect();
        crate::sort_with(&mut out, &|a, b| {
            order(&a.institution).cmp(&order(&b.institution)).then_with(|| a.institution.cmp(&b.institution))
        });
        out
    }

    /// Risks not closed, counted by probability (rows, 5 first) and impact (columns, 1 first).
    pub fn risk_grid(&self) -> [[usize; 5]; 5] {
        let mut grid = [[0; 5]; 5];
        for r in self.risks.iter().filter(|r| r.state != CLOSED_RISK) {
            grid[5 - usize::from(r.probability)][usize::from(r.impact) - 1] += 1;
        }
        grid
    }

    /// Risks by score (probability × impact), highest first; closed ones last.
    pub fn risks_ranked(&self) -> Vec<&Risk> {
        let mut out: Vec<&Risk> = self.risks.iter().collect();
        crate::sort_with(&mut out, &|a, b| {
            (a.state == CLOSED_RISK)
                .cmp(&(b.state == CLOSED_RISK))
                .then_with(|| b.score().cmp(&a.score()))
                .then_with(|| a.id.cmp(&b.id))
        });
        out
    }

    /// What moved from `before` (taken at `before_at`) to `self` (at `at`): milestones replanned or whose status
    /// changed, and interventions whose traffic light changed.
    pub fn slippage_since(&self, at: Day, before: &Self, before_at: Day) -> Slippage {
        let old: HashMap<&str, &Milestone> = before.milestones.iter().map(|m| (m.id.as_str(), m)).collect();
        let mut out = Slippage::default();
        let mut seen = 0;
        for m in &self.milestones {
            let Some(o) = old.get(m.id.as_str()) else {
                out.added += 1;
                continue;
            };
            seen += 1;
            if o.planned != m.planned {
                out.moved.push((m.id.clone(), o.planned, m.planned));
            }
            if o.status != m.status {
                out.status_changed.push((m.id.clone(), o.status.clone(), m.status.clone()));
            }
        }
        out.removed = before.milestones.len() - seen.min(before.milestones.len());
        for i in &self.interventions {
            if let Some(o) = before.intervention(&i.id) {
                let (was, now) = (before.light_of(o, before_at), self.light_of(i, at));
                if was != now {
                    out.light_changed.push((i.id.clone(), was, now));
                }
            }
        }
        crate::sort_with(&mut out.moved, &|a, b| {
            (b.2.0 - b.1.0).abs().cmp(&(a.2.0 - a.1.0).abs()).then_with(|| a.0.cmp(&b.0))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(iso: &str) -> Day {
        Day::parse(iso).expect("date")
    }

    fn milestone(id: &str, of: &str, planned: &str, status: &str, weight: f64) -> Milestone {
        Milestone {
            id: id.into(),
            intervention_id: of.into(),
            name_es: id.into(),
            name_en: None,
            planned: day(planned),
            baseline: day(planned),
            actual: None,
            status: status.into(),
            weight,
        }
    }

    fn intervention(id: &str, start: &str, end: &str, status: &str) -> Intervention {
        Intervention {
            id: id.into(),
            name_es: id.into(),
            name_en: None,
            strategy: "ART".into(),
            institution: "DGE-ML".into(),
            co_institutions: vec!["OIM".into()],
            territories: vec![],
            planned_start: day(start),
            planned_end: day(end),
            actual_start: None,
            actual_end: None,
            status: status.into(),
            priority: 1,
            indicators: vec![],
        }
    }

    fn line(of: &str, year: i64, source: &str, current: f64, executed: f64) -> BudgetLine {
        BudgetLine {
            intervention_id: of.into(),
            fiscal_year: year,
            funding_source: source.into(),
            approved_hnl: current,
            current_hnl: current,
            committed_hnl: executed,
            executed_hnl: executed,
        }
    }

    /// A: 30 done, 30 pending (due), 40 pending later → 30 % done, 60 % planned at the date: red (30 under).
    /// B: 50 done, 50 cancelled → 100 % of what counts: green.
    fn sample() -> Roadmap {
        Roadmap {
            interventions: vec![
                intervention("A", "2025-01-01", "2026-12-31", "en_ejecucion"),
                intervention("B", "2025-01-01", "2025-06-30", "en_ejecucion"),
                intervention("C", "2027-01-01", "2027-12-31", "no_iniciada"),
            ],
            milestones: vec![
                milestone("A1", "A", "2025-03-01", "cumplido", 30.0),
                milestone("A2", "A", "2025-06-01", "pendiente", 30.0),
                milestone("A3", "A", "2026-12-01", "pendiente", 40.0),
                milestone("B1", "B", "2025-02-01", "cumplido_con_retraso", 50.0),
                milestone("B2", "B", "2025-05-01", "cancelado", 50.0),
                milestone("C1", "C", "2027-06-01", "pendiente", 100.0),
            ],
            budget: vec![
                line("A", 2025, "euroempleo", 1000.0, 250.0),
                line("A", 2026, "tesoro_nacional", 3000.0, 1500.0),
                line("B", 2025, "tesoro_nacional", 1000.0, 1000.0),
            ],
            risks: vec![],
        }
    }

    #[test]
    fn progress_counts_done_weights_over_weights_not_cancelled() {
        let r = sample();
        let at = day("2025-07-01");
        assert_eq!(
            r.progress_of("A", at),
            Progress { actual_pct: Some(30.0), planned_pct: Some(60.0), baseline_pct: Some(60.0) }
        );
        assert_eq!(
            r.progress_of("B", at),
            Progress { actual_pct: Some(100.0), planned_pct: Some(100.0), baseline_pct: Some(100.0) }
        );
        assert_eq!(r.progress_of("none", at).actual_pct, None);
    }

    #[test]
    fn traffic_light_follows_the_roadmap_rules() {
        let r = sample();
        let at = day("2025-07-01");
        assert_eq!(r.light_of(&r.interventions[0], at), Light::Red, "30 points under plan");
        assert_eq!(r.light_of(&r.interventions[1], at), Light::Green, "all that counts is done");
        assert_eq!(r.light_of(&r.interventions[2], at), Light::Grey, "not started, not due to");
        // 20 points under → amber; past its end unfinished → red whatever the gap.
        let mut amber = sample();
        amber.milestones[1].weight = 10.0;
        amber.milestones[2].weight = 60.0;
        assert_eq!(amber.progress_of("A", at).points_behind(), Some(10.0));
        assert_eq!(amber.light_of(&amber.interventions[0], at), Light::Green);
        amber.milestones[0].weight = 15.0;
        amber.milestones[1].weight = 25.0;
        assert_eq!(amber.light_of(&amber.interventions[0], at), Light::Amber);
        assert_eq!(amber.light_of(&amber.interventions[0], day("2027-01-02")), Light::Red);
    }

    #[test]
    fn overdue_and_upcoming_milestones() {
        let r = sample();
        let ids = |v: Vec<&Milestone>| v.into_iter().map(|m| m.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(r.overdue(day("2025-07-01"))), ["A2"]);
        assert_eq!(ids(r.overdue(day("2025-06-01"))), Vec::<String>::new(), "due today is not overdue");
        assert_eq!(ids(r.upcoming(day("2025-05-15"))), ["A2"]);
        assert_eq!(ids(r.upcoming(day("2026-11-01"))), ["A3"]);
        assert_eq!(ids(r.upcoming(day("2026-10-31"))), Vec::<String>::new(), "31 days ahead is not upcoming");
    }

    #[test]
    fn summary_counts_milestones_and_budget_by_source() {
        let r = sample();
        let s = r.summary(day("2025-07-01"), None);
        // Weights not cancelled: 100 (A) + 50 (B) + 100 (C) = 250; done 30 + 50 = 80; planned 60 + 50 = 110.
        assert_eq!(s.progress.actual_pct, Some(32.0));
        assert_eq!(s.progress.planned_pct, Some(44.0));
        assert_eq!(s.light, Light::Amber);
        assert_eq!((s.milestones_due, s.milestones_due_done, s.milestones_done, s.milestones_total), (3, 2, 2, 5));
        assert_eq!(s.overdue, 1);
        assert_eq!(s.budget.execution_pct(), Some(55.0));
        assert!((s.budget.gap_hnl() - 2250.0).abs() < 1e-9);
        let sources: Vec<&str> = s.budget_by_source.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(sources, ["tesoro_nacional", "euroempleo"], "the built-in order");
        assert_eq!(s.budget_by_source[1].1.execution_pct(), Some(25.0));
        let y2025 = r.summary(day("2025-07-01"), Some(2025));
        assert!((y2025.budget.current_hnl - 2000.0).abs() < 1e-9);
        assert_eq!(s.by_strategy_status["ART"]["en_ejecucion"], 2);
        assert_eq!(s.by_light, vec![(Light::Green, 1), (Light::Amber, 0), (Light::Red, 1), (Light::Grey, 1)]);
    }

    #[test]
    fn scorecards_and_articulation() {
        let r = sample();
        let cards = r.scorecards(day("2025-07-01"), None);
        assert_eq!(cards.len(), 1);
        let c = &cards[0];
        assert_eq!((c.owned, c.rated, c.on_track, c.overdue_milestones), (3, 2, 1, 1));
        assert_eq!(c.on_track_pct(), Some(50.0));
        let matrix = r.articulation();
        let art = crate::catalog::STRATEGIES.iter().position(|s| s.code == "ART").expect("ART");
        assert_eq!(matrix[0].institution, "DGE-ML");
        assert_eq!(matrix[0].cells[art], (3, 0));
        assert_eq!(matrix[1].institution, "OIM");
        assert_eq!(matrix[1].cells[art], (0, 3));
    }

    #[test]
    fn slippage_lists_replanned_milestones_status_changes_and_lights() {
        let before = sample();
        let mut now = sample();
        now.milestones[1].status = "cumplido".into();
        now.milestones[2].planned = day("2027-01-15");
        now.milestones.push(milestone("A4", "A", "2027-02-01", "pendiente", 0.0));
        let s = now.slippage_since(day("2025-07-01"), &before, day("2025-07-01"));
        assert_eq!(s.moved, vec![("A3".to_owned(), day("2026-12-01"), day("2027-01-15"))]);
        assert_eq!(s.status_changed, vec![("A2".to_owned(), "pendiente".to_owned(), "cumplido".to_owned())]);
        // A: 60 % done against 60 % planned → green now, red before.
        assert_eq!(s.light_changed, vec![("A".to_owned(), Light::Red, Light::Green)]);
        assert_eq!((s.added, s.removed), (1, 0));
    }

    /// Replanned from 15 March to 15 June 2026 (92 days): late from its baseline, on time by its plan.
    fn replanned(status: &str, actual: Option<&str>) -> Milestone {
        Milestone {
            baseline: day("2026-03-15"),
            actual: actual.map(day),
            ..milestone("A9", "A", "2026-06-15", status, 10.0)
        }
    }

    #[test]
    fn a_replanned_milestone_is_late_from_its_baseline_and_on_its_current_plan() {
        let done = replanned("cumplido", Some("2026-06-15"));
        assert!(done.is_replanned());
        assert_eq!(done.replanned_by(), 92);
        assert_eq!((done.baseline_delay(day("2026-07-01")), done.plan_delay(day("2026-07-01"))), (Some(92), Some(0)));
        assert_eq!(
            done.baseline_note(day("2026-07-01"), Lang::Es).as_deref(),
            Some(
                "Línea de base: 15/03/2026 · replanificado al 15/06/2026 · cumplido el 15/06/2026, 92 días después de \
                 su línea de base · a tiempo según el plan vigente"
            )
        );
        assert_eq!(
            done.baseline_note(day("2026-07-01"), Lang::En).as_deref(),
            Some(
                "Baseline: 15/03/2026 · replanned to 15/06/2026 · done on 15/06/2026, 92 days after its baseline · on \
                 its current plan"
            )
        );
        // Pending in May: not overdue by its plan, but past its baseline, and at least 92 days late from it.
        let pending = replanned("pendiente", None);
        let may = day("2026-05-01");
        assert!(!pending.is_overdue(may) && pending.is_past_baseline(may));
        assert_eq!((pending.baseline_delay(may), pending.plan_delay(may)), (Some(92), Some(0)));
        assert_eq!(
            pending.baseline_note(may, Lang::Es).as_deref(),
            Some("Línea de base: 15/03/2026 · replanificado al 15/06/2026 · 92 días de desfase")
        );
        // Still pending on 1 August: 139 days from the baseline, 47 from the plan.
        let august = day("2026-08-01");
        assert_eq!((pending.baseline_delay(august), pending.plan_delay(august)), (Some(139), Some(47)));
        // Done late against both.
        let late = replanned("cumplido_con_retraso", Some("2026-07-05"));
        assert!(
            late.baseline_note(august, Lang::En)
                .expect("note")
                .ends_with("112 days after its baseline · 20 days after its current plan")
        );
        // Never replanned: no note, the same delay either way; cancelled: no delay.
        let plain = milestone("A1", "A", "2026-03-15", "pendiente", 10.0);
        assert_eq!(plain.baseline_note(august, Lang::Es), None);
        assert_eq!(plain.baseline_delay(august), plain.plan_delay(august));
        assert_eq!(replanned("cancelado", None).baseline_delay(august), None);
    }

    #[test]
    fn replanning_moves_the_plan_not_the_baseline_progress() {
        let mut r = sample();
        let at = day("2025-07-01");
        // A2 (30, due 1 June 2025) replanned to 1 September: by the plan, A is on track; by its baseline, 30 behind.
        r.milestones[1].planned = day("2025-09-01");
        let p = r.progress_of("A", at);
        assert_eq!((p.actual_pct, p.planned_pct, p.baseline_pct), (Some(30.0), Some(30.0), Some(60.0)));
        assert_eq!((p.points_behind(), p.points_behind_baseline()), (Some(0.0), Some(30.0)));
        assert_eq!(r.light_of(&r.interventions[0], at), Light::Green, "the light follows the current plan");
        assert!(r.overdue(at).is_empty(), "not overdue by its plan");
        let ids = |v: Vec<&Milestone>| v.into_iter().map(|m| m.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(r.past_baseline(at)), ["A2"], "but past its baseline");
        assert_eq!(ids(r.replanned()), ["A2"]);
        let s = r.summary(at, None);
        assert_eq!((s.overdue, s.replanned, s.past_baseline), (0, 1, 1));
        assert_eq!(s.progress.baseline_pct, Some(44.0), "110 of 250 by the baseline, as before the replan");
        // The replan between two snapshots is still listed as a move.
        let slip = r.slippage_since(at, &sample(), at);
        assert_eq!(slip.moved, vec![("A2".to_owned(), day("2025-06-01"), day("2025-09-01"))]);
    }

    #[test]
    fn the_baseline_reads_from_its_column_or_is_the_plan() {
        use arrow_array::{Float64Array, StringArray};
        use std::sync::Arc;
        let text = |v: Vec<Option<&str>>| Arc::new(StringArray::from(v)) as ArrayRef;
        let mut columns = vec![
            (col::MILESTONE_ID, text(vec![Some("M1"), Some("M2")])),
            (col::INTERVENTION_ID, text(vec![Some("A"), Some("A")])),
            (col::NAME_ES, text(vec![Some("uno"), Some("dos")])),
            (col::PLANNED_DATE, text(vec![Some("2026-06-15"), Some("2026-04-01")])),
            (col::STATUS, text(vec![Some("pendiente"), Some("pendiente")])),
            (col::WEIGHT, Arc::new(Float64Array::from(vec![50.0, 50.0])) as ArrayRef),
        ];
        let old = RecordBatch::try_from_iter(columns.clone()).expect("batch");
        let read = |b: &RecordBatch| Roadmap::from_batches(None, Some(b), None, None).expect("reads").milestones;
        assert!(read(&old).iter().all(|m| m.baseline == m.planned && !m.is_replanned()), "old snapshots unchanged");
        columns.push((col::BASELINE_DATE, text(vec![Some("2026-03-15"), None])));
        let new = read(&RecordBatch::try_from_iter(columns.clone()).expect("batch"));
        assert_eq!((new[0].baseline, new[1].baseline), (day("2026-03-15"), day("2026-04-01")));
        columns.pop();
        columns.push((col::BASELINE_DATE, text(vec![Some("15 de marzo"), None])));
        let bad = RecordBatch::try_from_iter(columns).expect("batch");
        assert_eq!(
            Roadmap::from_batches(None, Some(&bad), None, None),
            Err(RoadmapError::BadCell { table: "milestones", column: col::BASELINE_DATE, row: 1 })
        );
    }

    #[test]
    fn risk_grid_counts_open_risks() {
        let risk = |id: &str, p: u8, i: u8, state: &str| Risk {
            id: id.into(),
            intervention_id: None,
            description_es: id.into(),
            description_en: None,
            category: "x".into(),
            probability: p,
            impact: i,
            mitigation: String::new(),
            owner: "DGE-ML".into(),
            state: state.into(),
        };
        let r = Roadmap {
            risks: vec![risk("R1", 5, 5, "abierto"), risk("R2", 1, 2, "mitigado"), risk("R3", 5, 5, "cerrado")],
            ..Roadmap::default()
        };
        let g = r.risk_grid();
        assert_eq!((g[0][4], g[4][1]), (1, 1));
        assert_eq!(g.iter().flatten().sum::<usize>(), 2);
        let ranked: Vec<&str> = r.risks_ranked().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ranked, ["R1", "R2", "R3"]);
    }

    /// The demo roadmap through intake and validation, as the server publishes it.
    #[cfg(feature = "intake")]
    fn demo(config: &crate::demo::DemoConfig) -> (Roadmap, Day) {
        let uploads: Vec<crate::validate::Upload> = crate::demo::roadmap::tables(config)
            .into_iter()
            .map(|(name, csv)| {
                crate::intake::read(&format!("{name}.csv"), csv.as_bytes(), crate::intake::Limits::default())
                    .expect("demo CSV reads")
            })
            .collect();
        let (report, tables) = crate::validate::validate_snapshot(&uploads);
        assert!(!report.has_errors(), "{:?}", report.findings);
        let tables = tables.expect("canonical");
        let get = |name: &str| tables.iter().find(|(s, _)| s.name == name).map(|(_, b)| b);
        let roadmap = Roadmap::from_batches(get("interventions"), get("milestones"), get("budget_lines"), get("risks"))
            .expect("canonical tables read");
        let (y, m) = config.last_month;
        (roadmap, Day::last_of_month(y, m))
    }

    #[cfg(feature = "intake")]
    #[test]
    fn demo_roadmap_reads_from_canonical_arrow_and_shows_slippage() {
        let config = crate::demo::DemoConfig::default();
        let (now, at) = demo(&config);
        let (before, before_at) = demo(&config.previous());
        assert_eq!((now.interventions.len(), now.milestones.len(), now.risks.len()), (30, 120, 12));
        assert!(now.budget.len() >= 60);
        let s = now.summary(at, None);
        assert!(s.milestones_due > 30 && s.milestones_due_done < s.milestones_due, "some late: {s:?}");
        assert!(now.milestones.iter().any(|m| m.status == "cumplido_con_retraso"), "some done late");
        assert!(!now.overdue(at).is_empty() && !now.upcoming(at).is_empty());
        for light in [Light::Green, Light::Amber, Light::Red] {
            assert!(s.by_light.iter().any(|(l, n)| *l == light && *n > 0), "some {light:?}: {:?}", s.by_light);
        }
        let slip = now.slippage_since(at, &before, before_at);
        assert!(!slip.moved.is_empty(), "the October revision moved milestones");
        assert!(slip.moved.iter().all(|(_, was, now)| now.0 - was.0 == 45));
        assert!(!slip.status_changed.is_empty(), "October's milestones changed status");
        assert_eq!((slip.added, slip.removed), (0, 0));
        // April's revision moved a few milestones 92 days from their baseline: some done on their new date, on
        // the current plan and 92 days late from the baseline; October's moved others 45 days.
        let replanned = now.replanned();
        assert!(replanned.len() >= 3 && replanned.iter().all(|m| m.replanned_by() > 0), "{replanned:?}");
        let on_plan_late_from_baseline = replanned
            .iter()
            .filter(|m| m.is_done() && m.plan_delay(at).is_some_and(|d| d <= 0) && m.baseline_delay(at) > Some(60))
            .count();
        assert!(on_plan_late_from_baseline >= 1, "{replanned:?}");
        assert_eq!(s.replanned, replanned.len());
        assert!(s.past_baseline > s.overdue, "replans hide late milestones: {} > {}", s.past_baseline, s.overdue);
        assert!(s.progress.baseline_pct > s.progress.planned_pct, "{:?}", s.progress);
        assert!(before.replanned().iter().all(|m| m.replanned_by() == 92), "only April's revision before October");
    }
}
