"""A meeting's documents: 会议通知, 会议纪要, 简报 and certificates, as Word files (and PDF by a job);
the certificates of a campaign honour's list, offered on the honour's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lianxi.documents.context import KINDS
from lianxi.documents.gates import get_honour_for_certificates, get_meeting_for_documents
from lianxi.documents.honours import file_name
from lianxi.documents.render import render_docx, render_honour_certificates
from lianxi.jobs import services as jobs
from lianxi.lib.downloads import attachment
from lianxi.lib.office import pdf_available

NO_PDF = "本机未安装 LibreOffice，无法生成 PDF；请下载 Word 版本。"
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
    if not pdf_available():
        messages.error(request, NO_PDF)
        return redirect("documents:meeting_documents", pk=meeting.pk)
    job = jobs.enqueue(request.user, "documents.pdf", params={"meeting": meeting.pk, "kind": _kind(kind)},
                       title=f"生成《{meeting.title}{KINDS[kind][0]}》PDF")
    return redirect("jobs:job_detail", pk=job.pk)


def _no_entries(request, honour):
    """A list the records do not name (a stated count only) has no one to make a certificate for."""
    if honour.entries.exists():
        return None
    messages.error(request, "该荣誉的名单未载明，无法生成证书。")
    return redirect("campaigns:honour_detail", pk=honour.pk)


@login_required
def honour_certificates_docx(request, pk):
    honour = get_honour_for_certificates(request.user, pk)
    refused = _no_entries(request, honour)
    if refused is not None:
        return refused
    return attachment(render_honour_certificates(honour), f"{file_name(honour)}.docx", DOCX)


@login_required
@require_POST
def honour_certificates_pdf(request, pk):
    honour = get_honour_for_certificates(request.user, pk)
    refused = _no_entries(request, honour)
    if refused is not None:
        return refused
    if not pdf_available():
        messages.error(request, NO_PDF)
        return redirect("campaigns:honour_detail", pk=honour.pk)
    job = jobs.enqueue(request.user, "documents.pdf", params={"honour": honour.pk},
                       title=f"生成《{file_name(honour)}》PDF")
    return redirect("jobs:job_detail", pk=job.pk)
