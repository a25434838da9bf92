"""The compiled public index is shared through a per-host file named by the library version in
the database: a publication committed on another connection makes the next check load a new
index, and whatever comes from the file answers exactly as an index compiled from the database."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from huiqi.enterprises.selectors import profile_of
from huiqi.policies.models import PolicyItem
from huiqi.policies.services import policy_item_create
from huiqi.policies.workflow import transition
from huiqi.portal import public_match
from tests.concurrency import race

from .conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _own_index_folder(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path


def _answer(index: public_match.PublicIndex, world: World) -> list[tuple[str, str, Any, Any]]:
    result = public_match.evaluate_public(index, profile_of(world.enterprise, include_private=False),
                                          on=timezone.localdate())
    return [(index.items[row.pos].code, row.status, row.amount_min, row.amount_max)
            for row in (result.row(i) for i in range(len(result.pos)))]


def _compiled_from_the_database() -> public_match.PublicIndex:
    return public_match._build_current()


def _on_another_connection(work: Any) -> None:
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # reported to the test below
            failure.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not failure, failure


def test_a_publication_on_another_connection_makes_the_next_check_load_a_new_index(world: World) -> None:
    before = public_match.public_index(max_age=0)
    assert "qz-new" not in before.by_code
    assert _answer(before, world) == _answer(_compiled_from_the_database(), world)
    document = world.items["qz-rd"].document

    def publish_elsewhere() -> None:
        item = policy_item_create(actor=world.officer, document=document, code="qz-new", title="新上线的奖励",
                                  mode="即申即享", conditions={"all": [
                                      {"field": "region", "op": "within", "value": "350500"}]},
                                  reward={"fixed": 70000})
        transition(actor=world.reviewer, item=item, name="review")
        transition(actor=world.reviewer, item=item, name="publish")

    _on_another_connection(publish_elsewhere)
    assert PolicyItem.objects.get(code="qz-new").status == PolicyItem.Status.PUBLISHED
    after = public_match.public_index(max_age=0)
    assert after is not before
    assert "qz-new" in after.by_code
    answer = _answer(after, world)
    assert ("qz-new", "eligible") in {(code, status) for code, status, _lo, _hi in answer}
    assert answer == _answer(_compiled_from_the_database(), world)


def test_other_processes_load_the_hosts_file_instead_of_compiling_and_answer_the_same(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    first = public_match.public_index(max_age=0)
    files = list((Path(public_match._index_dir())).glob(f"{public_match.INDEX_FILE_PREFIX}*.pickle"))
    assert len(files) == 1
    compiled: list[int] = []
    real_build = public_match.build_index

    def counting_build(*args: Any, **kwargs: Any) -> public_match.PublicIndex:
        compiled.append(1)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(public_match, "build_index", counting_build)
    public_match.clear_cache()  # as a freshly started worker process
    loaded = public_match.public_index(max_age=0)
    assert loaded is not first and compiled == []
    assert _answer(loaded, world) == _answer(first, world) == _answer(_compiled_from_the_database(), world)
    assert [item.document.doc_number for item in loaded.items] == [item.document.doc_number for item in first.items]


def test_two_processes_needing_a_new_version_compile_it_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[int] = []
    real_build = public_match.build_index

    def slow_counting_build(*args: Any, **kwargs: Any) -> public_match.PublicIndex:
        compiled.append(1)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(public_match, "build_index", slow_counting_build)

    def fresh_process() -> list[tuple[str, str, Any, Any]]:
        # Each thread stands for a worker process with its own memory: it reads the file lock and
        # the file, not the other's dictionary.
        return _answer(public_match._load_or_build(public_match._version_key()), world)

    first, second = race(fresh_process, fresh_process)
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert first == second
    assert compiled == [1]
