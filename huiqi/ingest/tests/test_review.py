"""The review page and its endpoints: validation with JSON paths, audited edits, confirmation
into the policy workflow, discarding."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from huiqi.audit.models import AuditEvent
from huiqi.enterprises.models import Qualification
from huiqi.ingest.models import DraftItem, IngestBatch
from huiqi.policies.models import PolicyDocument, PolicyItem


def _post_json(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json")


def _draft(batch: IngestBatch, path: str) -> DraftItem:
    return batch.drafts.get(clause_path=path)


def test_the_review_page_shows_each_clause_with_highlighted_spans_and_the_editor_state(
        officer_client: Any, batch: IngestBatch) -> None:
    html = officer_client.get(f"/ingest/{batch.pk}/").content.decode()
    assert '<mark class="hl hl-reward"' in html and ">20万元</mark>" in html
    assert 'class="hl hl-atom"' in html and 'class="hl hl-material"' in html
    assert "泉政文〔2024〕12号" in html
    state = html.split('<script id="ingest-state" type="application/json">')[1].split("</script>")[0]
    drafts = json.loads(state)
    assert {d["reward"].get("fixed") for d in drafts.values()} >= {200000}
    vocab = html.split('<script id="ingest-vocab" type="application/json">')[1].split("</script>")[0]
    fields = {f["name"]: f for f in json.loads(vocab)["fields"]}
    assert fields["revenue"]["label"] == "营业收入" and fields["revenue"]["type"] == "money"


def test_validation_returns_every_problem_with_its_json_path_and_writes_nothing(
        officer_client: Any, batch: IngestBatch) -> None:
    draft = _draft(batch, "二、")
    before = draft.reward
    response = _post_json(officer_client, f"/ingest/{batch.pk}/items/{draft.pk}/validate/", {
        "conditions": {"all": [{"field": "revenue", "op": "has", "value": 1},
                               {"field": "qualifications", "op": "has", "value": "no_such_title"}]},
        "reward": {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": "三十"},
        "budget": "-5", "mode": "随便",
    })
    errors = {e["path"]: e["message"] for e in response.json()["errors"]}
    assert "conditions.all[0].op" in errors and "营业收入" in errors["conditions.all[0].op"]
    assert "资质目录中没有代码" in errors["conditions.all[1].value"]
    assert "需要数值" in errors["reward.cap"]
    assert "budget" in errors and "mode" in errors
    draft.refresh_from_db()
    assert draft.reward == before


def test_a_valid_edit_gives_no_errors(officer_client: Any, batch: IngestBatch) -> None:
    draft = _draft(batch, "二、")
    response = _post_json(officer_client, f"/ingest/{batch.pk}/items/{draft.pk}/validate/", {
        "reward": {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 300000}, "mode": "申报审核"})
    assert response.json() == {"errors": []}


def test_saving_an_edit_records_an_audit_event_with_before_and_after(officer_client: Any, batch: IngestBatch) -> None:
    draft = _draft(batch, "二、")
    new_reward = {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 300000}
    response = _post_json(officer_client, f"/ingest/{batch.pk}/items/{draft.pk}/",
                          {"reward": new_reward, "budget": 5000000, "title": "研发费用补助"})
    assert response.json()["saved"] is True and response.json()["errors"] == []
    draft.refresh_from_db()
    assert draft.reward == new_reward and draft.budget == Decimal("5000000") and draft.title == "研发费用补助"
    event = AuditEvent.objects.get(action="ingest.draft.update", object_id=str(draft.pk))
    assert event.before is not None and event.after is not None
    assert event.before["reward"]["cap"] == 500000 and event.after["reward"]["cap"] == 300000
    assert event.after["budget"] == "5000000.00" and "mode" not in event.after


def test_every_save_is_its_own_audit_event_and_an_unchanged_save_records_nothing(
        officer_client: Any, batch: IngestBatch) -> None:
    draft = _draft(batch, "一、")
    url = f"/ingest/{batch.pk}/items/{draft.pk}/"
    _post_json(officer_client, url, {"reward": {"fixed": 300000}})
    _post_json(officer_client, url, {"reward": {"fixed": 300000}})
    _post_json(officer_client, url, {"mode": "免申即享"})
    assert AuditEvent.objects.filter(action="ingest.draft.update", object_id=str(draft.pk)).count() == 2


def test_a_draft_with_problems_can_be_saved_but_not_confirmed_and_says_why(
        officer_client: Any, batch: IngestBatch) -> None:
    draft = _draft(batch, "一、")
    saved = _post_json(officer_client, f"/ingest/{batch.pk}/items/{draft.pk}/", {"reward": {"fixed": "abc"}}).json()
    assert saved["saved"] is True and saved["errors"][0]["path"] == "reward.fixed"
    response = officer_client.post(f"/ingest/{batch.pk}/items/{draft.pk}/confirm/", follow=True)
    page = response.content.decode()
    assert "未能确认" in page and "需要数值" in page
    assert not PolicyItem.objects.exists() and not PolicyDocument.objects.exists()
    draft.refresh_from_db()
    assert draft.status == DraftItem.Status.DRAFT


def test_confirming_creates_the_document_once_and_policy_items_in_draft_with_the_edited_values(
        officer_client: Any, batch: IngestBatch, officer: Any) -> None:
    first, second = _draft(batch, "一、"), _draft(batch, "二、")
    _post_json(officer_client, f"/ingest/{batch.pk}/items/{first.pk}/", {"mode": "免申即享", "title": "高企认定奖励"})
    _post_json(officer_client, f"/ingest/{batch.pk}/items/{second.pk}/", {
        "reward": {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 300000}, "per_enterprise_cap": 300000,
        "exclusive_group": "rd-support"})
    officer_client.post(f"/ingest/{batch.pk}/items/{first.pk}/confirm/")
    officer_client.post(f"/ingest/{batch.pk}/items/{second.pk}/confirm/")
    document = PolicyDocument.objects.get()
    assert document.doc_number == "泉政文〔2024〕12号" and document.level == "city" and document.region == "350500"
    assert document.department_id == officer.department_id and document.source_file.name
    one = PolicyItem.objects.get(title="高企认定奖励")
    assert one.status == PolicyItem.Status.DRAFT and one.mode == "免申即享" and one.reward == {"fixed": 200000}
    assert one.clause_path == "一、" and one.document == document
    two = PolicyItem.objects.get(clause_path="二、")
    assert two.reward["cap"] == 300000 and two.per_enterprise_cap == Decimal("300000")
    assert two.exclusive_group == "rd-support" and two.materials == ["申请表", "营业执照复印件"]
    assert two.reviewing_department == "市工信局" and two.paying_department == "市财政局"
    assert str(two.valid_to) == "2026-12-31"
    batch.refresh_from_db()
    assert batch.status == IngestBatch.Status.DONE
    assert AuditEvent.objects.filter(action="policy_item.create").count() == 2
    assert AuditEvent.objects.filter(action="policy_document.create").count() == 1


def test_confirm_all_takes_the_valid_drafts_and_leaves_the_invalid_ones_with_their_reason(
        officer_client: Any, batch: IngestBatch) -> None:
    first, second = _draft(batch, "一、"), _draft(batch, "二、")
    _post_json(officer_client, f"/ingest/{batch.pk}/items/{first.pk}/", {"mode": "免申即享"})
    _post_json(officer_client, f"/ingest/{batch.pk}/items/{second.pk}/", {"reward": {"up_to": -1}})
    page = officer_client.post(f"/ingest/{batch.pk}/confirm/", follow=True).content.decode()
    assert "已确认 1 个事项" in page and "金额不能为负数" in page
    assert list(PolicyItem.objects.values_list("clause_path", flat=True)) == ["一、"]
    second.refresh_from_db()
    assert second.status == DraftItem.Status.DRAFT


def test_missing_document_metadata_blocks_confirmation_and_names_the_field(
        officer_client: Any, batch: IngestBatch) -> None:
    response = officer_client.post(f"/ingest/{batch.pk}/meta/", {
        "title": batch.title, "doc_number": "", "issuer": "", "level": "city", "region": "350500"}, follow=True)
    assert "文件信息已保存" in response.content.decode()
    draft = _draft(batch, "二、")
    page = officer_client.post(f"/ingest/{batch.pk}/items/{draft.pk}/confirm/", follow=True).content.decode()
    assert "请填写发文机关" in page
    assert not PolicyDocument.objects.exists()


def test_a_region_outside_the_department_s_reach_blocks_confirmation_and_says_why(
        officer_client: Any, batch: IngestBatch) -> None:
    officer_client.post(f"/ingest/{batch.pk}/meta/", {
        "title": batch.title, "doc_number": "岚综管办〔2024〕95号", "issuer": "平潭综合实验区管委会",
        "level": "county", "region": "350128"}, follow=True)
    draft = _draft(batch, "二、")
    page = officer_client.post(f"/ingest/{batch.pk}/items/{draft.pk}/confirm/", follow=True).content.decode()
    assert "不在" in page and "管辖范围" in page and "平潭" in page
    assert not PolicyDocument.objects.exists()


def test_editing_the_document_metadata_is_audited(officer_client: Any, batch: IngestBatch) -> None:
    officer_client.post(f"/ingest/{batch.pk}/meta/", {
        "title": "新标题", "doc_number": batch.doc_number, "issuer": batch.issuer, "level": "county",
        "region": "350503", "issued_on": "2024-01-02", "valid_from": "", "valid_to": "2026-12-31"})
    batch.refresh_from_db()
    assert (batch.title, batch.level, batch.region, str(batch.issued_on)) == ("新标题", "county", "350503", "2024-01-02")
    event = AuditEvent.objects.get(action="ingest.batch.update")
    assert event.before is not None and event.after is not None
    assert event.before["title"] != event.after["title"] == "新标题"


def test_a_bad_date_in_the_metadata_is_refused_naming_the_field(officer_client: Any, batch: IngestBatch) -> None:
    page = officer_client.post(f"/ingest/{batch.pk}/meta/", {
        "title": "x", "issuer": "y", "level": "city", "region": "350500", "issued_on": "2024-13-40"},
        follow=True).content.decode()
    assert "发布日期需要日期" in page
    batch.refresh_from_db()
    assert batch.title != "x"


def test_a_draft_can_be_discarded_and_then_no_longer_edited(officer_client: Any, batch: IngestBatch) -> None:
    draft = _draft(batch, "一、")
    officer_client.post(f"/ingest/{batch.pk}/items/{draft.pk}/discard/")
    draft.refresh_from_db()
    assert draft.status == DraftItem.Status.DISCARDED
    assert AuditEvent.objects.filter(action="ingest.draft.discard").exists()
    response = _post_json(officer_client, f"/ingest/{batch.pk}/items/{draft.pk}/", {"title": "x"})
    assert response.status_code == 409 and "已放弃" in response.json()["errors"][0]["message"]


def test_discarding_the_batch_discards_every_open_draft(officer_client: Any, batch: IngestBatch) -> None:
    officer_client.post(f"/ingest/{batch.pk}/discard/")
    batch.refresh_from_db()
    assert batch.status == IngestBatch.Status.DISCARDED
    assert set(batch.drafts.values_list("status", flat=True)) == {DraftItem.Status.DISCARDED}
    assert not PolicyItem.objects.exists()


def test_a_proposed_designation_can_be_added_to_the_catalogue_and_then_validates(
        officer_client: Any, batch: IngestBatch) -> None:
    draft = _draft(batch, "一、")
    url = f"/ingest/{batch.pk}/items/{draft.pk}/validate/"
    cond = {"all": [{"field": "qualifications", "op": "has", "value": "smart_factory_prov"}]}
    assert _post_json(officer_client, url, {"conditions": cond}).json()["errors"][0]["path"] == "conditions.all[0].value"
    added = _post_json(officer_client, "/ingest/qualifications/",
                       {"code": "smart_factory_prov", "name": "省级智能工厂", "level": "province"})
    assert added.status_code == 200 and ["smart_factory_prov", "省级智能工厂"] in added.json()["qualifications"]
    assert Qualification.objects.get(code="smart_factory_prov").level == "province"
    assert AuditEvent.objects.filter(action="qualification.create").exists()
    assert _post_json(officer_client, url, {"conditions": cond}).json()["errors"] == []


def test_a_catalogue_entry_with_a_bad_code_is_refused_naming_the_field(officer_client: Any) -> None:
    response = _post_json(officer_client, "/ingest/qualifications/", {"code": "省级 工厂", "name": "x", "level": "province"})
    assert response.status_code == 400 and response.json()["errors"][0]["path"] == "code"
    again = _post_json(officer_client, "/ingest/qualifications/", {"code": "hnte", "name": "高企", "level": "national"})
    assert again.status_code == 400 and "已在目录中" in again.json()["errors"][0]["message"]


def test_the_code_picker_finds_regions_and_industries_by_name_or_code(officer_client: Any) -> None:
    regions = officer_client.get("/ingest/codes/", {"kind": "region", "q": "泉州"}).json()["results"]
    assert regions[0] == {"code": "350500", "name": "福建省泉州市"}
    by_code = officer_client.get("/ingest/codes/", {"kind": "industry", "q": "39"}).json()["results"]
    assert by_code[0]["code"] == "39" and "电子设备制造业" in by_code[0]["name"]


def test_a_confirmed_item_goes_through_the_existing_review_and_publication(
        officer_client: Any, batch: IngestBatch, client: Any, make_user: Any) -> None:
    from conftest import PASSWORD

    draft = _draft(batch, "二、")
    officer_client.post(f"/ingest/{batch.pk}/items/{draft.pk}/confirm/")
    item = PolicyItem.objects.get()
    reviewer = make_user("reviewer")
    assert client.login(username=reviewer.username, password=PASSWORD)
    assert "按研发费用" in client.get(f"/policies/{item.code}/").content.decode()
    client.post(f"/policies/{item.code}/transition/review/", {"status": "draft"})
    client.post(f"/policies/{item.code}/transition/publish/", {"status": "reviewed"})
    item.refresh_from_db()
    assert item.status == PolicyItem.Status.PUBLISHED
