"""Building import files in tests: real .xlsx (openpyxl) and .csv bytes, as officers upload them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from cnstd.uscc import uscc_check_char

HEADER = [
    "统一社会信用代码*", "企业名称*", "所在地区*", "行业代码", "成立日期", "注册资本(万元)", "所有制", "上市情况",
    "联系电话", "年度", "营业收入(万元)", "主营业务收入(万元)", "从业人员", "研发费用(万元)", "资产总额(万元)",
    "利润总额(万元)", "纳税信用等级", "发明专利数", "资质", "失信主体", "经营异常", "近三年重大违法",
]


def uscc(region: str, n: int) -> str:
    body = f"91{region}MA{n:07d}"[:17]
    return body + uscc_check_char(body)


def wrong_check(code: str) -> str:
    """The same code with a check character that does not match."""
    return code[:17] + ("0" if code[17] != "0" else "1")


A = uscc("350582", 1)
B = uscc("350503", 2)


def good_rows() -> list[list[object]]:
    return [
        [A, "晋江示例鞋业有限公司", "泉州市晋江市", "3971", "2015-06-01", 5000, "民营", "未上市", "13812345678",
         2024, 3500, 3400, 120, 210, 4200, -20, "A", 6, "hnte:2023-11-20~2026-11-19", "否", "否", "否"],
        [A, "晋江示例鞋业有限公司", "泉州市晋江市", "3971", "2015-06-01", 5000, "民营", "未上市", "13812345678",
         2023, 3000, 2900, 110, 150, 4000, 100, "B", 5, "", "", "", ""],
        [B, "泉州丰泽示例软件有限公司", "丰泽区", "软件开发", "", "", "", "", "", 2024, 800.5, "", 45, "", "", "", "", "",
         "", "", "", ""],
    ]


def xlsx_bytes(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "企业数据"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER, *, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode(encoding)


def with_cell(rows: list[list[object]], row: int, column: str, value: object) -> list[list[object]]:
    """A copy of ``rows`` with one cell replaced (row index 0-based among data rows)."""
    copy = [list(r) for r in rows]
    copy[row][HEADER.index(column)] = value
    return copy
