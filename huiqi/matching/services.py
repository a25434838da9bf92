"""Recomputing match results: one enterprise, one item, or everything. Writes replace the
results of their scope in one transaction and leave one audit event per run."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from huiqi.audit.services import audit_record
from huiqi.core.jobs import heartbeat, job_claim, progress_read, progress_report, stale_jobs
from huiqi.core.regions import region_within_q
from huiqi.enterprises.models import Enterprise
from huiqi.enterprises.selectors import profile_frame, profile_of, profiles_queryset
from huiqi.policies.models import PolicyItem
from huiqi.policies.selectors import published_items
from rules.batch import ItemIndex, MatchRow, chunk_rows, match_batch_chunks, match_enterprise

from .models import MatchJob, MatchResult

log = logging.getLogger(__name__)
WRITE_BATCH = 5000
_index_cache: dict[str, Any] = {}
RESULTS_LOCK = 0x6D61746368  # "match": the advisory lock every write of match results takes first
WEB_WAIT_SECONDS = 15.0  # a page waits this long for the worker's recompute, then says so


class MatchBusy(Exception):
    """Another recomputation holds the match results; the message is shown to people."""


def _lock_results(*, wait: float | None) -> None:
    """Inside the writing transaction, before any delete: one PostgreSQL advisory lock for all
    writers of match results (full, item, enterprise), so two recomputations never insert the
    same (enterprise, item) pair at once (`match_result_unique`). ``wait=None`` waits as long as
    it takes (the worker); otherwise ``MatchBusy`` after ``wait`` seconds. SQLite serialises
    writers by itself."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if wait is not None:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(wait * 1000)}ms"])
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RESULTS_LOCK])
        except OperationalError as error:
            raise MatchBusy("匹配结果正在由后台任务重新计算，请稍后再试") from error
        if wait is not None:
            cursor.execute("SELECT set_config('lock_timeout', '0', true)")


def published_index() -> tuple[ItemIndex, dict[str, PolicyItem]]:
    """All published items compiled once, rebuilt only when an item changed (the quick-match path)."""
    published = PolicyItem.objects.filter(status=PolicyItem.Status.PUBLISHED)
    stamp = (published.count(), published.aggregate(m=Max("updated_at"))["m"])
    if _index_cache.get("stamp") != stamp:
        items = list(published_items())
        _index_cache["index"] = ItemIndex([item.as_rules_item() for item in items])
        _index_cache["items"] = {item.code: item for item in items}
        _index_cache["stamp"] = stamp
    return _index_cache["index"], _index_cache["items"]


def _result(row: MatchRow, *, enterprise_id: int, item: PolicyItem, now: Any) -> MatchResult:
    return MatchResult(
        enterprise_id=enterprise_id, item_id=item.pk, status=row.status,
        amount_min=Decimal(row.amount_min), amount_max=None if row.amount_max is None else Decimal(row.amount_max),
        unknown_fields=list(row.unknown_fields or ()), rules_version=item.rules_version, computed_at=now,
    )


def job_progress_key(job: MatchJob) -> str:
    # With the creation time, a key never meets a job of an earlier database with the same id.
    return f"matching:job:{job.pk}:{job.created_at.timestamp():.6f}"


class _Progress:
    """A job's progress as other connections see it while the results transaction is open: kept in
    the shared "progress" cache during the run, written to the job row once the results commit."""

    def __init__(self, job: MatchJob | None) -> None:
        self.job, self.done, self.total = job, 0, 0

    def report(self, *, done: int | None = None, total: int | None = None) -> None:
        if self.job is None:
            return
        self.done = self.done if done is None else done
        self.total = self.total if total is None else total
        progress_report(job_progress_key(self.job), done=self.done, total=self.total)

    def finish(self, *, pairs: int) -> None:
        if self.job is not None:
            MatchJob.objects.filter(pk=self.job.pk).update(done=self.done, total=self.total, pairs=pairs)


def match_job_live_progress(job: MatchJob) -> tuple[int, int]:
    """(done, total) of a job as its worker last reported it, from any host."""
    if job.state == MatchJob.State.RUNNING:
        live = progress_read(job_progress_key(job))
        if live is not None:
            return live
    return job.done, job.total


