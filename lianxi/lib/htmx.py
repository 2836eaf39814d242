"""htmx conventions: a full page includes the same partial an htmx request gets back."""

import json

from django.http import HttpResponse
from django.shortcuts import render


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_partial(request, page: str, partial: str, context: dict, status: int = 200):
    return render(request, partial if is_htmx(request) else page, context, status=status)


def hx_location(request, url: str):
    """After a save: htmx follows ``HX-Location``; a plain form post gets an ordinary redirect."""
    from django.shortcuts import redirect

    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Location"] = json.dumps({"path": url, "target": "body"})
        return response
    return redirect(url)
