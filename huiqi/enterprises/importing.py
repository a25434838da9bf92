"""Importing enterprise data from a spreadsheet (.xlsx) or CSV file, all or nothing.

Every row is checked before anything is written; a file with any error changes nothing and
reports each problem by row and column (``第 5 行「营业收入(万元)」：不能为负数（-20）``).
One row is one enterprise-year: the same enterprise may appear on several rows, one per year.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cnstd.uscc import uscc_check_char, validate_uscc
from huiqi.audit.services import audit_record
from huiqi.core.jobs import heartbeat, job_claim, progress_read, progress_report, stale_jobs
from huiqi.core.spreadsheets import Formula, SpreadsheetRefused, column_letter, read_xlsx

from .models import Enterprise, EnterpriseFlag, ImportJob, Qualification, YearFigure
from .services import EnterpriseRow, QualificationEntry, enterprise_row_apply
from .signals import profiles_imported
from .values import (
    NEGATIVE_ALLOWED,
    STATIC_PARSERS,
    is_blank,
    parse_bool,
    parse_count,
    parse_date,
    parse_money_wan,
    parse_tax_rating,
    parse_year,
)

DATA_SHEET = "企业数据"
HELP_SHEET = "说明"


@dataclass(frozen=True)
class Column:
    header: str  # as printed in the template, without the required mark
    key: str
    required: bool = False
    help: str = ""
    example: object = ""
    aliases: tuple[str, ...] = ()

    @property
    def printed(self) -> str:
        return self.header + ("*" if self.required else "")


_EXAMPLE_USCC = "91350582MA2Y0001" + "0"
_EXAMPLE_USCC = _EXAMPLE_USCC[:17] + uscc_check_char(_EXAMPLE_USCC[:17])

_FIGURE_HEADERS: dict[str, str] = {
    name: f"{label}(万元)" if name in YearFigure.MONEY_FIELDS else label for name, label in YearFigure.FIELDS.items()
}
_FIGURE_EXAMPLES: dict[str, object] = {
    "revenue": 3500, "main_revenue": 3400, "employees": 120, "insured_employees": 110, "rd_expense": 210,
    "tax_paid": 180, "total_assets": 4200, "output_value": 3800, "export_value": "", "fixed_asset_investment": 600,
    "profit": 300, "tax_credit_rating": "A", "invention_patents": 6,
}
_FIGURE_HELP: dict[str, str] = {
    "profit": "该年度利润总额，单位万元；亏损填负数",
    "tax_credit_rating": "纳税缴费信用等级：A、B、M、C、D",
    "employees": "年末从业人员数（人），整数",
    "insured_employees": "年末参加社会保险人数（人），整数",
    "invention_patents": "截至年末有效发明专利数（件），整数",
}

_FLAG_HEADERS = {"dishonest": "失信主体", "abnormal_operation": "经营异常", "major_violation_3y": "近三年重大违法"}

COLUMNS: tuple[Column, ...] = (
    Column("统一社会信用代码", "uscc", True, "18位统一社会信用代码；校验码不符时须核实后在「校验码已核实」列填“是”",
           _EXAMPLE_USCC, ("信用代码", "社会信用代码")),
    Column("企业名称", "name", True, "营业执照上的全称", "泉州示例电子科技有限公司", ("名称",)),
    Column("所在地区", "region", True, "县级地区名称（如 晋江市、泉州市丰泽区）或6位行政区划代码；同名地区须写上级地区",
           "泉州市晋江市", ("地区", "行政区划", "行政区划代码")),
    Column("行业代码", "industry", False, "国民经济行业分类（GB/T 4754-2017）4位小类代码，也可填行业名称", "3971",
           ("行业", "所属行业")),
    Column("成立日期", "established_on", False, "如 2015-06-01", "2015-06-01"),
    Column("注册资本(万元)", "registered_capital", False, "单位万元（1000万元填 1000）", 1000, ("注册资本",)),
    Column("所有制", "ownership", False, "民营、国有、外资、港澳台资、集体、其他", "民营"),
    Column("上市情况", "listed", False, "未上市、新三板、北交所、科创板、创业板、主板、境外上市", "未上市"),
    Column("法定代表人", "legal_representative", False, "", "张三"),
    Column("联系电话", "contact_phone", False, "页面和导出中只显示前三位和后四位", "13812345678"),
    Column("联系邮箱", "contact_email", False, "用于告知新的可享政策和到账消息；页面和导出中只显示首字母和域名",
           "caiwu@example.com", ("电子邮箱", "邮箱")),
    Column("住所", "address", False, "", "福建省晋江市某某路1号"),
    Column("年度", "year", False, "以下年度指标所属年度（如 2024）；同一企业多个年度写多行", 2024),
    *(
        Column(_FIGURE_HEADERS[name], f"fig:{name}", False,
               _FIGURE_HELP.get(name, f"该年度{label}，单位万元，不能为负数" if name in YearFigure.MONEY_FIELDS else label),
               _FIGURE_EXAMPLES[name], (label,))
        for name, label in YearFigure.FIELDS.items()
    ),
    Column("资质", "qualifications", False,
           "资质代码或名称，多个用“；”分隔，可带有效期：hnte:2023-11-20~2026-11-19；须已在资质目录中；填“无”表示没有任何资质；留空表示未知",
           "hnte:2023-11-20~2026-11-19；srdi"),
    *(
        Column(_FLAG_HEADERS[name], f"flag:{name}", False, f"是否在{label}中：是/否；留空表示未知", "否", (label,))
        for name, label in EnterpriseFlag.FLAGS.items()
    ),
    Column("校验码已核实", "check_overridden", False, "信用代码校验码不符但已核实无误时填“是”", ""),
    Column("数据来源", "source", False, "提供数据的部门（如 市场监管、税务、统计）；留空时用导入时填写的来源", "市场监管"),
    Column("数据日期", "as_of", False, "数据截至日期；留空时用导入时填写的日期", "2025-03-31"),
)
REQUIRED = tuple(c for c in COLUMNS if c.required)
# The longest text each column may hold (the model's max_length): longer is a row error, never cut.
TEXT_LIMITS = {"name": 200, "legal_representative": 50, "contact_phone": 30, "contact_email": 254, "address": 200, "source": 50}


def _normalize_header(text: object) -> str:
    value = "" if text is None else str(text)
    value = value.replace("（", "(").replace("）", ")").replace("*", "").replace("＊", "")
    return "".join(value.split())


_HEADER_INDEX: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _HEADER_INDEX.setdefault(_normalize_header(_name), _column)


@dataclass(frozen=True)
class ImportIssue:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row is not None else "文件"
        return f"{where}「{self.column}」：{self.message}" if self.column else f"{where}：{self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"导入失败：共 {len(self.errors)} 处错误，数据库未作任何改动"
        return f"导入成功：共 {self.rows} 行，新建企业 {self.created} 家，更新企业 {self.updated} 家"


class UnreadableFile(Exception):
    """The upload is not a spreadsheet or CSV file we can read."""


# ---------------------------------------------------------------------------------------------
# Reading the file


def _read_xlsx(data: bytes) -> list[list[object]]:
    if not data.startswith(b"PK\x03\x04"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise UnreadableFile("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入")
        raise UnreadableFile("文件不是有效的 Excel（.xlsx）文件，可能已损坏，请下载模板重新填写")
    try:
        # bomb check first, then openpyxl in a child with memory and time limits
        return read_xlsx(data, sheet_name=DATA_SHEET)
    except SpreadsheetRefused as exc:
        raise UnreadableFile(str(exc)) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _read_csv(data: bytes) -> list[list[object]]:
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile("文件扩展名为 .csv，但内容是 Excel 文件，请把扩展名改为 .xlsx")
    text: str | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or _CONTROL.search(text):
        raise UnreadableFile("文件不是文本格式的 CSV（应为 UTF-8 或 GB18030 编码），请用 Excel 另存为 CSV 或 .xlsx")
    # A cell may be as long as the file (the row check then names it); the default 131,072
    # limit would turn an over-long cell into an English parser error.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text))
    try:
        return [list(row) for row in reader]
    except csv.Error:
        raise UnreadableFile(f"CSV 文件第 {reader.line_num} 行格式错误（引号不配对或含有空字符），请用 Excel 另存为 CSV 后重试") from None


def read_table(*, filename: str, data: bytes) -> list[list[object]]:
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(data)
    if suffix == ".csv":
        return _read_csv(data)
    if suffix == ".xls":
        raise UnreadableFile("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 后再导入")
    raise UnreadableFile(f"不支持的文件类型（{suffix or '无扩展名'}）：请上传 .xlsx 或 .csv 文件，可下载模板填写")


# ---------------------------------------------------------------------------------------------
# Checking rows


@dataclass
class _ParsedRow:
    line: int
    row: EnterpriseRow
    source: str
    as_of: date


class _Catalogue:
    """The 资质目录 by code, name and alias, read once per import."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}
        for q in Qualification.objects.all():
            for key in (q.code, q.name, *(q.aliases or [])):
                self.by_key.setdefault(str(key).strip().lower(), q.code)

    def parse(self, text: str) -> list[QualificationEntry]:
        text = text.strip()
        if text in {"无", "没有"}:
            return []
        entries: list[QualificationEntry] = []
        for item in re.split(r"[；;、\n]+", text):
            item = item.strip()
            if not item:
                continue
            m = re.fullmatch(r"(.*?)[:：](.*)", item, flags=re.S)
            key, period = (m.group(1).strip(), m.group(2).strip()) if m else (item, "")
            code = self.by_key.get(key.lower())
            if code is None:
                raise ValueError(f"未知资质「{key}」，请先在资质目录中添加该资质后再导入")
            valid_from = valid_to = None
            if period:
                start, end = ([*re.split(r"~|～|至", period, maxsplit=1), ""])[:2]
                try:
                    valid_from = parse_date(start.strip()) if start.strip() else None
                    valid_to = parse_date(end.strip()) if end.strip() else None
                except ValueError as exc:
                    raise ValueError(f"资质「{key}」的有效期{exc}") from None
                if valid_from and valid_to and valid_to < valid_from:
                    raise ValueError(f"资质「{key}」的有效期止早于有效期起（{period}）")
            entries.append(QualificationEntry(code=code, valid_from=valid_from, valid_to=valid_to))
        return entries


