"""Pages of the ingest app: the conference's imports, a new import (paste or upload), and the review
page — the draft beside the source text, each value highlighting its span, accept/edit/reject per
item, then apply. Each view: gate → form → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from lianxi.ingest import services
from lianxi.ingest.candidates import propose
from lianxi.ingest.forms import CONFERENCE_KINDS, UNIT_CATEGORIES, ImportForm, decisions_from_post
from lianxi.ingest.gates import can_import, conferences_importable_by, get_import_for, imports_visible_to
from lianxi.ingest.models import Import
from lianxi.ingest.readers import MAX_BYTES, InputError, read_paste, read_upload
from lianxi.ingest.summary import AGENDA_LABELS
from lianxi.lib.pagination import paginate


def _require_importer(user):
    if not can_import(user):
        raise PermissionDenied(_("只有联席会议的秘书处或管理员可以导入会议报道。"))


@login_required
def import_list(request):
    _require_importer(request.user)
    imports = imports_visible_to(request.user).select_related("conference", "meeting", "created_by")
    return render(request, "ingest/import_list.html", {"page": paginate(request, imports)})


@csrf_exempt
def import_create(request):
    """Too large a request is refused from its Content-Length, before its body is read (the CSRF
    check would read it); everything else goes through the CSRF-protected view."""
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BYTES + 64 * 1024:
            if not request.user.is_authenticated:
                return HttpResponseRedirect(reverse("login"))
            form = ImportForm(conferences=conferences_importable_by(request.user))
            refusal = _("文件过大（%(mb).1f MB）：会议报道不应超过 %(cap)d MB，未读取。") % {
                "mb": length / 1024 / 1024, "cap": MAX_BYTES // 1024 // 1024}
            return render(request, "ingest/import_form.html", {"form": form, "refusal": refusal}, status=413)
    return _import_create(request)


@csrf_protect
@login_required
def _import_create(request):
    _require_importer(request.user)
    conferences = conferences_importable_by(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, conferences=conferences)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            if upload is not None:
                decoded = read_upload(upload.name, upload.read())
                name = upload.name
            else:
                decoded = read_paste(form.cleaned_data["text"])
                name = ""
            imp = services.create_import(request.user, conference=form.cleaned_data["conference"], decoded=decoded,
                                         file_name=name)
        except InputError as exc:
            form.add_error("file" if upload is not None else "text", str(exc))
        else:
            if imp.previous_id:
                messages.warning(request, _("这篇报道此前已导入过（导入 #%(pk)s），下方列出两次的差别。") % {"pk": imp.previous_id})
            return HttpResponseRedirect(reverse("ingest:import_review", args=[imp.pk]))
    return render(request, "ingest/import_form.html", {"form": form})


def _segments(text: str, sources: dict, repairs: list) -> list[dict]:
    """The repaired text cut at every span boundary, each piece knowing the paths it belongs to, so
    the page can highlight a value's span with no script-side offset arithmetic."""
    cuts = {0, len(text)}
    for src in sources.values():
        cuts.update(src["span"])
    for r in repairs:
        cuts.update(r["position"]["repaired"])
    cuts = sorted(c for c in cuts if 0 <= c <= len(text))
    repaired_at = {tuple(r["position"]["repaired"]): r for r in repairs if r["kind"] == "mojibake"}
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a == b:
            continue
        out.append({"text": text[a:b], "start": a, "end": b,
                    "repair": any(ra <= a and b <= rb for (ra, rb) in repaired_at)})
    return out


