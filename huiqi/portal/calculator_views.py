"""The 政策计算器 pages: the form (GET), its answer as a whole page (POST without JavaScript) and
as the result fragment htmx swaps in while the visitor types. Nothing typed is stored or logged."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cnstd.regions import region_name
from huiqi.core.ratelimit import over_limit
from huiqi.core.workflow import FormErrors
from rules.fields import FLAG_LABELS

from . import calculator as calc

FIGURE_PREFIX = "fig-"


def _form_data(post: QueryDict) -> dict[str, Any]:
    """The posted form in the shape parse_input takes (checkbox flags: ticked = on the list)."""
    return {
        "region": post.get("region", ""), "industry": post.get("industry", ""),
        "qualifications": post.getlist("qualification"),
        "flags": {name: name in post.getlist("flag") for name in FLAG_LABELS},
        "figures": {key[len(FIGURE_PREFIX):]: value for key, value in post.items() if key.startswith(FIGURE_PREFIX)},
    }


def _context(request: HttpRequest) -> dict[str, Any]:
    on = timezone.localdate()
    focus_code = (request.POST.get("item") or request.GET.get("item") or "").strip()
    _compiled, items = calc.published_items()
    focus_item = items.get(focus_code)
    focus_paths = calc.paths_of_item(focus_item.as_rules_item(), on) if focus_item is not None else []
    catalogue = calc.qualification_catalogue()
    figures = calc.published_figures(on=on, first=focus_paths)
    focus_region = region_name(focus_item.region) if focus_item is not None and focus_item.region else ""
    return {"on": on, "focus_region": focus_region, "focus_code": focus_item.code if focus_item else "", "focus_item": focus_item,
            "focus_paths": set(focus_paths), "figures": figures, "catalogue": catalogue,
            "flag_labels": FLAG_LABELS}


def _answer(request: HttpRequest, context: dict[str, Any]) -> int:
    """Fill the context with the answer to the posted form (or the refusal); the HTTP status."""
    post = request.POST
    data = _form_data(post)
    context["typed"] = {"region": data["region"], "industry": data["industry"],
                        "qualifications": set(data["qualifications"]),
                        "flags": {name for name, on_list in data["flags"].items() if on_list},
                        "figures": data["figures"]}
    message = over_limit(request, "calculator")
    if message:
        context["error"] = message
        return 429
    try:
        what = calc.parse_input(data, figures=context["figures"], catalogue=context["catalogue"], form_units=True)
    except FormErrors as refusal:
        context["errors"] = refusal.errors
        return 400
    context["result"] = calc.calculate(what, on=context["on"], focus_code=context["focus_code"])
    return 200


def _figure_rows(context: dict[str, Any]) -> list[dict[str, Any]]:
    typed = context.get("typed", {}).get("figures", {})
    errors = context.get("errors", {})
    return [{"key": f.key, "label": f.label, "kind": f.kind, "unit": f.form_unit, "hint": f.hint,
             "choices": f.choices, "needed": f.key in context["focus_paths"], "value": typed.get(f.key, ""),
             "error": errors.get(f.key, "")} for f in context["figures"]]


@require_http_methods(["GET", "POST"])
def calculator_page(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    status = 200
    if request.method == "POST":
        status = _answer(request, context)
    else:
        focus = context["focus_item"]
        region = focus.region if focus is not None and len(focus.region or "") == 6 and not focus.region.endswith("00") else ""
        context["typed"] = {"region": region, "industry": "", "qualifications": set(), "flags": set(), "figures": {}}
        what = calc.CalculatorInput(region=region, flags={name: False for name in FLAG_LABELS})
        context["result"] = calc.calculate(what, on=context["on"], focus_code=context["focus_code"])
    context["figure_rows"] = _figure_rows(context)
    context["region_groups"], context["industry_groups"] = calc.region_groups(), calc.industry_groups()
    return render(request, "portal/calculator.html", context, status=status)


@require_POST
def calculator_result(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    status = _answer(request, context)
    return render(request, "portal/_calculator_result.html", context, status=status)
