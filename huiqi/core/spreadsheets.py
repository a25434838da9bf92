"""Spreadsheets in and out, safely — the one place every Excel/CSV exporter and importer goes.

Out (formula injection, CWE-1236): an enterprise name like ``=HYPERLINK(…)`` or
``=cmd|' /C calc'!A0`` must reach finance's bank file as text. In .xlsx every text value is
written as a text cell (never a formula) and, when it starts with = + - @ or a tab/CR, with
Excel's quote prefix so that editing the cell does not turn it into a formula either; the text
itself is unchanged. CSV has no types, so such a field gets a leading apostrophe (OWASP's advice);
plain numbers such as ``-12.50`` are left alone.

In: an .xlsx is checked for decompression bombs (``policytext.archive``) and then read in a
child process with memory and time limits (``huiqi.core.sandbox``). A formula cell comes back as
``Formula`` — never confused with an empty cell — so importers can refuse it naming the row and
column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from huiqi.core.sandbox import SandboxRefused, run_limited
from policytext.archive import XLSX_LIMITS, ArchiveCorrupt, ArchiveRefused, check_archive

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def is_formula_like(value: object) -> bool:
    return (isinstance(value, str) and value.startswith(FORMULA_START)
            and not _PLAIN_NUMBER.fullmatch(value))


def csv_field(value: object) -> object:
    """A CSV field that no spreadsheet will evaluate."""
    if is_formula_like(value):
        return "'" + str(value)
    return value


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a BOM (so Excel opens it as UTF-8), every field neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_field(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_row(sheet: Any, values: Iterable[object]) -> list[Any]:
    """Cells for ``sheet.append``: strings are text cells, never formulas. Works for normal and
    write-only sheets."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[Any] = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # openpyxl would make any "=…" string a formula
            if is_formula_like(value):
                cell.quotePrefix = True
            cells.append(cell)
        else:
            cells.append(value)
    return cells


@dataclass(frozen=True)
class Formula:
    """A formula cell of an imported sheet (its text, e.g. ``=SUM(A1:A3)``)."""

    text: str

    def __str__(self) -> str:
        return self.text


class SpreadsheetRefused(Exception):
    """The file is not read; ``str(exc)`` is a Chinese message for the uploader."""


def _read_sheet(data: bytes, sheet_name: str | None) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises a dozen kinds (zip, XML, KeyError) for a damaged file
        raise SpreadsheetRefused("无法打开该 Excel 文件：文件已损坏或不是有效的 Excel（.xlsx）文件") from None
    try:
        sheet = (workbook[sheet_name] if sheet_name and sheet_name in workbook.sheetnames
                 else workbook.worksheets[0])
        rows: list[list[object]] = []
        for row in sheet.iter_rows():
            rows.append([Formula(str(c.value)) if getattr(c, "data_type", None) == "f" else c.value for c in row])
        return rows
    except SpreadsheetRefused:
        raise
    except Exception:  # a zip whose sheets are damaged fails only while reading rows
        raise SpreadsheetRefused("无法读取该 Excel 文件的工作表：文件已损坏") from None
    finally:
        workbook.close()


def read_xlsx(data: bytes, *, sheet_name: str | None = None) -> list[list[object]]:
    """The cell values of one sheet (``sheet_name`` if present, else the first)."""
    try:
        check_archive(data, limits=XLSX_LIMITS)
    except ArchiveCorrupt:
        raise SpreadsheetRefused("无法打开该 Excel 文件：文件已损坏或不是有效的 Excel（.xlsx）文件") from None
    except ArchiveRefused as exc:
        raise SpreadsheetRefused(str(exc)) from exc
    try:
        return run_limited(_read_sheet, data, sheet_name, what="Excel 文件")
    except SandboxRefused as exc:
        raise SpreadsheetRefused(str(exc)) from exc


def column_letter(index: int) -> str:
    """0 → A, 26 → AA."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


MONEY_FORMAT = "#,##0.00"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export_cell(sheet: Any, value: object, *, bold: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if isinstance(value, str):
        cell = xlsx_row(sheet, [value])[0]
    elif isinstance(value, bool) or value is None:
        cell = xlsx_row(sheet, ["是" if value else ("" if value is None else "否")])[0]
    else:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, Decimal):
            cell.number_format = MONEY_FORMAT  # a number Excel sums, shown with two decimals
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[object]],
               total: Sequence[object] | None = None) -> bytes:
    """An export sheet written row by row (write-only mode): numbers stay numbers, text stays
    text, an optional bold total row."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([_export_cell(sheet, h, bold=True) for h in header])
    for row in rows:
        sheet.append([_export_cell(sheet, v) for v in row])
    if total is not None:
        sheet.append([_export_cell(sheet, v, bold=True) for v in total])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[object]],
                  total: Sequence[object] | None = None) -> Any:
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(xlsx_bytes(title, header, rows, total), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