def _figure_value(name: str, value: object) -> Decimal | str:
    if name in YearFigure.MONEY_FIELDS:
        return parse_money_wan(value, allow_negative=name in NEGATIVE_ALLOWED)
    if name in YearFigure.COUNT_FIELDS:
        return parse_count(value)
    return parse_tax_rating(value)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_rows(table: list[list[object]], *, default_source: str = "", default_as_of: date | None = None,
               report: ImportReport) -> list[_ParsedRow]:
    """Check every row; fill ``report.errors``; return the parsed rows (only useful when no error)."""
    def error(line: int | None, column: Column | str, message: str) -> None:
        report.errors.append(ImportIssue(line, column.header if isinstance(column, Column) else column, message))

    header_at = next((i for i, row in enumerate(table) if any(not is_blank(v) for v in row)), None)
    if header_at is None:
        error(None, "", "文件中没有任何内容，请下载模板填写后再导入")
        return []
    header = table[header_at]
    positions: dict[str, int] = {}
    columns: dict[str, Column] = {}
    for index, title in enumerate(header):
        if is_blank(title):
            continue
        column = _HEADER_INDEX.get(_normalize_header(title))
        if column is None:
            report.warnings.append(f"第 {header_at + 1} 行：未识别的列「{str(title).strip()}」，已忽略")
            continue
        if column.key in positions:
            error(header_at + 1, column, "该列出现了两次")
            continue
        positions[column.key] = index
        columns[column.key] = column
    for column in REQUIRED:
        if column.key not in positions:
            error(header_at + 1, column, "缺少必填列（表头）；请按模板填写表头")
    if not default_source and "source" not in positions:
        error(header_at + 1, "数据来源", "请在导入时填写数据来源（如 市场监管），或在文件中加「数据来源」列")
    if default_as_of is None and "as_of" not in positions:
        error(header_at + 1, "数据日期", "请在导入时填写数据日期，或在文件中加「数据日期」列")
    if report.errors:
        return []

    catalogue = _Catalogue()
    # Codes an officer already confirmed need no 校验码已核实 mark on every later import.
    confirmed_codes = set(Enterprise.objects.filter(uscc_check_overridden=True).values_list("uscc", flat=True))
    parsed: list[_ParsedRow] = []
    seen_years: dict[tuple[str, int], int] = {}
    seen_static: dict[str, dict[str, tuple[object, int]]] = {}
    for offset, raw in enumerate(table[header_at + 1:], start=header_at + 2):
        cells = {key: raw[pos] if pos < len(raw) else None for key, pos in positions.items()}
        if all(is_blank(v) for v in cells.values()):
            continue
        report.rows += 1
        errors_before = len(report.errors)
        row = EnterpriseRow(uscc="")
        formulas = {key for key, value in cells.items() if isinstance(value, Formula)}
        for key in formulas:
            error(offset, columns[key], f"单元格 {column_letter(positions[key])}{offset} 是公式"
                                        f"（{str(cells[key])[:40]}），不导入公式，请改为数值或文字")
            cells[key] = None
        for column in REQUIRED:
            if is_blank(cells.get(column.key)) and column.key not in formulas:
                error(offset, column, "必填，不能为空")

        overridden = False
        if not is_blank(cells.get("check_overridden")):
            try:
                overridden = parse_bool(cells["check_overridden"])
            except ValueError as exc:
                error(offset, columns["check_overridden"], str(exc))
        if not is_blank(cells.get("uscc")):
            check = validate_uscc(_cell_text(cells["uscc"]))
            row.uscc = check.code
            if not check.format_ok:
                error(offset, columns["uscc"], f"{check.message}（{_cell_text(cells['uscc'])}）")
            elif not check.check_ok and not overridden and check.code not in confirmed_codes:
                error(offset, columns["uscc"], f"{check.message}（{check.code}）；如已核实代码无误，请在「校验码已核实」列填“是”")
            row.uscc_check_overridden = overridden and check.format_ok and not check.check_ok
        for key in ("name", "legal_representative", "contact_phone", "address"):
            if not is_blank(cells.get(key)):
                text = _cell_text(cells[key])
                if len(text) > TEXT_LIMITS[key]:
                    error(offset, columns[key], f"超过 {TEXT_LIMITS[key]} 字（实际 {len(text):,} 字），请核对后再导入")

                else:
                    setattr(row, key, text)
        for key, parse in STATIC_PARSERS.items():
            if is_blank(cells.get(key)):
                continue
            try:
                setattr(row, key, parse(cells[key]))
            except ValueError as exc:
                error(offset, columns[key], str(exc))

        if not is_blank(cells.get("year")):
            try:
                row.year = parse_year(cells["year"])
            except ValueError as exc:
                error(offset, columns["year"], str(exc))
        for name in YearFigure.FIELDS:
            key = f"fig:{name}"
            if is_blank(cells.get(key)):
                continue
            try:
                row.figures[name] = _figure_value(name, cells[key])
            except ValueError as exc:
                error(offset, columns[key], str(exc))
        if row.figures and row.year is None and is_blank(cells.get("year")):
            error(offset, columns.get("year", "年度"), "填写了年度指标，必须填写年度")
        for name in EnterpriseFlag.FLAGS:
            key = f"flag:{name}"
            if is_blank(cells.get(key)):
                continue
            try:
                row.flags[name] = parse_bool(cells[key])
            except ValueError as exc:
                error(offset, columns[key], str(exc))
        if not is_blank(cells.get("qualifications")):
            try:
                row.qualifications = catalogue.parse(_cell_text(cells["qualifications"]))
            except ValueError as exc:
                error(offset, columns["qualifications"], str(exc))

        source = _cell_text(cells["source"]) if not is_blank(cells.get("source")) else default_source
        if len(source) > TEXT_LIMITS["source"]:
            error(offset, columns.get("source", "数据来源"), f"超过 {TEXT_LIMITS['source']} 字，请核对后再导入")
        if not source:
            error(offset, columns.get("source", "数据来源"), "请填写数据来源，或在导入时统一填写")
        as_of = default_as_of
        if not is_blank(cells.get("as_of")):
            try:
                as_of = parse_date(cells["as_of"])
            except ValueError as exc:
                error(offset, columns["as_of"], str(exc))
        if as_of is None:
            error(offset, columns.get("as_of", "数据日期"), "请填写数据日期，或在导入时统一填写")

        if len(report.errors) == errors_before and row.uscc:
            # The same enterprise on several rows must agree on its registered facts.
            facts = seen_static.setdefault(row.uscc, {})
            for key, column in columns.items():
                if key in {"uscc", "year", "source", "as_of", "check_overridden", "qualifications"} or ":" in key:
                    continue
                value = getattr(row, key)
                if value in (None, ""):
                    continue
                if key in facts and facts[key][0] != value:
                    error(offset, column, f"与第 {facts[key][1]} 行同一企业的值不一致")
                else:
                    facts.setdefault(key, (value, offset))
            if row.year is not None:
                first = seen_years.setdefault((row.uscc, row.year), offset)
                if first != offset:
                    error(offset, columns["year"], f"同一企业 {row.year} 年度已在第 {first} 行出现")
        if len(report.errors) == errors_before and as_of is not None:
            parsed.append(_ParsedRow(offset, row, source, as_of))
    if report.rows == 0 and not report.errors:
        error(None, "", "文件中只有表头，没有数据行")
    return parsed


