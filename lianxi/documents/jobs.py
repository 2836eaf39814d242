"""PDF documents are made in the background: LibreOffice takes seconds, more than a request should."""

from lianxi.campaigns.models import Honour
from lianxi.documents.context import KINDS
from lianxi.documents.honours import file_name
from lianxi.documents.render import DocumentError, render_docx, render_honour_certificates, to_pdf
from lianxi.jobs.registry import JobError, register
from lianxi.jobs.runner import attach_output
from lianxi.meetings.models import Meeting


@register("documents.pdf", "生成 PDF 文书")
def make_pdf(job, progress):
    """A meeting's document (params ``meeting`` and ``kind``) or a campaign honour's certificates
    (params ``honour``) as PDF."""
    progress(0, total=2, stage="填写模板")
    if "honour" in job.params:
        honour = Honour.objects.select_related("conference", "named_at__meeting").get(pk=job.params["honour"])
        docx, name = render_honour_certificates(honour), file_name(honour)
    else:
        kind = job.params["kind"]
        meeting = Meeting.objects.select_related("conference").get(pk=job.params["meeting"])
        docx, name = render_docx(kind, meeting), f"{meeting.title}{KINDS[kind][0]}"
    progress(1, total=2, stage="转换为 PDF")
    try:
        pdf = to_pdf(docx)
    except DocumentError as exc:
        raise JobError(str(exc)) from exc
    attach_output(job, pdf, f"{name}.pdf", "application/pdf")
    progress(2, total=2, stage="完成")
    return {"message": f"已生成《{name}》PDF。"}
