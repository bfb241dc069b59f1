"""Writes the same facts table the way other Arrow implementations do, for tests/tests/interop.rs.

Usage: python write_files.py INPUT.csv OUTDIR
"""
import sys

import polars as pl
import pyarrow as pa
import pyarrow.csv as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

src, out = sys.argv[1], sys.argv[2]
dims = ["indicator", "period", "territory", "service", "population", "sex", "age_group", "status"]
types = {d: pa.string() for d in dims}
types["value"] = pa.float64()
table = pc.read_csv(src, convert_options=pc.ConvertOptions(column_types=types, strings_can_be_null=True))

# Compressed IPC: file with LZ4, stream with ZSTD.
with ipc.new_file(f"{out}/lz4.arrow", table.schema, options=ipc.IpcWriteOptions(compression="lz4")) as w:
    w.write_table(table)
with ipc.new_stream(f"{out}/zstd.arrows", table.schema, options=ipc.IpcWriteOptions(compression="zstd")) as w:
    w.write_table(table)

# Utf8View strings.
view = table.cast(pa.schema([pa.field(n, pa.string_view() if n in dims else pa.float64()) for n in table.column_names]))
with ipc.new_file(f"{out}/view.arrow", view.schema) as w:
    w.write_table(view)

# LargeUtf8 strings.
large = table.cast(pa.schema([pa.field(n, pa.large_string() if n in dims else pa.float64()) for n in table.column_names]))
with ipc.new_stream(f"{out}/large.arrows", large.schema) as w:
    w.write_table(large)

# Dictionaries with Int8 keys and Int32 counts where the data allows (all demo values are whole).
dict_cols = [pa.compute.dictionary_encode(table[d]).cast(pa.dictionary(pa.int8(), pa.string())) for d in dims]
value = table["value"].cast(pa.int32())
dicts = pa.table(dict(zip(dims, dict_cols)) | {"value": value})
with ipc.new_file(f"{out}/dict.arrow", dicts.schema) as w:
    w.write_table(dicts, max_chunksize=1000)

# Parquet from pyarrow (snappy, dictionary pages) and from polars (zstd, its own string types).
pq.write_table(table, f"{out}/pyarrow.parquet")
frame = pl.from_arrow(table)
frame.write_parquet(f"{out}/polars.parquet")
frame.write_ipc(f"{out}/polars.arrow", compression="zstd")
print("ok")
