"""Writes to the enterprise library (一企一档). Each public function is one transaction with an
audit event, and announces `signals.profile_changed` once the transaction commits.

Provenance rules (written down here because the spec leaves them to us):
- a value a source does not give (empty cell, None) never erases what is stored: unknown is not
  "none";
- a value dated earlier than the stored one's ``as_of`` does not replace it, so re-importing an
  old extract cannot undo newer data or an officer-confirmed correction;
- a self-reported value awaiting verification never blocks government data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cnstd.uscc import validate_uscc
from huiqi.accounts.access import access_correction_decide, access_enterprise_correct
from huiqi.audit.services import audit_record

from .models import (
    CorrectionRequest,
    DataStatus,
    Enterprise,
    EnterpriseFlag,
    EnterpriseQualification,
    Qualification,
    YearFigure,
)
from .signals import profile_changed
from .values import (
    STATIC_FIELDS,
    FieldPath,
    display_value,
    from_storage_text,
    mask_email,
    mask_phone,
    parse_field_path,
    parse_field_value,
    storage_text,
)

SELF_REPORTED_SOURCE = "企业自报"


@dataclass(frozen=True)
class QualificationEntry:
    """One certificate as a source lists it; dates may be open."""

    code: str
    valid_from: date | None = None
    valid_to: date | None = None
    certificate_no: str = ""


@dataclass
class EnterpriseRow:
    """What one source says about one enterprise (and at most one year), validated and in
    canonical units: money in yuan, region and industry as codes. Empty means "this source says
    nothing about it", never zero or "no". ``qualifications=None`` means the source has no
    qualification list; ``[]`` means it lists none."""

    uscc: str
    name: str = ""
    region: str = ""
    industry: str = ""
    established_on: date | None = None
    registered_capital: Decimal | None = None
    ownership: str = ""
    listed: str = ""
    legal_representative: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    address: str = ""
    year: int | None = None
    figures: dict[str, Decimal | str] = field(default_factory=dict)
    qualifications: list[QualificationEntry] | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    uscc_check_overridden: bool = False


def _audit_value(name: str, value: object) -> object:
    # The audit log is a screen too: phones appear there masked, like everywhere else.
    if name == "contact_phone" and value:
        return mask_phone(str(value))
    return mask_email(str(value)) if name == "contact_email" and value else value


def _notify(enterprise_pk: int) -> None:
    transaction.on_commit(lambda: profile_changed.send(sender=Enterprise, enterprise_pk=enterprise_pk))


def _provenance(source: str, as_of: date, status: str = DataStatus.OFFICIAL) -> dict[str, str]:
    return {"source": source, "as_of": as_of.isoformat(), "status": str(status)}


def _stored_is_newer(stored_as_of: date | str | None, as_of: date, stored_status: str = "") -> bool:
    if stored_status == DataStatus.SELF_REPORTED or stored_as_of is None:
        return False
    stored = date.fromisoformat(stored_as_of) if isinstance(stored_as_of, str) else stored_as_of
    return stored > as_of


def _put_figures(enterprise: Enterprise, *, year: int, values: dict[str, Decimal | str], source: str,
                 as_of: date, status: str) -> dict[str, tuple[object, object]]:
    """Store yearly figures of one year in a few queries; returns {field: (before, after)} for
    what changed."""
    existing = {f.field: f for f in YearFigure.objects.filter(enterprise=enterprise, year=year, field__in=list(values))}
    changes: dict[str, tuple[object, object]] = {}
    to_create: list[YearFigure] = []
    to_update: list[YearFigure] = []
    for name, value in values.items():
        figure = existing.get(name)
        if figure is not None and status == DataStatus.OFFICIAL and _stored_is_newer(figure.as_of, as_of, figure.status):
            continue
        before = figure.value if figure is not None else None
        target = figure or YearFigure(enterprise=enterprise, year=year, field=name)
        if name in YearFigure.TEXT_FIELDS:
            target.value_text, target.value_number = str(value), None
        else:
            target.value_number, target.value_text = Decimal(value).quantize(Decimal("0.01")), ""
        if figure is not None and before == target.value and (figure.source, figure.as_of, figure.status) == (source, as_of, status):
            continue
        target.source, target.as_of, target.status = source, as_of, status
        (to_update if figure is not None else to_create).append(target)
        if before != target.value:
            changes[name] = (before, target.value)
    if to_create:
        YearFigure.objects.bulk_create(to_create)
    if to_update:
        YearFigure.objects.bulk_update(to_update, ["value_number", "value_text", "source", "as_of", "status"])
    return changes


def _put_flags(enterprise: Enterprise, *, values: dict[str, bool], source: str, as_of: date,
               force: bool = False) -> dict[str, tuple[object, object]]:
    existing = {f.flag: f for f in EnterpriseFlag.objects.filter(enterprise=enterprise, flag__in=list(values))}
    changes: dict[str, tuple[object, object]] = {}
    to_create: list[EnterpriseFlag] = []
    to_update: list[EnterpriseFlag] = []
    for name, value in values.items():
        flag = existing.get(name)
        if flag is not None and not force and _stored_is_newer(flag.as_of, as_of):
            continue
        if flag is not None and (flag.value, flag.source, flag.as_of) == (value, source, as_of):
            continue
        if flag is None or flag.value != value:
            changes[name] = (flag.value if flag is not None else None, value)
        if flag is None:
            to_create.append(EnterpriseFlag(enterprise=enterprise, flag=name, value=value, source=source, as_of=as_of))
        else:
            flag.value, flag.source, flag.as_of = value, source, as_of
            to_update.append(flag)
    if to_create:
        EnterpriseFlag.objects.bulk_create(to_create)
    if to_update:
        EnterpriseFlag.objects.bulk_update(to_update, ["value", "source", "as_of"])
    return changes


def _put_qualifications(enterprise: Enterprise, entries: list[QualificationEntry], *, source: str,
                        as_of: date) -> list[str]:
    """Add or refresh the listed certificates. Certificates a source does not list are kept: a
    list of one year's designations says nothing about the others."""
    changed: list[str] = []
    catalogue = {q.code: q for q in Qualification.objects.filter(code__in=[e.code for e in entries])}
    for entry in entries:
        qualification = catalogue.get(entry.code)
        if qualification is None:
            raise ValidationError(f"资质「{entry.code}」不在资质目录中，请先在资质目录中添加")
        values = {"valid_to": entry.valid_to, "certificate_no": entry.certificate_no, "source": source, "as_of": as_of}
        stored = EnterpriseQualification.objects.filter(enterprise=enterprise, qualification=qualification,
                                                        valid_from=entry.valid_from).first()
        if stored is not None and all(getattr(stored, k) == v for k, v in values.items()):
            continue  # listed again exactly as stored: nothing changes
        _, created = EnterpriseQualification.objects.update_or_create(
            enterprise=enterprise, qualification=qualification, valid_from=entry.valid_from, defaults=values)
        changed.append(f"{entry.code}{'（新增）' if created else ''}")
    if (enterprise.qualifications_source, enterprise.qualifications_as_of) != (source, as_of) and (
            not enterprise.qualifications_as_of or enterprise.qualifications_as_of <= as_of):
        enterprise.qualifications_source, enterprise.qualifications_as_of = source, as_of
        enterprise.save(update_fields=["qualifications_source", "qualifications_as_of", "updated_at"])
    return changed


