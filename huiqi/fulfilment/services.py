"""Every write of the fulfilment app: keyword-only functions, one transaction, an audit event.

Time is always passed in (``now``; ``today`` is its Asia/Shanghai date) so that deadline
behaviour can be tested on any day of the holiday calendar without patching the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cnstd.workdays import CalendarYearMissing, WorkCalendar
from huiqi.accounts.access import user_covers_region
from huiqi.accounts.models import Role, User
from huiqi.audit.services import audit_record
from huiqi.core.deadlines import (
    Alert,
    SweepReport,
    deadline_pause,
    deadline_resume,
    deadline_start,
    sweep,
)
from huiqi.core.files import FileRefused, check_upload
from huiqi.core.text import text_too_long
from huiqi.core.workflow import FormErrors
from huiqi.disbursement.services import (
    BudgetExceeded,
    DisbursementError,
    application_promise_key,
    cash_promise_drop,
    cash_promise_open,
    cash_promise_pause,
    cash_promise_resume,
    entitlement_grant,
)
from huiqi.notifications.services import notify
from huiqi.policies.models import PolicyItem
from huiqi.workdays.selectors import work_calendar
from rules.explain import path_label

from . import workflow
from .access import access_application_create, access_application_edit, access_step_decide
from .evaluation import (
    Quote,
    amount_text,
    check_texts,
    form_field_counts,
    input_specs,
    missing_facts,
    parse_inputs,
    profile_figures,
    profile_for,
    quote,
)
from .models import Application, ApplicationEvent, ApplicationMaterial, ReviewStep, Urge
from .workflow import WorkflowConflict, WorkflowError

log = logging.getLogger(__name__)
A = Application.Status
C = ReviewStep.Colour
O = ReviewStep.Outcome  # noqa: E741

# Materials the platform fetches itself (以核查代材料): no upload is asked for.
_NO_UPLOAD_MARKERS = ("系统", "无需", "共享")


def _bounded(**fields: tuple[str, str]) -> None:
    """Refuse free text over its limit (``field=(value, label)``) instead of storing megabytes."""
    errors = {name: message for name, (value, label) in fields.items()
              if (message := text_too_long(value, label=label)) is not None}
    if errors:
        raise FormErrors(errors)


def local_date(now: datetime) -> date:
    return timezone.localtime(now).date()


def period_for(item: PolicyItem, today: date) -> str:
    """The entitlement period: the year of the item's application window, else the year of
    submission. One enterprise gets an item once per period (also the disbursement key)."""
    return str(item.window_start.year if item.window_start else today.year)


def materials_to_upload(item: PolicyItem) -> list[str]:
    return [str(m) for m in (item.materials or []) if not any(k in str(m) for k in _NO_UPLOAD_MARKERS)]


def materials_for(application: Application) -> list[str]:
    """The item's materials plus those a reviewer asked for in the last 补正 request."""
    asked = [str(m) for m in (application.correction or {}).get("materials", [])]
    return list(dict.fromkeys(materials_to_upload(application.item) + asked))


MAX_CORRECTION_ITEMS = 20
MAX_ANSWER_CHARS = 1000


def _calendar() -> WorkCalendar:
    return work_calendar()


def _event(application: Application, *, kind: str, label: str, now: datetime, actor: Any = None,
           step: ReviewStep | None = None, detail: str = "") -> None:
    ApplicationEvent.objects.create(application=application, at=now, kind=kind, label=label, step=step,
                                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                                    detail=detail)


def _enterprise_users(application: Application) -> list[User]:
    return list(User.objects.filter(enterprise_id=application.enterprise_id, is_active=True))


def step_handlers(step: ReviewStep) -> list[User]:
    """Everyone who may decide the node (the notification recipients for it)."""
    qs = User.objects.filter(role=step.role, is_active=True).select_related("department")
    if step.department:
        qs = qs.filter(department__name=step.department)
    region = step.application.item.region
    return [u for u in qs if user_covers_region(u, region)]


def supervisors_for(item: PolicyItem) -> list[User]:
    return [u for u in User.objects.filter(role=Role.SUPERVISOR, is_active=True) if user_covers_region(u, item.region)]


def _link(application: Application) -> str:
    return f"/fulfilment/applications/{application.pk}/"


