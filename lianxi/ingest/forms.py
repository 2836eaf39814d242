"""Shape checks for the import form and for the review form's posted decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxi.ingest.readers import MAX_BYTES
from lianxi.registry.models import Conference, Unit


class ImportForm(forms.Form):
    conference = forms.ModelChoiceField(label=_("导入到联席会议"), queryset=Conference.objects.none())
    text = forms.CharField(label=_("粘贴报道全文"), widget=forms.Textarea(attrs={"rows": 10}), required=False)
    file = forms.FileField(label=_("或上传文件（.txt、.docx、.html）"), required=False, error_messages={
        "empty": _("文件为空：请上传一篇会议报道（.txt、.docx 或 .html）。")})

    def __init__(self, *args, conferences=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = conferences

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # refuse by size before anything is read
        if upload is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("文件过大（%(mb).1f MB）：会议报道不应超过 %(cap)d MB，未读取。")
                % {"mb": upload.size / 1024 / 1024, "cap": MAX_BYTES // 1024 // 1024})
        if upload is not None and upload.size == 0:
            raise forms.ValidationError(_("文件为空：请上传一篇会议报道（.txt、.docx 或 .html）。"))
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请粘贴报道全文或上传文件。"))
        return data


def decisions_from_post(post, draft: dict) -> dict:
    """``people-3-action=reject``, ``units-0-match=12``, ``units-0-category=enterprise``, ``meeting-date`` …
    → the decisions dict the service takes. Unknown keys are ignored; values are checked by the service."""
    decisions: dict = {"meeting": {}}
    for key in ("title", "date", "number", "kind", "venue"):
        value = post.get(f"meeting-{key}")
        if value is not None and value.strip() != "":
            decisions["meeting"][key] = int(value) if key == "number" and value.strip().isdigit() else value.strip()
    decisions["meeting"]["is_published"] = post.get("meeting-is_published") == "on"
    for kind in ("people", "units", "conferences", "agenda", "lists", "figures"):
        section = {}
        for i in range(len(draft.get(kind, []))):
            entry = {}
            for field in ("action", "match", "category", "kind", "title", "name", "conference_kind"):
                value = post.get(f"{kind}-{i}-{field}")
                if value not in (None, ""):
                    entry[field] = value
            if entry.get("match") == "new":
                entry.pop("match")
            if entry:
                section[str(i)] = entry
        decisions[kind] = section
    decisions["roles"] = {}
    for i, person in enumerate(draft.get("people", [])):
        for r in range(len(person.get("roles", []))):
            if post.get(f"roles-{i}-{r}-reject") == "on":
                decisions["roles"][f"{i}.{r}"] = {"action": "reject"}
    return decisions


UNIT_CATEGORIES = Unit.Category.choices
CONFERENCE_KINDS = Conference.Kind.choices
