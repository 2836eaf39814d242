"""Forms that parse a request and hand the values to a service.

The model (``full_clean`` and its named constraints) and the service check the rules once; a
service's ``ValidationError`` is attached to the form field it names, so a bad post re-renders
with that field marked and nothing saved (the service ran in one transaction)."""

import html
import re
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import ModelChoiceIterator, fields_for_model, model_to_dict
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _

from lianxi.lib.constraints import unique_errors_by_field
from lianxi.lib.htmx import hx_location

_TRAILING_ID = re.compile(r"#(\d+)\s*$")
_SEPARATORS = re.compile(r"[\n\r;；、,，]+")


class ServiceForm(forms.Form):
    """Fields generated from ``model`` like a ModelForm, but no instance is bound or mutated:
    saving is the service's job, and an invalid post leaves the object the view holds untouched.
    Fields declared on the class replace the generated ones of the same name."""

    model = None
    model_fields: tuple[str, ...] = ()
    # As a ModelForm's Meta: widgets and error messages of the generated fields, by field name.
    widgets: dict = {}
    error_messages: dict = {}

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and self.model_fields:
            own = [n for n in self.model_fields if n in {f.name for f in instance._meta.get_fields()}]
            initial = model_to_dict(instance, fields=own)
            initial.update(kwargs.get("initial") or {})
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        if self.model is not None and self.model_fields:
            declared = self.fields
            generated = fields_for_model(self.model, fields=[n for n in self.model_fields if n not in declared],
                                         widgets=self.widgets, error_messages=self.error_messages)
            ordered = {}
            for name in self.model_fields:
                field = declared.get(name) or generated.get(name)
                if field is not None:
                    ordered[name] = field
            ordered.update({n: f for n, f in declared.items() if n not in ordered})
            self.fields = ordered
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and type(field.widget) is forms.DateInput:
                field.widget = DateInput()

    def values(self, *names) -> dict:
        """The cleaned values of ``names`` (default: the model fields), ready for a service."""
        return {n: self.cleaned_data[n] for n in (names or self.model_fields) if n in self.cleaned_data}