def _load(application: Application) -> Application:
    """The item with its document for the rules engine, without touching the caller's status
    and node_index (they are the state the caller saw, which the compare-and-set checks)."""
    item = PolicyItem.objects.select_related("document").get(pk=application.item_id)
    application.item = item
    return application


def _current_step(application: Application) -> ReviewStep | None:
    return (ReviewStep.objects.select_related("application__item")
            .filter(application_id=application.pk, index=application.node_index).first())


# -- drafts ------------------------------------------------------------------------------------


def application_create(*, actor: Any, item: PolicyItem, now: datetime) -> Application:
    if not access_application_create(actor, item):
        raise WorkflowError("您不能申报该事项：仅企业用户可在线申报已发布的即申即享、申报审核事项")
    today = local_date(now)
    period = period_for(item, today)
    try:
        with transaction.atomic():
            application = Application.objects.create(enterprise_id=actor.enterprise_id, item=item, period=period,
                                                     created_by=actor)
            _event(application, kind="draft", label="创建申报草稿", now=now, actor=actor)
            audit_record(actor=actor, action="application.create", obj=application,
                         after={"item": item.code, "period": period})
    except IntegrityError:
        raise WorkflowError(f"贵企业已有“{item.title}”{period}年度的申报，请在“我的申报”中继续办理") from None
    return application


def application_save(*, actor: Any, application: Application, inputs: dict[str, Any], commitments: list[str],
                     now: datetime, answers: dict[str, str] | None = None) -> Application:
    """Save the form of a draft (or of an application returned for 补正, with the enterprise's
    answers to the facts the reviewer asked about)."""
    if not access_application_edit(actor, application):
        raise WorkflowError("只能修改本企业的申报")
    _load(application)
    values, errors = parse_inputs(application.item, inputs)
    correction = dict(application.correction or {})
    asked = [str(f) for f in correction.get("facts", [])]
    if answers is not None and asked:
        given = dict(correction.get("answers") or {})
        for i, fact in enumerate(asked):
            text = str(answers.get(fact, "") or "").strip()
            if len(text) > MAX_ANSWER_CHARS:
                errors[f"fact_answer_{i}"] = f"“{fact}”的说明不能超过 {MAX_ANSWER_CHARS} 字"
            elif text:
                given[fact] = text
        correction["answers"] = given
    if errors:
        raise FormErrors(errors)
    allowed = [str(c) for c in application.item.commitments or []]
    signed = [c for c in allowed if c in set(commitments)]
    with transaction.atomic():
        updated = Application.objects.filter(pk=application.pk, status__in=[A.DRAFT, A.RETURNED]).update(
            inputs=values, commitments=signed, correction=correction, updated_at=now)
        if updated != 1:
            raise WorkflowConflict("申报已提交，不能再修改；如需修改请撤回或等待退回补正")
        audit_record(actor=actor, action="application.save", obj=application,
                     before={"inputs": application.inputs}, after={"inputs": values, "commitments": len(signed)})
    application.inputs, application.commitments, application.correction = values, signed, correction
    return application


def material_add(*, actor: Any, application: Application, label: str, upload: UploadedFile,
                 now: datetime) -> ApplicationMaterial:
    if not access_application_edit(actor, application):
        raise WorkflowError("只能为本企业的申报上传材料")
    if application.status not in (A.DRAFT, A.RETURNED):
        raise WorkflowError("申报已提交，不能再上传材料")
    if label not in materials_for(application):
        raise FileRefused(f"“{label}”不是该申报要求上传的材料")
    checked = check_upload(upload, label=label)
    material = ApplicationMaterial(application=application, label=label, original_name=checked.original_name,
                                   size=checked.size, kind=checked.kind, uploaded_by=actor)
    material.file.save(checked.stored_name, upload, save=False)
    try:
        with transaction.atomic():
            # The caller's object may be stale: the row decides whether the form is still open.
            if not Application.objects.select_for_update().filter(
                    pk=application.pk, status__in=[A.DRAFT, A.RETURNED]).exists():
                raise WorkflowConflict("申报已提交，不能再上传材料")
            material.save()
            audit_record(actor=actor, action="application.material_add", obj=application,
                         after={"label": label, "file": material.file.name, "size": checked.size})
    except Exception:
        material.file.delete(save=False)  # no orphan file without its row
        raise
    return material


