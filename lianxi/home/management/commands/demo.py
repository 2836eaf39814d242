"""``lianxi demo``: migrate, then load the Huangpu reference data, the demo accounts and each app's
sample data (``lianxi.demo.DEMO_STEPS``) into a demo database, and print how to sign in. Refuses a
database that is, or may be, a real installation. Serving is the CLI's job, never this command's."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string

from lianxi.demo import DEMO_STEPS
from lianxi.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, NotADemoDatabase, ensure_demo_installation


class Command(BaseCommand):
    help = "建立或补全演示数据库：黄浦区参考数据、各角色演示账号和各模块示例数据（重复运行不会重复创建）。"

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="打印的访问地址")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        try:
            with transaction.atomic():
                ensure_demo_installation()
        except NotADemoDatabase as refusal:
            raise CommandError(str(refusal)) from refusal
        for path in DEMO_STEPS:
            step = import_string(path)
            self.stdout.write(f"· {path}")
            step()
        if connection.vendor == "sqlite":
            # A migration that rebuilds a table drops its statistics, and without them SQLite can pick
            # a poor index for the list pages; refresh them once the data is in.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账号（密码均为 {DEMO_PASSWORD}），登录后各自进入本角色的工作页："))
        for username, description, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<18} {description}")
        self.stdout.write("黄浦区的数据只含新闻报道所载内容；示例需求、资源和认领在“演示联席会议（虚构）”中。")
        self.stdout.write(f"访问地址：{options['url']}")
