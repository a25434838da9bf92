"""Keep results fresh: an item published or changed, a profile changed → queue a recomputation."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from huiqi.enterprises.signals import profile_changed, profiles_imported
from huiqi.policies.models import PolicyItem
from huiqi.policies.signals import item_rules_changed, item_status_changed

from .models import MatchJob


@receiver(item_status_changed)
def on_item_status_changed(sender: Any, item_pk: int, transition: str, **kwargs: Any) -> None:
    from .services import match_item_clear, match_job_create

    if transition == "publish":
        item = PolicyItem.objects.get(pk=item_pk)
        match_job_create(kind=MatchJob.Kind.ITEM, target=str(item_pk), target_label=item.title, reason="事项发布")
    elif transition in {"withdraw", "expire"}:
        match_item_clear(item_id=item_pk, reason=f"事项{'撤回' if transition == 'withdraw' else '失效'}")


@receiver(item_rules_changed)
def on_item_rules_changed(sender: Any, item_pk: int, **kwargs: Any) -> None:
    from .services import match_job_create

    item = PolicyItem.objects.get(pk=item_pk)
    if item.status == PolicyItem.Status.PUBLISHED:
        match_job_create(kind=MatchJob.Kind.ITEM, target=str(item_pk), target_label=item.title, reason="事项修改")


@receiver(profile_changed)
def on_profile_changed(sender: Any, enterprise_pk: int, **kwargs: Any) -> None:
    from huiqi.enterprises.models import Enterprise

    from .services import match_job_create

    name = Enterprise.objects.filter(pk=enterprise_pk).values_list("name", flat=True).first() or ""
    match_job_create(kind=MatchJob.Kind.ENTERPRISE, target=str(enterprise_pk), target_label=name, reason="企业数据变更")


@receiver(profiles_imported)
def on_profiles_imported(sender: Any, enterprise_pks: list[int], label: str = "", **kwargs: Any) -> None:
    """One job per import, however many enterprises it changed (none if it changed none)."""
    from .services import match_job_create

    if enterprise_pks:
        match_job_create(kind=MatchJob.Kind.ENTERPRISES, targets=list(enterprise_pks),
                         target_label=f"{label}（{len(enterprise_pks)} 家企业）"[:200], reason="企业数据导入")
