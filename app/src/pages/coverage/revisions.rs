//! What changed since the compared snapshot: revised, added and removed values.

use std::sync::Arc;

use leptos::prelude::*;
use shared::Lang;
use shared::catalog::Unit;
use shared::dashboard::{Change, Revision};
use shared::format;

use super::{Words, part};
use crate::api::Loaded;
use crate::i18n::t;
use crate::model::{Resolved, format_value, prose};

#[component]
pub(super) fn Revisions(
    revisions: Memo<Option<Vec<Revision>>>,
    resolved: Memo<Resolved>,
    words: Words,
    compare: Signal<Option<Arc<Loaded>>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let unit = part(resolved, |r| r.unit);
    let book = Arc::clone(&resolved.read_untracked().book);
    move || {
        let l = lang.get();
        let compared = compare.get()?;
        let list = revisions.get()?;
        let unit = unit.get();
        let f =
            |v: Option<f64>| v.map_or_else(|| t(l, "sin dato", "no value").to_owned(), |v| format_value(unit, v, l));
        let added = list.iter().filter(|r| r.change == Change::Added).count();
        let removed = list.iter().filter(|r| r.change == Change::Removed).count();
        let revised: Vec<Revision> = list.into_iter().filter(|r| r.change == Change::Revised).collect();
        let count = revised.len();
        let rows = revised
            .into_iter()
            .take(10)
            .map(|r| {
                let delta = r.delta();
                let sign = if delta >= 0.0 { "+" } else { "" };
                view! {
                    <tr>
                        <th scope="row">{book.territory_name(&r.territory, l)}</th>
                        <td>{format::period(&r.period, l)}</td>
                        <td class="num">{f(r.before)}</td>
                        <td class="num">{f(r.after)}</td>
                        // A rate's revision is a difference of percentages: points.
                        <td class="num">{format!("{sign}{}", format_value(if unit == Unit::Percent { Unit::Points } else { unit }, delta, l))}</td>
                    </tr>
                }
            })
            .collect_view();
        let heading = match l {
            Lang::Es => format!("Qué cambió desde la publicación del {}", format::date(&compared.manifest.as_of)),
            Lang::En => format!("What changed since the snapshot of {}", format::date(&compared.manifest.as_of)),
        };
        let sentence = prose::revisions(&words.name.read(), count, added, removed, l);
        Some(view! {
            <section class="panel changes" aria-labelledby="changes-title" data-testid="revisions">
                <h2 id="changes-title">{heading}</h2>
                <p>{sentence}</p>
                <div class="table-scroll" tabindex="0">
                    <table>
                        <thead><tr>
                            <th scope="col">{t(l, "Territorio", "Territory")}</th>
                            <th scope="col">{t(l, "Periodo", "Period")}</th>
                            <th scope="col" class="num">{t(l, "Antes", "Before")}</th>
                            <th scope="col" class="num">{t(l, "Ahora", "Now")}</th>
                            <th scope="col" class="num">{t(l, "Cambio", "Change")}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        })
    }
}