def _rows(draft: dict, decisions: dict, matches: dict) -> dict:
    def dec(kind, i):
        return (decisions.get(kind) or {}).get(str(i), {})

    sources = draft.get("sources", {})
    role_decisions = decisions.get("roles") or {}

    def roles_of(i, person):
        out = []
        for r, role in enumerate(person.get("roles", [])):
            src = sources.get(f"people[{i}].roles[{r}].role") or {}
            out.append({"r": r, "entry": role, "basis": src.get("basis"), "reason": src.get("reason", ""),
                        "span": ",".join(map(str, src.get("span", []))),
                        "rejected": (role_decisions.get(f"{i}.{r}") or {}).get("action") == "reject"})
        return out

    people = [{"i": i, "path": f"people[{i}]", "entry": p, "dec": dec("people", i), "matches": matches["people"].get(i, []),
               "roles": roles_of(i, p)} for i, p in enumerate(draft["people"])]
    units = [{"i": i, "path": f"units[{i}]", "entry": u, "dec": dec("units", i), "matches": matches["units"].get(i, [])}
             for i, u in enumerate(draft["units"])]
    confs = [{"i": i, "path": f"conferences[{i}]", "entry": c, "dec": dec("conferences", i),
              "matches": matches["conferences"].get(i, [])} for i, c in enumerate(draft["conferences"])]
    agenda = [{"i": i, "path": f"agenda[{i}]", "entry": a, "dec": dec("agenda", i),
               "label": AGENDA_LABELS.get(a["kind"], a["kind"])} for i, a in enumerate(draft["agenda"])]
    lists = [{"i": i, "path": f"lists[{i}]", "entry": x, "dec": dec("lists", i)} for i, x in enumerate(draft["lists"])]
    figures = [{"i": i, "path": f"figures[{i}]", "entry": f, "dec": dec("figures", i)} for i, f in enumerate(draft["figures"])]
    return {"people": people, "units": units, "conferences": confs, "agenda": agenda, "lists": lists, "figures": figures}


def import_review(request, pk):
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('login')}?next={request.path}")
    imp = get_import_for(request.user, pk)
    if request.method == "POST":
        return _review_post(request, imp)
    return _render_review(request, imp)


def _render_review(request, imp: Import, errors=None, status=200):
    draft = imp.draft
    diff = services.draft_diff(imp.previous.draft, draft) if imp.previous_id else []
    context = {
        "imp": imp, "draft": draft, "meeting": draft["meeting"], "sources": draft["sources"],
        "segments": _segments(imp.repaired_text, draft["sources"], draft["repairs"]),
        "repairs": [r for r in draft["repairs"] if r["kind"] != "punctuation"],
        "punctuation_count": sum(1 for r in draft["repairs"] if r["kind"] == "punctuation"),
        "rows": _rows(draft, imp.decisions or {}, propose(draft)),
        "meeting_dec": (imp.decisions or {}).get("meeting", {}),
        "unit_categories": UNIT_CATEGORIES, "conference_kinds": CONFERENCE_KINDS,
        "diff": diff[:200], "errors": errors or [], "editable": imp.state == Import.State.REVIEW,
    }
    return render(request, "ingest/import_review.html", context, status=status)


def _review_post(request, imp: Import):
    action = request.POST.get("action")
    try:
        if action == "repairs":
            rejected = {int(x) for x in request.POST.getlist("reject_repair") if x.isdigit()}
            services.set_rejected_repairs(request.user, imp, rejected)
            messages.success(request, _("已按所选修复重新提取草稿。"))
        elif action == "discard":
            services.discard_import(request.user, imp)
            messages.success(request, _("已放弃此导入，未写入任何记录。"))
        elif action in ("save", "apply"):
            decisions = decisions_from_post(request.POST, imp.draft)
            if action == "save":
                services.save_decisions(request.user, imp, decisions)
                messages.success(request, _("审核决定已保存。"))
            else:
                services.save_decisions(request.user, imp, decisions)
                meeting = services.apply_import(request.user, imp, decisions)
                messages.success(request, _("已导入：%(title)s") % {"title": meeting.title})
                return HttpResponseRedirect(reverse("meetings:meeting_detail", args=[meeting.pk]))
    except ValidationError as exc:
        errors = []
        for value in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]):
            errors.extend(value)
        imp.refresh_from_db()
        return _render_review(request, imp, errors=errors, status=400)
    return HttpResponseRedirect(reverse("ingest:import_review", args=[imp.pk]))
