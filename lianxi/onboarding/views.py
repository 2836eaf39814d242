"""Going live: first-run setup, the checklist, registry sheets in and out, accounts in bulk."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lianxi.jobs import services as jobs
from lianxi.jobs.gates import get_job_for
from lianxi.lib import excel
from lianxi.lib.downloads import attachment
from lianxi.onboarding import gates, services
from lianxi.onboarding import registry_sheets as sheets
from lianxi.onboarding.forms import SetupForm, SheetUploadForm
from lianxi.onboarding.models import Invitation

XLSX = excel.XLSX_CONTENT_TYPE


def _links(request, invitations):
    return [
        {"invitation": inv, "url": request.build_absolute_uri(
            reverse("onboarding:activate", args=[services.activation_token(inv)]))}
        for inv in invitations
    ]


@login_required
def setup(request):
    gates.require_first_run(request.user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.set_up_district(request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "message_dict") else [(None, exc.messages)]:
                for error in errors:
                    form.add_error(None, f"{field}：{error}" if field else error)
        else:
            return render(request, "onboarding/setup_done.html", {
                "conference": done["conference"], "links": _links(request, done["invitations"]),
            })
    return render(request, "onboarding/setup.html", {"form": form})


@login_required
def checklist(request):
    conference = gates.get_conference_to_onboard(request.user, request.GET.get("conference"))
    items = services.checklist(conference)
    return render(request, "onboarding/checklist.html", {
        "conference": conference, "items": items, "done": all(i["done"] for i in items),
        "sheets": sheets.SHEET_LABELS, "upload_form": SheetUploadForm(),
    })


def _sheet(name: str) -> str:
    if name not in sheets.SHEET_LABELS:
        raise Http404
    return name


@login_required
def sheet_template(request, sheet):
    conferences = gates.managed_conferences(request.user)
    wb = sheets.TEMPLATES[_sheet(sheet)](conferences)
    return attachment(excel.to_bytes(wb), f"{sheets.SHEET_LABELS[sheet]}模板.xlsx", XLSX)


@login_required
def sheet_export(request, sheet):
    conferences = gates.managed_conferences(request.user)
    wb = sheets.EXPORTS[_sheet(sheet)](conferences)
    return attachment(excel.to_bytes(wb), f"{sheets.SHEET_LABELS[sheet]}.xlsx", XLSX)


@login_required
@require_POST
def sheet_upload(request, sheet):
    conferences = gates.managed_conferences(request.user)
    form = SheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("onboarding:checklist")
    upload = form.cleaned_data["file"]
    job = jobs.enqueue(request.user, "onboarding.registry_plan",
                       params={"sheet": _sheet(sheet), "conferences": list(conferences.values_list("pk", flat=True))},
                       payload=upload.read(), payload_name=upload.name,
                       title=f"检查{sheets.SHEET_LABELS[sheet]}：{upload.name}")
    return redirect("jobs:job_detail", pk=job.pk)


@login_required
def sheet_plan(request, job_id):
    job = get_job_for(request.user, job_id)
    if job.kind != "onboarding.registry_plan":
        raise Http404
    return render(request, "onboarding/sheet_plan.html", {"job": job, "plan": job.result})


@login_required
@require_POST
def sheet_apply(request, job_id):
    job = get_job_for(request.user, job_id)
    if job.kind != "onboarding.registry_plan" or job.state != job.State.SUCCEEDED:
        raise Http404
    gates.require_still_runs(request.user, job)
    payload = type(job).objects.filter(pk=job.pk).values_list("payload", flat=True).get()
    applied = jobs.enqueue(request.user, "onboarding.registry_apply", params=job.params, payload=bytes(payload),
                           payload_name=job.payload_name, title=f"导入{sheets.SHEET_LABELS[job.params['sheet']]}：{job.payload_name}")
    return redirect("jobs:job_detail", pk=applied.pk)


@login_required
def accounts(request):
    conference = gates.get_conference_to_onboard(request.user, request.GET.get("conference") or request.POST.get("conference"))
    if request.method == "POST":
        created = services.issue_unit_accounts(request.user, conference)
        messages.success(request, f"已开通联络员账号 {created['liaison']} 个、基层账号 {created['street']} 个"
                                  f"（已有账号而跳过 {created['skipped']} 个）。请打印或下载下表，把激活链接交给本人。")
        return redirect(f"{reverse('onboarding:accounts')}?conference={conference.pk}")
    pending = services.pending_invitations(conference)
    if request.GET.get("format") == "xlsx":
        wb = excel.new_workbook()
        excel.add_table(wb, "待激活账号", ["单位", "姓名", "角色", "登录名", "激活链接", "激活截止"],
                        [[i["invitation"].unit.name if i["invitation"].unit_id else "",
                          i["invitation"].person.name if i["invitation"].person_id else "",
                          i["invitation"].role_label, i["invitation"].user.username, i["url"],
                          i["invitation"].expires_at.strftime("%Y-%m-%d")] for i in _links(request, pending)],
                        widths=[30, 10, 10, 16, 60, 12], caption=f"{conference.name} 待激活账号")
        return attachment(excel.to_bytes(wb), f"{conference.display_name}待激活账号.xlsx", XLSX)
    return render(request, "onboarding/accounts.html", {
        "conference": conference, "links": _links(request, pending),
    })


@login_required
@require_POST
def invitation_action(request, pk, action):
    conferences = gates.managed_conferences(request.user)
    invitation = get_object_or_404(
        Invitation.objects.select_related("user").filter(unit__memberships__conference__in=conferences).distinct(), pk=pk)
    if action == "reissue":
        services.reissue(request.user, invitation)
        messages.success(request, f"已为 {invitation.user.username} 生成新的激活链接，旧链接已失效。")
    elif action == "disable":
        services.disable(request.user, invitation)
        messages.success(request, f"已停用账号 {invitation.user.username}。")
    else:
        raise Http404
    return redirect("onboarding:accounts")


def activate(request, token):
    """Public: the holder of a link sets a password, is logged in and lands on their own work."""
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as exc:
        return render(request, "onboarding/activate_invalid.html", {"reason": exc.messages[0]}, status=410)
    errors = []
    if request.method == "POST":
        password, again = request.POST.get("password", ""), request.POST.get("password2", "")
        if password != again:
            errors.append("两次输入的密码不一致。")
        else:
            try:
                validate_password(password, invitation.user)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if not errors:
            try:
                user = services.activate(token, password)
            except ValidationError as exc:
                return render(request, "onboarding/activate_invalid.html", {"reason": exc.messages[0]}, status=410)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "账号已激活，欢迎使用联席。")
            return redirect("home")
    return render(request, "onboarding/activate.html", {"invitation": invitation, "errors": errors})
