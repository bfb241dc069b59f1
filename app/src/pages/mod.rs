//! Routes. Pages own data loading; components below them only take props.

pub mod coverage;
pub mod roadmap;

use std::future::Future;
use std::sync::Arc;

use leptos::prelude::*;
use shared::manifest::Manifest;
use shared::view::{NO_COMPARE, View};

use crate::api::{FetchError, Listed};

/// What a page loads: the list of published snapshots, the shown snapshot's data (the URL's `s`, or the current
/// one), and the data of the snapshot it is compared with, when there is one.
pub struct Loads<T: Send + Sync + 'static> {
    pub listed: Signal<Vec<Listed>>,
    pub main: LocalResource<Result<Arc<T>, FetchError>>,
    pub compare: Signal<Option<Arc<T>>>,
}

/// Loads a page's data with `load` (a snapshot id, or `current`, into the page's data); `manifest` finds the
/// snapshot's manifest in it.
pub fn load_with<T, F, Fut>(view: RwSignal<View>, load: F, manifest: fn(&T) -> &Manifest) -> Loads<T>
where
    T: Send + Sync + 'static,
    F: Fn(String) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<T, FetchError>> + 'static,
{
    let list = LocalResource::new(crate::api::snapshots);
    let wanted = Memo::new(move |_| view.with(|v| v.snapshot.clone()));
    let main = LocalResource::new(move || {
        let id = wanted.get().unwrap_or_else(|| shared::api::CURRENT.to_owned());
        async move { load(id).await.map(Arc::new) }
    });
    let listed = Signal::derive(move || list.get().and_then(Result::ok).unwrap_or_default());
    let main_id = Memo::new(move |_| main.get().and_then(Result::ok).map(|l| manifest(&l).snapshot_id.clone()));
    let compare_id = compared_id(view, listed, main_id);
    let compare = LocalResource::new(move || {
        let id = compare_id.get();
        async move {
            match id {
                Some(id) => load(id).await.ok().map(Arc::new),
                None => None,
            }
        }
    });
    Loads { listed, main, compare: Signal::derive(move || compare.get().flatten()) }
}

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
