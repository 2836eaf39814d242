"""Whether this machine can turn a Word document into PDF: LibreOffice's ``soffice`` on the path.
Pages ask before they offer a PDF button (a job that can only fail is not offered); the documents
room converts with it."""

import shutil


def soffice_path() -> str | None:
    return shutil.which("soffice")


def pdf_available() -> bool:
    return soffice_path() is not None
