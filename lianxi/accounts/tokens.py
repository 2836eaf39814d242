"""API tokens at work: ``Authorization: Bearer <token>`` on /api/v1/ makes the request act as the
token's holder (their grants, nothing more), without a session and so without a CSRF token. A
read-only token is refused any write (403); an unknown, expired or revoked token gets 401."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone

from lianxi.accounts.models import ApiToken
from lianxi.lib.net import client_ip

PREFIX = "lx_"
API_PATH = "/api/"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def find_usable(secret: str) -> ApiToken | None:
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    if token is None or not token.is_usable(timezone.now()):
        return None
    return token


def note_use(token: ApiToken, address: str) -> bool:
    """Record the token's last use; at most once per ``API_TOKEN_USE_RECORD_INTERVAL`` seconds
    (or sooner when the address changes), so a busy client does not write on every request."""
    now = timezone.now()
    interval = datetime.timedelta(seconds=settings.API_TOKEN_USE_RECORD_INTERVAL)
    if token.last_used is not None and now - token.last_used < interval and token.last_used_ip == address:
        return False
    ApiToken.objects.filter(pk=token.pk).update(last_used=now, last_used_ip=address)
    token.last_used, token.last_used_ip = now, address
    return True


def _refuse(status: int, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="lianxi", error="invalid_token"'
    return response


class ApiTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not (request.path.startswith(API_PATH) and header[:7].lower() == "bearer "):
            return self.get_response(request)
        token = find_usable(header[7:].strip())
        if token is None:
            return _refuse(401, "接口令牌无效、已过期或已撤销。")
        if token.read_only and request.method not in SAFE_METHODS:
            return _refuse(403, "只读令牌不能执行写入操作。")
        request.user = token.user
        request.api_token = token
        # A bearer token is not sent by a browser on its own, so there is no cross-site request
        # to forge: CSRF applies to cookie sessions only.
        request._dont_enforce_csrf_checks = True
        note_use(token, client_ip(request))
        return self.get_response(request)
