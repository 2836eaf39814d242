"""``lists_daily``: the lists' daily round. Extends long-term claims' schedules, expires needs past
their deadline that nobody claimed, sends last month's burden digests, and reports what is overdue.
Safe to run more than once a day."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from lianxi.burden import services as burden
from lianxi.lists import services
from lianxi.lists.models import Delivery


class Command(BaseCommand):
    help = "每日例行：补排长效认领的交付期次、使过期无人认领的需求过期、发送上月减负汇总、统计逾期交付。"

    def handle(self, *args, **options):
        today = timezone.localdate()
        scheduled = services.roll_deliveries(None, on=today)
        expired = services.expire_needs(None, on=today)
        digests = burden.send_due_digests(None)
        overdue = Delivery.objects.overdue(today).count()
        self.stdout.write(f"新排交付 {scheduled} 期；过期需求 {expired} 条；发送汇总 {digests} 份；当前逾期交付 {overdue} 期。")
