"""Pages of the registry: conference home and tree, units, people and posts, the rotation roster."""

from django.shortcuts import redirect

from lianxi.registry.models import Conference


def home(request):
    first = Conference.objects.filter(parent__isnull=True, is_public=True).order_by("id").first()
    if first is None:
        return redirect("registry:conference_list")
    return redirect("registry:conference_detail", pk=first.pk)
