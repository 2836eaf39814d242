"""工作台: the charts each role would rather look at than a table — and the tables behind them."""

import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from openpyxl import Workbook

from lianxi.dashboards import queries
from lianxi.dashboards.gates import dashboard_scope
from lianxi.lib.downloads import attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _manager_charts(scope, period):
    ids = [scope.conference.pk] if scope.conference else []
    return [
        queries.lists_by_month(ids, period),
        queries.members_by_category(ids),
        queries.members_by_street(ids),
        queries.burden_heatmap(ids, period, settings.BURDEN_MONTHLY_CAP),
        queries.projects_by_status(ids),
    ], {"fulfilment": queries.fulfilment(ids), "overdue": queries.overdue_deliveries(ids)}


def _unit_charts(scope, period):
    return [
        queries.unit_needs_by_state(scope.unit_ids),
        queries.unit_requests_by_month(scope.unit_ids, period),
    ], {"counts": queries.unit_counts(scope.unit_ids)}


def _xlsx(chart) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append([chart.title])
    ws.append(chart.columns)
    for row in chart.rows:
        ws.append(row)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a name beginning with = + - @ stays text, never a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@login_required
def dashboard(request):
    scope = dashboard_scope(request.user, request.GET.get("conference"))
    period = queries.Period.parse(request.GET.get("from"), request.GET.get("to"))
    if scope.kind == "manager":
        charts, figures = _manager_charts(scope, period)
    else:
        charts, figures = _unit_charts(scope, period)
    wanted = request.GET.get("download")
    if wanted:
        chart = next((c for c in charts if c.key == wanted), None)
        if chart is None:
            raise Http404
        return attachment(_xlsx(chart), f"{chart.title}.xlsx", XLSX)
    return render(request, "dashboards/dashboard.html", {
        "scope": scope, "period": period, "charts": charts, "charts_json": [c.as_json() for c in charts],
        **figures,
    })