def match_enterprise_recompute(*, enterprise_id: int, on: date | None = None, job: MatchJob | None = None) -> int:
    """The quick path: one enterprise against every published item."""
    on = on or timezone.localdate()
    enterprise = profiles_queryset(Enterprise.objects.filter(pk=enterprise_id)).first()
    if enterprise is None:
        return 0
    index, items = published_index()
    rows = match_enterprise(profile_of(enterprise), index, on=on)
    now = timezone.now()
    results = [_result(row, enterprise_id=enterprise_id, item=items[str(row.policy)], now=now) for row in rows]
    try:
        with transaction.atomic():
            _lock_results(wait=None if job is not None else WEB_WAIT_SECONDS)
            MatchResult.objects.filter(enterprise_id=enterprise_id).delete()
            MatchResult.objects.bulk_create(results)
            audit_record(actor=None, action="matching.enterprise", obj=enterprise,
                         after={"pairs": len(results), "on": on}, detail=job.reason if job else "")
    except MatchBusy:
        # A page asked (job is None): the running full recompute will write this enterprise too.
        log.info("enterprise %s not recomputed now: a full recompute holds the results", enterprise_id)
        return 0
    progress = _Progress(job)
    progress.report(done=1, total=1)
    progress.finish(pairs=len(results))
    return len(results)


def _write_chunks(rows: Iterable[MatchRow], *, item_by_code: Mapping[str, PolicyItem],
                  enterprise_ids: Mapping[str, int], now: Any) -> int:
    written = 0
    buffer: list[MatchResult] = []
    for row in rows:
        buffer.append(_result(row, enterprise_id=enterprise_ids[row.uscc], item=item_by_code[str(row.policy)], now=now))
        if len(buffer) >= WRITE_BATCH:
            MatchResult.objects.bulk_create(buffer)
            written += len(buffer)
            buffer = []
    MatchResult.objects.bulk_create(buffer)
    return written + len(buffer)


def match_item_recompute(*, item_id: int, on: date | None = None, job: MatchJob | None = None) -> int:
    """On publish or change: one item against every enterprise in its region."""
    on = on or timezone.localdate()
    item = PolicyItem.objects.select_related("document").get(pk=item_id)
    if item.status != PolicyItem.Status.PUBLISHED:
        return match_item_clear(item_id=item_id, reason="事项未发布")
    enterprises = Enterprise.objects.filter(region_within_q(item.region))
    enterprise_ids = dict(enterprises.values_list("uscc", "pk"))
    progress = _Progress(job)
    progress.report(done=0, total=len(enterprise_ids))
    frame = profile_frame(enterprises, on=on)
    now = timezone.now()
    with transaction.atomic():
        _lock_results(wait=None if job is not None else WEB_WAIT_SECONDS)
        MatchResult.objects.filter(item_id=item_id).delete()
        chunks = match_batch_chunks([item.as_rules_item()], frame, unknown_fields=True)
        rows = (row for chunk in chunks for row in chunk_rows(chunk, frame))
        written = _write_chunks(rows, item_by_code={item.code: item}, enterprise_ids=enterprise_ids, now=now)
        audit_record(actor=None, action="matching.item", obj=item, after={"pairs": written, "on": on,
                     "enterprises": len(enterprise_ids)}, detail=job.reason if job else "")
        progress.report(done=len(enterprise_ids))
    progress.finish(pairs=written)
    return written


def match_item_clear(*, item_id: int, reason: str) -> int:
    with transaction.atomic():
        _lock_results(wait=None)
        removed, _ = MatchResult.objects.filter(item_id=item_id).delete()
        audit_record(actor=None, action="matching.item_clear", object_type="policies.policyitem",
                     object_id=str(item_id), after={"removed": removed}, detail=reason)
    return removed


