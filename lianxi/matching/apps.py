from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "lianxi.matching"
    verbose_name = "供需匹配"

    def ready(self):
        from lianxi.lists.signals import texts_saved
        from lianxi.matching import jobs  # noqa: F401 - registers the matching run as a job kind
        from lianxi.matching.receivers import on_texts_saved

        # Segment a need's or resource's text when it is saved, not during a matching run.
        texts_saved.connect(on_texts_saved, dispatch_uid="matching.index_texts")
