"""The review page puts the drafts the extractor is unsure of first and marks why (issue 15)."""

from __future__ import annotations

from typing import Any

from huiqi.ingest.models import IngestBatch

LINES = [
    "某市关于促进工业企业发展的若干措施",
    "一、对首次认定为国家高新技术企业的，给予一次性奖励20万元。",
    "二、对新引进的重大产业项目，实行一事一议，给予最高1000万元支持。",
    "三、对企业按其新增量的5%给予奖励。",
]


def _upload(upload: Any) -> IngestBatch:
    response = upload("measures.txt", ("\n".join(LINES) + "\n").encode())
    assert response.status_code == 302, response.content.decode()[:2000]
    return IngestBatch.objects.get()


def test_each_draft_stores_its_confidence_and_the_unmodelled_benefit(upload: Any) -> None:
    batch = _upload(upload)
    drafts = {d.clause_path: d for d in batch.drafts.all()}
    assert drafts["一、"].confidence >= 0.6
    assert drafts["二、"].confidence < 0.6 and "一事一议" in drafts["二、"].unmodelled
    reward_doubt = next(x for x in drafts["三、"].doubts if x["path"] == "reward")
    assert reward_doubt["low"] and "申报数" in reward_doubt["reasons"][0]


def test_the_review_page_lists_low_confidence_drafts_first_and_marks_them(
        officer_client: Any, upload: Any) -> None:
    batch = _upload(upload)
    html = officer_client.get(f"/ingest/{batch.pk}/").content.decode()
    order = [html.index(f'id="draft-{d.pk}"') for d in
             sorted(batch.drafts.all(), key=lambda d: d.position)]
    first, second, third = order
    assert second < first and third < first  # the sure clause (一、) comes after the unsure ones
    low = html[second:first] if second < third else html[third:first]
    assert "把握低" in low
    assert "金额取决于“一事一议”" in html
    sure = html[first:]
    assert "low-confidence" not in sure.split("</section>")[0]
