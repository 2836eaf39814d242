"""What a locked-out login attempt sees (django-axes calls :func:`locked_out`)."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    return render(request, "accounts/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
    }, status=settings.AXES_HTTP_RESPONSE_CODE)
