"""htmx conventions: a full page includes the same partial an htmx request gets back."""

import json

from django.http import HttpResponse
from django.shortcuts import render


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_partial(request, page: str, partial: str, context: dict, status: int = 200):
    return render(request, partial if is_htmx(request) else page, context, status=status)


def next_url(request, default: str) -> str:
    """The ``next`` a form posted, when it is a path on this site; ``default`` otherwise (another
    host, ``//host``, ``javascript:``, control characters — an open redirect is never followed)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if (wanted.startswith("/") and not wanted.startswith(("//", "/\\")) and wanted.isprintable()
            and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return wanted
    return default


def hx_location(request, url: str):
    """After a save: htmx follows ``HX-Location``; a plain form post gets an ordinary redirect."""
    from django.shortcuts import redirect

    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Location"] = json.dumps({"path": url, "target": "body"})
        return response
    return redirect(url)
