"""``{% sources_for obj %}``: the report sentences a record was taken from (见于 … 报道：'…')."""

from django import template

from lianxi.ingest.gates import sources_visible_to

register = template.Library()


@register.filter
def span_of(sources: dict, path: str) -> str:
    """``data-span`` value for a draft path: "start,end" or empty."""
    src = (sources or {}).get(path)
    return f"{src['span'][0]},{src['span'][1]}" if src else ""


@register.filter
def basis_of(sources: dict, path: str) -> str:
    src = (sources or {}).get(path)
    return src["basis"] if src else ""


@register.filter
def reason_of(sources: dict, path: str) -> str:
    src = (sources or {}).get(path)
    return (src or {}).get("reason", "")


@register.simple_tag
def draft_path(prefix, index, suffix=""):
    return f"{prefix}[{index}]{suffix}"


@register.inclusion_tag("ingest/_sources.html")
def sources_for(obj):
    spans = list(sources_visible_to(None, obj)) if obj is not None and obj.pk else []
    seen, rows = set(), []
    for s in spans:
        key = (s.source_import_id, s.quote)
        if key in seen:
            continue
        seen.add(key)
        rows.append(s)
    return {"spans": rows}
