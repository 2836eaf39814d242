"""The account pages: the user's API tokens (接口令牌)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lianxi.accounts import services
from lianxi.accounts.forms import TokenForm
from lianxi.accounts.gates import can_manage_all_tokens, get_token_for, token_holder_for, tokens_visible_to
from lianxi.accounts.models import ApiToken
from lianxi.lib.forms import run_service


@login_required
def token_list(request):
    manage_all = can_manage_all_tokens(request.user)
    form = TokenForm(request.POST or None, manage_all=manage_all)
    secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holder = token_holder_for(request.user, data.get("holder"))
        if holder is None:
            form.add_error("holder", "没有这个可用账号。")
        else:
            ok, result = run_service(
                form, services.create_token, request.user, holder=holder, name=data["name"],
                read_only=data["access"] == "read", days=data["days"],
                kind=data.get("kind") or ApiToken.Kind.PERSONAL,
                field_map={"user": "holder" if manage_all else "__all__"},
            )
            if ok:
                token, secret = result
                form = TokenForm(manage_all=manage_all)
    tokens = list(tokens_visible_to(request.user).order_by("-created", "-id")[:200])
    return render(request, "accounts/token_list.html", {
        "form": form, "tokens": tokens, "secret": secret, "manage_all": manage_all,
    })


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_token_for(request.user, pk)
    ok, _ = run_service(TokenForm(), services.revoke_token, request.user, token)
    if ok:
        messages.success(request, f"令牌“{token.name}”已撤销。")
    else:
        messages.error(request, "该令牌已撤销。")
    return redirect("accounts:token_list")
