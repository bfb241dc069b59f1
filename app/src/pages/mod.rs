//! Routes. Pages own data loading; components below them only take props.

pub mod coverage;
pub mod roadmap;

use leptos::prelude::*;
use shared::view::{NO_COMPARE, View};

use crate::api::Listed;

/// The snapshot a page compares with: the URL's choice, none (`comparar=no`), or by default the snapshot
/// published just before the one shown.
pub fn compared_id(
    view: RwSignal<View>,
    listed: Signal<Vec<Listed>>,
    main_id: Memo<Option<String>>,
) -> Memo<Option<String>> {
    Memo::new(move |_| {
        let chosen = view.with(|v| v.compare.clone());
        match chosen.as_deref() {
            Some(NO_COMPARE) => None,
            Some(id) => Some(id.to_owned()),
            None => {
                let id = main_id.get()?;
                listed.with(|l| {
                    let at = l.iter().position(|s| s.manifest.snapshot_id == id)?;
                    l.get(at + 1).map(|s| s.manifest.snapshot_id.clone())
                })
            }
        }
    })
}