def enterprise_upsert(*, actor: Any, data: EnterpriseRow, source: str, as_of: date) -> tuple[Enterprise, bool]:
    """Create or update the enterprise with this 信用代码 from one source's row. Returns the
    enterprise and whether it was created. Raises ValidationError for a wrong-format code, a
    wrong check character that nobody confirmed, or a new enterprise without name or region.
    A row that changes nothing leaves no audit event and announces no change."""
    with transaction.atomic():
        enterprise, created, before, after = enterprise_row_apply(data=data, source=source, as_of=as_of)
        if created or before or after:
            audit_record(actor=actor, action="enterprise.create" if created else "enterprise.update", obj=enterprise,
                         before=before or None, after=after, detail=f"来源：{source.strip()}；数据日期：{as_of.isoformat()}")
            _notify(enterprise.pk)
    return enterprise, created


def enterprise_row_apply(*, data: EnterpriseRow, source: str,
                         as_of: date) -> tuple[Enterprise, bool, dict[str, object], dict[str, object]]:
    """The write of enterprise_upsert without its audit event and change announcement, for a
    caller that audits and announces once for many rows (an import): returns the enterprise,
    whether it was created, and what changed (before, after; both empty when nothing did).
    Must run inside the caller's transaction."""
    source = source.strip()
    if not source:
        raise ValidationError("请填写数据来源（如 市场监管）")
    check = validate_uscc(data.uscc)
    if not check.format_ok:
        raise ValidationError(check.message or "统一社会信用代码格式错误")
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().filter(uscc=check.code).first()
        created = enterprise is None
        if enterprise is None:
            if not data.name or not data.region:
                raise ValidationError(f"新企业 {check.code} 必须有企业名称和所在地区")
            enterprise = Enterprise(uscc=check.code)
        if not check.check_ok and not (data.uscc_check_overridden or enterprise.uscc_check_overridden):
            raise ValidationError(f"{check.code} 的{check.message}；如已核实代码无误，请标记“校验码已核实”")
        sources = dict(enterprise.sources or {})
        before: dict[str, object] = {}
        after: dict[str, object] = {}
        for name in STATIC_FIELDS:
            value = getattr(data, name)
            if value is None or value == "":
                continue
            stored = sources.get(name) or {}
            if not created and _stored_is_newer(stored.get("as_of"), as_of, stored.get("status", "")):
                continue
            old = getattr(enterprise, name)
            if old != value:
                before[name], after[name] = _audit_value(name, old), _audit_value(name, value)
            setattr(enterprise, name, value)
            sources[name] = _provenance(source, as_of)
        if data.uscc_check_overridden and not check.check_ok and not enterprise.uscc_check_overridden:
            enterprise.uscc_check_overridden = True
            after["uscc_check_overridden"] = True
        if created or sources != enterprise.sources or before or after:
            enterprise.sources = sources
            enterprise.save()
        if data.figures:
            if data.year is None:
                raise ValidationError("年度指标必须注明年度")
            changes = _put_figures(enterprise, year=data.year, values=data.figures, source=source, as_of=as_of,
                                   status=DataStatus.OFFICIAL)
            for name, (old_value, new_value) in changes.items():
                before[f"years.{data.year}.{name}"], after[f"years.{data.year}.{name}"] = old_value, new_value
        if data.flags:
            for name, (old_value, new_value) in _put_flags(enterprise, values=data.flags, source=source,
                                                           as_of=as_of).items():
                before[f"flags.{name}"], after[f"flags.{name}"] = old_value, new_value
        if data.qualifications is not None:
            changed = _put_qualifications(enterprise, data.qualifications, source=source, as_of=as_of)
            if changed:
                after["qualifications"] = changed
    return enterprise, created, before, after


