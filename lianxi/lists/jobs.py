"""Excel imports and the plenary export of the lists run as background jobs: the page returns at
once and shows a progress bar; an import is checked row by row and saved all or nothing, as before;
the export's file is kept with the job and downloaded from its page (by the one who asked)."""

import io

from django.utils import timezone

from lianxi.audit.services import record_personal_data_view
from lianxi.jobs.registry import JobError, register
from lianxi.jobs.runner import attach_output
from lianxi.lib import excel
from lianxi.lists import excel as lists_excel
from lianxi.lists import tables
from lianxi.registry.gates import can_manage_conference
from lianxi.registry.models import Conference

IMPORTERS = {"needs": lists_excel.import_needs, "resources": lists_excel.import_resources}
LABELS = {"needs": "需求", "resources": "资源"}
SHOWN_ERRORS = 500
CHECKING = "逐行检查"


def _import(which: str, job, progress):
    conference = Conference.objects.get(pk=job.params["conference"])
    data = bytes(job.payload)
    try:
        total = excel.count_rows(io.BytesIO(data))
    except excel.ExcelFormatError:
        total = None
    # A needs import has three steps, each with its own bar (check every row, save, build the search
    # index); the stage says which step the bar is on, so a bar starting again is not read as a loss.
    steps = [CHECKING, lists_excel.SAVING, lists_excel.INDEXING] if which == "needs" else [CHECKING]

    def label(name: str) -> str:
        return f"第 {steps.index(name) + 1}/{len(steps)} 步：{name}" if len(steps) > 1 else name

    done, current = [0], {"total": total, "stage": label(CHECKING)}

    def step(n: int):
        done[0] += n
        progress(done[0], **current)

    def stage(name: str, rows: int):
        # Saving runs inside the import's transaction: the runner reports it where the page can
        # read it even while SQLite's write lock is held (lianxi.jobs.runner.Progress).
        done[0] = 0
        current.update(total=rows, stage=label(name))
        progress(0, **current)

    progress(0, total=total, stage="读取文件")
    kwargs = {"stage": stage} if which == "needs" else {}
    result = IMPORTERS[which](job.owner, io.BytesIO(data), conference=conference, progress=step, **kwargs)
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


def export_key(conference_id: int, user_id: int) -> str:
    """One export of a conference's lists at a time per person: a second click joins the first."""
    return f"lists.export_plenary:{conference_id}:{user_id}"


@register("lists.export_plenary", "导出三张清单")
def export_plenary(job, progress):
    """The three lists of one conference in the plenary layout. The rights are checked again here:
    the job may run a while after it was asked for, and a revoked grant ends it with nothing made."""
    conference = Conference.objects.get(pk=job.params["conference"])
    if job.owner is None or not can_manage_conference(job.owner, conference.pk):
        raise JobError("你已无权导出该联席会议的清单。")
    progress(0, total=3, stage="读取清单")
    released = tables.plenary_tables(conference)
    rows = sum(len(t["rows"]) for t in released.values())
    if tables.contact_phones_count(released):
        record_personal_data_view(job.owner, [conference], ["contact_phone"])  # the file carries them all
    progress(1, total=3, stage="写入 Excel")
    today = timezone.localdate()
    wb = tables.tables_workbook(released, caption=f"{conference.display_name}（{today:%Y-%m-%d}）")
    data = excel.to_bytes(wb)
    name = f"{conference.display_name}三张清单{today:%Y%m%d}.xlsx"
    attach_output(job, data, name, excel.XLSX_CONTENT_TYPE)
    progress(3, total=3, stage="完成")
    counts = {key: len(t["rows"]) for key, t in released.items()}
    return {"message": (f"已导出{conference.display_name}的三张清单：需求 {counts['needs']} 条、"
                        f"资源 {counts['resources']} 条、项目 {counts['projects']} 项。"),
            "rows": rows, **counts}
