//! Converts the reference GeoJSON boundaries into the compact `.rgeo` form shipped in `shared/data/`: the 18
//! departments in one file the app links in, and the 298 municipalities in one file per department
//! (`shared/data/municipios/HN-CR.{tag}.rgeo`), which the app fetches only when a department is drilled into.

use std::path::Path;

use serde_json::Value;
use shared::geo::{Polygon, Region};

use crate::Result;

pub fn convert(root: &Path) -> Result {
    let departments = features(root, "hn_departments.geojson")?
        .iter()
        .map(|f| region(f, "iso", None, DEPARTMENT_TOLERANCE))
        .collect::<Result<Vec<_>>>()?;
    write(&root.join("shared/data/hn_departments.rgeo"), departments)?;
    municipalities(root)
}

/// One file per department of its municipalities (keyed by INE code, named), on the department's own grid; the
/// files carry one tag, the FNV-1a hash of all of them, so that a name always means the same bytes and the server
/// serves them as immutable.
fn municipalities(root: &Path) -> Result {
    let mut by_department: Vec<(String, Vec<Region>)> = Vec::new();
    for f in features(root, "hn_municipalities.geojson")? {
        let department = f["properties"]["dep_iso"].as_str().ok_or("municipality without dep_iso")?.to_owned();
        let region = region(&f, "code", Some("name"), MUNICIPALITY_TOLERANCE)?;
        match by_department.iter_mut().find(|(d, _)| *d == department) {
            Some((_, regions)) => regions.push(region),
            None => by_department.push((department, vec![region])),
        }
    }
    by_department.sort_by(|a, b| a.0.cmp(&b.0));
    let mut files = Vec::new();
    for (department, mut regions) in by_department {
        regions.sort_by(|a, b| a.id.cmp(&b.id));
        files.push((department, shared::geo::encode(&regions).map_err(|e| e.to_string())?, regions.len()));
    }
    let tag = shared::geo::tag_of(files.iter().map(|(_, bytes, _)| bytes.as_slice()));
    let dir = root.join("shared/data/municipios");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (mut total, mut count) = (0, 0);
    for (department, bytes, n) in &files {
        std::fs::write(dir.join(shared::geo::municipal_file(department, &tag)), bytes).map_err(|e| e.to_string())?;
        (total, count) = (total + bytes.len(), count + n);
    }
    let tag_file = root.join("shared/data/municipios.tag");
    std::fs::write(&tag_file, &tag).map_err(|e| format!("{}: {e}", tag_file.display()))?;
    println!("{}: {count} municipalities in {} files, {total} bytes, tag {tag}", dir.display(), files.len());
    Ok(())
}

fn features(root: &Path, name: &str) -> Result<Vec<Value>> {
    let source = root.join("../shared/data/geo").join(name);
    let text = std::fs::read_to_string(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let mut json: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    match json["features"].take() {
        Value::Array(features) => Ok(features),
        _ => Err(format!("{}: no features", source.display())),
    }
}

/// A feature as a region keyed by its `id` property (and named by its `name` property, when asked).
fn region(f: &Value, id: &str, name: Option<&str>, tolerance: f64) -> Result<Region> {
    let id = f["properties"][id].as_str().ok_or(format!("feature without {id}"))?.to_owned();
    let name = name.map_or(Ok(String::new()), |n| {
        f["properties"][n].as_str().map(str::to_owned).ok_or(format!("{id}: feature without {n}"))
    })?;
    let geometry = &f["geometry"];
    let polygons: Vec<&Value> = match geometry["type"].as_str() {
        Some("Polygon") => vec![&geometry["coordinates"]],
        Some("MultiPolygon") => geometry["coordinates"].as_array().ok_or("bad multipolygon")?.iter().collect(),
        other => return Err(format!("{id}: unsupported geometry {other:?}")),
    };
    let polygons = polygons.into_iter().map(|p| polygon(p, tolerance)).collect::<Result<Vec<Polygon>>>()?;
    Ok(Region { id, name, polygons })
}

fn write(out: &Path, mut regions: Vec<Region>) -> Result {
    regions.sort_by(|a, b| a.id.cmp(&b.id));
    let bytes = shared::geo::encode(&regions).map_err(|e| e.to_string())?;
    std::fs::write(out, &bytes).map_err(|e| e.to_string())?;
    println!("{}: {} regions, {} bytes", out.display(), regions.len(), bytes.len());
    Ok(())
}

/// Douglas–Peucker tolerance in degrees (about 330 m): under half a pixel on the widest map the app draws
/// (1,040 px for the country's 6.6° of longitude), so the outlines look the same with a third of the points, and
/// every redraw of the map strokes and fills that many fewer.
const DEPARTMENT_TOLERANCE: f64 = 0.003;

/// The same for a department's municipalities, drawn on the same canvas: the widest department (Gracias a Dios,
/// 2.3°; Olancho 2.2°) spans about 950 px, so 0.001° (110 m) is under half a pixel there too.
const MUNICIPALITY_TOLERANCE: f64 = 0.001;

fn polygon(value: &Value, tolerance: f64) -> Result<Polygon> {
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
            let simple = simplify(&points, tolerance);
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
