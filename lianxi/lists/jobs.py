"""Excel imports of the lists run as background jobs: the page returns at once and shows a progress
bar; the file is checked row by row and saved all or nothing, as before."""

import io

from lianxi.jobs.registry import JobError, register
from lianxi.lib import excel
from lianxi.lists import excel as lists_excel
from lianxi.registry.models import Conference

IMPORTERS = {"needs": lists_excel.import_needs, "resources": lists_excel.import_resources}
LABELS = {"needs": "需求", "resources": "资源"}
SHOWN_ERRORS = 500


def _import(which: str, job, progress):
    conference = Conference.objects.get(pk=job.params["conference"])
    data = bytes(job.payload)
    try:
        total = excel.count_rows(io.BytesIO(data))
    except excel.ExcelFormatError:
        total = None
    done = [0]

    def step(n: int):
        done[0] += n
        progress(done[0], total=total, stage="逐行检查")

    progress(0, total=total, stage="读取文件")
    result = IMPORTERS[which](job.owner, io.BytesIO(data), conference=conference, progress=step)
    if result.file_error:
        raise JobError(result.file_error)
    if not result.ok:
        errors = [str(e) for e in result.errors]
        raise JobError(
            f"共 {result.rows} 行，其中 {len(errors)} 行有错误，整个文件未导入。请按下列提示修改后重新上传。",
            result={"errors": errors[:SHOWN_ERRORS], "more_errors": max(0, len(errors) - SHOWN_ERRORS)},
        )
    return {"message": f"已导入{LABELS[which]} {result.created} 条。", "created": result.created,
            "next_url": "/lists/" if which == "needs" else "/lists/resources/",
            "next_label": "查看认领大厅" if which == "needs" else "查看资源清单"}


@register("lists.import_needs", "导入需求清单")
def import_needs(job, progress):
    return _import("needs", job, progress)


@register("lists.import_resources", "导入资源清单")
def import_resources(job, progress):
    return _import("resources", job, progress)