class _Rollback(Exception):
    pass


def import_check(*, filename: str, data: bytes, source: str = "", as_of: date | None = None,
                 report: ImportReport | None = None) -> list[Any]:
    """Read and check every row without writing; the problems land in `report.errors`."""
    report = report if report is not None else ImportReport()
    try:
        table = read_table(filename=filename, data=data)
    except UnreadableFile as exc:
        report.errors.append(ImportIssue(None, "", str(exc)))
        return []
    return check_rows(table, default_source=source.strip(), default_as_of=as_of, report=report)


def import_enterprises(*, actor: Any, filename: str, data: bytes, source: str = "",
                       as_of: date | None = None,
                       progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Check the whole file, then write it in one transaction; any error leaves the database as it
    was. `progress(done, total)` is called as rows are written (for the import job page).

    One audit event for the whole import (rows, created, updated, unchanged, the file's SHA-256),
    not one per enterprise; once it commits, the enterprises whose data really changed are
    announced together (`profiles_imported`), so matching queues one job for them all."""
    report = ImportReport()
    parsed = import_check(filename=filename, data=data, source=source, as_of=as_of, report=report)
    if report.errors:
        return report
    created: set[int] = set()
    touched: set[int] = set()
    changed: set[int] = set()
    try:
        with transaction.atomic():
            for done, item in enumerate(parsed, start=1):
                if progress is not None and (done % 50 == 0 or done == len(parsed)):
                    progress(done, len(parsed))
                try:
                    enterprise, was_created, before, after = enterprise_row_apply(
                        data=item.row, source=item.source, as_of=item.as_of)
                except ValidationError as exc:
                    report.errors.append(ImportIssue(item.line, "", "；".join(exc.messages)))
                    continue
                touched.add(enterprise.pk)
                if was_created:
                    created.add(enterprise.pk)
                if was_created or before or after:
                    changed.add(enterprise.pk)
            if report.errors:
                raise _Rollback
            report.created = len(created)
            report.updated = len(changed - created)
            unchanged = len(touched - changed)
            audit_record(actor=actor, action="enterprise.import", object_type="enterprises.enterprise",
                         object_repr=filename[:300],
                         after={"rows": report.rows, "created": report.created, "updated": report.updated,
                                "unchanged": unchanged, "sha256": hashlib.sha256(data).hexdigest()},
                         detail=f"文件：{filename}；来源：{source or '按行填写'}")
            pks = sorted(changed)
            transaction.on_commit(lambda: profiles_imported.send(sender=Enterprise, enterprise_pks=pks,
                                                                 label=filename))
    except _Rollback:
        report.created = report.updated = 0
    return report


# ---------------------------------------------------------------------------------------------
# Large files: checked at once, written by the worker with progress

SYNC_IMPORT_ROWS = 300  # above this many rows the writes go to the background worker


def _progress_key(job: ImportJob) -> str:
    # The stored file name is random, so a key never meets a job of an earlier database.
    return f"enterprise-import:{job.pk}:{job.file.name}"


def import_job_create(*, actor: Any, filename: str, data: bytes, source: str, as_of: date | None,
                      rows: int) -> ImportJob:
    """Queue a file that passed every check; the worker writes it (all or nothing). The file goes
    to the media storage (shared object storage in production), so a worker on any host reads it."""
    from django.core.files.base import ContentFile

    from .tasks import run_import_job

    with transaction.atomic():
        job = ImportJob(filename=filename[:200], source=source, as_of=as_of, rows=rows, created_by=actor)
        job.file.save(f"{uuid.uuid4().hex}{Path(filename).suffix.lower()}", ContentFile(data), save=False)
        job.save()
        audit_record(actor=actor, action="enterprise.import_queued", obj=job,
                     after={"filename": filename, "rows": rows, "source": source,
                            "sha256": hashlib.sha256(data).hexdigest()})
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


def import_job_run(*, job_id: int) -> None:
    """Run one queued job (the worker calls this), or take over one whose worker died (stale
    heartbeat): its transaction died with it, and writing the same file again changes nothing
    already written. Claimed with a compare-and-set update."""
    if not job_claim(ImportJob, job_id, queued=ImportJob.State.QUEUED, running=ImportJob.State.RUNNING):
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    key = _progress_key(job)

    def progress(done: int, total: int) -> None:
        progress_report(key, done=done, total=total)

    try:
        with heartbeat(ImportJob, job_id):
            with job.file.open("rb") as handle:  # through the storage API: local disk or object storage
                data = handle.read()
            report = import_enterprises(actor=job.created_by, filename=job.filename, data=data, source=job.source,
                                        as_of=job.as_of, progress=progress)
    except Exception as exc:
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED, finished_at=timezone.now(),
            report={"errors": [["—", "—", f"导入任务异常中止，数据库未作改动：{exc}"]]})
        raise
    ImportJob.objects.filter(pk=job_id, state=ImportJob.State.RUNNING).update(
        state=ImportJob.State.DONE if report.ok else ImportJob.State.FAILED, finished_at=timezone.now(),
        report={"rows": report.rows, "created": report.created, "updated": report.updated,
                "summary": report.summary(), "errors": [list(row) for row in iter_issue_rows(report)],
                "warnings": report.warnings})


def import_jobs_resume_stale() -> list[int]:
    """Queue again the import jobs whose worker stopped beating; returns their ids."""
    from .tasks import run_import_job

    stale = stale_jobs(ImportJob, running=ImportJob.State.RUNNING)
    for job_id in stale:
        run_import_job.enqueue(job_id)
    return stale


def import_job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows written, rows in the file) as the worker last reported them, from any host."""
    if job.state in {ImportJob.State.DONE, ImportJob.State.FAILED}:
        return job.rows, job.rows
    done, total = progress_read(_progress_key(job)) or (0, job.rows)
    return int(done), int(total or job.rows)


# ---------------------------------------------------------------------------------------------
# The template


def build_template() -> bytes:
    """The .xlsx officers fill in: the header row, one example row, and a 说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    sheet.append([c.printed for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    required_fill = PatternFill("solid", fgColor="FDECEE")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C8102E" if column.required else "000000")
        if column.required:
            cell.fill = required_fill
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.printed) * 2 + 2)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(HELP_SHEET)
    notes.append(["列名", "是否必填", "填写说明（单位）", "示例"])
    for column in COLUMNS:
        notes.append([column.printed, "必填" if column.required else "选填", column.help, str(column.example)])
    notes.append([])
    for line in (
        "每行是一家企业的一个年度；同一企业的多个年度写多行，登记信息各行须一致。",
        "金额列单位均为万元（如 3500 表示 3500 万元）；单元格中写明单位（如 3500万元、1.2亿元）时按所写单位换算。",
        "留空表示“未知”，不会被当作 0 或“否”，也不会覆盖已有数据。",
        "整个文件先全部校验，有任何错误则一行也不导入，并逐行列出错误。",
        "再次导入同一信用代码的企业会更新原有记录，不会重复建档。",
    ):
        notes.append([line])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 22), ("B", 10), ("C", 80), ("D", 32)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        row[min(2, len(row) - 1)].alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def iter_issue_rows(report: ImportReport) -> Iterator[tuple[str, str, str]]:
    for issue in report.errors:
        yield (str(issue.row) if issue.row is not None else "—", issue.column or "—", issue.message)
