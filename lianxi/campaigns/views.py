"""Campaign pages: gate → form → service → redirect. Every action is refused outside its phase by
the gate (403) and again by the service (with the reason)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxi.accounts.gates import history_for
from lianxi.campaigns import excel as campaign_excel
from lianxi.campaigns import services
from lianxi.campaigns.forms import ImportForm, NominationForm, ObjectionForm
from lianxi.campaigns.gates import (
    actions_for,
    campaigns_visible_to,
    can_edit_nomination,
    can_manage,
    can_manage_honour,
    get_assignment_for,
    get_campaign_for,
    get_nomination_for,
    honours_visible_to,
    nominating_units,
    nominations_visible_to,
    require,
    require_action,
    reviewer_for,
)
from lianxi.campaigns.models import PHASE_ORDER, Nomination, Objection, Phase
from lianxi.lib import excel
from lianxi.lib.forms import refusal_as_message, run_service
from lianxi.lib.net import client_ip
from lianxi.lib.office import pdf_available
from lianxi.lib.params import parse_int


def campaign_list(request):
    campaigns = campaigns_visible_to(request.user).select_related("conference").order_by("-year", "pk")[:200]
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


def campaign_detail(request, pk):
    user = request.user
    campaign = get_campaign_for(user, pk)
    manage = can_manage(user, campaign)
    nominations = (nominations_visible_to(user, campaign).select_related("unit", "body")
                   .order_by("rank", "pk"))
    reviewer = reviewer_for(user, campaign)
    assignments = (reviewer.assignments.select_related("nomination").order_by("nomination__pk")
                   if reviewer is not None else [])
    bodies = campaign.bodies.annotate(received=Count("nominations", filter=~Q(nominations__state="draft")))
    current = PHASE_ORDER.index(campaign.phase)
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign, "manage": manage, "actions": actions_for(user, campaign),
        "nominations": nominations[:500], "assignments": assignments, "bodies": bodies,
        "phases": [(value, label, i < current, i == current) for i, (value, label) in enumerate(Phase.choices)],
        "objections": campaign.objections.select_related("nomination") if manage else [],
        "objection_form": ObjectionForm(), "criteria": campaign.criteria.all(),
        "history": history_for(user, campaign),
        "outcome_projects": _outcome_projects(user, campaign),
        "honour": getattr(campaign, "honour", None) if campaign.kind == campaign.Kind.HONOUR else None,
    })


def _outcome_projects(user, campaign):
    """The projects the campaign's award or release item concerns (also for a campaign known only
    by its outcome, whose nominations are 未载明)."""
    from lianxi.projects.gates import projects_visible_to

    if campaign.awarded_at_id is None or campaign.kind == campaign.Kind.HONOUR:
        return []
    field = "awarded_at" if campaign.kind == campaign.Kind.BRAND else "released_at"
    return list(projects_visible_to(user).filter(**{field: campaign.awarded_at_id}).order_by("order", "pk"))


@login_required
def nomination_create(request, pk):
    campaign = get_campaign_for(request.user, pk)
    require_action(request.user, campaign, "nominate")
    units = nominating_units(request.user, campaign)
    form = NominationForm(request.POST or None, campaign=campaign, units=units.order_by("name"))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, nom = run_service(form, services.create_nomination, request.user, campaign, unit=d["unit"], body=d["body"],
                              submit=d["submit"], title=d["title"], party_org_name=d["party_org_name"],
                              summary=d["summary"], links=d["links"], values=form.values())
        if ok:
            return redirect("campaigns:nomination_detail", pk=nom.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign, "title": _("申报")},
                  status=400 if form.errors else 200)


def nomination_detail(request, pk):
    nomination = get_nomination_for(request.user, pk)
    campaign = nomination.campaign
    manage = can_manage(request.user, campaign)
    return render(request, "campaigns/nomination_detail.html", {
        "nomination": nomination, "campaign": campaign, "manage": manage,
        "actions": actions_for(request.user, campaign),
        "can_edit": can_edit_nomination(request.user, nomination),
        "explain": services.explain(campaign, nomination) if manage else None,
    })


@require_POST
@login_required
def nomination_submit(request, pk):
    nomination = get_nomination_for(request.user, pk, write=True)
    require_action(request.user, nomination.campaign, "nominate")
    with refusal_as_message(request):
        services.submit_nomination(request.user, nomination)
    return redirect("campaigns:nomination_detail", pk=nomination.pk)


@require_POST
@login_required
def nomination_recommend(request, pk):
    nomination = get_nomination_for(request.user, pk)
    require_action(request.user, nomination.campaign, "recommend")
    with refusal_as_message(request):
        if request.POST.get("undo"):
            services.unrecommend(request.user, nomination)
        else:
            services.recommend(request.user, nomination)
    return redirect("campaigns:campaign_detail", pk=nomination.campaign_id)


@require_POST
@login_required
def campaign_advance(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    require_action(request.user, campaign, "advance")
    with refusal_as_message(request):
        services.advance(request.user, campaign)
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


@require_POST
@login_required
def campaign_assign(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    require_action(request.user, campaign, "assign")
    with refusal_as_message(request):
        exact = services.assign_reviewers(request.user, campaign)
        messages.info(request, _("已分配 %(n)d 份评审，缺额 %(s)d。") % {"n": len(exact.pairs), "s": exact.shortfall})
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


@require_POST
@login_required
def campaign_decide(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    require_action(request.user, campaign, "decide")
    ids = [n for n in (parse_int(x) for x in request.POST.getlist("selected")) if n is not None]
    with refusal_as_message(request):
        services.decide(request.user, campaign, selected=list(campaign.nominations.filter(pk__in=ids)),
                        note=request.POST.get("note", ""))
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


@login_required
def review(request, pk):
    assignment = get_assignment_for(request.user, pk)
    campaign = assignment.reviewer.campaign
    criteria = list(campaign.criteria.all())
    current = {s.criterion_id: s.value for s in assignment.scores.all()}
    errors = []
    if request.method == "POST":
        require_action(request.user, campaign, "score")
        scores = {}
        for c in criteria:
            raw = request.POST.get(f"c{c.pk}", "").strip()
            if not raw.lstrip("-").isdigit():
                errors.append(_("“%(name)s”须填写 0 至 %(max)d 的整数。") % {"name": c.name, "max": c.max_score})
                continue
            scores[c.pk] = int(raw)
        if not errors:
            try:
                services.submit_scores(request.user, assignment, scores)
                return redirect("campaigns:campaign_detail", pk=campaign.pk)
            except ValidationError as exc:
                errors = exc.messages
        current.update({c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria})
    rows = [(c, current.get(c.pk, "")) for c in criteria]
    return render(request, "campaigns/review.html", {"assignment": assignment, "campaign": campaign, "rows": rows,
                                                     "errors": errors}, status=400 if errors else 200)


@require_POST
def objection_file(request, pk):
    campaign = get_campaign_for(request.user, pk)
    require_action(request.user, campaign, "object")
    form = ObjectionForm(request.POST)
    if form.is_valid():
        nomination = None
        nid = parse_int(request.POST.get("nomination", ""))
        if nid is not None:
            nomination = get_object_or_404(campaign.nominations.filter(selected=True), pk=nid)
        ok, _obj = run_service(form, services.file_objection, request.user, campaign, nomination=nomination,
                               address=client_ip(request), **form.cleaned_data)
        if ok:
            messages.info(request, _("异议已提交，秘书处将处理并记录。"))
            return redirect("campaigns:campaign_detail", pk=campaign.pk)
    messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


@require_POST
@login_required
def objection_handle(request, pk, objection_pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    require_action(request.user, campaign, "handle_objection")
    objection = get_object_or_404(Objection.objects.filter(campaign=campaign), pk=objection_pk)
    with refusal_as_message(request):
        services.handle_objection(request.user, objection, upheld=request.POST.get("upheld") == "1",
                                  handling=request.POST.get("handling", ""))
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


@login_required
def nominations_import(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    require_action(request.user, campaign, "nominate")
    if request.GET.get("template"):
        from django.http import HttpResponse

        response = HttpResponse(campaign_excel.template(campaign), content_type=excel.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="nominations.xlsx"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            n = campaign_excel.import_nominations(request.user, campaign, form.cleaned_data["file"])
            messages.info(request, _("已导入 %(n)d 件申报。") % {"n": n})
            return redirect("campaigns:campaign_detail", pk=campaign.pk)
        except campaign_excel.ImportRejected as exc:
            row_errors = exc.row_errors
        except excel.ExcelFormatError as exc:
            row_errors = [str(exc)]
    return render(request, "campaigns/import.html", {"form": form, "campaign": campaign, "row_errors": row_errors},
                  status=400 if row_errors else 200)


def results_export(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    return excel.download(campaign_excel.export_results(campaign), f"{campaign.title}结果.xlsx")


def honour_detail(request, pk):
    honour = get_object_or_404(honours_visible_to(request.user).select_related("conference", "named_at__meeting"),
                               pk=pk)
    if request.GET.get("format") == "xlsx":
        return excel.download(campaign_excel.export_honour(honour), f"{honour}.xlsx")
    entries = honour.entries.select_related("unit", "awarded_at__meeting").order_by("order", "pk")
    return render(request, "campaigns/honour_detail.html", {"honour": honour, "entries": entries,
                                                            "manage": can_manage_honour(request.user, honour),
                                                            "pdf_available": pdf_available()})


@require_POST
@login_required
def honour_publish(request, pk):
    honour = get_object_or_404(honours_visible_to(request.user), pk=pk)
    require(can_manage_honour(request.user, honour))
    services.publish_honour(request.user, honour, published=request.POST.get("published") == "1")
    return redirect("campaigns:honour_detail", pk=honour.pk)


__all__ = ["Nomination"]


def _award_items(campaign):
    """Unapplied agenda items of the matching kind in meetings of the campaign's conference or its
    parent: where the result can be awarded."""
    from lianxi.meetings.models import AgendaItem

    kinds = {campaign.Kind.BRAND: ["award"], campaign.Kind.HONOUR: ["naming", "award"],
             campaign.Kind.KEY_RELEASE: ["release"]}[campaign.kind]
    conferences = [c for c in (campaign.conference_id, campaign.conference.parent_id) if c]
    return (AgendaItem.objects.filter(kind__in=kinds, applied_on__isnull=True, meeting__conference_id__in=conferences)
            .select_related("meeting").order_by("-meeting__date", "order"))


@login_required
def campaign_award(request, pk):
    """颁授: apply the final result through a meeting's agenda item (meetings' apply_resolution,
    which calls the handler campaigns registered)."""
    from lianxi.meetings.services import apply_resolution

    campaign = get_campaign_for(request.user, pk, manage=True)
    require(campaign.phase == Phase.FINAL)
    items = _award_items(campaign)
    error = ""
    selected = list(campaign.nominations.filter(selected=True).order_by("rank", "pk"))
    if request.method == "POST":
        item = items.filter(pk=request.POST.get("item") or 0).first()
        reps = [n for n in selected if str(n.pk) in request.POST.getlist("representatives")]
        if item is None:
            error = _("请选择议程。")
        else:
            try:
                apply_resolution(request.user, item, campaign=campaign, representatives=reps)
                return redirect("campaigns:campaign_detail", pk=campaign.pk)
            except ValidationError as exc:
                error = "；".join(exc.messages)
    return render(request, "campaigns/award.html", {"campaign": campaign, "items": items, "selected": selected,
                                                    "error": error}, status=400 if error else 200)