def material_remove(*, actor: Any, material: ApplicationMaterial) -> None:
    application = material.application
    if not access_application_edit(actor, application) or application.status not in (A.DRAFT, A.RETURNED):
        raise WorkflowError("申报已提交或不属于本企业，不能删除材料")
    name = material.file.name
    with transaction.atomic():
        material.delete()
        audit_record(actor=actor, action="application.material_remove", obj=application, before={"file": name})
        transaction.on_commit(lambda: material.file.storage.delete(name))


# -- submission --------------------------------------------------------------------------------


def application_quote(*, application: Application, today: date, inputs: dict[str, str] | None = None) -> Quote:
    _load(application)
    return quote(item=application.item, profile=profile_for(application.enterprise),
                 inputs=application.inputs if inputs is None else inputs, checks=application.checks or {}, on=today)


def _completeness(application: Application, today: date) -> Quote:
    item = application.item
    errors: dict[str, str] = {}
    if item.window_start and today < item.window_start:
        errors["__all__"] = f"申报将于 {item.window_start.isoformat()} 开始，暂不能提交"
    if item.window_end and today > item.window_end:
        errors["__all__"] = f"申报已于 {item.window_end.isoformat()} 截止"
    if not item.review_nodes:
        errors["__all__"] = "该事项尚未配置审核环节，请联系主管部门"
    for spec in input_specs(item):
        if spec["name"] not in (application.inputs or {}):
            errors[spec["name"]] = f"请填写“{spec['label']}”（单位：{spec['unit']}）"
    signed = set(application.commitments or [])
    for i, text in enumerate(item.commitments or []):
        if text not in signed:
            errors[f"commitment_{i}"] = f"请阅读并勾选承诺第{i + 1}项"
    correction = application.correction or {}
    asked_at = correction.get("asked_at")
    have = set(application.materials.values_list("label", flat=True))
    fresh = set(application.materials.filter(uploaded_at__gte=asked_at).values_list("label", flat=True)
                ) if asked_at else have
    asked_materials = set(correction.get("materials", []))
    for i, label in enumerate(materials_for(application)):
        if label not in have:
            errors[f"material_{i}"] = f"请上传“{label}”"
        elif label in asked_materials and label not in fresh:
            errors[f"material_{i}"] = f"审核部门要求补交“{label}”，请上传新的文件"
    answers = correction.get("answers") or {}
    for i, fact in enumerate(correction.get("facts", []) if application.status == A.RETURNED else []):
        if not str(answers.get(fact, "")).strip():
            errors[f"fact_answer_{i}"] = f"请说明：{fact}"
    if errors:
        raise FormErrors(errors)
    q = application_quote(application=application, today=today)
    if q.status == "ineligible":
        raise FormErrors({"__all__": "根据当前企业档案和填报数据，不符合申报条件：" + "；".join(q.unmet or ["详见测算结果"])})
    return q


def _start_step(application: Application, *, index: int, now: datetime, calendar: WorkCalendar) -> ReviewStep:
    node = application.item.review_nodes[index]
    days, warn = int(node.get("days") or 0), int(node.get("warn_days") or 0)
    return ReviewStep.objects.create(
        application=application, index=index, name=str(node.get("name") or f"第{index + 1}环节"),
        role=str(node.get("role") or Role.REVIEWER), department=str(node.get("department") or ""),
        **deadline_start(now=now, days=days, warn_days=warn, calendar=calendar))


def _cash_due(calendar: WorkCalendar, today: date, cash_days: int | None) -> date | None:
    """The promised cash date; unknown (not a refusal) while next year's holidays are not entered,
    since a 40-working-day promise made in November reaches into a year without data."""
    if not cash_days:
        return None
    try:
        return calendar.add_workdays(today, cash_days)
    except CalendarYearMissing:
        log.warning("cash date of a submission on %s unknown: calendar year missing", today)
        return None


def _notify_new_task(step: ReviewStep) -> None:
    app = step.application
    notify(recipients=step_handlers(step), category="review_task",
           title=f"待审核：{app.item.title}（{app.enterprise.name}）",
           body=f"{step.name}，请于 {step.due_at.isoformat() if step.due_at else '—'} 前办结。",
           link=_link(app), dedupe_key=f"review-task:{step.pk}")


