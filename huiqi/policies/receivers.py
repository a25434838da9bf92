"""Keep the policy search index in step with publication (signals are sent after commit)."""

from __future__ import annotations

from typing import Any

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
