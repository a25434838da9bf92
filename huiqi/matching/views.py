from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huiqi.accounts.access import access_match_jobs
from huiqi.core.access_views import require

from .models import MatchJob, MatchResult
from .services import match_job_create, match_job_live_progress


def job_list(request: HttpRequest) -> HttpResponse:
    require(request, access_match_jobs(request.user))
    jobs = list(MatchJob.objects.all()[:50])
    for job in jobs:  # a running job's progress lives in the shared cache until its results commit
        job.done, job.total = match_job_live_progress(job)
    running = any(job.state in {MatchJob.State.QUEUED, MatchJob.State.RUNNING} for job in jobs)
    return render(request, "matching/jobs.html", {
        "jobs": jobs, "running": running,
        "pairs": MatchResult.objects.count(),
        "eligible": MatchResult.objects.filter(status=MatchResult.Status.ELIGIBLE).count(),
    })


@require_POST
def job_full(request: HttpRequest) -> HttpResponse:
    require(request, access_match_jobs(request.user))
    match_job_create(kind=MatchJob.Kind.FULL, reason=f"{request.user} 手动触发")
    messages.success(request, "已加入队列：全量匹配将在后台运行，本页会自动刷新进度。")
    return redirect("matching:jobs")
