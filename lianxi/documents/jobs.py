"""PDF documents are made in the background: LibreOffice takes seconds, more than a request should."""

from lianxi.documents.context import KINDS
from lianxi.documents.render import DocumentError, render_docx, to_pdf
from lianxi.jobs.registry import JobError, register
from lianxi.jobs.runner import attach_output
from lianxi.meetings.models import Meeting


@register("documents.pdf", "生成 PDF 文书")
def make_pdf(job, progress):
    kind = job.params["kind"]
    meeting = Meeting.objects.select_related("conference").get(pk=job.params["meeting"])
    progress(0, total=2, stage="填写模板")
    docx = render_docx(kind, meeting)
    progress(1, total=2, stage="转换为 PDF")
    try:
        pdf = to_pdf(docx)
    except DocumentError as exc:
        raise JobError(str(exc)) from exc
    label = KINDS[kind][0]
    attach_output(job, pdf, f"{meeting.title}{label}.pdf", "application/pdf")
    progress(2, total=2, stage="完成")
    return {"message": f"已生成《{meeting.title}{label}》PDF。"}
