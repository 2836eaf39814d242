"""The three lists in the layout released at a plenary (序号, 单位, 内容, 联系人 …): the rows for the
Excel export and for the snapshot frozen when a release agenda item is applied. Reads models only,
so the services (snapshots), the views (export) and the Excel import can all use it without a
circle of imports."""

from django.db.models import Prefetch, Q
from django.utils import timezone

from lianxi.lib import excel
from lianxi.lists.models import Claim, Need, Resource
from lianxi.projects.models import Project
from lianxi.registry.models import Conference

NEED_HEADERS = ["序号", "单位", "内容", "类别", "街道/居民区", "数量", "受益对象", "截止日期", "联系人", "联系电话",
                "状态", "认领单位"]
RESOURCE_HEADERS = ["序号", "单位", "内容", "资源类型", "类别", "可提供数量", "服务街道", "可提供期间", "联系人",
                    "联系电话"]
PROJECT_HEADERS = ["序号", "项目名称", "类型", "年度", "牵头单位", "参与单位", "五联", "状态"]
LIVE_NEED_STATES = [Need.State.PUBLISHED, Need.State.PARTLY_CLAIMED, Need.State.CLAIMED, Need.State.IN_DELIVERY,
                    Need.State.DELIVERED, Need.State.CONFIRMED]


def _content(title: str, description: str) -> str:
    return f"{title}：{description}" if description else title


def need_rows(conference: Conference | None, *, owner_ids=None):
    """The live needs of ``conference``, or (``owner_ids``) those the given units posted."""
    claims = Prefetch("claims", queryset=Claim.objects.exclude(state=Claim.State.CANCELLED)
                      .select_related("unit").prefetch_related("shares__unit").order_by("pk"))
    needs = Need.objects.filter(state__in=LIVE_NEED_STATES)
    needs = needs.filter(conference=conference) if owner_ids is None else needs.filter(owner_id__in=owner_ids)
    needs = (needs.select_related("owner", "category", "area").prefetch_related(claims).order_by("owner__name", "pk"))
    for index, need in enumerate(needs.iterator(chunk_size=2000), start=1):
        claimants = []
        for claim in need.claims.all():
            shares = list(claim.shares.all())
            claimants.append("、".join(s.unit.name for s in shares) + "（联合）" if shares else claim.unit.name)
        yield [index, need.owner.name, _content(need.title, need.description), need.category.name, need.area.name,
               need.quantity_label, need.beneficiaries, need.deadline.isoformat() if need.deadline else "",
               need.contact_name, need.contact_phone, need.get_state_display(), "；".join(claimants)]


def resource_rows(conference: Conference | None, *, unit_ids=None):
    """The offered resources of ``conference``, or (``unit_ids``) those the given units offer."""
    resources = Resource.objects.filter(state=Resource.State.OFFERED)
    resources = resources.filter(conference=conference) if unit_ids is None else resources.filter(unit_id__in=unit_ids)
    resources = (resources.select_related("unit", "category").prefetch_related("areas").order_by("unit__name", "pk"))
    for index, r in enumerate(resources.iterator(chunk_size=2000), start=1):
        window = "—".join(d.isoformat() for d in (r.available_from, r.available_until) if d) or "长期"
        yield [index, r.unit.name, _content(r.title, r.description), r.get_kind_display(), r.category.name,
               f"{r.capacity}{r.capacity_unit}/{r.get_period_display()}", "、".join(a.name for a in r.areas.all()),
               window, r.contact_name, r.contact_phone]


def project_rows(conference: Conference, year: int | None = None):
    projects = Project.objects.filter(conference=conference).select_related("lead_unit").prefetch_related("partner_units")
    if year is not None:
        projects = projects.filter(year=year)
    for index, p in enumerate(projects.order_by("kind", "order", "pk"), start=1):
        yield [index, p.title, p.get_kind_display(), p.year, p.lead_unit.name if p.lead_unit else "",
               "、".join(u.name for u in p.partner_units.all()), "、".join(p.links_display()), p.get_status_display()]


