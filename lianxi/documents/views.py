"""A meeting's documents: 会议通知, 会议纪要, 简报 and certificates, as Word files (and PDF by a job)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lianxi.documents.context import KINDS
from lianxi.documents.gates import get_meeting_for_documents
from lianxi.documents.render import pdf_available, render_docx
from lianxi.jobs import services as jobs
from lianxi.lib.downloads import attachment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def meeting_documents(request, pk):
    meeting = get_meeting_for_documents(request.user, pk)
    kinds = [{"code": code, "label": label} for code, (label, _build) in KINDS.items()]
    return render(request, "documents/meeting_documents.html", {
        "meeting": meeting, "kinds": kinds, "pdf_available": pdf_available(),
    })


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404
    return kind


@login_required
def meeting_document_docx(request, pk, kind):
    meeting = get_meeting_for_documents(request.user, pk)
    data = render_docx(_kind(kind), meeting)
    return attachment(data, f"{meeting.title}{KINDS[kind][0]}.docx", DOCX)


@login_required
@require_POST
def meeting_document_pdf(request, pk, kind):
    meeting = get_meeting_for_documents(request.user, pk)
    job = jobs.enqueue(request.user, "documents.pdf", params={"meeting": meeting.pk, "kind": _kind(kind)},
                       title=f"生成《{meeting.title}{KINDS[kind][0]}》PDF")
    return redirect("jobs:job_detail", pk=job.pk)
