"""Check enterprise commitments when the enterprise's figures change (an import, a correction)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from huiqi.enterprises.signals import profile_changed, profiles_imported


def _check(enterprise_pks: list[int]) -> None:
    from .models import Commitment
    from .services import commitments_check

    with_targets = (Commitment.objects.filter(enterprise_id__in=enterprise_pks, side=Commitment.Side.ENTERPRISE,
                                              status__in=Commitment.OPEN).exclude(target_field="")
                    .values_list("enterprise_id", flat=True).distinct())
    for enterprise_pk in with_targets:
        commitments_check(enterprise_id=enterprise_pk)


@receiver(profile_changed)
def on_profile_changed(sender: Any, enterprise_pk: int, **kwargs: Any) -> None:
    _check([enterprise_pk])


@receiver(profiles_imported)
def on_profiles_imported(sender: Any, enterprise_pks: list[int], **kwargs: Any) -> None:
    """An import announces once for all the enterprises whose data it changed."""
    _check(list(enterprise_pks))
