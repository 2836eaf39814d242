"""Pages of the burden gate (减负闸门): per unit and month, what the platform asked, against the cap,
and how fast the answers came; the administrator's approval queue and the month's digests.
Short function views: gate → form → service → redirect. The paths stay under /lists/burden/, where
they were when the gate lived in the lists app, so bookmarks keep working."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lianxi.burden import gates, services
from lianxi.burden.forms import BurdenCapForm, MonthForm
from lianxi.burden.models import BurdenDigest, BurdenRequest
from lianxi.lib.forms import refusal_as_message
from lianxi.lib.htmx import hx_location, next_url
from lianxi.lib.pagination import paginate


def _month(request) -> datetime.date:
    form = MonthForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("month"):
        return form.cleaned_data["month"]
    return services.month_of()


WAIT = ExpressionWrapper(F("answered_at") - F("asked_at"), output_field=DurationField())


@login_required
def burden_overview(request):
    """Per unit, in one month: how much the platform asked, against the cap, and how fast answers came."""
    own = gates.only_unit_of(request.user)
    if own is not None:
        return redirect("burden:burden_unit", pk=own)
    gates.require_manager(request.user)
    month = _month(request)
    requests = gates.requests_overseen_by(request.user, BurdenRequest.objects.filter(month=month))
    rows = (BurdenRequest.objects.filter(pk__in=requests.values("pk")).values("unit_id", "unit__name")
            .annotate(total=Count("id"), counted=Count("id", filter=services.COUNTED),
                      batched=Count("id", filter=Q(digest__isnull=False)),
                      awaiting=Count("id", filter=Q(state=BurdenRequest.State.AWAITING_APPROVAL)),
                      answered=Count("id", filter=Q(state=BurdenRequest.State.ANSWERED)),
                      mean_wait=Avg(WAIT, filter=Q(answered_at__isnull=False, asked_at__isnull=False)),
                      cap=Coalesce("unit__burden_cap__monthly_cap", Value(burden_default_cap())))
            .order_by("-total", "unit__name"))
    page = paginate(request, rows, per_page=50)
    queue = (BurdenRequest.objects.filter(pk__in=requests.values("pk"), state=BurdenRequest.State.AWAITING_APPROVAL)
             .select_related("unit").order_by("created_at")[:50])
    digests = (BurdenDigest.objects.filter(month=month, sent_at__isnull=True)
               .filter(requests__in=requests.values("pk")).distinct().select_related("unit")
               .annotate(n=Count("requests")).order_by("unit__name")[:50])
    return render(request, "burden/burden.html", {
        "month": month, "page": page, "queue": queue, "digests": digests, "default_cap": burden_default_cap(),
        "month_form": MonthForm(initial={"month": month.strftime("%Y-%m")}),
    })


def burden_default_cap() -> int:
    from django.conf import settings

    return settings.BURDEN_MONTHLY_CAP


@login_required
def burden_unit(request, pk):
    """One unit, one month: every request, when it was asked and answered, and how long it took."""
    unit = gates.get_burden_unit_for(request.user, pk)
    month = _month(request)
    requests = (BurdenRequest.objects.filter(unit=unit, month=month).select_related("digest", "requested_by")
                .annotate(wait=WAIT).order_by("-created_at", "-id"))
    page = paginate(request, requests, per_page=50)
    can_set_cap = gates.can_set_cap(request.user, unit)
    cap_form = None
    if can_set_cap:
        current = getattr(unit, "burden_cap", None) if hasattr(unit, "burden_cap") else None
        cap_form = BurdenCapForm(initial={"monthly_cap": current.monthly_cap if current else None,
                                          "note": current.note if current else ""})
    return render(request, "burden/burden_unit.html", {
        "unit": unit, "month": month, "page": page, "summary": services.summary(unit, month),
        "digest": BurdenDigest.objects.filter(unit=unit, month=month).first(), "cap_form": cap_form,
        "can_decide": can_set_cap, "can_answer": gates.can_answer_for(request.user, unit),
        "month_form": MonthForm(initial={"month": month.strftime("%Y-%m")}),
    })


@require_POST
@login_required
def burden_cap(request, pk):
    unit = gates.get_burden_unit_for(request.user, pk)
    gates.require_set_cap(request.user, unit)
    form = BurdenCapForm(request.POST)
    if form.is_valid():
        services.set_cap(request.user, unit, monthly_cap=form.cleaned_data["monthly_cap"], note=form.cleaned_data["note"])
        messages.success(request, "减负上限已更新。")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return hx_location(request, reverse("burden:burden_unit", args=[unit.pk]))


@require_POST
@login_required
def burden_decide(request, pk, decision):
    """An administrator lets a request past the cap through now, or moves it into the digest."""
    req = gates.get_request_to_decide(request.user, pk)
    service = {"approve": services.approve, "defer": services.defer_to_digest}.get(decision)
    if service is None:
        raise Http404
    with refusal_as_message(request):
        service(request.user, req)
        messages.success(request, "已批准送达。" if decision == "approve" else "已并入月度汇总。")
    return hx_location(request, next_url(request, reverse("burden:burden")))


@require_POST
@login_required
def burden_answer(request, pk):
    """The unit marks a request (a form to fill, an invitation declined) as answered."""
    req = gates.get_request_to_answer(request.user, pk)
    with refusal_as_message(request):
        services.answer(request.user, req)
        messages.success(request, "已答复。")
    return hx_location(request, next_url(request, reverse("lists:inbox")))


@require_POST
@login_required
def digest_send(request, pk):
    digest = gates.get_digest_to_send(request.user, pk)
    with refusal_as_message(request):
        services.send_digest(request.user, digest)
        messages.success(request, f"已向{digest.unit}发送{digest.month:%Y年%m月}汇总。")
    return hx_location(request, reverse("burden:burden") + f"?month={digest.month:%Y-%m}")
