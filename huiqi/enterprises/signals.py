from django.dispatch import Signal

# Sent after a write to an enterprise's profile commits: kwargs enterprise_pk. Matching listens
# and re-evaluates the enterprise; nothing is sent for a rolled-back transaction.
profile_changed = Signal()

# Sent once after an import commits, for the enterprises whose data it really changed: kwargs
# enterprise_pks (a list), label. Matching queues one job for all of them.
profiles_imported = Signal()