def plenary_tables(conference: Conference, *, year: int | None = None) -> dict:
    """The three lists as JSON-ready tables: ``{needs|resources|projects: {title, headers, rows}}``."""
    return {
        "needs": {"title": "需求清单", "headers": NEED_HEADERS, "rows": list(need_rows(conference))},
        "resources": {"title": "资源清单", "headers": RESOURCE_HEADERS, "rows": list(resource_rows(conference))},
        "projects": {"title": "项目清单", "headers": PROJECT_HEADERS, "rows": list(project_rows(conference, year))},
    }


CLAIM_HEADERS = ["序号", "需求", "需求单位", "认领单位", "数量", "频次", "状态", "认领时间"]


def claim_rows(unit_ids):
    """The claims the given units lead or share in, newest first."""
    claims = (Claim.objects.filter(Q(unit_id__in=unit_ids) | Q(shares__unit_id__in=unit_ids)).distinct()
              .select_related("need", "need__owner", "unit").order_by("-created_at", "-pk"))
    for index, c in enumerate(claims.iterator(chunk_size=2000), start=1):
        yield [index, c.need.title, c.need.owner.name, c.unit.name, f"{c.quantity}{c.need.quantity_unit}",
               c.get_cadence_display(), c.get_state_display(), timezone.localtime(c.created_at).strftime("%Y-%m-%d")]


def unit_tables(unit_ids) -> dict:
    """What a unit account's own work needs: its needs, its resources and its claims."""
    unit_ids = list(unit_ids)
    return {
        "needs": {"title": "本单位需求", "headers": NEED_HEADERS, "rows": list(need_rows(None, owner_ids=unit_ids))},
        "resources": {"title": "本单位资源", "headers": RESOURCE_HEADERS,
                      "rows": list(resource_rows(None, unit_ids=unit_ids))},
        "claims": {"title": "本单位认领", "headers": CLAIM_HEADERS, "rows": list(claim_rows(unit_ids))},
    }


WIDTHS = {
    "needs": [6, 24, 48, 10, 16, 10, 18, 12, 10, 16, 10, 30],
    "resources": [6, 24, 48, 10, 10, 16, 24, 22, 10, 16],
    "projects": [6, 36, 10, 8, 24, 36, 24, 10],
    "claims": [6, 40, 24, 24, 10, 10, 10, 12],
}


def tables_workbook(tables: dict, *, caption: str):
    wb = excel.new_workbook()
    for key in ("needs", "resources", "projects", "claims"):
        table = tables.get(key)
        if table is None:
            continue
        excel.add_table(wb, table["title"], table["headers"], table["rows"], widths=WIDTHS[key],
                        caption=f"{caption} {table['title']}")
    return wb


CONTACT_HEADER = "联系电话"


def contact_phones_count(tables: dict) -> int:
    """How many contact phones the tables hold (0: nothing personal to show or audit)."""
    count = 0
    for table in tables.values():
        if CONTACT_HEADER in table.get("headers", []):
            col = table["headers"].index(CONTACT_HEADER)
            count += sum(1 for row in table["rows"] if len(row) > col and row[col])
    return count


def mask_contacts(tables: dict) -> dict:
    """A copy of the tables with every contact phone masked, for readers whose work does not need
    them (PIPL); a stored snapshot itself stays as released."""
    from lianxi.lib.privacy import mask_phone

    out = {}
    for key, table in tables.items():
        if CONTACT_HEADER not in table.get("headers", []):
            out[key] = table
            continue
        col = table["headers"].index(CONTACT_HEADER)
        rows = [[mask_phone(v) if i == col and isinstance(v, str) else v for i, v in enumerate(row)]
                for row in table["rows"]]
        out[key] = {**table, "rows": rows}
    return out
