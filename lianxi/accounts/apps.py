from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lianxi.accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from lianxi.lib.forms import use_chinese_empty_choice

        use_chinese_empty_choice()
