"""Fill a Word template with a meeting's records; convert to PDF where LibreOffice is installed.

The templates in ``lianxi/documents/docx/`` are ours; an office replaces one by putting a file of
the same name (``minutes.docx``, ``notice.docx``, ``brief.docx``, ``certificate.docx``) in the folder
named by ``LIANXI_DOCUMENT_TEMPLATES``."""

import io
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from docxtpl import DocxTemplate

from lianxi.documents.context import KINDS
from lianxi.lib.office import soffice_path

DEFAULT_TEMPLATES = Path(__file__).with_name("docx")


class DocumentError(Exception):
    pass


def template_path(kind: str) -> Path:
    custom = getattr(settings, "DOCUMENT_TEMPLATES", "")
    if custom:
        candidate = Path(custom) / f"{kind}.docx"
        if candidate.is_file():
            return candidate
    return DEFAULT_TEMPLATES / f"{kind}.docx"


def fill(template_name: str, context: dict) -> bytes:
    """The template ``template_name`` (``certificate`` …) filled with ``context``, as .docx bytes."""
    template = DocxTemplate(str(template_path(template_name)))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_docx(kind: str, meeting) -> bytes:
    """The document ``kind`` of ``meeting`` as .docx bytes."""
    _label, build = KINDS[kind]
    return fill(kind, build(meeting))


def render_honour_certificates(honour) -> bytes:
    """The certificates of a campaign honour's entries, on the meeting certificates' template."""
    from lianxi.documents.honours import honour_certificate_context

    return fill("certificate", honour_certificate_context(honour))


def to_pdf(docx: bytes, timeout: int = 120) -> bytes:
    """Convert with LibreOffice (headless, its own throwaway profile, no network)."""
    soffice = soffice_path()
    if soffice is None:
        raise DocumentError("本机未安装 LibreOffice，无法生成 PDF；请下载 Word 版本。")
    with tempfile.TemporaryDirectory(prefix="lianxi-doc-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx)
        try:
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", tmp, str(src)],
                check=True, capture_output=True, timeout=timeout,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise DocumentError(f"PDF 转换失败：{exc}") from exc
        pdf = Path(tmp) / "document.pdf"
        if not pdf.exists():
            raise DocumentError("PDF 转换失败：LibreOffice 没有输出文件。")
        return pdf.read_bytes()
