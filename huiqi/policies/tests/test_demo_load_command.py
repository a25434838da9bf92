"""`huiqi demo` (the load_demo command) on an empty database: loading twice, and the default size.

Apart from test_demo_load.py because these need an empty database, while every test there reads
one demo loaded once for its module."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from huiqi.audit.models import AuditEvent
from huiqi.demo.enterprises import generate_enterprises
from huiqi.enterprises.models import Enterprise


@pytest.mark.django_db
def test_if_empty_is_a_no_op_the_second_time_and_a_plain_reload_is_refused(fast_hasher: None) -> None:
    call_command("load_demo", "--enterprises", "200", "--seed", "9", verbosity=0)
    names = list(Enterprise.objects.order_by("uscc").values_list("name", flat=True))
    call_command("load_demo", "--if-empty", verbosity=0)
    assert list(Enterprise.objects.order_by("uscc").values_list("name", flat=True)) == names
    assert AuditEvent.objects.filter(action="demo.load").count() == 1
    with pytest.raises(CommandError, match="已有 200 家企业"):
        call_command("load_demo", "--enterprises", "200", verbosity=0)
    assert names == sorted_names_from_generator(seed=9, count=200)


def sorted_names_from_generator(*, seed: int, count: int) -> list[str]:
    by_code = {e.uscc: e.name for e in generate_enterprises(count=count, seed=seed)}
    return [by_code[code] for code in sorted(by_code)]


@pytest.mark.django_db
def test_the_default_demo_size_loads_the_promised_numbers(fast_hasher: None) -> None:
    """What `huiqi up` loads (its time is printed by `huiqi demo`, not asserted here)."""
    from huiqi.demo.loader import load_demo

    report = load_demo()
    assert report.counts["enterprises"] >= 2000 and report.counts["items"] >= 40
