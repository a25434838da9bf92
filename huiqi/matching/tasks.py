"""Background tasks (django-tasks with the database backend; `huiqi worker` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_match_job(job_id: int) -> None:
    from .services import match_job_run

    match_job_run(job_id=job_id)
