"""``lianxi backup`` and ``lianxi restore``: a consistent copy of the database while it is in use.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies page by page under the
database's own locks, so the app may go on serving. PostgreSQL: ``pg_dump`` in custom format and
``pg_restore``. Login sessions (``django_session``) are left out of every backup: a restored
database starts with everyone logged out, and no session secret sits in a backup file. The audit
table and its append-only triggers are copied like everything else."""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

SKIPPED_DATA = ["django_session"]


class BackupError(RuntimeError):
    pass


def default_name(database: dict) -> str:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if _is_sqlite(database) else "dump"
    return f"lianxi-backup-{stamp}.{suffix}"


def backup(database: dict, out: Path) -> Path:
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} 已存在，不覆盖已有文件。")
    out.parent.mkdir(parents=True, exist_ok=True)
    if _is_sqlite(database):
        _sqlite_backup(Path(database["NAME"]), out)
    else:
        _pg(["pg_dump", "--format=custom", "--no-owner", *[f"--exclude-table-data={t}" for t in SKIPPED_DATA],
             "--file", str(out)], database)
    out.chmod(0o600)
    return out


def restore(database: dict, source: Path, *, force: bool = False):
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"找不到备份文件 {source}。")
    if _is_sqlite(database):
        target = Path(database["NAME"])
        if _sqlite_has_tables(target) and not force:
            raise BackupError(f"数据库 {target} 已有数据；确认要用备份替换时加 --force。")
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return
    if not force and _pg_has_tables(database):
        raise BackupError(f"数据库 {database['NAME']} 已有数据表；确认要用备份替换时加 --force。")
    args = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
    if force:
        args += ["--clean", "--if-exists"]
    _pg([*args, str(source)], database, dbname_flag="--dbname")


def _is_sqlite(database: dict) -> bool:
    return database["ENGINE"].endswith("sqlite3")


def _sqlite_backup(source: Path, out: Path):
    if not source.is_file():
        raise BackupError(f"找不到数据库文件 {source}。")
    with sqlite3.connect(source) as src, sqlite3.connect(out) as dst:
        src.backup(dst)
    dst = sqlite3.connect(out)
    try:
        # A copy in rollback-journal mode is one self-contained file.
        dst.execute("PRAGMA journal_mode=DELETE")
        # Deleted sessions are overwritten with zeros, not left in free pages. (No VACUUM: some
        # indexes use functions only Django's connection registers.)
        dst.execute("PRAGMA secure_delete=ON")
        for table in SKIPPED_DATA:
            if dst.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone():
                dst.execute(f'DELETE FROM "{table}"')
        dst.commit()
    finally:
        dst.close()


def _sqlite_has_tables(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0


def _pg_env(database: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[var] = str(database[key])
    return env


def _pg(args: list[str], database: dict, dbname_flag: str = "--dbname"):
    if shutil.which(args[0]) is None:
        raise BackupError(f"找不到 {args[0]}：请安装 PostgreSQL 客户端（Debian: postgresql-client）。")
    command = [*args[:1], f"{dbname_flag}={database['NAME']}", *args[1:]]
    result = subprocess.run(command, env=_pg_env(database), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} 失败：{result.stderr.strip()}")


def _pg_has_tables(database: dict) -> bool:
    import psycopg

    params = {k.lower(): database[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if database.get(k)}
    with psycopg.connect(dbname=database["NAME"], **params) as conn:
        return conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] > 0
