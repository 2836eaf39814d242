"""``lianxi worker``: run queued jobs. Marks jobs left running by a dead worker as failed first."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from lianxi.jobs.runner import reap_dead


class Command(BaseCommand):
    help = "运行后台任务（Excel 导入导出、推荐匹配等）"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完队列中的任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒）")

    def handle(self, *args, batch=False, interval=1.0, verbosity=1, **options):
        reaped = reap_dead()
        if reaped and verbosity:
            self.stdout.write(f"已将 {reaped} 个中断的任务标为失败（可重试）。")
        argv = ["--interval", str(interval), "--no-reload"]
        if batch:
            argv += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *argv, verbosity=verbosity)
