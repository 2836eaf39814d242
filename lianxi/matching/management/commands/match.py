"""``lianxi match``: run the matcher for one conference or all active ones, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from lianxi.matching.services import PHASES, run_matching
from lianxi.registry.models import Conference


class Command(BaseCommand):
    help = "为开放需求计算推荐匹配（最小费用流求解）"

    def add_arguments(self, parser):
        parser.add_argument("--conference", default="all",
                            help="联席会议编号，或 all（全部运行中的联席会议，默认）")

    def handle(self, *args, conference, **options):
        if conference == "all":
            conferences = list(Conference.objects.filter(status=Conference.Status.ACTIVE).order_by("id"))
        elif conference.isdigit():
            conferences = list(Conference.objects.filter(pk=int(conference)))
            if not conferences:
                raise CommandError(f"没有编号为 {conference} 的联席会议。")
        else:
            raise CommandError("--conference 须为联席会议编号或 all。")
        for conf in conferences:
            with tqdm(total=len(PHASES), desc=conf.display_name, unit="步", file=self.stderr._out,
                      bar_format="{desc}: {n_fmt}/{total_fmt}{postfix} [{elapsed}]") as bar:

                def progress(step, label, bar=bar):
                    bar.n = step
                    bar.set_postfix_str(label)

                run = run_matching(None, conf, progress=progress)
                bar.n = len(PHASES)
                bar.set_postfix_str("完成")
            t = run.timings
            self.stdout.write(
                f"{conf.display_name}：开放需求 {run.needs_count}，资源 {run.resources_count}，"
                f"候选配对 {run.candidates_count}，推荐 {run.suggestions_count}（总数量 {run.total_quantity}），"
                f"用时 {t.get('total', 0):.2f} 秒"
                f"（读取 {t.get('load', 0):.2f}，文本 {t.get('texts', 0):.2f}，候选 {t.get('candidates', 0):.2f}，"
                f"评分 {t.get('scoring', 0):.2f}，求解 {t.get('solve', 0):.2f}，保存 {t.get('save', 0):.2f}）"
            )
