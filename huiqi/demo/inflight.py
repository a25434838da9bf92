"""Work in flight for the demo: applications submitted over the last working days, so that the
review queues, the red and yellow lights and the enterprise timelines are not empty. Made through
the same services an enterprise and a reviewer use (so every step is validated and audited)."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from huiqi.accounts.models import Role, User
from huiqi.core.deadlines import colour_for
from huiqi.disbursement import services as disbursement
from huiqi.disbursement.access import access_run_manage
from huiqi.disbursement.models import CashPromise
from huiqi.disbursement.services import cash_warn_days
from huiqi.enterprises.models import Enterprise
from huiqi.enterprises.selectors import profile_of, profiles_queryset
from huiqi.fulfilment import services as fulfilment
from huiqi.fulfilment.access import access_step_decide
from huiqi.fulfilment.evaluation import input_specs
from huiqi.fulfilment.models import Application, ReviewStep
from huiqi.policies.models import PolicyItem
from huiqi.workdays.selectors import work_calendar
from rules.evaluate import evaluate

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_APPLICATIONS = 14
LIGHTS = ("red", "yellow", "green")  # the colour each application's first node shows, in turn
DECLARED = Decimal("3000000")  # a plausible project figure (设备投资、项目投资 …) for every input


def _working_days_before(day: date, n: int) -> date:
    calendar = work_calendar()
    while n > 0:
        day = date.fromordinal(day.toordinal() - 1)
        if calendar.is_workday(day):
            n -= 1
    return day


def _submitted_on_for(colour: str, *, item: PolicyItem, today: date) -> date:
    """The working day to submit on so that the first review node shows ``colour`` today: red
    (overdue), yellow (fewer than the node's warn_days left) or green. Today if none fits."""
    calendar = work_calendar()
    node = (item.review_nodes or [{}])[0]
    days, warn = int(node.get("days") or 0), int(node.get("warn_days") or 0)
    for back in range(days + 2):
        day = _working_days_before(today, back)
        if item.window_start and day < item.window_start:
            break
        due = calendar.add_workdays(day, days)
        if colour_for(due_at=due, warn_days=warn, today=today, calendar=calendar) == colour:
            return day
    return today


def _material(label: str, enterprise: Enterprise) -> SimpleUploadedFile:
    document = Document()
    document.add_heading(label, level=1)
    document.add_paragraph(f"{enterprise.name}（统一社会信用代码 {enterprise.uscc}）")
    document.add_paragraph("演示材料：由演示数据生成，仅用于展示申报流程。")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(f"{label}.docx", buffer.getvalue(), content_type=DOCX)


def _applicant(enterprise: Enterprise) -> User:
    user = User.objects.filter(role=Role.ENTERPRISE, enterprise=enterprise).first()
    if user is None:
        user = User(username=f"qiye_{enterprise.uscc[-8:].lower()}", role=Role.ENTERPRISE, enterprise=enterprise,
                    display_name=f"{enterprise.name}（演示申报人）")
        user.set_unusable_password()
        user.save()
    return user


def seed_applications(*, today: date, region: str, reviewer: User) -> int:
    """Submit up to MAX_APPLICATIONS applications to the region's open 即申即享 and 申报审核 items,
    dated back from today so that the first nodes show red, yellow and green lights in turn
    (whatever today is); the reviewer decides the green ones' first nodes."""
    items = [item for item in PolicyItem.objects.filter(
        status=PolicyItem.Status.PUBLISHED, mode__in=["即申即享", "申报审核"], region__startswith=region[:4])
        .exclude(review_nodes=[]).order_by("code")
        if (item.window_start is None or item.window_start <= today)
        and (item.window_end is None or item.window_end >= today)]
    enterprises = list(profiles_queryset(Enterprise.objects.filter(region__startswith=region[:4]).order_by("pk")))
    made = 0
    for item in items:
        inputs = {spec["name"]: str(DECLARED) for spec in input_specs(item)}
        rules_inputs = {name: DECLARED for name in inputs}
        candidates = [e for e in enterprises
                      if evaluate(item.as_rules_item(), profile_of(e), on=today, inputs=rules_inputs).status != "ineligible"]
        for enterprise in candidates[:3]:
            if made >= MAX_APPLICATIONS:
                break
            submitted_on = _submitted_on_for(LIGHTS[made % len(LIGHTS)], item=item, today=today)
            now = timezone.make_aware(datetime.combine(submitted_on, time(9, 30)))
            user = _applicant(enterprise)
            application = fulfilment.application_create(actor=user, item=item, now=now)
            fulfilment.application_save(actor=user, application=application, inputs=inputs,
                                        commitments=list(item.commitments or []), now=now)
            for label in fulfilment.materials_to_upload(item):
                fulfilment.material_add(actor=user, application=application, label=label,
                                        upload=_material(label, enterprise), now=now)
            fulfilment.application_submit(actor=user, application=application, now=now)
            made += 1
            step = ReviewStep.objects.filter(application=application, outcome="open").first()
            if made % len(LIGHTS) == 0 and step is not None and access_step_decide(reviewer, step):
                decided = timezone.make_aware(datetime.combine(submitted_on, time(16, 0)))
                application = Application.objects.get(pk=application.pk)
                fulfilment.review_approve(actor=reviewer, application=application, now=decided,
                                          opinion="材料齐全，符合条件（演示）")
    fulfilment.deadline_sweep(today=today)
    return made


def _confirmed_on_for_cash(colour: str, *, days: int, publicity_days: int, today: date) -> date | None:
    """The working day to confirm a 免申即享 list on so that its promise (``days`` working days,
    公示 included) shows ``colour`` today, with the 公示 already over. None if none fits."""
    calendar = work_calendar()
    for back in range(days + 10):
        day = _working_days_before(today, back)
        if calendar.add_workdays(day, publicity_days) >= today:
            continue  # the 公示 must be over for the money to be owed
        due = calendar.add_workdays(day, days)
        if colour_for(due_at=due, warn_days=cash_warn_days(days), today=today, calendar=calendar) == colour:
            return day
    return None


def seed_cash_promises(*, today: date, officer: User) -> int:
    """Two 免申即享 lists of the officer's items confirmed back from today, through 公示 to
    entitlements not yet paid: one promise close to its date (yellow), one past it (red, 逾期未兑付),
    whatever today is — the finance pages and the 驾驶舱 always show both. Returns the promises."""
    items = [item for item in PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED, mode="免申即享",
                                                         region__startswith=officer.region[:4]).order_by("code")
             if access_run_manage(officer, item)]
    for colour, item in zip(("red", "yellow"), items, strict=False):
        publicity, cash = item.publicity_days or 0, item.cash_days or 0
        confirmed = _confirmed_on_for_cash(colour, days=publicity + cash, publicity_days=publicity, today=today)
        if confirmed is None:
            continue
        run = disbursement.run_create(actor=officer, item=item, period=str(confirmed.year - 1), today=confirmed)
        if run.lines.filter(decision="pending").exists():
            disbursement.run_lines_decide_pending(actor=officer, run=run, include=False,
                                                  reason="数据不全，待补充后下一批次再核（演示）")
        try:
            disbursement.run_confirm(actor=officer, run=run, today=confirmed)
        except (disbursement.DisbursementError, disbursement.BudgetExceeded):
            continue  # an empty list or one over budget: the demo shows the other item's promises
        disbursement.run_to_payment(actor=officer, run=run, today=today)
    disbursement.cash_promises_sweep(now=timezone.make_aware(datetime.combine(today, time(7, 10))))
    return CashPromise.objects.count()


__all__ = ["seed_applications", "seed_cash_promises"]
