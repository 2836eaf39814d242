"""Access to imports: only the secretariat of the conference imported into (or a district admin)
sees or acts on an import — a report in review is not yet a record."""

from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.ingest.models import Import, SourceSpan
from lianxi.registry.models import Conference


def conferences_importable_by(user):
    access = access_for(user)
    managed = access.managed_conferences if access.is_authenticated else set()
    if managed is None:
        return Conference.objects.all()
    return Conference.objects.filter(pk__in=managed or [])


def can_import(user) -> bool:
    access = access_for(user)
    return access.is_authenticated and access.can_manage_any_conference()


def imports_visible_to(user):
    access = access_for(user)
    if not access.is_authenticated:
        return Import.objects.none()
    managed = access.managed_conferences
    if managed is None:
        return Import.objects.all()
    return Import.objects.filter(conference_id__in=managed or [])


def get_import_for(user, pk) -> Import:
    return get_object_or_404(imports_visible_to(user).select_related("conference", "meeting"), pk=pk)


def sources_visible_to(user, target):
    """Provenance of a record is shown to whoever may see the record (the caller has checked that);
    the spans quote only the published report."""
    from django.contrib.contenttypes.models import ContentType

    return SourceSpan.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("source_import")
