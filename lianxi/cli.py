"""The ``lianxi`` command: demo, serve, worker, generate, match, ingest, and ``manage`` passing through to Django.

Options that choose the database (``--db``) are applied to the environment before Django starts,
so one flag reaches settings, migrations and the server alike."""

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path


def _use_sqlite_path(db: str | None) -> Path | None:
    """Point settings at ``db`` (unless DATABASE_URL is set) and return the SQLite file in use."""
    if os.environ.get("DATABASE_URL"):
        return None
    path = Path(db or os.environ.get("LIANXI_DB_PATH") or "lianxi.sqlite3").resolve()
    os.environ["LIANXI_DB_PATH"] = str(path)
    return path


def _ensure_secret_key(beside: Path | None):
    """A local run without a configured key gets a random one kept in a file beside the database,
    so sessions survive a restart and no key is ever shared between installations."""
    if os.environ.get("LIANXI_SECRET_KEY") or os.environ.get("LIANXI_SECRET_KEY_FILE"):
        return
    key_file = (beside.parent if beside else Path.cwd()) / ".lianxi-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    os.environ["LIANXI_SECRET_KEY_FILE"] = str(key_file)


def _django(argv: list[str]):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lianxi", *argv])


def _warn_unfinished_generation():
    """Say so before serving a database whose last ``lianxi generate`` was interrupted."""
    import django
    from django.db import DatabaseError, connections

    django.setup()
    from lianxi.home.management.commands.generate import unfinished_message, unfinished_run

    try:
        entry = unfinished_run()
    except DatabaseError:  # not migrated yet: nothing was generated into it either
        entry = None
    finally:
        connections.close_all()  # the workers open their own
    if entry is not None:
        print(f"注意：{unfinished_message(entry)}", flush=True)


def _die_with_parent():
    """In the child, before exec: ask Linux to end this process when its parent dies (kill -9
    included), so a background worker is never left behind by a stopped server."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_job_worker() -> subprocess.Popen:
    """One background-job worker beside the web server (``--no-worker`` to run them separately)."""

    return subprocess.Popen(
        [sys.executable, "-m", "lianxi.cli", "worker", "--quiet"],
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def serve(host: str, port: int, workers: int, job_worker: bool = True, access_log: bool = True):
    """Run gunicorn in the foreground (and one job worker beside it): migrations are the caller's
    business. ``lianxi demo`` serves without the access log, so the accounts it printed are not
    buried under request lines."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxi.settings")
    worker = start_job_worker() if job_worker else None
    from gunicorn.app.wsgiapp import WSGIApplication

    sys.argv = [
        "gunicorn", "lianxi.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", "4",
        *(["--access-logfile", "-"] if access_log else []),
        "--timeout", "120",
    ]
    _warn_unfinished_generation()
    print(f"lianxi 正在 http://{host}:{port}/ 提供服务（Ctrl+C 停止）", flush=True)
    try:
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
    finally:
        if worker is not None:
            worker.terminate()


