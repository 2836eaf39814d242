"""``import_needs FILE --conference ID --user NAME``: the Excel import of needs from the command
line, for big files, with a progress bar. Same checks as the web page: every row is validated and
nothing is saved unless every row is good."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lianxi.lib.excel import ExcelFormatError, count_rows
from lianxi.lists.excel import import_needs, import_resources
from lianxi.registry.models import Conference


class Command(BaseCommand):
    help = "从 Excel 导入需求清单（或 --resources 导入资源清单）：逐行校验，任一行有错则整个文件不导入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx 文件（用下载的模板填写）")
        parser.add_argument("--conference", type=int, required=True, help="联席会议编号")
        parser.add_argument("--user", required=True, help="以哪个账号的身份导入（权限按该账号计算）")
        parser.add_argument("--draft", action="store_true", help="导入为草稿，不直接发布")
        parser.add_argument("--resources", action="store_true", help="导入资源清单而不是需求清单")
        parser.add_argument("--max-errors", type=int, default=50, help="最多打印多少行错误（默认 50）")

    def handle(self, *args, file, conference, user, draft, resources, max_errors, **options):
        actor = get_user_model().objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"账号 {user} 不存在。")
        conf = Conference.objects.filter(pk=conference).first()
        if conf is None:
            raise CommandError(f"联席会议 {conference} 不存在。")
        started = time.perf_counter()
        try:
            total = count_rows(file)
        except ExcelFormatError as exc:
            raise CommandError(str(exc)) from exc
        with tqdm(total=total, desc="校验", unit="行", disable=None, dynamic_ncols=True) as bar:
            if resources:
                result = import_resources(actor, file, conference=conf, progress=bar.update)
            else:
                def stage(name, rows):  # 保存, then 建立检索索引: the bar starts again for each
                    bar.reset(total=rows)
                    bar.set_description(name)

                result = import_needs(actor, file, conference=conf, publish=not draft, progress=bar.update,
                                      stage=stage)
        elapsed = time.perf_counter() - started
        if result.file_error:
            raise CommandError(result.file_error)
        if not result.ok:
            for error in result.errors[:max_errors]:
                self.stderr.write(str(error))
            if len(result.errors) > max_errors:
                self.stderr.write(f"……另有 {len(result.errors) - max_errors} 行错误未列出")
            raise CommandError(f"共 {result.rows} 行，{len(result.errors)} 行有错误，整个文件未导入（用时 {elapsed:.1f} s）。")
        self.stdout.write(self.style.SUCCESS(f"已导入 {result.created} 条（共 {result.rows} 行，用时 {elapsed:.1f} s）。"))
