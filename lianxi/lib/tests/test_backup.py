"""``lianxi backup`` then ``lianxi restore`` gives back the same database: every table's row count
and a checksum of its rows, sessions left out. SQLite always; PostgreSQL when pg_dump is here."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BUILD = ("from lianxi.testing import build_world; build_world(); "
         "from django.contrib.sessions.backends.db import SessionStore; "
         "s = SessionStore(); s['x'] = 1; s.create()")


def run(args, env, check=True):
    result = subprocess.run([sys.executable, "-m", "lianxi.cli", *args], env=env, capture_output=True, text=True,
                            timeout=300)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def base_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANXI_", "DATABASE_URL", "DJANGO_"))}
    env.update(LIANXI_TESTING="true", **extra)
    return env


def fingerprint(rows_by_table: dict) -> dict:
    return {t: (len(rows), hashlib.sha256("\n".join(sorted(map(repr, rows))).encode()).hexdigest())
            for t, rows in rows_by_table.items()}


def sqlite_tables(path: Path) -> dict:
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return fingerprint({n: conn.execute(f'SELECT * FROM "{n}"').fetchall() for n in names})


def test_sqlite_backup_and_restore_round_trip(tmp_path):
    source, copy, restored = tmp_path / "live.sqlite3", tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3"
    env = base_env(LIANXI_DB_PATH=str(source))
    run(["manage", "migrate", "--no-input", "-v0"], env)
    run(["manage", "shell", "-c", BUILD], env)
    before = sqlite_tables(source)
    assert before["django_session"][0] == 1 and before["audit_auditentry"][0] > 0

    run(["backup", "--db", str(source), "--out", str(copy)], env)
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    run(["restore", str(copy), "--db", str(restored)], env)
    after = sqlite_tables(restored)

    assert after.pop("django_session")[0] == 0
    before.pop("django_session")
    assert after == before
    # The audit table is still append-only in the restored copy.
    with sqlite3.connect(restored) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM audit_auditentry")
    # A second restore onto a database with data is refused without --force.
    refused = run(["restore", str(copy), "--db", str(restored)], env, check=False)
    assert refused.returncode == 1 and "--force" in refused.stderr


def _pg_available() -> bool:
    if not shutil.which("pg_dump"):
        return False
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - no server: the test skips
        return False
    return True


@pytest.mark.skipif(not _pg_available(), reason="needs pg_dump and PostgreSQL at 127.0.0.1:5432")
def test_postgresql_backup_and_restore_round_trip(tmp_path):
    import psycopg

    tag = f"{os.getpid()}"
    names = [f"lianxi_backup_src_{tag}", f"lianxi_backup_dst_{tag}"]
    admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)
    try:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')

        def url(name):
            return f"postgres://postgres@127.0.0.1:5432/{name}"

        def tables(name):
            with psycopg.connect(url(name).replace("postgres://", "postgresql://")) as conn:
                found = [r[0] for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY tablename")]
                return fingerprint({t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in found})

        src_env = base_env(DATABASE_URL=url(names[0]), LIANXI_DB_CONN_MAX_AGE="0")
        run(["manage", "migrate", "--no-input", "-v0"], src_env)
        run(["manage", "shell", "-c", BUILD], src_env)
        dump = tmp_path / "backup.dump"
        run(["backup", "--out", str(dump)], src_env)
        run(["restore", str(dump)], base_env(DATABASE_URL=url(names[1])))

        before, after = tables(names[0]), tables(names[1])
        assert before["django_session"][0] == 1 and before["audit_auditentry"][0] > 0
        assert after.pop("django_session")[0] == 0
        before.pop("django_session")
        assert after == before
        with psycopg.connect(url(names[1]).replace("postgres://", "postgresql://")) as conn, \
                pytest.raises(psycopg.errors.RestrictViolation):
            conn.execute("DELETE FROM audit_auditentry")
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
