from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lianxi.accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from lianxi.lib.forms import use_chinese_empty_choice

        use_chinese_empty_choice()

        from django.contrib.auth.signals import user_logged_in

        from lianxi.accounts.sessions import session_started

        user_logged_in.connect(session_started, dispatch_uid="lianxi.accounts.session_started")