class DateInput(forms.DateInput):
    """The browser's date picker; ISO dates in and out."""

    input_type = "date"

    def __init__(self, attrs=None, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(attrs, **kwargs)


def add_service_errors(form, error: ValidationError, field_map: dict | None = None):
    """Attach a service's ``ValidationError`` to the fields it names; unknown names (and
    ``__all__``) become form-wide errors prefixed by the model field's label when there is one."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in unique_errors_by_field(getattr(form, "model", None), error.error_dict).items():
        target = field_map.get(name, name)
        if target in form.fields:
            form.add_error(target, errors)
        elif target == NON_FIELD_ERRORS:
            form.add_error(None, errors)
        else:
            label = _model_label(form, name)
            form.add_error(None, [f"{label}：{m}" if label else m for e in errors for m in e.messages])


def _model_label(form, name) -> str:
    model = getattr(form, "model", None)
    if model is None:
        return ""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - any unknown name simply gets no label
        return ""


def run_service(form, fn, *args, field_map: dict | None = None, **kwargs):
    """Call ``fn``; on ``ValidationError`` attach it to ``form`` and return ``(False, None)``."""
    try:
        return True, fn(*args, **kwargs)
    except ValidationError as error:
        add_service_errors(form, error, field_map)
        return False, None


@contextmanager
def refusal_as_message(request):
    """Around a service a button calls: its ``ValidationError`` becomes an error message on the next
    page (the messages joined with "；") instead of a failure; the view then redirects as usual."""
    try:
        yield
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))


def save_or_show(request, form, call, *, done, show, field_map: dict | None = None):
    """A form page that writes through a service. When the form was posted and is valid, ``call()``
    runs the service (its ``ValidationError`` lands on the form, as with ``run_service``) and the
    browser goes to ``done``: a URL, or a function of what the service returned. Otherwise
    ``show(status)`` draws the page again, with 400 when the form has errors."""
    if request.method == "POST" and form.is_valid():
        ok, result = run_service(form, call, field_map=field_map)
        if ok:
            return hx_location(request, done(result) if callable(done) else done)
    return show(400 if form.errors else 200)


class LookupInput(forms.TextInput):
    """A text box with a suggestion list (``<datalist>``) that htmx refills as the user types."""

    def __init__(self, suggest_url_name: str, attrs=None):
        super().__init__(attrs)
        self.suggest_url_name = suggest_url_name

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        list_id = f"{widget_attrs.get('id') or name}-options"
        widget_attrs.update({
            "list": list_id,
            "autocomplete": "off",
            "hx-get": f"{reverse(self.suggest_url_name)}?field={name}",
            "hx-trigger": "input changed delay:250ms",
            "hx-target": f"#{list_id}",
            "hx-swap": "innerHTML",
        })
        context["list_id"] = list_id
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        html = self._render(self.template_name, context, renderer)
        return html + format_html('<datalist id="{}"></datalist>', context["list_id"])


class LookupField(forms.Field):
    """A foreign key typed as text: an exact name, or ``名称 #id`` as the suggestion list offers.
    Scales to any number of rows, where a ``<select>`` would list them all."""

    default_error_messages = {
        "not_found": _("未找到“%(value)s”，请从提示中选择。"),
        "ambiguous": _("有多个“%(value)s”，请从提示中选择带编号的一项。"),
    }

    def __init__(self, queryset, *, suggest_url_name: str | None = None, name_field: str = "name", label_fn=None,
                 **kwargs):
        kwargs.setdefault("widget", LookupInput(suggest_url_name) if suggest_url_name else forms.TextInput())
        super().__init__(**kwargs)
        self.queryset = queryset
        self.name_field = name_field
        self.label_fn = label_fn or (lambda obj: f"{getattr(obj, name_field)} #{obj.pk}")

    def prepare_value(self, value):
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            obj = self.queryset.filter(pk=int(value)).first()
            return self.label_fn(obj) if obj else ""
        if hasattr(value, "pk"):
            return self.label_fn(value)
        return value

    def resolve(self, text: str):
        match = _TRAILING_ID.search(text)
        if match:
            obj = self.queryset.filter(pk=int(match.group(1))).first()
            if obj is None:
                raise ValidationError(self.error_messages["not_found"], code="not_found", params={"value": text})
            return obj
        found = list(self.queryset.filter(**{self.name_field: text})[:2])
        if not found:
            raise ValidationError(self.error_messages["not_found"], code="not_found", params={"value": text})
        if len(found) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params={"value": text})
        return found[0]

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if text in (None, ""):
            return None
        if hasattr(text, "pk"):
            return text
        return self.resolve(str(text))


class MultiLookupField(LookupField):
    """Several rows typed as names, one a line (or separated by 、，;)."""

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value):
        if value in (None, ""):
            return ""
        if isinstance(value, str):
            return value
        values = list(value)
        ids = [v for v in values if isinstance(v, int)]
        objs = {o.pk: o for o in self.queryset.filter(pk__in=ids)} if ids else {}
        labels = [self.label_fn(objs[v]) if isinstance(v, int) and v in objs else (self.label_fn(v) if hasattr(v, "pk") else "")
                  for v in values]
        return "\n".join(label for label in labels if label)

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, str):
            return list(value)
        out, errors = [], []
        for part in _SEPARATORS.split(value):
            part = part.strip()
            if not part:
                continue
            try:
                obj = self.resolve(part)
            except ValidationError as error:
                errors.extend(error.error_list)
                continue
            if obj not in out:
                out.append(obj)
        if errors:
            raise ValidationError(errors)
        return out

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class QuickSelect(forms.Select):
    """A ``<select>`` rendered in one pass instead of one template per ``<option>``: for filter
    forms listing hundreds of conferences or streets, where Django's per-option templates cost
    ~10 ms a page (benchmarks item 14). Same options, same attributes; flat choices only (no
    ``<optgroup>``), one value."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        options = "".join(
            f'<option value="{_escape(key)}"{" selected" if key in selected else ""}>{_escape(label)}</option>'
            for key, label in ((str(v), label) for v, label in self.choices)
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), mark_safe(options))


def _escape(text) -> str:
    """``conditional_escape`` without its lazy-string wrapper (thousands of calls per page)."""
    return text if isinstance(text, SafeData) else html.escape(str(text))


class _NameChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


class NameChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` for long filter lists: the options are read as ``(pk, label_field)``
    rows, not model instances, and rendered by :class:`QuickSelect`. The submitted value is still
    checked against the queryset and cleans to the model instance."""

    iterator = _NameChoiceIterator
    widget = QuickSelect

    def __init__(self, queryset, *, label_field: str = "name", **kwargs):
        self.label_field = label_field
        super().__init__(queryset, **kwargs)


EMPTY_CHOICE_LABEL = "请选择"


def use_chinese_empty_choice():
    """Every select's empty choice reads 请选择, not Django's "---------" (model fields with
    choices and ModelChoiceField alike). Called once at start-up (accounts' AppConfig.ready)."""
    from django.db.models import fields

    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE_LABEL)]
    forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE_LABEL
