"""Excel exports for every page that offers one: numbers stay numbers (Excel can sum them), text
stays text (a value starting with = + - @ never becomes a live formula), written row by row
(openpyxl's write-only mode) so a long list does not sit in memory twice."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


def _cell(sheet: Worksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, bool) or value is None:
        cell = WriteOnlyCell(sheet, value="是" if value else ("" if value is None else "否"))
    elif isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, (int, float, date, datetime)):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.data_type = "s"  # a string cell, even when the text starts with "=": never a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
               total: Sequence[Any] | None = None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([_cell(sheet, h, bold=True) for h in header])
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    if total is not None:
        sheet.append([_cell(sheet, v, bold=True) for v in total])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
                  total: Sequence[Any] | None = None) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(title, header, rows, total), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