def match_full_recompute(*, on: date | None = None, job: MatchJob | None = None,
                         enterprise_pks: list[int] | None = None) -> int:
    """The scheduled full run: every published item against every enterprise, columnar. With
    ``enterprise_pks``, the same for those enterprises only (the ones an import changed).
    Profiles go through the vectorised reader `huiqi match-batch` uses on a Parquet export
    (profile_frame), and results stream from the kernel's chunks into the database in batches of
    WRITE_BATCH rows, never held whole."""
    on = on or timezone.localdate()
    items = list(published_items())
    item_by_code = {item.code: item for item in items}
    scope = Enterprise.objects.all() if enterprise_pks is None else Enterprise.objects.filter(pk__in=enterprise_pks)
    enterprise_ids = dict(scope.values_list("uscc", "pk"))
    progress = _Progress(job)
    progress.report(done=0, total=len(items))
    frame = profile_frame(scope, on=on)
    now = timezone.now()
    done = 0

    def advance(step: int) -> None:
        nonlocal done
        done += step
        if done % 10 == 0 or done == len(items):
            progress.report(done=done)

    with transaction.atomic():
        _lock_results(wait=None)
        (MatchResult.objects.all() if enterprise_pks is None
         else MatchResult.objects.filter(enterprise_id__in=enterprise_pks)).delete()
        chunks = match_batch_chunks([item.as_rules_item() for item in items], frame, progress=advance,
                                    unknown_fields=True)
        rows = (row for chunk in chunks for row in chunk_rows(chunk, frame))
        written = _write_chunks(rows, item_by_code=item_by_code, enterprise_ids=enterprise_ids, now=now)
        audit_record(actor=None, action="matching.full" if enterprise_pks is None else "matching.enterprises",
                     object_type="matching.matchjob", object_id=str(job.pk) if job else "",
                     after={"pairs": written, "items": len(items), "enterprises": len(enterprise_ids), "on": on},
                     detail=job.reason if job else "")
    progress.finish(pairs=written)
    return written


def match_job_create(*, kind: str, target: str = "", target_label: str = "", reason: str = "",
                     targets: list[int] | None = None) -> MatchJob:
    """Queue a recomputation; the worker picks it up after the current transaction commits."""
    from .tasks import run_match_job

    job = MatchJob.objects.create(kind=kind, target=target, target_label=target_label, reason=reason,
                                  targets=sorted(targets or []))
    transaction.on_commit(lambda: run_match_job.enqueue(job.pk))
    return job


def match_job_run(*, job_id: int) -> None:
    """Run a queued job, or take over one whose worker died (stale heartbeat) and run it again:
    every kind replaces its scope's results in one transaction, so a second run adds nothing."""
    if not job_claim(MatchJob, job_id, queued=MatchJob.State.QUEUED, running=MatchJob.State.RUNNING):
        return
    job = MatchJob.objects.get(pk=job_id)
    try:
        with heartbeat(MatchJob, job_id):
            if job.kind == MatchJob.Kind.FULL:
                pairs = match_full_recompute(job=job)
            elif job.kind == MatchJob.Kind.ENTERPRISES:
                pairs = match_full_recompute(job=job, enterprise_pks=[int(pk) for pk in job.targets])
            elif job.kind == MatchJob.Kind.ITEM:
                pairs = match_item_recompute(item_id=int(job.target), job=job)
            else:
                pairs = match_enterprise_recompute(enterprise_id=int(job.target), job=job)
    except Exception as error:
        log.exception("match job %s failed", job_id)
        MatchJob.objects.filter(pk=job_id).update(state=MatchJob.State.FAILED, finished_at=timezone.now(),
                                                  message=f"失败：{error}"[:500])
        raise
    MatchJob.objects.filter(pk=job_id, state=MatchJob.State.RUNNING).update(
        state=MatchJob.State.DONE, finished_at=timezone.now(), pairs=pairs,
        message=f"共 {pairs} 个符合或可能符合的企业-事项对")


def match_jobs_resume_stale() -> list[int]:
    """Queue again the jobs whose worker stopped beating (killed, host lost); a worker runs this
    when it starts and every minute. Returns the job ids."""
    from .tasks import run_match_job

    stale = stale_jobs(MatchJob, running=MatchJob.State.RUNNING)
    for job_id in stale:
        log.warning("match job %s: worker stopped beating, queued again", job_id)
        run_match_job.enqueue(job_id)
    return stale


def match_jobs_run_queued() -> int:
    """Run every queued job here and now, in this process (for an operator who cannot wait for
    the worker, and for tests inside one database transaction)."""
    ran = 0
    for job_id in MatchJob.objects.filter(state=MatchJob.State.QUEUED).order_by("pk").values_list("pk", flat=True):
        match_job_run(job_id=job_id)
        ran += 1
    return ran
