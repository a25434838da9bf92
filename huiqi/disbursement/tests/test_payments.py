from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from openpyxl import load_workbook

from huiqi.audit.models import AuditEvent
from huiqi.disbursement import bankfiles
from huiqi.disbursement.models import BankAccount, Entitlement, LedgerEntry, PaymentBatch, PaymentLine
from huiqi.disbursement.services import (
    AlreadyPaid,
    bank_account_set,
    batch_confirm_paid,
    batch_create,
    budget_of,
    entitlement_grant,
    line_retry,
    line_return,
    payment_record,
    reversal_record,
)

pytestmark = pytest.mark.django_db

ACCOUNT = "6222021234567891234"


@pytest.fixture
def granted(make_item: Any, scaled: Any, officer: Any, make_user: Any) -> Any:
    """Two granted entitlements of one item, both enterprises with a registered account."""
    item = make_item()
    out = []
    for n, name in enumerate(["甲电子公司", "乙机械公司"]):
        enterprise = scaled(name)
        user = make_user("enterprise", enterprise=enterprise)
        bank_account_set(actor=user, enterprise=enterprise, account_name=name, bank_name="中国工商银行泉州分行",
                         number=f"{ACCOUNT[:-1]}{n}")
        out.append(entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025",
                                     amount=Decimal("100000"), source_ref=f"app-{n}"))
    return item, out


def _batch(finance: Any, granted: Any) -> PaymentBatch:
    item, _ = granted
    batch, skipped = batch_create(actor=finance, item=item)
    assert skipped == []
    return batch


def test_the_same_payment_submitted_twice_with_one_key_is_paid_once(finance: Any, granted: Any) -> None:
    batch = _batch(finance, granted)
    line = batch.lines.get(entitlement__enterprise__name="甲电子公司")
    first = payment_record(actor=finance, line=line, idempotency_key="click-123")
    second = payment_record(actor=finance, line=line, idempotency_key="click-123")
    assert first.pk == second.pk
    assert LedgerEntry.objects.filter(entitlement=line.entitlement).count() == 1
    with pytest.raises(AlreadyPaid):
        payment_record(actor=finance, line=line, idempotency_key="another-request")
    assert Entitlement.objects.get(pk=line.entitlement_id).status == Entitlement.Status.PAID


def test_confirming_a_batch_twice_with_the_form_key_books_each_line_once(finance: Any, granted: Any) -> None:
    batch = _batch(finance, granted)
    batch_confirm_paid(actor=finance, batch=batch, idempotency_key="form-1", reference="国库支付凭证 001")
    batch_confirm_paid(actor=finance, batch=batch, idempotency_key="form-1", reference="国库支付凭证 001")
    assert LedgerEntry.objects.count() == 2
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.CLOSED
    assert budget_of(batch.item).paid == Decimal("200000.00")


def test_the_database_refuses_a_second_payment_entry_for_the_same_entitlement(finance: Any, granted: Any) -> None:
    from django.db import IntegrityError, transaction

    batch = _batch(finance, granted)
    line = batch.lines.get(entitlement__enterprise__name="甲电子公司")
    payment_record(actor=finance, line=line, idempotency_key="k1")
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(entitlement=line.entitlement, kind="payment", amount=Decimal("1"),
                                   idempotency_key="sneaky", paid_key=f"{line.entitlement_id}#0")


def test_ledger_rows_refuse_update_and_delete(finance: Any, granted: Any) -> None:
    batch = _batch(finance, granted)
    entry = payment_record(actor=finance, line=batch.lines.get(entitlement__enterprise__name="甲电子公司"), idempotency_key="k1")
    entry.amount = Decimal("1")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100000.00")


