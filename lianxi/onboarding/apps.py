from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "lianxi.onboarding"
    verbose_name = "上线向导"

    def ready(self):
        from lianxi.onboarding import jobs  # noqa: F401 - registers the registry import jobs
