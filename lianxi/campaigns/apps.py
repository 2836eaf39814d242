from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "lianxi.campaigns"
    verbose_name = "评选活动"

    def ready(self):
        # The meetings app applies an award/naming/release item without importing campaigns: the
        # campaign result registers itself as the handler of ``apply_resolution(item, campaign=…)``.
        from lianxi.campaigns import services

        services.register_with_meetings()

        from lianxi.accounts.gates import register_history_gate
        from lianxi.campaigns import gates
        from lianxi.campaigns.models import Campaign

        register_history_gate(Campaign, gates.can_manage)