def test_on_postgresql_the_database_itself_refuses_to_change_the_ledger(finance: Any, granted: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    from django.db import DatabaseError, transaction

    batch = _batch(finance, granted)
    entry = payment_record(actor=finance, line=batch.lines.get(entitlement__enterprise__name="甲电子公司"), idempotency_key="k1")
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100000.00")


def test_a_reversal_is_a_new_negative_entry_and_the_payment_can_be_reversed_only_once(finance: Any, granted: Any) -> None:
    batch = _batch(finance, granted)
    entry = payment_record(actor=finance, line=batch.lines.get(entitlement__enterprise__name="甲电子公司"), idempotency_key="k1")
    reversal = reversal_record(actor=finance, entry=entry, reason="企业重复享受，追回", idempotency_key="rev-1")
    assert reversal.pk != entry.pk and reversal.amount == Decimal("-100000.00") and reversal.reverses_id == entry.pk
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100000.00")
    assert Entitlement.objects.get(pk=entry.entitlement_id).status == Entitlement.Status.REVERSED
    assert budget_of(batch.item).paid == Decimal("0.00")
    with pytest.raises(ValueError):
        reversal_record(actor=finance, entry=entry, reason="再次冲正", idempotency_key="rev-2")


def test_the_bank_file_carries_the_full_account_and_audits_each_reveal_while_the_review_list_is_masked(
        finance: Any, granted: Any) -> None:
    batch = _batch(finance, granted)
    review = bankfiles.export_rows(actor=finance, batch=batch, bank=False)
    assert all(ACCOUNT[:4] in row[5] and "****" in row[5] for row in review[1:])
    assert AuditEvent.objects.filter(action="bank_account.reveal").count() == 0
    rows = bankfiles.export_rows(actor=finance, batch=batch, bank=True)
    assert {row[5] for row in rows[1:]} == {f"{ACCOUNT[:-1]}0", f"{ACCOUNT[:-1]}1"}
    assert AuditEvent.objects.filter(action="bank_account.reveal").count() == 2
    sheet = load_workbook(io.BytesIO(bankfiles.to_xlsx(rows, title=batch.code))).active
    assert sheet.cell(row=2, column=6).value == rows[1][5]  # kept as text, not 6.22e18
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.SENT


def test_the_bank_file_s_amounts_are_numbers_excel_can_sum_with_a_total_row(finance: Any, granted: Any) -> None:
    batch = _batch(finance, granted)
    rows = bankfiles.export_rows(actor=finance, batch=batch, bank=True)
    sheet = load_workbook(io.BytesIO(bankfiles.to_xlsx(rows, title=batch.code))).active
    column = bankfiles.AMOUNT_COLUMN + 1
    amounts = [sheet.cell(row=r, column=column).value for r in range(2, len(rows) + 1)]
    assert all(isinstance(a, (int, float)) for a in amounts)
    total = sheet.cell(row=len(rows) + 1, column=column).value
    assert str(sheet.cell(row=len(rows) + 1, column=1).value).startswith("合计") and total == sum(amounts) > 0
    assert sheet.cell(row=2, column=6).data_type == "s"  # the account number stays text
    text = bankfiles.to_csv(rows).decode("utf-8-sig").splitlines()
    assert text[-1].startswith("合计") and f"{Decimal(str(total)):.2f}" in text[-1]


def _results(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_bank_results_book_the_paid_rows_and_mark_failed_rows_which_are_then_retried_or_returned(
        finance: Any, granted: Any) -> None:
    batch = _batch(finance, granted)
    first, second = list(batch.lines.all())
    content = _results([bankfiles.RESULT_HEADER, [first.code, "成功", "BK0001", ""],
                        [second.code, "失败", "", "账户已销户"]])
    report = bankfiles.import_results(actor=finance, batch=batch, filename="回单.csv", content=content)
    assert (report.paid, report.failed) == (1, 1)
    again = bankfiles.import_results(actor=finance, batch=batch, filename="回单.csv", content=content)
    assert (again.paid, again.unchanged) == (0, 2)
    assert LedgerEntry.objects.count() == 1
    second.refresh_from_db()
    assert second.status == PaymentLine.Status.FAILED and second.failure_reason == "账户已销户"
    retried = line_retry(actor=finance, line=second)
    assert retried.batch_id != batch.pk and retried.status == PaymentLine.Status.PENDING
    report = bankfiles.import_results(actor=finance, batch=retried.batch, filename="回单2.csv", content=_results(
        [bankfiles.RESULT_HEADER, [retried.code, "失败", "", "户名不符"]]))
    retried.refresh_from_db()
    line_return(actor=finance, line=retried, reason="企业未更正账户，资金退回")
    assert Entitlement.objects.get(pk=second.entitlement_id).status == Entitlement.Status.RETURNED
    assert budget_of(batch.item).committed == Decimal("100000.00")


def test_a_malformed_result_file_is_rejected_with_row_and_column_and_nothing_is_booked(
        finance: Any, granted: Any) -> None:
    batch = _batch(finance, granted)
    first, _ = list(batch.lines.all())
    content = _results([bankfiles.RESULT_HEADER + ["金额（元）"], [first.code, "成功", "BK1", "", "100000.00"],
                        ["PL99999999", "成功", "BK2", "", ""], [first.code, "到了", "", "", ""]])
    with pytest.raises(bankfiles.ImportRejected) as caught:
        bankfiles.import_results(actor=finance, batch=batch, filename="回单.csv", content=content)
    assert "第3行“明细编号”列：PL99999999 不属于批次" in caught.value.errors[0]
    assert "第4行“明细编号”列" in caught.value.errors[1]
    assert LedgerEntry.objects.count() == 0
    with pytest.raises(bankfiles.ImportRejected, match="缺少列：结果"):
        bankfiles.import_results(actor=finance, batch=batch, filename="回单.csv", content=_results([["明细编号"], ["x"]]))
    with pytest.raises(bankfiles.ImportRejected, match="不是有效的 Excel"):
        bankfiles.import_results(actor=finance, batch=batch, filename="回单.xlsx", content=b"not a zip")
    bad_amount = _results([bankfiles.RESULT_HEADER + ["金额（元）"], [first.code, "成功", "BK1", "", "99999"]])
    with pytest.raises(bankfiles.ImportRejected, match="第2行“金额”列"):
        bankfiles.import_results(actor=finance, batch=batch, filename="回单.csv", content=bad_amount)


def test_the_account_number_is_encrypted_at_rest(granted: Any) -> None:
    item, entitlements = granted
    account = BankAccount.objects.get(enterprise_id=entitlements[0].enterprise_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM disbursement_bankaccount WHERE id = %s", [account.pk])
        raw = " ".join(str(v) for v in cursor.fetchone())
    assert ACCOUNT[:-1] not in raw and "6222 **** **** 1230" in raw


def test_an_enterprise_without_an_account_is_left_out_of_the_batch_by_name(
        make_item: Any, scaled: Any, officer: Any, finance: Any) -> None:
    item = make_item()
    entitlement_grant(actor=officer, enterprise=scaled("无账户公司"), item=item, period="2025",
                      amount=Decimal("1000"), source_ref="x")
    with pytest.raises(ValueError, match="无账户公司"):
        batch_create(actor=finance, item=item)


def test_only_finance_may_pay(officer: Any, granted: Any) -> None:
    with pytest.raises(PermissionError):
        batch_create(actor=officer, item=granted[0])


def test_a_bank_result_xlsx_with_a_formula_cell_is_refused_naming_the_row_and_column(finance: Any,
                                                                                        granted: Any) -> None:
    from openpyxl import Workbook

    batch = _batch(finance, granted)
    first = batch.lines.order_by("pk")[0]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(bankfiles.RESULT_HEADER)
    sheet.append([first.code, '=IF(1,"成功","失败")', "BK1", ""])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(bankfiles.ImportRejected, match="第2行第B列：是公式"):
        bankfiles.import_results(actor=finance, batch=batch, filename="回单.xlsx", content=out.getvalue())
    assert LedgerEntry.objects.count() == 0
