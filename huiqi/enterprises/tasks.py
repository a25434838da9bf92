"""Background tasks of the enterprise library (run by `huiqi worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int) -> None:
    from .importing import import_job_run

    import_job_run(job_id=job_id)
