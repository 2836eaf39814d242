import io

import pytest
from django.db.models import F, Sum

from lianxi.burden.models import BurdenRequest
from lianxi.lists.demo import load_samples
from lianxi.lists.generate import generate_lists, reset_lists
from lianxi.lists.models import Claim, Delivery, Need, Resource

pytestmark = pytest.mark.django_db


def summary():
    return (list(Need.objects.order_by("id").values_list("title", "quantity", "state", "claimed_quantity")),
            list(Claim.objects.order_by("id").values_list("unit__name", "quantity", "cadence", "state")),
            Delivery.objects.count(), Resource.objects.count())


def test_generator_is_deterministic_and_keeps_the_invariants():
    from lianxi.registry.generate import generate_registry

    out = io.StringIO()
    generate_registry("tiny", 7, out)
    counts = generate_lists("tiny", 7, out)
    assert counts["lists_needs"] == 300 and counts["lists_resources"] == 40
    assert Need.objects.filter(search_text__contains="slxq").count() == 300
    assert 40 <= counts["lists_open_needs"] <= 50
    assert counts["lists_claims"] > 100 and counts["lists_deliveries"] > 50
    assert Need.objects.filter(title__startswith="示例需求").count() == 300
    # The claimed total is the live claims' sum and within the quantity.
    live = {n: q for n, q in Claim.objects.exclude(state="cancelled").values_list("need").annotate(q=Sum("quantity"))}
    for pk, claimed, quantity in Need.objects.values_list("pk", "claimed_quantity", "quantity"):
        assert claimed == live.get(pk, 0) <= quantity
    assert not Need.objects.filter(claimed_quantity__gt=F("quantity")).exists()
    assert Need.objects.open().count() == counts["lists_open_needs"]
    first = summary()
    reset_lists(out)
    assert Need.objects.count() == Claim.objects.count() == Resource.objects.count() == 0
    generate_lists("tiny", 7, out)
    assert summary() == first


def test_generated_search_text_is_what_derive_computes():
    from lianxi.lists.generate import TOPICS, _search_text

    for topic in [t for topics in TOPICS.values() for t in topics]:
        need = Need(title=f"示例需求0012345{topic}")
        need.derive()
        assert _search_text("示例需求", "0012345", topic) == need.search_text


def test_demo_samples_are_labelled_and_idempotent():
    from lianxi.demo.huangpu import load_huangpu

    load_huangpu()
    result = load_samples()
    assert sorted(n for n in result["needs"]) == sorted([
        "【示例】社区老年人助餐服务志愿者", "【示例】居民区党群服务站周末活动场地", "【示例】青少年暑期科普讲座",
        "【示例】社区法律咨询进楼宇"])
    for need in Need.objects.all():
        assert need.title.startswith("【示例】") and need.description.startswith("【示例数据】")
        assert need.owner.name in ("示例街道甲（演示）", "示例街道乙（演示）")
        assert need.conference.name == "演示联席会议（虚构）"
    # Nothing is attributed to a real organisation: only the synthetic unit offers or claims.
    assert set(Resource.objects.values_list("unit__name", flat=True)) == {"示例共建单位（演示）"}
    assert set(Claim.objects.values_list("unit__name", flat=True)) == {"示例共建单位（演示）"}
    ask = BurdenRequest.objects.get()
    assert (ask.unit.name, ask.kind, ask.state) == ("示例街道甲（演示）", "confirm", "sent")
    before = summary()
    load_samples()
    assert summary() == before
