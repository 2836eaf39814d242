"""Forms of the account pages: shape only; the token service owns the rules."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lianxi.accounts.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100,
                           help_text=_("例如：区OA系统对接、统计报表脚本"))
    access = forms.ChoiceField(label=_("权限"), choices=[("read", _("只读")), ("write", _("读写"))], initial="read")
    kind = forms.ChoiceField(label=_("类型"), choices=ApiToken.Kind.choices, initial=ApiToken.Kind.PERSONAL)
    holder = forms.CharField(label=_("持有账号"), max_length=150, required=False,
                             help_text=_("系统令牌由专用账号持有；留空为本人"))

    def __init__(self, *args, manage_all: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"] = forms.IntegerField(label=_("有效期（天）"), min_value=1, initial=90,
                                                 max_value=settings.API_TOKEN_MAX_DAYS)
        self.order_fields(["name", "access", "days", "kind", "holder"])
        if not manage_all:
            # Only a district administrator makes system tokens or tokens for another account.
            del self.fields["kind"]
            del self.fields["holder"]
