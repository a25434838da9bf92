from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cnstd.regions import region_name
from huiqi.accounts.access import access_enterprise_list, access_match_jobs
from huiqi.core.access_views import require
from huiqi.core.regions import region_options
from huiqi.core.spreadsheets import xlsx_response
from huiqi.policies.models import PolicyItem

from .models import MatchJob, MatchResult
from .selectors import MatchRow, item_matches
from .services import match_job_create, match_job_live_progress

MATCH_PAGE_SIZE = 50


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


def item_enterprises(request: HttpRequest, code: str) -> HttpResponse:
    """政策找企 for officers: the enterprises of their region that match an item, with amounts and
    what is missing; filterable by status and region, exported to Excel."""
    require(request, access_enterprise_list(request.user))
    item = get_object_or_404(PolicyItem.objects.select_related("document"), code=code,
                             status=PolicyItem.Status.PUBLISHED)
    status = request.GET.get("status", "")
    region = request.GET.get("region", "").strip()[:6]
    qs = item_matches(viewer=request.user, item=item, status=status, region=region if region.isdigit() else "")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"{item.title[:60]}-匹配企业.xlsx", "匹配企业",
                             ["企业名称", "统一社会信用代码", "所在地区", "匹配结果", "测算金额", "金额下限（元）",
                              "金额上限（元）", "待补充数据"],
                             ([r.enterprise.name, r.enterprise.uscc, region_name(r.enterprise.region), r.status_label,
                               r.amount, r.result.amount_min, r.result.amount_max, "、".join(r.missing)]
                              for r in (MatchRow(m) for m in qs.iterator(chunk_size=2000))))
    page = Paginator(qs, MATCH_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {s: item_matches(viewer=request.user, item=item, status=s).count() for s in MatchResult.Status.values}
    return render(request, "matching/item_enterprises.html", {
        "item": item, "rows": [MatchRow(m) for m in page.object_list], "page": page, "status": status,
        "region": region, "counts": counts, "statuses": MatchResult.Status.choices,
        "region_groups": region_options(request.user),
        "query": urlencode({k: v for k, v in (("status", status), ("region", region)) if v}),
    })
