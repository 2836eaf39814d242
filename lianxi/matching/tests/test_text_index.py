"""Texts are segmented when a need or a resource is saved (after the commit), so that a matching run
finds them ready: the lists services announce ``texts_saved``, the matching app listens."""

import io
import logging

import numpy as np
import pytest

from lianxi.lists import services as lists
from lianxi.lists.models import Need, Resource
from lianxi.lists.signals import texts_saved
from lianxi.matching import scoring, services
from lianxi.matching.models import TextVector
from lianxi.matching.tests.helpers import category, need, resource


def vector(obj) -> TextVector:
    kind = TextVector.Kind.NEED if isinstance(obj, Need) else TextVector.Kind.RESOURCE
    return TextVector.objects.get(kind=kind, object_id=obj.pk)


def features(obj) -> list[int]:
    return np.frombuffer(bytes(vector(obj).features), dtype=np.int32).tolist()


def expected(obj) -> list[int]:
    return scoring.text_features(services.matching_text(obj.title, obj.description)).tolist()


def test_posting_a_need_segments_its_text_after_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        n = need(world, "为独居老人提供助餐服务")
    # Nothing is segmented inside the transaction; it happens once it commits.
    assert not TextVector.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert features(n) == expected(n) and len(expected(n)) > 0


def test_offering_a_resource_segments_its_text(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = resource(world, "独居老人助餐配送服务")
    assert features(r) == expected(r)


def test_a_changed_text_is_segmented_again_other_changes_are_not_announced(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = need(world, "老年人健康讲座")
    before = bytes(vector(n).digest)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lists.update_need(world.street, n, quantity=5)
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lists.update_need(world.street, n, description="每月两次，社区卫生服务中心医生主讲")
    assert len(callbacks) == 1
    n.refresh_from_db()
    assert bytes(vector(n).digest) != before and features(n) == expected(n)
    assert TextVector.objects.filter(kind=TextVector.Kind.NEED, object_id=n.pk).count() == 1


def test_resource_text_change_is_segmented_again(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = resource(world, "读书会场地")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lists.update_resource(world.secretariat, r, capacity=9)
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True):
        lists.update_resource(world.secretariat, r, title="读书会场地与主持人")
    r.refresh_from_db()
    assert features(r) == expected(r)


def test_bulk_import_announces_once_for_every_row(world, django_capture_on_commit_callbacks):
    rows = [dict(conference=world.district, owner=world.street_unit, title=f"示例批量需求{i:03d}：助餐送餐",
                 category=category("elderly"), area=world.street_area, quantity=1, quantity_unit="人")
            for i in range(2500)]  # more than one insert batch
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert lists.post_needs_bulk(world.street, rows) == 2500
    assert len(callbacks) == 1
    assert TextVector.objects.filter(kind=TextVector.Kind.NEED).count() == 2500


def test_a_run_after_saving_segments_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need(world, "为独居老人提供助餐服务", quantity=3)
        need(world, "社区读书会活动", code="culture", quantity=1)
        resource(world, "独居老人助餐配送服务", capacity=4)
    run = services.run_matching(None, world.district)
    assert run.timings["texts_segmented"] == 0
    assert run.suggestions_count == 1


def test_a_failing_receiver_is_logged_and_the_save_stands(world, django_capture_on_commit_callbacks, monkeypatch,
                                                          caplog):
    def broken(model, ids, **kwargs):
        raise RuntimeError("示例故障")

    monkeypatch.setattr(services, "index_texts", broken)
    with caplog.at_level(logging.ERROR, logger="lianxi.lists.signals"):
        with django_capture_on_commit_callbacks(execute=True):
            n = need(world, "老年人健康讲座")
    assert Need.objects.filter(pk=n.pk).exists()
    assert not TextVector.objects.exists()
    assert "示例故障" in caplog.text
    # The next run segments what the failed receiver left undone.
    assert services.run_matching(None, world.district).timings["texts_segmented"] == 1


def test_the_receiver_ignores_other_senders(world):
    assert texts_saved.send(sender=object, ids=[1])  # the receiver is connected …
    assert not TextVector.objects.exists()  # … and does nothing for a sender it does not know


def test_features_by_shape_equal_text_by_text_and_fall_back_where_digits_matter(monkeypatch):
    texts = [f"示例需求{i:07d}助餐送餐\n合成数据" for i in range(1, 30)] + ["3D打印体验", "4D打印体验", "5D打印体验", "单独一条"]
    assert [f.tolist() for f in scoring.features_by_shape(texts)] == [scoring.text_features(t).tolist() for t in texts]
    # A template whose first and last texts segment differently is segmented text by text.
    real = scoring.text_features
    monkeypatch.setattr(scoring, "text_features", lambda t: real(t) if "0000029" not in t else real("别的词语"))
    shaped = scoring.features_by_shape(texts[:29])
    assert shaped[28].tolist() == real("别的词语").tolist()
    assert shaped[0].tolist() == real(texts[0]).tolist()


@pytest.mark.django_db
def test_generate_step_segments_what_a_run_reads_and_reset_removes_it():
    from lianxi.lists.generate import generate_lists
    from lianxi.matching.generate import generate_text_features, reset_text_features
    from lianxi.registry.generate import generate_registry

    out = io.StringIO()
    generate_registry("tiny", 7, out)
    generate_lists("tiny", 7, out)
    in_hall = Need.objects.in_hall().count()
    offered = Resource.objects.filter(state=Resource.State.OFFERED).count()
    assert in_hall > 0 and offered > 0
    counts = generate_text_features("tiny", 7, out)
    assert counts == {"matching_text_features": in_hall + offered}
    assert TextVector.objects.filter(kind=TextVector.Kind.NEED).count() == in_hall
    # Segmented once per template, yet every vector is what segmenting its own text gives.
    for obj in [*Need.objects.in_hall(), *Resource.objects.filter(state=Resource.State.OFFERED)]:
        assert features(obj) == expected(obj), obj.title
    assert generate_text_features("tiny", 7, out) == {"matching_text_features": 0}  # nothing changed
    reset_text_features(out)
    assert not TextVector.objects.exists()
