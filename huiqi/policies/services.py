"""Policy writes: documents and items. Rules JSON is validated on every save; each write is one
transaction with an audit event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from huiqi.accounts.models import Department
from huiqi.audit.services import audit_record
from huiqi.enterprises.models import Qualification

from . import signals
from .models import Mode, PolicyDocument, PolicyItem
from .rules_bridge import rule_errors, rules_version_of

ITEM_FIELDS = frozenset(
    f.name for f in PolicyItem._meta.get_fields()
    if getattr(f, "editable", False) and f.name not in {"id", "status", "published_at", "created_by", "rules_version", "document"}
)


def validate_item_rules(*, conditions: Any, reward: Any) -> None:
    """Raise ValidationError naming each JSON path that is wrong (docs/rules/RULES.md)."""
    known = set(Qualification.objects.values_list("code", flat=True))
    errors = rule_errors(conditions=conditions, reward=reward, known_qualifications=known)
    if errors:
        raise ValidationError({"rules": [f"{path}: {message}" for path, message in errors]})


def _snapshot(item: PolicyItem) -> dict[str, Any]:
    data = model_to_dict(item, exclude=["id"])
    data["department"] = item.department_id
    data["document"] = item.document_id
    return data


def policy_document_create(*, actor: Any, title: str, issuer: str, level: str, region: str,
                           doc_number: str = "", department: Department | None = None,
                           issued_on: date | None = None, effective_from: date | None = None,
                           effective_to: date | None = None, source_url: str = "", text: str = "",
                           source_file: Any = None) -> PolicyDocument:
    document = PolicyDocument(title=title, issuer=issuer, level=level, region=region, doc_number=doc_number,
                              department=department, issued_on=issued_on, effective_from=effective_from,
                              effective_to=effective_to, source_url=source_url, text=text)
    if source_file is not None:
        document.source_file = source_file
    document.full_clean()
    with transaction.atomic():
        document.save()
        audit_record(actor=actor, action="policy_document.create", obj=document,
                     after={"title": title, "doc_number": doc_number, "region": region})
    return document


def policy_item_create(*, actor: Any, document: PolicyDocument, code: str, title: str, mode: str,
                       conditions: dict[str, Any], reward: dict[str, Any], **elements: Any) -> PolicyItem:
    unknown = set(elements) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"unknown policy item fields: {sorted(unknown)}")
    if mode not in Mode.values:
        raise ValidationError({"mode": f"兑现方式须为 {'、'.join(Mode.values)} 之一"})
    validate_item_rules(conditions=conditions, reward=reward)
    elements.setdefault("region", document.region)
    elements.setdefault("department", document.department)
    item = PolicyItem(document=document, code=code, title=title, mode=mode, conditions=conditions,
                      reward=reward, rules_version=rules_version_of(conditions, reward),
                      created_by=actor if getattr(actor, "is_authenticated", False) else None, **elements)
    item.full_clean(exclude=["created_by"])
    with transaction.atomic():
        item.save()
        audit_record(actor=actor, action="policy_item.create", obj=item, after=_snapshot(item))
    return item


def policy_item_update(*, actor: Any, item: PolicyItem, **changes: Any) -> PolicyItem:
    """Edit an item's elements. Rule changes are allowed only before publication: a published
    item is withdrawn to draft first so that matching never runs on unreviewed rules."""
    unknown = set(changes) - ITEM_FIELDS
    if unknown:
        raise TypeError(f"unknown policy item fields: {sorted(unknown)}")
    rules_touched = "conditions" in changes or "reward" in changes
    if rules_touched and item.status != PolicyItem.Status.DRAFT:
        raise ValidationError({"rules": "已审核或已发布的事项不能直接修改条件和标准，请先撤回为草稿"})
    before = _snapshot(item)
    for name, value in changes.items():
        setattr(item, name, value)
    if rules_touched:
        validate_item_rules(conditions=item.conditions, reward=item.reward)
        item.rules_version = rules_version_of(item.conditions, item.reward)
    item.full_clean(exclude=["created_by"])
    with transaction.atomic():
        item.save()
        after = _snapshot(item)
        audit_record(actor=actor, action="policy_item.update", obj=item,
                     before={k: before[k] for k in after if before.get(k) != after.get(k)},
                     after={k: after[k] for k in after if before.get(k) != after.get(k)})
        if rules_touched:
            transaction.on_commit(lambda: signals.item_rules_changed.send(sender=PolicyItem, item_pk=item.pk))
    return item


def library_version_bump() -> None:
    """Move the library version forward (inside the caller's transaction, so the change and the
    new version commit together). Creates the row, with a fresh token, the first time."""
    import secrets

    from django.db.models import F

    from .models import LibraryVersion

    if not LibraryVersion.objects.filter(pk=1).update(version=F("version") + 1):
        LibraryVersion.objects.get_or_create(pk=1, defaults={"token": secrets.token_hex(16), "version": 1})
