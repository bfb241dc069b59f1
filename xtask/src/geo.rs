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

/// Douglas–Peucker tolerance in degrees (about 330 m): under half a pixel on the widest map the app draws
/// (1,040 px for the country's 6.6° of longitude), so the outlines look the same with a third of the points, and
/// every redraw of the map strokes and fills that many fewer.
const TOLERANCE: f64 = 0.003;

fn polygon(value: &Value) -> Result<Polygon> {
    let rings = value.as_array().ok_or("bad polygon")?;
    rings
        .iter()
        .map(|ring| {
            let points = ring
                .as_array()
                .ok_or("bad ring")?
                .iter()
                .map(|p| Ok((p[0].as_f64().ok_or("bad x")?, p[1].as_f64().ok_or("bad y")?)))
                .collect::<Result<Vec<_>>>()?;
            let simple = simplify(&points, TOLERANCE);
            // A ring smaller than the tolerance (a small island) keeps its points rather than vanish.
            Ok(if simple.len() >= 4 { simple } else { points })
        })
        .collect()
}

/// Douglas–Peucker: the points of `line` that keep it within `tolerance` of the original (ends kept).
fn simplify(line: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    if line.len() < 3 {
        return line.to_vec();
    }
    let mut keep = vec![false; line.len()];
    keep[0] = true;
    keep[line.len() - 1] = true;
    let mut stack = vec![(0, line.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let ((ax, ay), (bx, by)) = (line[a], line[b]);
        let (dx, dy) = (bx - ax, by - ay);
        let length = dx.hypot(dy);
        let distance = |&(x, y): &(f64, f64)| {
            if length == 0.0 { (x - ax).hypot(y - ay) } else { ((x - ax) * dy - (y - ay) * dx).abs() / length }
        };
        let far = (a + 1..b).map(|i| (i, distance(&line[i]))).max_by(|p, q| p.1.total_cmp(&q.1));
        if let Some((i, d)) = far
            && d > tolerance
        {
            keep[i] = true;
            stack.push((a, i));
            stack.push((i, b));
        }
    }
    line.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}
