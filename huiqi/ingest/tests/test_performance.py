"""A 100-page document is drafted and stored with a bounded number of queries however many
clauses it has (drafts are bulk-inserted, never saved one by one). Its time is measured by
bench/bench_ingest_upload.py, not asserted here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from huiqi.ingest.models import DraftItem
from huiqi.ingest.services import batch_upload

from .conftest import SAMPLE_TEXT

DOCS = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "policy_docs"
PAGE_CHARS = 1000  # a printed A4 page of 仿宋 三号 text holds about 22 lines × 28 characters


def hundred_pages() -> str:
    """About 100 pages of real policy text: the fixture documents repeated, clauses renumbered."""
    bodies = [line.strip() for path in sorted(DOCS.glob("*.txt"))
              for line in path.read_text(encoding="utf-8").splitlines()[2:] if len(line.strip()) > 30]
    lines = ["三明市人民政府关于印发推动工业提质增效若干措施的通知", "明政〔2025〕39号", "各县（市、区）人民政府："]
    n, size = 0, 0
    while size < 100 * PAGE_CHARS:
        line = f"第{n + 1}条 {bodies[n % len(bodies)]}"
        n += 1
        lines.append(line)
        size += len(line)
    lines += ["三明市人民政府", "2025年12月4日"]
    return "\n".join(lines)


def test_a_hundred_page_document_is_stored_with_a_bounded_number_of_queries(
        officer: Any, django_assert_max_num_queries: Any) -> None:
    text = hundred_pages()
    assert len(text) >= 100 * PAGE_CHARS
    batch_upload(actor=officer, filename="warm-up.txt", data=SAMPLE_TEXT.encode("utf-8"))
    with django_assert_max_num_queries(30):
        batch = batch_upload(actor=officer, filename="hundred-pages.txt", data=text.encode("utf-8"))
    assert DraftItem.objects.filter(batch=batch).count() > 100
