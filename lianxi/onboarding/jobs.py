"""Registry sheets are planned and applied as background jobs (large files never block a request)."""

import io

from django.core.exceptions import ValidationError

from lianxi.jobs.registry import JobError, register
from lianxi.onboarding import registry_sheets as sheets
from lianxi.onboarding.gates import still_runs
from lianxi.registry.models import Conference


def _plan(job, progress):
    conferences = Conference.objects.filter(pk__in=job.params["conferences"])
    progress(0, stage="逐行检查")
    return sheets.PLANNERS[job.params["sheet"]](io.BytesIO(bytes(job.payload)), conferences=conferences)


def _summary(plan, limit: int = 300) -> dict:
    rows = [{"row": r.row, "name": r.name, "action": r.action_label, "changes": r.changes, "errors": r.errors}
            for r in plan.rows if r.errors or r.action != sheets.SAME][:limit]
    return {
        "sheet": plan.sheet, "file_error": plan.file_error, "total": len(plan.rows),
        "create": plan.count(sheets.CREATE), "update": plan.count(sheets.UPDATE), "same": plan.count(sheets.SAME),
        "bad": len(plan.errors), "rows": rows, "shown": len(rows),
        "errors": [f"第 {r.row} 行：" + "；".join(r.errors) for r in plan.errors][:200],
        "more_errors": max(0, len(plan.errors) - 200),
    }


@register("onboarding.registry_plan", "检查登记表")
def plan_sheet(job, progress):
    plan = _plan(job, progress)
    summary = _summary(plan)
    summary["next_url"] = f"/setup/registry/plan/{job.pk}/"
    summary["next_label"] = "查看导入预览"
    if plan.file_error:
        raise JobError(plan.file_error, result=summary)
    if plan.errors:
        raise JobError(f"有 {len(plan.errors)} 行有问题，整个文件未导入。", result=summary)
    summary["message"] = (f"检查完毕：新建 {summary['create']} 条，更新 {summary['update']} 条，"
                          f"无变化 {summary['same']} 条。尚未保存，请在预览页确认导入。")
    return summary


@register("onboarding.registry_apply", "导入登记表")
def apply_sheet(job, progress):
    """The rights are checked again here, as on the page: the job may run after the owner's grant
    was taken back, and then ends with nothing saved."""
    if job.owner is None or not still_runs(job.owner, job.params.get("conferences")):
        raise JobError("你已无权向这些联席会议导入登记表。")
    plan = _plan(job, progress)
    if not plan.ok:
        raise JobError(plan.file_error or f"有 {len(plan.errors)} 行有问题，整个文件未导入。", result=_summary(plan))
    progress(len(plan.rows), total=len(plan.rows), stage="保存")
    try:
        done = sheets.apply_plan(job.owner, plan)
    except ValidationError as exc:
        raise JobError("；".join(exc.messages)) from exc
    return {"message": f"已导入{plan.sheet}：新建 {done['create']} 条，更新 {done['update']} 条，无变化 {done['same']} 条。",
            "next_url": "/setup/checklist/", "next_label": "返回上线清单"}
