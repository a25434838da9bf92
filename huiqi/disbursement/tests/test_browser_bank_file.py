"""Finance's journey in real headless Chromium: from the budget page to a bank file whose amount
column Excel can sum (number cells, a total row equal to the payments), then the payment."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from huiqi.disbursement.models import LedgerEntry, PaymentLine
from huiqi.disbursement.services import bank_account_set, entitlement_grant

from .test_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMOUNTS = {"泉州甲电子有限公司": Decimal("123456.78"), "泉州乙机械有限公司": Decimal("80000.10"),
           "泉州丙鞋业有限公司": Decimal("99999.99")}


def test_finance_exports_a_bank_file_whose_amounts_sum_in_excel_and_pays_the_batch(
        page: Any, live_server: Any, make_item: Any, scaled: Any, officer: Any, finance: Any, make_user: Any,
        tmp_path: Any) -> None:
    from openpyxl import load_workbook

    item = make_item(mode="即申即享")
    for number, (name, amount) in enumerate(AMOUNTS.items()):
        enterprise = scaled(name)
        bank_account_set(actor=make_user("enterprise", enterprise=enterprise), enterprise=enterprise,
                         account_name=name, bank_name="泉州银行丰泽支行", number=f"6222 0200 1234 567{number}")
        entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025", amount=amount,
                          source_ref=f"审核通过 {number}")
    base = live_server.url

    _login(page, base, finance.username)
    page.goto(base + f"/disbursement/budget/{item.pk}/")
    page.click("button:has-text('编制拨付批次')")
    with page.expect_download() as download_info:
        page.click("button:has-text('导出银行拨付文件')")
    download = download_info.value
    assert download.suggested_filename.endswith("银行拨付文件.xlsx")
    saved = tmp_path / "bank.xlsx"
    download.save_as(saved)

    sheet = load_workbook(io.BytesIO(saved.read_bytes())).worksheets[0]
    header = [c.value for c in sheet[1]]
    amount_column = header.index("金额（元）") + 1
    rows = list(sheet.iter_rows(min_row=2))
    lines, total = rows[:-1], rows[-1]
    assert len(lines) == 3
    amounts = [row[amount_column - 1] for row in lines]
    assert all(cell.data_type == "n" and isinstance(cell.value, (int, float)) for cell in amounts), \
        [(c.value, c.data_type) for c in amounts]  # numbers Excel sums, not text
    assert all(cell.number_format == "#,##0.00" for cell in amounts)
    assert "合计" in str(total[0].value) and total[amount_column - 1].data_type == "n"
    paid_total = sum(PaymentLine.objects.values_list("amount", flat=True), Decimal(0))
    assert paid_total == sum(AMOUNTS.values())
    assert Decimal(str(total[amount_column - 1].value)) == paid_total
    assert sum(Decimal(str(c.value)) for c in amounts) == paid_total
    full_numbers = {str(row[header.index("账号")].value) for row in lines}
    assert "622202001234567" + "0" in {n.replace(" ", "") for n in full_numbers}  # the bank file carries the full number

    page.goto(page.url)  # back on the batch page after the download
    page.fill("input[name=reference]", "国库支付 2026-0002")
    page.click("#confirm-paid")
    assert page.inner_text("#batch-status") == "已完成"
    assert sum(LedgerEntry.objects.values_list("amount", flat=True), Decimal(0)) == paid_total
