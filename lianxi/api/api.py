"""The JSON API at /api/v1/: one NinjaAPI assembling each app's router. OpenAPI at openapi.json."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from lianxi.api.audit import router as audit_router
from lianxi.campaigns.api import router as campaigns_router
from lianxi.ingest.api import router as ingest_router
from lianxi.lists.api import router as lists_router
from lianxi.matching.api import router as matching_router
from lianxi.meetings.api import router as meetings_router
from lianxi.projects.api import router as projects_router
from lianxi.registry.api import router as registry_router
from lianxi.visits.api import router as visits_router

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


__all__ = ["api", "django_auth"]
