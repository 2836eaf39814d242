"""The client's address as this deployment can trust it (login throttling, token use records)."""

from django.conf import settings


def client_ip(request) -> str:
    """``REMOTE_ADDR``, or behind ``LIANXI_PROXY_COUNT`` trusted reverse proxies the address the
    outermost of them saw, taken from the right of ``X-Forwarded-For`` (left-hand entries are
    whatever the client chose to send, so they are never trusted)."""
    count = getattr(settings, "LIANXI_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) >= count:
        return forwarded[-count][:45]
    return remote
