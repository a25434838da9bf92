"""The review page in real headless Chromium: upload, see the spans, edit with live validation,
confirm into the policy workflow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

from .conftest import SAMPLE_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_an_officer_uploads_edits_a_cap_with_live_validation_and_confirms(
        page: Any, live_server: Any, make_user: Any, tmp_path: Path) -> None:
    from huiqi.ingest.models import DraftItem
    from huiqi.policies.models import PolicyItem

    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    officer = make_user("officer")
    source = tmp_path / "泉州制造业措施.txt"
    source.write_text(SAMPLE_TEXT, encoding="utf-8")
    _login(page, live_server, officer)
    page.goto(live_server.url + "/ingest/")
    page.set_input_files("input[name=file]", str(source))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/ingest/*/")
    assert "起草了 2 个事项" in page.inner_text(".messages")

    draft = DraftItem.objects.get(clause_path="二、")
    row = page.locator(f"#draft-{draft.pk}")
    assert row.locator("mark.hl-reward").first.is_visible()
    assert row.locator("mark.hl-atom").count() >= 2
    assert row.locator("mark.hl-department").first.inner_text() in {"市工信局", "市财政局"}

    # hovering the highlighted words marks the control they were drafted into
    row.locator("mark.hl-reward").first.hover()
    assert "linked-control" in (row.locator('[data-link="reward"]').get_attribute("class") or "")

    assert row.locator('input[data-path="reward.rate"]').input_value() == "10"  # 0.1 shown in %
    cap = row.locator('input[data-path="reward.cap"]')
    assert cap.input_value() == "50"
    cap.fill("30万")
    error = row.locator('.ed-err[data-error-for="reward.cap"]')
    error.wait_for(state="visible")
    assert "需要数值" in error.inner_text()
    cap.fill("30")
    # Every validation re-renders the messages, so wait for the final state rather than the
    # first moment the old message is gone (a late answer may redraw it once before).
    expect(row.locator(".ed-err")).to_have_count(0)

    row.locator("[data-confirm-form] button").click()
    page.wait_for_url(f"**/ingest/{draft.batch_id}/#draft-{draft.pk}")
    assert "已进入政策库" in page.inner_text(".messages")
    item = PolicyItem.objects.get(clause_path="二、")
    assert item.status == PolicyItem.Status.DRAFT
    assert item.reward == {"rate": 0.1, "base": {"field": "rd_expense"}, "cap": 300000}
    assert row.locator("a", has_text=item.title).is_visible()
    assert script_errors == []


def test_on_a_phone_the_review_page_stacks_without_sideways_scrolling(
        phone_page: Any, live_server: Any, make_user: Any, tmp_path: Path) -> None:
    officer = make_user("officer")
    source = tmp_path / "measures.txt"
    source.write_text(SAMPLE_TEXT, encoding="utf-8")
    _login(phone_page, live_server, officer)
    phone_page.goto(live_server.url + "/ingest/")
    phone_page.set_input_files("input[name=file]", str(source))
    phone_page.click("#upload-form button[type=submit]")
    phone_page.wait_for_url("**/ingest/*/")
    phone_page.locator(".draft-editor .ed-form").first.wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the review page scrolls sideways on a phone ({width}px)"
    clause = phone_page.locator(".ingest-clause").first.bounding_box()
    form = phone_page.locator(".ingest-form").first.bounding_box()
    assert form["y"] >= clause["y"] + clause["height"] - 1
