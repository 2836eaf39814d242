"""The ``lianxi`` command: demo, serve, generate, match, and ``manage`` passing through to Django.

Options that choose the database (``--db``) are applied to the environment before Django starts,
so one flag reaches settings, migrations and the server alike."""

import argparse
import os
import secrets
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


def serve(host: str, port: int, workers: int):
    """Run gunicorn in the foreground: migrations are the caller's business."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxi.settings")
    from gunicorn.app.wsgiapp import WSGIApplication

    sys.argv = [
        "gunicorn", "lianxi.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", "4",
        "--access-logfile", "-",
        "--timeout", "120",
    ]
    print(f"lianxi 正在 http://{host}:{port}/ 提供服务（Ctrl+C 停止）", flush=True)
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()


def main(argv: list[str] | None = None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="lianxi", description="联席：区域化党建联席会议平台")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="建立演示数据库（黄浦区参考数据与演示账号）并启动服务")
    demo.add_argument("--db", help="SQLite 数据库文件路径（默认 ./lianxi.sqlite3）")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--no-serve", action="store_true", help="只建库和加载数据，不启动服务")

    srv = sub.add_parser("serve", help="启动服务（gunicorn）")
    srv.add_argument("--db", help="SQLite 数据库文件路径（默认 ./lianxi.sqlite3）")
    srv.add_argument("--port", type=int, default=8000)
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--workers", type=int, default=2)
    srv.add_argument("--migrate", action="store_true", help="启动前执行数据库迁移")

    # generate and match pass every option but --db on to the management command (--help included),
    # whatever the order: `lianxi generate --scale city --seed 1 --db x.sqlite3`.
    gen = sub.add_parser("generate", help="生成合成数据（示例单位000001…）", add_help=False)
    gen.add_argument("--db", help="SQLite 数据库文件路径")

    match = sub.add_parser("match", help="为开放需求计算推荐匹配", add_help=False)
    match.add_argument("--db", help="SQLite 数据库文件路径")

    manage = sub.add_parser("manage", help="Django 管理命令，原样传递")
    manage.add_argument("rest", nargs=argparse.REMAINDER)

    args, passed_on = parser.parse_known_args(argv)
    if passed_on and args.command not in ("generate", "match"):
        parser.error(f"unrecognized arguments: {' '.join(passed_on)}")
    if args.command == "manage":
        _ensure_secret_key(_use_sqlite_path(None))
        return _django(args.rest)

    db_path = _use_sqlite_path(getattr(args, "db", None))
    _ensure_secret_key(db_path)

    if args.command == "demo":
        _django(["demo", "--url", f"http://{args.host}:{args.port}/"])
        if not args.no_serve:
            serve(args.host, args.port, workers=2)
    elif args.command == "serve":
        if args.migrate:
            _django(["migrate", "--no-input"])
        serve(args.host, args.port, args.workers)
    elif args.command == "generate":
        _django(["generate", *passed_on])
    elif args.command == "match":
        _django(["match", *passed_on])


if __name__ == "__main__":
    main()
