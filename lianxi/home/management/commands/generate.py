"""``lianxi generate``: fill the database with visibly synthetic data at tiny, district or city scale.

The work is done by a list of generator steps (:data:`GENERATORS`), each a function
``(scale, seed, stdout)`` in its app's ``generate.py``; a step may return a dict of row counts, and may
have a companion ``reset_<name>(stdout)`` that deletes its synthetic rows for ``--reset``."""

import importlib
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from lianxi.audit.models import AuditEntry
from lianxi.audit.services import record
from lianxi.registry.generate import SCALES, say, top_conference
from lianxi.registry.models import Conference

GENERATORS = [
    "lianxi.registry.generate.generate_registry",
    "lianxi.meetings.generate.generate_meetings",
    "lianxi.projects.generate.generate_projects",
    "lianxi.lists.generate.generate_lists",
    "lianxi.matching.generate.generate_text_features",
]
ACTION = "registry.generate"
# Written (and committed) before the steps start; the run's own ACTION row, written in the same
# transaction as the rows, says it finished. A start row with no finish row after it is a run that
# was interrupted: its rows were rolled back, and the database says so (:func:`unfinished_run`).
START_ACTION = "registry.generate.start"


def unfinished_run() -> AuditEntry | None:
    """The start row of the last generation run if that run never finished, else ``None``."""
    last = AuditEntry.objects.filter(action__in=[START_ACTION, ACTION]).order_by("-id").first()
    return last if last is not None and last.action == START_ACTION else None


def unfinished_message(entry: AuditEntry) -> str:
    changes = entry.changes or {}
    scale = (changes.get("scale") or [None, "?"])[1]
    seed = (changes.get("seed") or [None, "?"])[1]
    return (f"合成数据生成未完成：{entry.time:%Y-%m-%d %H:%M} 开始的 {scale} 规模（种子 {seed}）生成被中断，"
            f"该次写入的数据已回滚。请重新运行 lianxi generate。")

HELP = """生成合成数据（示例区01、示例街道001、示例单位000001、示例人员000001……），同一种子得到完全相同的行。

规模：tiny（测试用，约 40 个单位）、district（1 个区，约 1,000 个单位）、
city（16 个区、215 个街镇、6,000 个居民区、100,000 个单位、约 10,000 次会议、约 50,000 个项目）。

可在空库或已有数据的库中运行（缺少的迁移会先执行），不会触碰非合成数据。库中已有合成数据时：
规模和种子相同，则只补跑尚未运行过的生成步骤（都运行过就什么也不做）；规模或种子不同，则拒绝，
需加 --reset 先删除全部合成数据再生成。每次运行写一条审计记录（registry.generate），记在
示例区01区域化党建联席会议名下。

数据库：lianxi generate --db PATH 指定 SQLite 文件；设置 DATABASE_URL 则用 PostgreSQL。
例：lianxi generate --scale city --seed 1 --db /tmp/lianxi-city.sqlite3"""


def _resolve(path: str):
    module, name = path.rsplit(".", 1)
    return importlib.import_module(module), name


class Command(BaseCommand):
    help = HELP
    # Generating rows needs the models, not the URL conf or the API: don't let a page being written
    # elsewhere stop data generation.
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="district", help="数据规模（默认 district）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）；同一种子生成相同的数据")
        parser.add_argument("--reset", action="store_true",
                            help="先删除库中全部合成数据（按名称识别：示例区NN、示例单位NNNNNN……），再生成")

    def handle(self, *args, scale, seed, reset, **options):
        started = time.perf_counter()
        self._migrate()
        interrupted = unfinished_run()
        if interrupted is not None:
            say(self.stdout, unfinished_message(interrupted))
        if reset:
            self._reset()
        todo = self._steps_to_run(scale, seed)
        if not todo:
            say(self.stdout, f"库中已有 {scale} 规模（种子 {seed}）的合成数据，所有生成步骤均已运行，无需再生成。")
            return
        say(self.stdout, f"生成 {scale} 规模合成数据（种子 {seed}）：{', '.join(p.rsplit('.', 1)[1] for p in todo)}")
        counts = {}
        if connection.vendor == "sqlite":
            # The run is one transaction of up to a few million rows: a page cache of 256 MB (this
            # connection only) keeps the index pages in memory instead of spilling them on every batch.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        # Committed on its own, so that it outlives a run killed half-way (whose rows roll back).
        record(None, START_ACTION, ContentType.objects.get_for_model(Conference),
               {"scale": [None, scale], "seed": [None, seed], "steps": [None, todo]})
        with transaction.atomic():
            for path in todo:
                module, name = _resolve(path)
                step_started = time.perf_counter()
                say(self.stdout, f"[{name}]")
                counts.update(getattr(module, name)(scale, seed, self.stdout) or {})
                say(self.stdout, f"[{name}] 完成，用时 {time.perf_counter() - step_started:.1f} s")
            top = top_conference()
            record(None, ACTION, top, {"scale": [None, scale], "seed": [None, seed], "steps": [None, todo],
                                       "counts": [None, counts]})
        with connection.cursor() as cursor:
            # Fresh statistics after a bulk load, so the query planner sees the real table sizes; on
            # PostgreSQL also the visibility map, so index-only scans need no heap visits.
            # VACUUM cannot run inside a transaction (a test's, say): then ANALYZE alone.
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        summary = "，".join(f"{k} {v:,}" for k, v in counts.items())
        say(self.stdout, f"完成：{summary}。总用时 {time.perf_counter() - started:.1f} s")

    def _migrate(self):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            say(self.stdout, "数据库迁移……")
            call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
            if top_conference() is not None:
                # A migration may add an index or rebuild a table (SQLite drops its statistics then):
                # refresh them, or the planner guesses on a city-sized database.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")

    def _runs(self):
        """Earlier generation runs recorded in this database: [(scale, seed, steps)]."""
        top = top_conference()
        if top is None:
            return None
        return [(e.changes["scale"][1], e.changes["seed"][1], e.changes["steps"][1])
                for e in AuditEntry.objects.for_object(top).filter(action=ACTION).order_by("id")]

    def _steps_to_run(self, scale: str, seed: int) -> list[str]:
        runs = self._runs()
        if runs is None:
            return list(GENERATORS)
        if not runs:
            raise CommandError("库中已有合成数据，但没有生成记录（可能来自旧版本）。请加 --reset 删除后重新生成。")
        first_scale, first_seed, _steps = runs[0]
        if (first_scale, first_seed) != (scale, seed):
            raise CommandError(
                f"库中已有 {first_scale} 规模（种子 {first_seed}）的合成数据。"
                f"如需改为 {scale} 规模（种子 {seed}），请加 --reset 先删除合成数据。")
        done = {step for _scale, _seed, steps in runs for step in steps}
        return [path for path in GENERATORS if path not in done]

    def _reset(self):
        if top_conference() is None:
            say(self.stdout, "库中没有合成数据，无需删除。")
            return
        say(self.stdout, "删除合成数据……")
        with transaction.atomic():
            for path in reversed(GENERATORS):
                module, name = _resolve(path)
                reset = getattr(module, name.replace("generate_", "reset_", 1), None)
                if reset is None:
                    say(self.stdout, f"  {path} 没有对应的 reset 函数，跳过")
                    continue
                reset(self.stdout)
