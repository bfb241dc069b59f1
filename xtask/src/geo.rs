//! Converts the reference GeoJSON boundaries into the compact `.rgeo` form shipped in `shared/data/`.

use std::path::Path;

use serde_json::Value;
use shared::geo::{Polygon, Region};

use crate::Result;

pub fn convert(root: &Path) -> Result {
    let source = root.join("../shared/data/geo/hn_departments.geojson");
    let text = std::fs::read_to_string(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let features = json["features"].as_array().ok_or("no features")?;
    let mut regions = Vec::new();
    for f in features {
        let iso = f["properties"]["iso"].as_str().ok_or("feature without iso")?.to_owned();
        let geometry = &f["geometry"];
        let polygons: Vec<&Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            Some("MultiPolygon") => geometry["coordinates"].as_array().ok_or("bad multipolygon")?.iter().collect(),
            other => return Err(format!("{iso}: unsupported geometry {other:?}")),
        };
        let polygons = polygons.into_iter().map(polygon).collect::<Result<Vec<Polygon>>>()?;
        regions.push(Region { id: iso, polygons });
    }
    regions.sort_by(|a, b| a.id.cmp(&b.id));
    let bytes = shared::geo::encode(&regions).map_err(|e| e.to_string())?;
    let out = root.join("shared/data/hn_departments.rgeo");
    std::fs::write(&out, &bytes).map_err(|e| e.to_string())?;
    println!("{}: {} regions, {} bytes", out.display(), regions.len(), bytes.len());
    Ok(())
}

fn polygon(value: &Value) -> Result<Polygon> {
    let rings = value.as_array().ok_or("bad polygon")?;
    rings
        .iter()
        .map(|ring| {
            ring.as_array()
                .ok_or("bad ring")?
                .iter()
                .map(|p| Ok((p[0].as_f64().ok_or("bad x")?, p[1].as_f64().ok_or("bad y")?)))
                .collect::<Result<Vec<_>>>()
        })
        .collect()
}
