"""Check enterprise commitments when the enterprise's figures change (an import, a correction)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from huiqi.enterprises.signals import profile_changed


@receiver(profile_changed)
def on_profile_changed(sender: Any, enterprise_pk: int, **kwargs: Any) -> None:
    from .models import Commitment
    from .services import commitments_check

    if Commitment.objects.filter(enterprise_id=enterprise_pk, side=Commitment.Side.ENTERPRISE,
                                 status__in=Commitment.OPEN).exclude(target_field="").exists():
        commitments_check(enterprise_id=enterprise_pk)