def application_submit(*, actor: Any, application: Application, now: datetime) -> Application:
    """Submit a draft: everything complete, eligible on current data; the day of submission is the
    day of acceptance (day 0) for the first node and for the promised cash date."""
    if not access_application_edit(actor, application):
        raise WorkflowError("只能提交本企业的申报")
    _load(application)
    today = local_date(now)
    q = _completeness(application, today)
    calendar = _calendar()
    item = application.item
    try:
        cash_due = _cash_due(calendar, today, item.cash_days)
        profile_rows = profile_figures(enterprise=application.enterprise, evaluation=q.evaluation)
        prefilled, form_fields = form_field_counts(item=item, profile_rows=profile_rows)
        with transaction.atomic():
            workflow.transition(actor=actor, application=application, name="submit", node=None, now=now, changes={
                "amount_min": q.amount_min, "amount_max": q.amount_max, "submitted_at": now, "accepted_on": today,
                "cash_due_on": cash_due, "profile_figures": profile_rows,
                "prefilled_fields": prefilled, "form_fields": form_fields,
            })
            step = _start_step(application, index=0, now=now, calendar=calendar)
            if cash_due is not None and item.cash_days:
                cash_promise_open(key=application_promise_key(application.reference), enterprise=application.enterprise,
                                  item=item, source="application", source_ref=application.reference,
                                  started_at=now, days=item.cash_days)
            _event(application, kind="submit", label="提交申报，已受理", now=now, actor=actor,
                   detail=f"测算金额 {amount_text(q.amount_min, q.amount_max)}")
            _event(application, kind="node_start", label=f"进入“{step.name}”，期限 {step.due_at}", now=now, step=step)
            audit_record(actor=actor, action="application.submit", obj=application,
                         before={"status": A.DRAFT}, after={"status": A.SUBMITTED, "node": 0,
                                                            "amount_min": q.amount_min, "amount_max": q.amount_max})
            _notify_new_task(step)
    except CalendarYearMissing as e:
        raise WorkflowError(str(e)) from None
    return application


def application_withdraw(*, actor: Any, application: Application, now: datetime, reason: str = "") -> Application:
    _bounded(reason=(reason, "撤回理由"))
    """Withdraw before any reviewer has acted (or discard a draft)."""
    name = "discard" if application.status == A.DRAFT else "withdraw"
    _load(application)
    with transaction.atomic():
        before = application.status
        workflow.transition(actor=actor, application=application, name=name, node=None, now=now,
                            changes={"decided_at": now, "decision_reason": reason[:2000]})
        ReviewStep.objects.filter(application=application, outcome=O.OPEN).update(
            outcome=O.CANCELLED, colour=C.DONE, decided_at=now, decided_on=local_date(now))
        cash_promise_drop(key=application_promise_key(application.reference), reason="企业撤回申报",
                          today=local_date(now))
        _event(application, kind=name, label="企业撤回申报" if name == "withdraw" else "放弃草稿", now=now,
               actor=actor, detail=reason)
        audit_record(actor=actor, action=f"application.{name}", obj=application,
                     before={"status": before}, after={"status": A.WITHDRAWN}, detail=reason)
    return application


def application_resubmit(*, actor: Any, application: Application, now: datetime) -> Application:
    """补正 done: the clock of the node resumes the day after resubmission; the days between the
    return and the resubmission are stored as a pause and never counted."""
    if not access_application_edit(actor, application):
        raise WorkflowError("只能提交本企业的申报")
    _load(application)
    today = local_date(now)
    q = _completeness(application, today)
    step = _current_step(application)
    if step is None or step.paused_since is None:
        raise WorkflowError("该申报没有待补正的环节")
    calendar = _calendar()
    try:
        resumed = deadline_resume(step, today=today, calendar=calendar, now=now)
        due, pauses = resumed["due_at"], resumed["pauses"]
        with transaction.atomic():
            workflow.transition(actor=actor, application=application, name="resubmit", node=None, now=now,
                                changes={"amount_min": q.amount_min, "amount_max": q.amount_max})
            ReviewStep.objects.filter(pk=step.pk, outcome=O.OPEN).update(**resumed)
            step.refresh_from_db()
            cash_due = cash_promise_resume(key=application_promise_key(application.reference), today=today, now=now)
            if cash_due is not None:  # the promised cash date waited with the node
                Application.objects.filter(pk=application.pk).update(cash_due_on=cash_due)
            _event(application, kind="resubmit", label=f"补正后重新提交，“{step.name}”期限顺延至 {due}", now=now,
                   actor=actor, step=step)
            audit_record(actor=actor, action="application.resubmit", obj=application,
                         before={"status": A.RETURNED}, after={"status": A.SUBMITTED, "due_at": due, "pauses": pauses})
            notify(recipients=step_handlers(step), category="review_task",
                   title=f"补正材料已提交：{application.item.title}（{application.enterprise.name}）",
                   body=f"{step.name}恢复计时，期限 {due}。", link=_link(application),
                   dedupe_key=f"review-resubmit:{step.pk}:{len(pauses)}:{today}")
    except CalendarYearMissing as e:
        raise WorkflowError(str(e)) from None
    return application


