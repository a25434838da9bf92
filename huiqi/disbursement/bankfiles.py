"""Payment files exchanged with the treasury and the bank.

Two exports of a batch, each as CSV (UTF-8 with BOM, so Excel opens it) or Excel:
- the review list (`bank=False`): account numbers masked, for checking and filing;
- the bank file (`bank=True`): the one place the full account number leaves the database, because
  the bank cannot pay a masked account. Each account is decrypted through `bank_account_reveal`,
  which leaves one audit event per account, and exporting it marks the batch as sent.

The bank's result file has the columns 明细编号, 结果 (成功/失败), 银行流水号, 失败原因 (金额
optional, checked when present). A file with any bad row is rejected as a whole with the row and
column of every problem, and nothing is booked; a good file may be imported twice without paying
twice (each line's ledger key is `bank:<line id>`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from huiqi.audit.services import audit_record
from huiqi.core.spreadsheets import (
    Formula,
    SpreadsheetRefused,
    column_letter,
    csv_bytes,
    read_xlsx,
    xlsx_bytes,
)

from . import access
from .models import BankAccount, PaymentBatch, PaymentLine
from .services import DisbursementError, bank_account_reveal, line_fail, payment_record

EXPORT_HEADER = ["明细编号", "企业名称", "统一社会信用代码", "户名", "开户行", "账号", "金额（元）", "用途"]
RESULT_HEADER = ["明细编号", "结果", "银行流水号", "失败原因"]
PAID_WORDS = {"成功", "已到账", "paid", "success"}
FAILED_WORDS = {"失败", "failed", "fail"}
MAX_ROWS = 50_000


def export_rows(*, actor: Any, batch: PaymentBatch, bank: bool) -> list[list[Any]]:
    if bank and not access.access_pay(actor, batch.item):
        raise PermissionError("只有财政人员可以导出银行拨付文件")
    if not bank and not access.access_payments_view(actor, batch.item):
        raise PermissionError("无权导出该批次")
    lines = list(batch.lines.filter(status=PaymentLine.Status.PENDING).select_related("entitlement__enterprise"))
    accounts = {a.enterprise_id: a for a in BankAccount.objects.filter(
        enterprise_id__in=[ln.entitlement.enterprise_id for ln in lines])}
    rows: list[list[Any]] = [EXPORT_HEADER]
    with transaction.atomic():
        for line in lines:
            enterprise = line.entitlement.enterprise
            number = line.account_masked
            if bank:
                account = accounts.get(enterprise.pk)
                if account is None:
                    raise DisbursementError(f"{line.code} {enterprise.name}：收款账户已被删除，无法生成银行文件")
                number = bank_account_reveal(actor=actor, account=account, purpose=f"导出银行拨付文件 {batch.code}")
            rows.append([line.code, enterprise.name, enterprise.uscc, line.account_name, line.bank_name, number,
                         line.amount, f"{batch.item.title}（{line.entitlement.period}）"])
        if bank:
            PaymentBatch.objects.filter(pk=batch.pk, status=PaymentBatch.Status.DRAFT).update(
                status=PaymentBatch.Status.SENT, exported_at=timezone.now())
            audit_record(actor=actor, action="payment_batch.export_bank", obj=batch, after={"lines": len(lines)})
    return rows


AMOUNT_COLUMN = EXPORT_HEADER.index("金额（元）")


def _total_row(rows: list[list[Any]]) -> list[Any]:
    total = sum((row[AMOUNT_COLUMN] for row in rows[1:]), Decimal("0.00"))
    return [f"合计（{len(rows) - 1} 笔）", *[""] * (AMOUNT_COLUMN - 1), total, ""]


def to_csv(rows: list[list[Any]]) -> bytes:
    """Names and bank names an enterprise typed are never formulas (huiqi.core.spreadsheets)."""
    return csv_bytes([[f"{v:.2f}" if isinstance(v, Decimal) else v for v in row] for row in [*rows, _total_row(rows)]])


def to_xlsx(rows: list[list[Any]], *, title: str) -> bytes:
    """Amounts are number cells (Excel sums them) with a total row; account numbers and credit
    codes stay text cells (huiqi.core.spreadsheets)."""
    return xlsx_bytes(title, rows[0], rows[1:], total=_total_row(rows))


@dataclass
class ResultRow:
    row: int
    line: PaymentLine
    paid: bool
    reference: str
    reason: str


@dataclass
class ImportReport:
    paid: int = 0
    failed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


class ImportRejected(DisbursementError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("；".join(errors[:20]))
        self.errors = errors


def _read_table(filename: str, content: bytes) -> list[list[str]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            table = read_xlsx(content)
        except SpreadsheetRefused as exc:
            raise ImportRejected([f"文件“{filename}”：{exc}"]) from exc
        formulas = [f"第{r}行第{column_letter(c)}列：是公式（{str(v)[:40]}），银行回单应为数值或文字"
                    for r, row in enumerate(table, start=1) for c, v in enumerate(row) if isinstance(v, Formula)]
        if formulas:
            raise ImportRejected(formulas)
        return [["" if v is None else str(v).strip() for v in row] for row in table]
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise ImportRejected([f"文件“{filename}”编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV"]) from exc
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    raise ImportRejected([f"文件“{filename}”格式不支持，请上传 .csv 或 .xlsx"])


def parse_results(*, batch: PaymentBatch, filename: str, content: bytes) -> list[ResultRow]:
    table = [row for row in _read_table(filename, content) if any(row)]
    if not table:
        raise ImportRejected(["文件为空"])
    header = table[0]
    missing = [name for name in RESULT_HEADER[:2] if name not in header]
    if missing:
        raise ImportRejected([f"第1行（表头）缺少列：{'、'.join(missing)}；应包含 {'、'.join(RESULT_HEADER)}"])
    if len(table) - 1 > MAX_ROWS:
        raise ImportRejected([f"文件超过 {MAX_ROWS} 行"])
    col = {name: header.index(name) for name in header if name}
    amount_col = col.get("金额（元）", col.get("金额"))
    lines = {ln.code: ln for ln in batch.lines.select_related("entitlement__enterprise")}
    seen: set[str] = set()
    errors: list[str] = []
    rows: list[ResultRow] = []

    def cell(row: list[str], name: str) -> str:
        index = col.get(name)
        return row[index] if index is not None and index < len(row) else ""

    for number, row in enumerate(table[1:], start=2):
        code, result = cell(row, "明细编号"), cell(row, "结果")
        line = lines.get(code)
        if not code:
            errors.append(f"第{number}行“明细编号”列：为空")
            continue
        if line is None:
            errors.append(f"第{number}行“明细编号”列：{code} 不属于批次 {batch.code}")
            continue
        if code in seen:
            errors.append(f"第{number}行“明细编号”列：{code} 重复出现")
            continue
        seen.add(code)
        if result not in PAID_WORDS | FAILED_WORDS:
            errors.append(f"第{number}行“结果”列：应为“成功”或“失败”，实际为“{result}”")
            continue
        paid = result in PAID_WORDS
        reason = cell(row, "失败原因")
        if not paid and not reason:
            errors.append(f"第{number}行“失败原因”列：结果为失败时必须填写原因")
            continue
        if amount_col is not None and amount_col < len(row) and row[amount_col]:
            try:
                if Decimal(row[amount_col].replace(",", "")) != line.amount:
                    errors.append(f"第{number}行“金额”列：{row[amount_col]} 与明细金额 {line.amount} 不一致")
                    continue
            except InvalidOperation:
                errors.append(f"第{number}行“金额”列：“{row[amount_col]}”不是数字")
                continue
        rows.append(ResultRow(number, line, paid, cell(row, "银行流水号"), reason))
    if errors:
        raise ImportRejected(errors)
    return rows


def import_results(*, actor: Any, batch: PaymentBatch, filename: str, content: bytes) -> ImportReport:
    """Book a bank result file: all rows or none."""
    if not access.access_pay(actor, batch.item):
        raise PermissionError("只有财政人员可以导入银行回单")
    rows = parse_results(batch=batch, filename=filename, content=content)
    report = ImportReport()
    with transaction.atomic():
        for result in rows:
            line = result.line
            if line.status != PaymentLine.Status.PENDING:
                report.unchanged += 1  # booked by an earlier import of the same file
                continue
            if result.paid:
                payment_record(actor=actor, line=line, idempotency_key=f"bank:{line.pk}", reference=result.reference)
                report.paid += 1
            else:
                line_fail(actor=actor, line=line, reason=result.reason)
                report.failed += 1
        audit_record(actor=actor, action="payment_batch.import_results", obj=batch,
                     after={"file": filename, "paid": report.paid, "failed": report.failed,
                            "unchanged": report.unchanged})
    return report
