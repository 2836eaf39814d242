"""Every file download goes out through :func:`attachment`: the name is encoded per RFC 6266 /
RFC 5987 (Django's ``content_disposition_header``), so quotes, angle brackets and line breaks in a
conference or meeting name can never reach the header raw."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    filename = "".join(ch for ch in filename if ch >= " " and ch != "\x7f") or "download"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
