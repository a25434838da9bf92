"""Reads for the ingestion pages, always given the viewer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from cnstd.industries import find_industries, get_industry
from cnstd.regions import find_regions, get_region, region_name
from huiqi.accounts.access import access_policy_create
from huiqi.enterprises.models import Qualification
from huiqi.policies.models import Level, Mode
from rules.fields import (
    FIELDS,
    FLAG_LABELS,
    INPUT_LABELS,
    LISTED_LABELS,
    NUMERIC_TYPES,
    OWNERSHIP_LABELS,
    SCALE_LABELS,
    allowed_ops,
    takes_period,
)

from .models import DraftItem, IngestBatch

# Colours by element kind (CSS classes hl-<kind>); the legend on the page uses the same words.
ELEMENT_LABELS = {"atom": "申报条件", "reward": "奖补标准", "mode": "兑现方式", "window": "申报时间",
                  "material": "申报材料", "department": "部门"}

OP_LABELS = {"==": "等于", "!=": "不等于", ">": "大于", ">=": "不低于", "<": "小于", "<=": "不高于",
             "between": "介于", "in": "属于其一", "not_in": "不属于", "within": "位于/属于",
             "has": "具有", "not_has": "不具有", "known": "已填报"}


def can_ingest(viewer: Any) -> bool:
    """Policy officers with a department (the same people who may create policy items)."""
    return access_policy_create(viewer)


def can_edit_batch(viewer: Any, batch: IngestBatch) -> bool:
    return can_ingest(viewer) and viewer.department_id == batch.department_id


def batches_for_viewer(*, viewer: Any) -> QuerySet[IngestBatch]:
    if not can_ingest(viewer):
        return IngestBatch.objects.none()
    return (IngestBatch.objects.filter(department_id=viewer.department_id)
            .annotate(open_drafts=Count("drafts", filter=Q(drafts__status=DraftItem.Status.DRAFT)),
                      total_drafts=Count("drafts"))
            .select_related("created_by").order_by("-created_at"))


def batch_for_viewer(*, viewer: Any, pk: int) -> IngestBatch | None:
    batch = IngestBatch.objects.select_related("department", "document").filter(pk=pk).first()
    if batch is None or not can_edit_batch(viewer, batch):
        return None
    return batch


def draft_for_viewer(*, viewer: Any, batch_pk: int, pk: int) -> DraftItem | None:
    draft = DraftItem.objects.select_related("batch", "policy_item").filter(pk=pk, batch_id=batch_pk).first()
    if draft is None or not can_edit_batch(viewer, draft.batch):
        return None
    return draft


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str  # "" for plain text, else the element kind of the innermost span
    refs: str  # space-separated "element:path:start:end" of every span covering the segment


def highlight(text: str, spans: list[dict[str, Any]]) -> list[Segment]:
    """Cut the clause at every span boundary; each piece knows all the spans that cover it, so
    overlapping elements (an industry word inside a designation) stay linked to both."""
    clean = [s for s in spans if isinstance(s, dict) and isinstance(s.get("start"), int)
             and isinstance(s.get("end"), int) and 0 <= s["start"] < s["end"] <= len(text)]
    cuts = sorted({0, len(text), *(s["start"] for s in clean), *(s["end"] for s in clean)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in clean if s["start"] <= a and b <= s["end"]]
        if not covering:
            out.append(Segment(text[a:b], "", ""))
            continue
        inner = min(covering, key=lambda s: s["end"] - s["start"])
        refs = " ".join(f"{s['element']}:{s['path']}:{s['start']}:{s['end']}" for s in covering)
        out.append(Segment(text[a:b], str(inner["element"]), refs))
    return out


def vocabulary() -> dict[str, Any]:
    """What the editor needs to build its controls: the field vocabulary with Chinese labels,
    the operators each field accepts, enum choices and the qualification catalogue."""
    enum_labels = {"ownership": OWNERSHIP_LABELS, "listed": LISTED_LABELS, "scale": SCALE_LABELS}
    fields = []
    for f in FIELDS.values():
        choices: list[list[str]] = []
        if f.type == "enum":
            labels = enum_labels.get(f.name, {})
            choices = [[c, labels.get(c, c)] for c in f.choices]
        fields.append({"name": f.name, "label": f.label, "type": f.type, "kind": f.kind,
                       "ops": sorted(allowed_ops(f.name)), "period": takes_period(f.name), "choices": choices})
    for name, label in INPUT_LABELS.items():
        fields.append({"name": f"input.{name}", "label": f"申报数据：{label}", "type": "number", "kind": "input",
                       "ops": sorted(allowed_ops(f"input.{name}")), "period": False, "choices": []})
    bases = [{"name": f.name, "label": f.label} for f in FIELDS.values()
             if f.type in NUMERIC_TYPES and f.name not in ("rd_ratio", "revenue_growth")]
    return {
        "fields": fields,
        "ops": OP_LABELS,
        "flags": [[k, v] for k, v in FLAG_LABELS.items()],
        "qualifications": qualification_options(),
        "bases": bases,
        "inputs": [[k, v] for k, v in INPUT_LABELS.items()],
        "modes": list(Mode.values),
        "levels": [[v, label] for v, label in Level.choices],
        "qualification_levels": [[v, label] for v, label in Qualification.Level.choices],
    }


def qualification_options() -> list[list[str]]:
    return [[code, name] for code, name in Qualification.objects.order_by("name").values_list("code", "name")]


def code_options(*, kind: str, query: str, limit: int = 20) -> list[dict[str, str]]:
    """Region / industry codes for a picker: by code prefix or by name."""
    q = query.strip()
    if not q:
        return []
    out: list[dict[str, str]] = []
    if kind == "region":
        region = get_region(q) if q.isdigit() and len(q) == 6 else None
        if region is not None:
            out.append({"code": region.code, "name": region_name(region.code)})
        for r in find_regions(q)[:limit]:
            if r.code not in {o["code"] for o in out}:
                out.append({"code": r.code, "name": region_name(r.code)})
    elif kind == "industry":
        industry = get_industry(q)
        if industry is not None:
            out.append({"code": industry.code, "name": industry.name})
        for i in find_industries(q)[:limit]:
            if i.code not in {o["code"] for o in out}:
                out.append({"code": i.code, "name": i.name})
    return out[:limit]


def code_names(nodes: list[Any]) -> dict[str, str]:
    """Names of every region / industry code the given rules mention ("region:350503" → name),
    so the page shows them without asking the server once per control."""
    out: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            field = FIELDS.get(node.get("field", "")) if isinstance(node.get("field"), str) else None
            if field is not None and field.type in ("region", "industry"):
                values = node.get("value")
                for value in values if isinstance(values, list) else [values]:
                    if isinstance(value, str) and value:
                        out.setdefault(f"{field.type}:{value}", code_name(kind=field.type, code=value))
            for child in node.values():
                if isinstance(child, list | dict):
                    walk(child)

    walk(nodes)
    return out


def code_name(*, kind: str, code: str) -> str:
    if kind == "region":
        region = get_region(code)
        return region_name(region.code) if region else ""
    industry = get_industry(code)
    return industry.name if industry else ""