def ingest_file(path: str, *, as_json: bool) -> int:
    """Print the draft of one report; no database is touched."""
    import json

    from lianxi.ingest.pipeline import build_draft, public_draft
    from lianxi.ingest.readers import InputError, read_path
    from lianxi.ingest.summary import describe

    try:
        decoded = read_path(path)
        draft = build_draft(decoded.text)
    except FileNotFoundError:
        print(f"找不到文件：{path}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"无法导入 {path}：{exc}", file=sys.stderr)
        return 2
    if as_json:
        out = public_draft(draft)
        out["input"] = {"path": str(path), "encoding": decoded.encoding, "kind": decoded.kind}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(describe(draft))
    return 0


def main(argv: list[str] | None = None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="lianxi", description="联席：区域化党建联席会议平台")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="建立演示数据库（黄浦区参考数据与演示账号）并启动服务")
    demo.add_argument("--db", help="SQLite 数据库文件路径（默认 ./lianxi.sqlite3）")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--no-serve", action="store_true", help="只建库和加载数据，不启动服务")
    demo.add_argument("--no-worker", action="store_true", help="不在服务旁启动后台任务进程（另行运行 lianxi worker）")

    srv = sub.add_parser("serve", help="启动服务（gunicorn）")
    srv.add_argument("--db", help="SQLite 数据库文件路径（默认 ./lianxi.sqlite3）")
    srv.add_argument("--port", type=int, default=8000)
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--workers", type=int, default=2)
    srv.add_argument("--migrate", action="store_true", help="启动前执行数据库迁移")
    srv.add_argument("--no-worker", action="store_true", help="不在服务旁启动后台任务进程（另行运行 lianxi worker）")

    wrk = sub.add_parser("worker", help="运行后台任务（导入、导出、匹配、文书生成等）")
    wrk.add_argument("--db", help="SQLite 数据库文件路径（默认 ./lianxi.sqlite3）")
    wrk.add_argument("--batch", action="store_true", help="处理完队列后退出")
    wrk.add_argument("--quiet", action="store_true", help="不打印每个任务的日志")

    # generate and match pass every option but --db on to the management command (--help included),
    # whatever the order: `lianxi generate --scale city --seed 1 --db x.sqlite3`.
    gen = sub.add_parser("generate", help="生成合成数据（示例单位000001…）", add_help=False)
    gen.add_argument("--db", help="SQLite 数据库文件路径")

    match = sub.add_parser("match", help="为开放需求计算推荐匹配", add_help=False)
    match.add_argument("--db", help="SQLite 数据库文件路径")

    ingest = sub.add_parser("ingest", help="读取一篇会议报道，修复文字并输出待审核的草稿")
    ingest.add_argument("file", help=".txt（UTF-8/GBK/Big5）、.docx 或 .html")
    ingest.add_argument("--json", action="store_true", help="输出 JSON 草稿（含每个值的出处）")

    bak = sub.add_parser("backup", help="在线备份数据库（不含登录会话）")
    bak.add_argument("--db", help="SQLite 数据库文件路径")
    bak.add_argument("--out", help="备份文件路径（默认 ./lianxi-backup-日期时间.sqlite3 或 .dump）")

    res = sub.add_parser("restore", help="用备份恢复数据库")
    res.add_argument("path", help="lianxi backup 生成的备份文件")
    res.add_argument("--db", help="SQLite 数据库文件路径")
    res.add_argument("--force", action="store_true", help="目标数据库已有数据时仍然替换")

    manage = sub.add_parser("manage", help="Django 管理命令，原样传递")
    manage.add_argument("rest", nargs=argparse.REMAINDER)

    args, passed_on = parser.parse_known_args(argv)
    if passed_on and args.command not in ("generate", "match"):
        parser.error(f"unrecognized arguments: {' '.join(passed_on)}")
    if args.command == "ingest":
        return ingest_file(args.file, as_json=args.json)
    if args.command == "manage":
        _ensure_secret_key(_use_sqlite_path(None))
        return _django(args.rest)

    db_path = _use_sqlite_path(getattr(args, "db", None))
    _ensure_secret_key(db_path)

    if args.command == "demo":
        _django(["demo", "--url", f"http://{args.host}:{args.port}/"])
        if not args.no_serve:
            serve(args.host, args.port, workers=2, job_worker=not args.no_worker, access_log=False)
    elif args.command == "serve":
        if args.migrate:
            _django(["migrate", "--no-input"])
        serve(args.host, args.port, args.workers, job_worker=not args.no_worker)
    elif args.command == "worker":
        _django(["worker", *(["--batch"] if args.batch else []), "--verbosity", "0" if args.quiet else "1"])
    elif args.command == "generate":
        _django(["generate", *passed_on])
    elif args.command == "match":
        _django(["match", *passed_on])
    elif args.command in ("backup", "restore"):
        return _backup_or_restore(args)


def _backup_or_restore(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxi.settings")
    from django.conf import settings

    from lianxi.lib import backup

    database = settings.DATABASES["default"]
    try:
        if args.command == "backup":
            out = backup.backup(database, Path(args.out or backup.default_name(database)))
            print(f"已备份到 {out}（不含登录会话）")
        else:
            backup.restore(database, Path(args.path), force=args.force)
            print(f"已从 {args.path} 恢复数据库。若备份早于当前版本，请再运行 lianxi manage migrate。")
    except backup.BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
