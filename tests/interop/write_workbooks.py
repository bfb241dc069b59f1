"""Writes the demo's CSV tables as workbooks the way analysts' tools do, for tests/tests/interop.rs.

- snapshot.xlsx (openpyxl, Excel's format): one sheet per table, plus a "Léame" sheet. Numbers are numbers, the
  facts' first months are Excel dates shown as "ene-26" in a month column, the milestones' dates are Excel dates, one
  value is a number stored as text, and two empty rows trail each sheet.
- snapshot.ods (odfpy, LibreOffice's format): the same tables, numbers as floats, dates as ISO date values.

Usage: python write_workbooks.py CSV_DIR OUTDIR
"""
import csv
import datetime as dt
import os
import sys

import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

src, out = sys.argv[1], sys.argv[2]
TABLES = ["facts", "targets", "interventions", "milestones", "budget_lines", "risks"]
NUMBERS = {"value", "approved_hnl", "current_hnl", "committed_hnl", "executed_hnl", "weight", "probability", "impact",
           "priority", "fiscal_year", "year", "previous_value"}
DATES = {"planned_date", "baseline_date", "actual_date", "revised_on"}


def rows_of(name):
    with open(os.path.join(src, f"{name}.csv"), encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def typed(column, cell, row_index):
    if cell == "":
        return None
    if column == "period" and len(cell) == 7 and cell[4] == "-" and row_index < 50:
        return dt.datetime(int(cell[:4]), int(cell[5:]), 1)
    if column in DATES:
        return dt.datetime.fromisoformat(cell)
    if column in NUMBERS:
        if column == "value" and row_index == 3:
            return cell  # a number stored as text, as Excel keeps it after a paste
        number = float(cell)
        return int(number) if number.is_integer() else number
    return cell


book = openpyxl.Workbook()
notes = book.active
notes.title = "Léame"
notes["A1"] = "Una hoja por tabla; la primera fila de cada hoja es el encabezado."
for name in TABLES:
    header, *body = rows_of(name)
    sheet = book.create_sheet(name)
    sheet.append(header)
    for i, row in enumerate(body):
        sheet.append([typed(c, v, i) for c, v in zip(header, row)])
        for col, value in zip(header, sheet[sheet.max_row]):
            if col == "period" and isinstance(value.value, dt.datetime):
                value.number_format = "mmm-yy"
            elif col in DATES and value.value is not None:
                value.number_format = "dd/mm/yyyy"
    sheet.append([])
    sheet.append([])
book.save(os.path.join(out, "snapshot.xlsx"))

ods = OpenDocumentSpreadsheet()
for name in TABLES:
    header, *body = rows_of(name)
    table = Table(name=name)
    for values in [header] + body:
        tr = TableRow()
        for column, cell in zip(header, values):
            if values is header or cell == "":
                tc = TableCell(valuetype="string") if cell else TableCell()
            elif column in NUMBERS:
                tc = TableCell(valuetype="float", value=cell)
            elif column in DATES:
                tc = TableCell(valuetype="date", datevalue=cell)
            else:
                tc = TableCell(valuetype="string")
            if cell:
                tc.addElement(P(text=cell))
            tr.addElement(tc)
        table.addElement(tr)
    ods.spreadsheet.addElement(table)
ods.save(os.path.join(out, "snapshot.ods"))
