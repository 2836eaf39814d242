"""``lianxi generate`` step of the matching app: the text features the write path would have made.

The lists step writes its rows in bulk, past the services, so nobody announced their texts; this
step segments what a matching run reads — the open needs in the hall and the offered resources of
the synthetic conferences — as saving them through the services would have. Closed needs of past
years are left out: no run ever reads them."""

from lianxi.lists.models import Need, Resource
from lianxi.matching.models import TextVector
from lianxi.matching.services import index_texts
from lianxi.registry.generate import Timer, synthetic_conferences


def generate_text_features(scale: str, seed: int, stdout):
    with Timer(stdout, "匹配文本特征（jieba 分词）") as timer:
        conferences = synthetic_conferences()
        need_ids = list(Need.objects.in_hall().filter(conference__in=conferences).values_list("pk", flat=True))
        resource_ids = list(Resource.objects.filter(conference__in=conferences, state=Resource.State.OFFERED)
                            .values_list("pk", flat=True))
        # The generated texts are a few templates around running numbers: segmented once per template.
        segmented = index_texts(Need, need_ids, by_shape=True) + index_texts(Resource, resource_ids, by_shape=True)
        timer.rows = segmented
    return {"matching_text_features": segmented}


def reset_text_features(stdout):
    """Delete the features of the synthetic conferences' needs and resources (run before the lists
    step's reset deletes the rows themselves)."""
    with Timer(stdout, "删除匹配文本特征"):
        conferences = synthetic_conferences()
        for kind, model in ((TextVector.Kind.NEED, Need), (TextVector.Kind.RESOURCE, Resource)):
            TextVector.objects.filter(kind=kind, object_id__in=model.objects.filter(conference__in=conferences)
                                      .values("pk")).delete()