# -- review ------------------------------------------------------------------------------------


def _open_step_for(actor: Any, application: Application) -> ReviewStep:
    if application.status != A.SUBMITTED:
        raise WorkflowConflict(f"申报当前为“{application.get_status_display()}”，不在审核中")
    step = _current_step(application)
    if step is None or step.outcome != O.OPEN:
        raise WorkflowConflict("该环节已被他人办理，请刷新后查看最新状态")
    if not access_step_decide(actor, step):
        who = Role(step.role).label if step.role in Role.values else step.role
        raise WorkflowError(f"“{step.name}”由{step.department or ''}{who}办理，您没有该环节的审核权限")
    return step


def reviewable_facts(application: Application, today: date) -> list[str]:
    """Requirements a reviewer may confirm from the facts because the profile lacks the data
    (see evaluation.missing_facts); answered ones are included so that they can be changed."""
    base = quote(item=application.item, profile=profile_for(application.enterprise),
                 inputs=application.inputs or {}, checks={}, on=today)
    return missing_facts(base.evaluation)


def _valid_checks(item: PolicyItem, checks: dict[str, bool] | None, facts: Sequence[str] = ()) -> dict[str, bool]:
    allowed = set(check_texts(item)) | set(facts)
    out: dict[str, bool] = {}
    for text, value in (checks or {}).items():
        if text not in allowed:
            raise FormErrors({"checks": f"“{text}”不是该申报需要审核认定的事项"})
        out[text] = bool(value)
    return out


def _validate_amount(q: Quote, amount: Decimal | None, reason: str) -> None:
    if amount is None:
        return
    if q.amount_min is None:
        raise FormErrors({"amount": "该事项没有资金奖补，不能核定金额"})
    if amount < q.amount_min or (q.amount_max is not None and amount > q.amount_max):
        raise FormErrors({"amount": f"核定金额 {amount:,.2f} 元超出规则测算范围 {amount_text(q.amount_min, q.amount_max)}"})
    if amount != amount.quantize(Decimal("0.01")):
        raise FormErrors({"amount": "核定金额最多保留两位小数（分）"})
    if not q.exact and not reason.strip():
        raise FormErrors({"amount_reason": "调整或核定金额须说明理由"})


