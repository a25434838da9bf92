"""Keep the policy search index in step with publication (signals are sent after commit)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .signals import item_rules_changed, item_status_changed


@receiver(item_status_changed)
def on_item_status_changed(sender: Any, item_pk: int, **kwargs: Any) -> None:
    from .search import search_index_refresh

    search_index_refresh(item_id=item_pk)


@receiver(item_rules_changed)
def on_item_rules_changed(sender: Any, item_pk: int, **kwargs: Any) -> None:
    from .search import search_index_refresh

    search_index_refresh(item_id=item_pk)


@receiver(post_save, sender="policies.PolicyItem")
@receiver(post_delete, sender="policies.PolicyItem")
@receiver(post_save, sender="policies.PolicyDocument")
@receiver(post_delete, sender="policies.PolicyDocument")
@receiver(post_save, sender="enterprises.Qualification")
@receiver(post_delete, sender="enterprises.Qualification")
def on_library_row_written(sender: Any, **kwargs: Any) -> None:
    """Any saved or deleted item, document or catalogue entry may change what the public index
    shows: the version moves in the writer's transaction (status moves by UPDATE bump it in
    workflow.transition). Bulk writes that bypass save() must call library_version_bump()."""
    from .services import library_version_bump

    library_version_bump()
