"""The floor page of the load benchmark (``bench/load.py``): bare Django, no apps, no middleware, one
view that reads 50 rows out of 100,000 with a raw query and renders them with a minimal template.

Served by gunicorn exactly as ``lianxi serve`` serves lianxi (same workers and threads), it is what
this machine does for a page that does next to nothing; lianxi's pages are measured against it.

    LIANXI_FLOOR_DB=/tmp/floor.sqlite3 gunicorn bench.floor:application
"""

import os
import sqlite3

import django
from django.conf import settings

DB = os.environ.get("LIANXI_FLOOR_DB", "/tmp/lianxi-floor.sqlite3")
ROWS = 100_000

TEMPLATE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>floor</title></head><body>
<table>{% for id, name, created in rows %}<tr><td>{{ id }}</td><td>{{ name }}</td><td>{{ created }}</td></tr>
{% endfor %}</table></body></html>"""


def build(path: str = DB):
    """The 100,000-row table, made once."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL)")
    if conn.execute("SELECT COUNT(*) FROM item").fetchone()[0] != ROWS:
        conn.execute("DELETE FROM item")
        conn.executemany("INSERT INTO item VALUES (?, ?, ?)",
                         ((i, f"示例单位{i:06d}", f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}") for i in range(1, ROWS + 1)))
    conn.commit()
    conn.close()


if not settings.configured:
    settings.configure(
        DEBUG=False, SECRET_KEY="floor-page-only", ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__, MIDDLEWARE=[], INSTALLED_APPS=[],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DB}},
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {}}],
        USE_TZ=True,
    )
    django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import path  # noqa: E402

_template = engines["django"].from_string(TEMPLATE)


def page(request):
    start = int(request.GET.get("page", "1")) * 50 % ROWS
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, created FROM item WHERE id > %s ORDER BY id LIMIT 50", [start])
        rows = cursor.fetchall()
    return HttpResponse(_template.render({"rows": rows}, request))


urlpatterns = [path("", page)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
