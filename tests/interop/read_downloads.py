"""Reads the server's open-data downloads of one table the way their users would, and prints what they read as JSON.

Usage: read_downloads.py DIR, where DIR holds facts.parquet, facts.arrow, facts.csv and facts-hxl.csv as downloaded.
Prints, for each file: rows, the sum of `value`, how many values are empty, and the first rows' cells.
"""

import json
import math
import sys
from pathlib import Path

import pandas as pd
import pyarrow.ipc
import pyarrow.parquet

CELLS = ["indicator", "period", "territory", "service", "population", "sex", "age_group", "value", "status"]


def summary(frame: pd.DataFrame) -> dict:
    values = frame["value"]
    first = []
    for _, row in frame.head(5).iterrows():
        cells = {}
        for name in CELLS:
            v = row[name]
            if name == "value":
                cells[name] = None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            else:
                cells[name] = str(v)
        first.append(cells)
    return {
        "rows": int(len(frame)),
        "sum": float(values.sum(skipna=True)),
        "nulls": int(values.isna().sum()),
        "first": first,
    }


def read_csv(path: Path, hxl: bool) -> pd.DataFrame:
    # Codes stay text (an age group "18-24" or a period "2025-01" is not a number); an empty value cell is missing.
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, skiprows=[1] if hxl else None, encoding="utf-8")
    frame["value"] = pd.to_numeric(frame["value"].replace("", None))
    return frame


def main() -> None:
    folder = Path(sys.argv[1])
    parquet = pyarrow.parquet.read_table(folder / "facts.parquet")
    with pyarrow.ipc.open_file(folder / "facts.arrow") as reader:
        arrow = reader.read_all()
    hxl_row = (folder / "facts-hxl.csv").read_text(encoding="utf-8").splitlines()[1]
    out = {
        "parquet": summary(parquet.to_pandas()),
        "parquet_dictionary": [f.name for f in parquet.schema if pyarrow.types.is_dictionary(f.type)],
        "arrow": summary(arrow.to_pandas()),
        "csv": summary(read_csv(folder / "facts.csv", hxl=False)),
        "csv_hxl": summary(read_csv(folder / "facts-hxl.csv", hxl=True)),
        "hxl_row": hxl_row.split(","),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
