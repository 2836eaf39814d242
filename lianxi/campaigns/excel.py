"""Nominations in and results/honour lists out, through lianxi.lib.excel. An import is
all-or-nothing: every row is checked by the same service that saves one nomination, inside one
transaction; any bad row rolls the whole file back and every bad row is named."""

from django.core.exceptions import ValidationError
from django.db import transaction

from lianxi.campaigns import services
from lianxi.campaigns.models import Campaign, Honour
from lianxi.lib import excel
from lianxi.projects.models import Link
from lianxi.registry.models import Unit


def columns(campaign: Campaign) -> list[excel.Column]:
    cols = [
        excel.Column("unit", "申报单位", required=True, width=30),
        excel.Column("body", "推荐主体", required=True, choices=list(campaign.bodies.values_list("name", flat=True))),
        excel.Column("title", "申报名称", required=True, width=30),
        excel.Column("party_org_name", "党组织"),
        excel.Column("summary", "简介", width=40),
        excel.Column("links", "五联", choices=[label for _c, label in Link.choices], multiple=True),
    ]
    cols += [excel.Column(f"field:{f['key']}", f["label"], required=bool(f.get("required"))) for f in campaign.fields]
    return cols


class ImportRejected(ValidationError):
    def __init__(self, errors: list[str]):
        super().__init__(errors)
        self.row_errors = errors


def import_nominations(actor, campaign: Campaign, file, *, today=None) -> int:
    """Create one submitted nomination per row; returns how many. Raises ``ImportRejected`` naming
    every bad row (nothing is saved) or ``ExcelFormatError`` for a file of the wrong shape."""
    cols = columns(campaign)
    bodies = {b.name: b for b in campaign.bodies.all()}
    link_codes = {label: code for code, label in Link.choices}
    errors, count = [], 0
    with transaction.atomic():
        rows = list(excel.read_rows(file, cols))
        units = {u.name: u for u in Unit.objects.filter(name__in={str(r.get("unit") or "") for _n, r in rows})}
        for number, row in rows:
            unit = units.get(str(row.get("unit") or "").strip())
            body = bodies.get(str(row.get("body") or "").strip())
            if unit is None:
                errors.append(f"第 {number} 行：找不到单位“{row.get('unit') or ''}”。")
                continue
            if body is None:
                errors.append(f"第 {number} 行：推荐主体“{row.get('body') or ''}”不属于本活动。")
                continue
            links = [link_codes.get(x, x) for x in excel.split_multiple(row.get("links"))]
            values = {k.split(":", 1)[1]: str(v) for k, v in row.items() if k.startswith("field:") and v is not None}
            try:
                with transaction.atomic():
                    services.create_nomination(actor, campaign, unit=unit, body=body, submit=True, today=today,
                                               title=str(row.get("title") or "").strip(),
                                               party_org_name=str(row.get("party_org_name") or "").strip(),
                                               summary=str(row.get("summary") or ""), links=links, values=values)
                count += 1
            except ValidationError as exc:
                errors.append(f"第 {number} 行：{'；'.join(exc.messages)}")
        if errors:
            transaction.set_rollback(True)
            raise ImportRejected(errors)
    return count


def template(campaign: Campaign) -> bytes:
    wb = excel.template(columns(campaign), title=f"{campaign.title}申报表")
    return excel.to_bytes(wb)


def export_results(campaign: Campaign):
    wb = excel.new_workbook()
    rows = [(n.rank, n.title, n.unit.name, n.body.name, n.score, "是" if n.tied else "", "是" if n.selected else "")
            for n in campaign.nominations.filter(rank__isnull=False).select_related("unit", "body").order_by("rank", "pk")]
    excel.add_table(wb, "评选结果", ["名次", "申报名称", "申报单位", "推荐主体", "得分", "并列", "入选"], rows)
    return wb


def export_honour(honour: Honour):
    wb = excel.new_workbook()
    rows = [(i, e.party_org_name, e.unit.name, "是" if e.is_representative else "")
            for i, e in enumerate(honour.entries.select_related("unit").order_by("order", "pk"), 1)]
    excel.add_table(wb, str(honour), ["序号", "党组织", "所在单位", "上台授牌代表"], rows)
    return wb
