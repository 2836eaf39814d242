"""Django's ``createsuperuser``, with the audit row every other account creation writes.

A superuser made here holds every right in the deployment, so its creation is the first fact an
auditor asks for (等保: privileged accounts are recorded). Django's command saves the user
directly; this one runs it unchanged and then records each superuser it made through
``accounts.services.record_account_created``. It takes precedence over Django's command because
``lianxi.accounts`` is listed before ``django.contrib.auth`` in ``INSTALLED_APPS``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser

from lianxi.accounts.services import record_account_created


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        users = get_user_model()._default_manager.db_manager(options["database"])
        before = set(users.filter(is_superuser=True).values_list("pk", flat=True))
        super().handle(*args, **options)
        for user in users.filter(is_superuser=True).exclude(pk__in=before):
            record_account_created(None, user, how="createsuperuser")