def parse_amount(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FormErrors({"amount": f"核定金额应为数字（单位：元），收到“{text}”"}) from None
    if not value.is_finite():
        raise FormErrors({"amount": "核定金额应为数字（单位：元）"})
    return value


def review_approve(*, actor: Any, application: Application, now: datetime, opinion: str = "",
                   checks: dict[str, bool] | None = None, amount: Decimal | None = None,
                   amount_reason: str = "") -> Application:
    """Approve the current node. At the last node the rules must say eligible with every check
    decided and one amount fixed; then the entitlement is granted in the same transaction (a
    refused grant, e.g. an exhausted budget, leaves the node undecided)."""
    _bounded(opinion=(opinion, "审核意见"))
    if (message := text_too_long(amount_reason, label="金额调整理由", limit=300)) is not None:
        raise FormErrors({"amount_reason": message})
    _load(application)
    today = local_date(now)
    step = _open_step_for(actor, application)
    item = application.item
    facts = reviewable_facts(application, today) if checks else []
    merged = {**(application.checks or {}), **_valid_checks(item, checks, facts)}
    q = quote(item=item, profile=profile_for(application.enterprise), inputs=application.inputs or {},
              checks=merged, on=today)
    _validate_amount(q, amount, amount_reason)
    last = application.node_index >= len(item.review_nodes) - 1
    changes: dict[str, Any] = {"checks": merged}
    if amount is not None:
        changes["amount_approved"], changes["amount_reason"] = amount, amount_reason.strip()[:300]
    if application.first_reviewed_at is None:
        changes["first_reviewed_at"] = now
    final_amount: Decimal | None = None
    seen = {k: getattr(application, k) for k in ("status", "node_index", "updated_at", "checks", "amount_approved",
                                                 "amount_reason", "first_reviewed_at", "decided_at",
                                                 "decision_reason")}
    if last:
        if q.status == "ineligible":
            raise FormErrors({"__all__": "按当前数据和认定结果不符合条件：" + "；".join(q.unmet) + "。请选择不予通过或退回补正"})
        if q.undecided_checks:
            raise FormErrors({"checks": "请先认定以下事项：" + "；".join(q.undecided_checks)})
        if q.status != "eligible":
            raise FormErrors({"__all__": missing_data_message(q)})
        final_amount = amount if amount is not None else application.amount_approved
        if q.amount_min is None:
            final_amount = None  # a non-monetary benefit: nothing goes to the ledger
        elif final_amount is not None and final_amount != amount:
            _validate_amount(q, final_amount, application.amount_reason or "已核定")
        elif final_amount is None:
            if not q.exact:
                raise FormErrors({"amount": f"测算金额为 {amount_text(q.amount_min, q.amount_max)}，请核定金额并说明理由"})
            final_amount = q.amount_min
        if final_amount is not None and final_amount <= 0:
            raise FormErrors({"amount": "核定金额为 0 元，不能核准兑现；请核定金额或选择不予通过"})
        changes.update(decided_at=now, amount_approved=final_amount, decision_reason=opinion[:2000])
    try:
        with transaction.atomic():
            workflow.transition(actor=actor, application=application, name="approve_final" if last else "approve",
                                node=step, now=now, changes=changes)
            if ReviewStep.objects.filter(pk=step.pk, outcome=O.OPEN).update(
                    outcome=O.APPROVED, colour=C.DONE, decided_by=actor, decided_at=now, decided_on=today,
                    opinion=opinion[:2000]) != 1:
                raise WorkflowConflict("该环节已被他人办理，请刷新后查看最新状态")
            detail = opinion
            if amount is not None:
                detail = f"{opinion}（核定金额 {amount:,.2f} 元：{amount_reason}）".strip()
            _event(application, kind="node_approve", label=f"“{step.name}”审核通过", now=now, actor=actor,
                   step=step, detail=detail)
            audit_record(actor=actor, action="application.approve", obj=application,
                         before={"status": A.SUBMITTED, "node": step.index},
                         after={"status": application.status, "node": application.node_index, "checks": merged,
                                "amount": final_amount if last else amount}, detail=opinion)
            if last:
                money = "非资金支持" if final_amount is None else f"核定金额 {final_amount:,.2f} 元"
                if final_amount is not None:
                    entitlement = _grant(actor=actor, application=application, amount=final_amount)
                    ref = str(getattr(entitlement, "pk", "") or "")
                    Application.objects.filter(pk=application.pk).update(entitlement_ref=ref)
                    application.entitlement_ref = ref
                _event(application, kind="approved", label=f"审核通过，{money}" + ("，转入拨付" if final_amount else ""),
                       now=now, actor=actor)
                # 承诺必践: the commitments signed instead of certificates are tracked from now on
                from huiqi.commitments.services import commitments_from_application

                commitments_from_application(application=application, now=now)
                notify(recipients=_enterprise_users(application), category="application_result",
                       title=f"申报已通过：{item.title}",
                       body=f"{money}，将按规定拨付至企业账户。",
                       link=_link(application), dedupe_key=f"application-approved:{application.pk}")
            else:
                nxt = _start_step(application, index=application.node_index, now=now, calendar=_calendar())
                _event(application, kind="node_start", label=f"进入“{nxt.name}”，期限 {nxt.due_at}", now=now, step=nxt)
                _notify_new_task(nxt)
    except (WorkflowError, CalendarYearMissing) as e:
        for key, value in seen.items():  # rolled back: the object shows what the database holds
            setattr(application, key, value)
        if isinstance(e, CalendarYearMissing):
            raise WorkflowError(str(e)) from None
        raise
    return application


def missing_data_message(q: Quote) -> str:
    """Which data are missing, in words, and who can supply them."""
    missing = "、".join(dict.fromkeys(path_label(p) for p in q.evaluation.unknown_fields))
    declared = any(p.startswith("input.") for p in q.evaluation.unknown_fields)
    who = ("请在下方“核实缺失数据”中逐项认定（须已核验证明材料），或退回企业补正" +
           ("（申报填报的数据只能由企业补正）" if declared else "") +
           "；企业档案数据由政策专员通过“数据导入”更新。")
    return f"仍缺少判断所需数据：{missing}。{who}"


class BudgetRefused(WorkflowError):
    """The ledger refused the grant because the item's budget would be exceeded."""


def _grant(*, actor: Any, application: Application, amount: Decimal) -> Any:
    """Hand the approved amount to the disbursement ledger (idempotent per enterprise, item, period)."""
    try:
        return entitlement_grant(actor=actor, enterprise=application.enterprise, item=application.item,
                     period=application.period, amount=amount, source="application",
                     source_ref=application.reference)
    except BudgetExceeded as e:
        raise BudgetRefused(f"资金预算不足，本环节未办结、保持待审核：{e}。请联系财政部门追加预算或核减金额后再审") from None
    except DisbursementError as e:
        raise WorkflowError(f"兑现登记失败，本环节保持待审核：{e}") from None


def review_return(*, actor: Any, application: Application, now: datetime, reasons: str,
                  materials: Sequence[str] = (), facts: Sequence[str] = ()) -> Application:
    """退回补正: the node's clock stops from the next day until the enterprise resubmits. The
    request names the materials to upload and the facts to explain; the enterprise's form then
    asks for exactly those, and resubmission needs each of them."""
    _bounded(opinion=(reasons, "补正意见"))
    if not reasons.strip():
        raise FormErrors({"reasons": "请写明需要补正的内容"})
    materials = list(dict.fromkeys(m.strip()[:200] for m in materials if m.strip()))
    if len(materials) + len(facts) > MAX_CORRECTION_ITEMS:
        raise FormErrors({"materials": f"一次补正最多要求 {MAX_CORRECTION_ITEMS} 项材料和说明"})
    _load(application)
    today = local_date(now)
    step = _open_step_for(actor, application)
    known_facts = set(reviewable_facts(application, today))
    unknown = [f for f in facts if f not in known_facts]
    if unknown:
        raise FormErrors({"facts": f"“{unknown[0]}”不是该申报缺少的数据"})
    changes: dict[str, Any] = {"correction": {"reasons": reasons.strip(), "materials": materials,
                                              "facts": list(dict.fromkeys(facts)), "answers": {},
                                              "asked_at": now.isoformat(), "step": step.index}}
    if application.first_reviewed_at is None:
        changes["first_reviewed_at"] = now
    with transaction.atomic():
        workflow.transition(actor=actor, application=application, name="return", node=step, now=now, changes=changes)
        ReviewStep.objects.filter(pk=step.pk, outcome=O.OPEN).update(**deadline_pause(today=today, now=now))
        cash_promise_pause(key=application_promise_key(application.reference), today=today, now=now)
        asked = "；".join([f"补交：{m}" for m in materials] + [f"说明：{f}" for f in facts])
        _event(application, kind="return", label=f"“{step.name}”退回补正（暂停计时）", now=now, actor=actor,
               step=step, detail=f"{reasons}（{asked}）" if asked else reasons)
        audit_record(actor=actor, action="application.return", obj=application,
                     before={"status": A.SUBMITTED}, after={"status": A.RETURNED, "node": step.index}, detail=reasons)
        notify(recipients=_enterprise_users(application), category="application_returned",
               title=f"申报需补正：{application.item.title}", body=f"{reasons}\n{asked}".strip(), link=_link(application),
               dedupe_key=f"application-returned:{step.pk}:{len(step.pauses)}:{today}")
    return application


def review_reject(*, actor: Any, application: Application, now: datetime, reasons: str) -> Application:
    _bounded(opinion=(reasons, "不予通过理由"))
    if not reasons.strip():
        raise FormErrors({"reasons": "不予通过须写明理由"})
    _load(application)
    today = local_date(now)
    step = _open_step_for(actor, application)
    changes: dict[str, Any] = {"decided_at": now, "decision_reason": reasons[:2000]}
    if application.first_reviewed_at is None:
        changes["first_reviewed_at"] = now
    with transaction.atomic():
        workflow.transition(actor=actor, application=application, name="reject", node=step, now=now, changes=changes)
        if ReviewStep.objects.filter(pk=step.pk, outcome=O.OPEN).update(
                outcome=O.REJECTED, colour=C.DONE, decided_by=actor, decided_at=now, decided_on=today,
                opinion=reasons[:2000]) != 1:
            raise WorkflowConflict("该环节已被他人办理，请刷新后查看最新状态")
        cash_promise_drop(key=application_promise_key(application.reference), reason="申报不予通过", today=today)
        _event(application, kind="reject", label=f"“{step.name}”不予通过", now=now, actor=actor, step=step,
               detail=reasons)
        audit_record(actor=actor, action="application.reject", obj=application,
                     before={"status": A.SUBMITTED}, after={"status": A.REJECTED}, detail=reasons)
        notify(recipients=_enterprise_users(application), category="application_result",
               title=f"申报未通过：{application.item.title}", body=reasons, link=_link(application),
               dedupe_key=f"application-rejected:{application.pk}")
    return application


# -- deadlines ---------------------------------------------------------------------------------


def _last_workday(day: date, calendar: WorkCalendar) -> date:
    while not calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def application_urge(*, actor: Any, application: Application, now: datetime) -> Urge:
    """催办 an overdue node: notifies its handlers; once per working day (a weekend counts as the
    Friday before it)."""
    if not access_application_edit(actor, application):
        raise WorkflowError("只能催办本企业的申报")
    today = local_date(now)
    step = _current_step(application)
    if application.status != A.SUBMITTED or step is None or step.outcome != O.OPEN or step.due_at is None:
        raise WorkflowError("该申报当前没有正在计时的审核环节，无需催办")
    if today <= step.due_at:
        raise WorkflowError(f"“{step.name}”期限为 {step.due_at}，尚未超期；超期后可催办")
    try:
        workday = _last_workday(today, _calendar())
    except CalendarYearMissing as e:
        raise WorkflowError(str(e)) from None
    try:
        with transaction.atomic():
            urge = Urge.objects.create(application=application, step=step, workday=workday, by=actor)
            _event(application, kind="urge", label=f"企业催办“{step.name}”（已超期）", now=now, actor=actor, step=step)
            audit_record(actor=actor, action="application.urge", obj=application, after={"step": step.index})
            notify(recipients=step_handlers(step) + supervisors_for(application.item), category="urge",
                   title=f"企业催办：{application.item.title}（{application.enterprise.name}）",
                   body=f"“{step.name}”期限 {step.due_at} 已超期，请尽快办理。", link=_link(application),
                   dedupe_key=f"urge:{application.pk}:{workday}")
    except IntegrityError:
        raise WorkflowError("今天已催办过，每个工作日可催办一次") from None
    return urge


def _step_alert(step: ReviewStep, colour: str) -> Alert:
    app = step.application
    word = "已超期（红灯）" if colour == C.RED else "即将到期（黄灯）"
    _event(app, kind=f"warn_{colour}", label=f"“{step.name}”{word}", now=timezone.now(), step=step)
    return Alert(recipients=step_handlers(step) + supervisors_for(app.item),
                 title=f"{word}：{app.item.title}（{app.enterprise.name}）",
                 body=f"“{step.name}”办理期限 {step.due_at}。", link=_link(app))


def deadline_sweep(*, today: date, now: datetime | None = None) -> SweepReport:
    """Recolour every running node through the shared sweep (huiqi.core.deadlines.sweep: one
    compare-and-set per row, so two sweeps never double-notify) and tell the handlers and the
    region's supervisors about new yellow and red lights."""
    if now is None:
        now = timezone.make_aware(datetime.combine(today, datetime.min.time()).replace(hour=7))
    steps = (ReviewStep.objects.filter(outcome=O.OPEN)
             .select_related("application__item", "application__enterprise"))
    return sweep(steps, now=now, calendar=_calendar(), dedupe_prefix="review-deadline",
                 audit_action="review_step.colour", alert=_step_alert)
