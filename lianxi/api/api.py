"""The JSON API at /api/v1/: one NinjaAPI assembling each app's router. OpenAPI at openapi.json."""

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views import defaults as django_defaults
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.security import django_auth

from lianxi.api.audit import router as audit_router
from lianxi.campaigns.api import router as campaigns_router
from lianxi.ingest.api import router as ingest_router
from lianxi.jobs.api import router as jobs_router
from lianxi.lists.api import router as lists_router
from lianxi.matching.api import router as matching_router
from lianxi.meetings.api import router as meetings_router
from lianxi.projects.api import router as projects_router
from lianxi.registry.api import router as registry_router
from lianxi.visits.api import router as visits_router

logger = logging.getLogger("lianxi.api")

BEARER = "BearerToken"


class LianxiAPI(NinjaAPI):
    """Every operation that takes a login session also takes an API token
    (``Authorization: Bearer …``, checked by ``lianxi.accounts.tokens.ApiTokenMiddleware`` before
    the request reaches ninja); the OpenAPI spec says so."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {})[BEARER] = {
            "type": "http",
            "scheme": "bearer",
            "description": "接口令牌（在“接口令牌”页面生成，只显示一次）。令牌代表持有账号，权限与其授权相同；"
                           "只读令牌的写入请求返回 403，无效、过期或已撤销的令牌返回 401。使用令牌无需 CSRF。",
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                security = operation.get("security") if isinstance(operation, dict) else None
                if security and not any(BEARER in item for item in security):
                    security.append({BEARER: []})
        return schema


api = LianxiAPI(
    title="lianxi 联席 API",
    version="1",
    description="区域化党建联席会议平台的 JSON 接口。读取公开数据无需登录；其余操作使用登录会话（写入须携带 CSRF 令牌），"
                "或接口令牌：请求头 `Authorization: Bearer <令牌>`（无需 CSRF）。",
    urls_namespace="api",
    # Swagger UI comes from ninja's bundled static files ("ninja" is in INSTALLED_APPS); the online
    # spec validator badge is switched off, so the docs page makes no request off the intranet.
    docs=Swagger(settings={"validatorUrl": None}),
)

api.add_router("/", registry_router)
api.add_router("/", meetings_router)
api.add_router("/", projects_router)
api.add_router("/", lists_router)
api.add_router("/", matching_router)
api.add_router("/", audit_router)
api.add_router("/", ingest_router)
api.add_router("/", campaigns_router)
api.add_router("/", visits_router)
api.add_router("/", jobs_router)


def _field_errors(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [{"field": f, "messages": [m for e in errs for m in e.messages]} for f, errs in exc.error_dict.items()]
    return [{"field": "__all__", "messages": exc.messages}]


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": "没有权限执行此操作。"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "对象不存在或不可见。"}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录。"}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    # ninja's own refusals: an unparsable body (400), a failed CSRF check (403).
    messages = {400: "请求体不是有效的 JSON。", 403: "没有权限执行此操作（或缺少 CSRF 令牌）。"}
    return api.create_response(request, {"detail": messages.get(exc.status_code, str(exc))}, status=exc.status_code)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)
def on_bad_body(request, exc):
    # A multipart body without a boundary, too many fields, a body too large: the request's
    # fault, answered before any payload is read.
    return api.create_response(request, {"detail": "请求体格式无效，请以 application/json 发送。"}, status=400)


@api.exception_handler(IntegrityError)
def on_conflict(request, exc):
    logger.warning("API write conflicted with saved data: %s %s: %s", request.method, request.path, exc)
    return api.create_response(request, {"detail": "与已保存的数据冲突，请刷新后重试。"}, status=409)


@api.exception_handler(Exception)
def on_server_error(request, exc):
    """Anything else: logged with its traceback, answered in JSON — the API never sends HTML."""
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, {"detail": "服务器内部错误，已记录，请稍后再试。"}, status=500)


def json_error(status: int, detail: str):
    return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def _api_or(default_view, status: int, detail: str):
    """A root error handler that answers JSON under /api/ and the HTML page elsewhere."""

    def handler(request, exception=None, **kwargs):
        if request.path.startswith("/api/"):
            return json_error(status, detail)
        return default_view(request, exception, **kwargs) if exception is not None or status != 500 \
            else default_view(request, **kwargs)

    return handler


handler400 = _api_or(django_defaults.bad_request, 400, "请求无效。")
handler403 = _api_or(django_defaults.permission_denied, 403, "没有权限执行此操作。")
handler404 = _api_or(django_defaults.page_not_found, 404, "接口不存在。")
handler500 = _api_or(django_defaults.server_error, 500, "服务器内部错误，已记录，请稍后再试。")


__all__ = ["api", "django_auth"]
