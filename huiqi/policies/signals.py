from django.dispatch import Signal

# Sent after a status change commits: kwargs item_pk, transition (e.g. "publish").
item_status_changed = Signal()
# Sent after an item's conditions or reward change: kwargs item_pk.
item_rules_changed = Signal()
