"""What the matching app does when other apps announce a change."""


def on_texts_saved(sender, ids, progress=None, **kwargs):
    """:data:`lianxi.lists.signals.texts_saved`: segment the saved needs' or resources' texts now,
    so that a matching run reads ready features instead of running jieba over every open need."""
    from lianxi.lists.models import Need, Resource
    from lianxi.matching.services import index_texts

    if sender in (Need, Resource):
        index_texts(sender, ids, progress=progress)
