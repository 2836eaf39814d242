"""Hostile query parameters on every page without path arguments: never a 500.

Every GET pattern of the URLconf that takes no argument (the list pages, the dashboards, the
export and template downloads) is requested with every parameter name any view reads set to
each hostile value at once, as an anonymous visitor and as the district administrator (who sees
every filter). A bad value gets the page (the filter ignored, a message shown) or a 4xx."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PARAMS = ["page", "year", "area", "conference", "category", "kind", "link", "q", "party", "role", "state",
          "month", "run", "unit", "parent", "field", "street", "urgency", "source", "status", "sort"]
HOSTILE = ["9223372036854775807", "99999999999999999999", "-1", "0", "abc", "２０２４", "\x00", "2024-13",
           "1' OR '1'='1", "x" * 300]


def _no_argument_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/") or route.startswith("api/"):
                continue
            yield from _no_argument_patterns(entry, prefix + route)
        elif isinstance(entry, URLPattern) and "<" not in route and "(?P" not in route:
            yield "/" + prefix + route


def list_urls():
    return sorted({u for u in _no_argument_patterns() if not u.startswith("/i18n") and "logout" not in u})


@pytest.mark.parametrize("persona", ["anonymous", "admin"])
def test_hostile_parameters_never_give_a_server_error(world, client_for, persona):
    client = client_for(None if persona == "anonymous" else getattr(world, persona))
    client.raise_request_exception = False
    failures = []
    urls = list_urls()
    assert "/units/" in urls and "/lists/overview/" in urls and "/meetings/" in urls
    for url in urls:
        for value in HOSTILE:
            response = client.get(url, {name: value for name in PARAMS})
            if response.status_code >= 500:
                failures.append((url, value[:30], response.status_code))
    assert failures == []


@pytest.mark.parametrize(("url", "label"), [
    ("/units/?area=99999999999999999999", "地区"), ("/meetings/?year=0", "年度"),
    ("/lists/overview/?conference=abc", "联席会议"), ("/units/?page=9223372036854775807", "页码"),
    ("/projects/?page=9223372036854775807", "页码"), ("/people/?page=9223372036854775807", "页码"),
    ("/meetings/?page=-1", "页码"), ("/lists/?page=99999999999999999999", "页码"),
])
def test_reported_parameters_answer_with_the_page_and_a_message(world, client_for, url, label):
    response = client_for(world.admin).get(url)
    assert response.status_code == 200
    assert f"已忽略无效的参数：{label}" in response.content.decode()
