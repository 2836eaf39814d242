"""What the benchmark scripts share: the machine they ran on, Django on a chosen database, a
benchmark database emptied safely, a temporary SQLite file, and their blocks in docs/benchmarks.md."""

import contextlib
import datetime
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "benchmarks.md"


def machine() -> dict:
    """Read before Django sets the process's time zone, so the date is the machine's."""
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:10]
    load = os.getloadavg()
    return {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "lscpu": [line.strip() for line in lscpu],
        "python": platform.python_version(),
        "load": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
    }


def django_setup(db_path: str | None):
    """Django on ``DATABASE_URL`` when it is set, else on the SQLite file ``db_path``."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["LIANXI_DB_PATH"] = db_path
    os.environ.setdefault("LIANXI_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxi.settings")
    import django

    django.setup()


def _refuse_unless_bench(name: str):
    if "bench" not in name:
        raise SystemExit(f"refusing database {name!r}: the benchmark empties it, so its name must contain 'bench'")


def ensure_pg_database(url: str):
    """Create the benchmark database if it is missing (its name must contain "bench")."""
    from urllib.parse import unquote, urlparse

    import psycopg

    parsed = urlparse(url)
    name = unquote(parsed.path.lstrip("/"))
    _refuse_unless_bench(name)
    with psycopg.connect(host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
                         password=parsed.password, dbname="postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"  created database {name}")


def fresh_database():
    """Migrate; a PostgreSQL database is emptied first (only one whose name contains 'bench')."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        _refuse_unless_bench(connection.settings_dict["NAME"])
        with connection.cursor() as c:
            c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def remove_sqlite(path: str):
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)


@contextlib.contextmanager
def sqlite_file(db_path: str | None, prefix: str):
    """The SQLite file to use: ``db_path`` emptied first, or a temporary one removed afterwards.
    (With ``DATABASE_URL`` set, nothing is removed: the server database is used instead.)"""
    if db_path:
        if not os.environ.get("DATABASE_URL"):
            remove_sqlite(db_path)
        yield db_path
        return
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield str(tmp / "bench.sqlite3")
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(tmp)  # the database, its -wal/-shm, and the jobs' progress directory beside it


def markers(kind: str, name: str) -> tuple[str, str]:
    """Each benchmark (``kind``) and each kind of run (SQLite, PostgreSQL …) keeps its own block."""
    return f"<!-- {kind}-results:{name}:start -->", f"<!-- {kind}-results:{name}:end -->"


def write_doc(block: str, *, section: str, kind: str, name: str):
    """Put ``block`` into docs/benchmarks.md: in place of its earlier version, else at the end of
    ``section`` (a "## …" heading), else in a new section at the end of the file."""
    start, end = markers(kind, name)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    elif section in text:
        head, _, tail = text.partition(section)
        rest = re.search(r"\n## ", tail)
        body, after = (tail[: rest.start()], tail[rest.start():]) if rest else (tail, "")
        text = f"{head}{section}{body.rstrip()}\n\n{block}\n{after}"
    else:
        text = f"{text.rstrip()}\n\n{section}\n\n{block}\n"
    DOC.write_text(text, encoding="utf-8")
    print(f"\nwrote the results into {DOC.relative_to(ROOT)} ({section})")