def current_value(enterprise: Enterprise, target: FieldPath) -> object:
    if target.kind == "static":
        return getattr(enterprise, target.name)
    if target.kind == "year" and target.year is not None:
        figure = YearFigure.objects.filter(enterprise=enterprise, year=target.year, field=target.name).first()
        return figure.value if figure else None
    flag = EnterpriseFlag.objects.filter(enterprise=enterprise, flag=target.name).first()
    return flag.value if flag else None


def correction_request_create(*, actor: Any, enterprise: Enterprise, field_path: str, proposed_value: str,
                              reason: str) -> CorrectionRequest:
    """The enterprise disputes a field or supplies a missing one. A missing yearly figure is
    stored at once as self-reported (shown "企业自报，待核实") so that matching can say what it
    would mean; a disputed value stays as the department gave it until an officer confirms."""
    if not access_enterprise_correct(actor, enterprise):
        raise PermissionDenied("只有企业本身可以提出纠错")
    try:
        target = parse_field_path(field_path)
        value = parse_field_value(target, proposed_value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    today = timezone.localdate()
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        if CorrectionRequest.objects.filter(enterprise=enterprise, field_path=target.path,
                                            status=CorrectionRequest.Status.PENDING).exists():
            raise ValidationError(f"「{target.label}」已有待核实的纠错申请，请等待处理结果")
        existing = current_value(enterprise, target)
        request = CorrectionRequest.objects.create(
            enterprise=enterprise, field_path=target.path,
            current_value=display_value(target, existing)[:100],
            proposed_value=storage_text(value)[:100], reason=reason.strip(), requested_by=actor,
        )
        supplied = False
        if target.kind == "year" and existing is None and target.year is not None:
            assert isinstance(value, Decimal | str)
            _put_figures(enterprise, year=target.year, values={target.name: value},
                         source=SELF_REPORTED_SOURCE, as_of=today, status=DataStatus.SELF_REPORTED)
            supplied = True
        audit_record(actor=actor, action="enterprise.correction.request", obj=request,
                     object_repr=f"{enterprise.name} {target.label}",
                     before={target.path: _audit_value(target.name, existing)},
                     after={target.path: _audit_value(target.name, value)},
                     detail=f"{enterprise.uscc} {target.label}" + ("（补充，待核实）" if supplied else "（纠错）"))
        if supplied:
            _notify(enterprise.pk)
    return request


def _verified_source(actor: Any) -> str:
    department = getattr(actor, "department", None)
    return f"企业自报，经{department.name if department else '主管部门'}核实"


def correction_decide(*, actor: Any, request: CorrectionRequest, confirm: bool, note: str) -> CorrectionRequest:
    """Confirm: the proposed value becomes the field's value, status confirmed, provenance
    "企业自报，经<部门>核实". Reject (a note is required so the enterprise learns why): a
    self-reported value that the request supplied is removed."""
    enterprise = request.enterprise
    if not access_correction_decide(actor, enterprise):
        raise PermissionDenied("无权处理该企业的纠错申请")
    note = note.strip()
    if not confirm and not note:
        raise ValidationError("驳回时请填写处理意见，告知企业原因")
    target = parse_field_path(request.field_path)
    value = from_storage_text(target, request.proposed_value)
    today = timezone.localdate()
    source = _verified_source(actor)
    status = CorrectionRequest.Status.CONFIRMED if confirm else CorrectionRequest.Status.REJECTED
    with transaction.atomic():
        # Compare-and-set: two officers deciding at once cannot both apply.
        taken = CorrectionRequest.objects.filter(pk=request.pk, status=CorrectionRequest.Status.PENDING).update(
            status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note[:300])
        if not taken:
            raise ValidationError("该纠错申请已被处理，请刷新页面")
        before = current_value(enterprise, target)
        if confirm:
            if target.kind == "static":
                locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
                setattr(locked, target.name, value)
                locked.sources = {**(locked.sources or {}), target.name: _provenance(source, today, DataStatus.CONFIRMED)}
                locked.save()
            elif target.kind == "year" and target.year is not None:
                assert isinstance(value, Decimal | str)
                _put_figures(enterprise, year=target.year, values={target.name: value}, source=source,
                             as_of=today, status=DataStatus.CONFIRMED)
            else:
                _put_flags(enterprise, values={target.name: bool(value)}, source=source, as_of=today, force=True)
        elif target.kind == "year" and target.year is not None:
            YearFigure.objects.filter(enterprise=enterprise, year=target.year, field=target.name,
                                      status=DataStatus.SELF_REPORTED).delete()
        audit_record(actor=actor, action="enterprise.correction.confirm" if confirm else "enterprise.correction.reject",
                     obj=request, object_repr=f"{enterprise.name} {target.label}",
                     before={target.path: _audit_value(target.name, before)},
                     after={target.path: _audit_value(target.name, value if confirm else current_value(enterprise, target))},
                     detail=note)
        _notify(enterprise.pk)
    request.refresh_from_db()
    return request


def uscc_override_confirm(*, actor: Any, enterprise: Enterprise) -> Enterprise:
    """An officer has checked a code whose check character is wrong (early codes were issued so)
    and keeps it as registered."""
    if not access_correction_decide(actor, enterprise):
        raise PermissionDenied("无权确认该企业的信用代码")
    check = validate_uscc(enterprise.uscc)
    if check.check_ok:
        raise ValidationError("该信用代码校验码正确，无需人工确认")
    if not check.format_ok:
        raise ValidationError(check.message or "统一社会信用代码格式错误")
    with transaction.atomic():
        updated = Enterprise.objects.filter(pk=enterprise.pk, uscc_check_overridden=False).update(
            uscc_check_overridden=True, updated_at=timezone.now())
        if updated:
            audit_record(actor=actor, action="enterprise.uscc_override", obj=enterprise,
                         before={"uscc_check_overridden": False}, after={"uscc_check_overridden": True},
                         detail=f"{enterprise.uscc}：{check.message}，经人工核实保留")
            _notify(enterprise.pk)
    enterprise.refresh_from_db()
    return enterprise


def qualification_create(*, actor: Any, code: str, name: str, level: str, validity_years: int | None = None,
                         issuer: str = "", is_public: bool = True, aliases: list[str] | None = None) -> Qualification:
    """Add an entry to the 资质目录 (officers do this when a policy rewards a new designation)."""
    qualification = Qualification(code=code.strip(), name=name.strip(), level=level, validity_years=validity_years,
                                  issuer=issuer.strip(), is_public=is_public, aliases=list(aliases or []))
    qualification.full_clean()
    with transaction.atomic():
        qualification.save()
        audit_record(actor=actor, action="qualification.create", obj=qualification,
                     after={"code": qualification.code, "name": qualification.name, "level": level})
    return qualification


def enterprise_qualification_put(*, actor: Any, enterprise: Enterprise, entry: QualificationEntry, source: str,
                                 as_of: date) -> EnterpriseQualification:
    """Record one certificate an enterprise holds (and that its qualification list is known)."""
    with transaction.atomic():
        _put_qualifications(enterprise, [entry], source=source, as_of=as_of)
        held = EnterpriseQualification.objects.get(enterprise=enterprise, qualification__code=entry.code,
                                                   valid_from=entry.valid_from)
        audit_record(actor=actor, action="enterprise.qualification.put", obj=enterprise,
                     after={"code": entry.code, "valid_from": entry.valid_from, "valid_to": entry.valid_to},
                     detail=f"来源：{source}；数据日期：{as_of.isoformat()}")
        _notify(enterprise.pk)
    return held


def enterprise_qualification_remove(*, actor: Any, held: EnterpriseQualification, reason: str) -> None:
    with transaction.atomic():
        enterprise_pk = held.enterprise_id
        snapshot = {"code": held.qualification.code, "valid_from": held.valid_from, "valid_to": held.valid_to}
        held.delete()
        audit_record(actor=actor, action="enterprise.qualification.remove", object_type="enterprises.enterprise",
                     object_id=str(enterprise_pk), before=snapshot, detail=reason)
        _notify(enterprise_pk)
