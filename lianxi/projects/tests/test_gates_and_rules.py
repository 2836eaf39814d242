"""Project gates and the rules ``projects.services`` adds to the model's own."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lianxi.audit.models import AuditEntry
from lianxi.projects.gates import get_project_for, projects_visible_to
from lianxi.projects.services import create_project, update_project
from lianxi.registry.tests.helpers import agenda, plenary, projects

pytestmark = pytest.mark.django_db


def test_gates_hide_unpublished_and_refuse_writes_to_read_only_users(world):
    published, hidden = projects(world.district, 1)[0], projects(world.district, 1, published=False, prefix="示例未公开")[0]
    assert list(projects_visible_to(world.outsider)) == [published]
    assert set(projects_visible_to(world.liaison)) == {published, hidden}
    with pytest.raises(Http404):
        get_project_for(world.outsider, hidden.pk)
    with pytest.raises(PermissionDenied):
        get_project_for(world.liaison, published.pk, write=True)
    assert get_project_for(world.secretariat, hidden.pk, write=True) == hidden


def test_unknown_or_repeated_links_are_refused(world):
    with pytest.raises(ValidationError) as err:
        create_project(None, conference=world.district, title="示例", kind="key", year=2024, links=["x"])
    assert err.value.message_dict == {"links": ["未知的五联类别：x。"]}
    project = projects(world.district, 1)[0]
    with pytest.raises(ValidationError) as err:
        update_project(None, project, links=["brand", "brand"])
    assert err.value.message_dict == {"links": ["五联类别不能重复。"]}


def test_sub_conference_project_may_be_released_at_the_parent_plenary(world):
    item = agenda(plenary(world.district), "release")
    project = projects(world.sub, 1)[0]
    assert update_project(world.admin, project, released_at=item) == {"released_at": [None, str(item)]}
    entry = AuditEntry.objects.for_object(project).first()
    assert (entry.action, entry.actor) == ("projects.project.update", world.admin)
    district_project = projects(world.district, 1, prefix="示例区项目")[0]
    sub_item = agenda(plenary(world.sub, 1), "release")
    with pytest.raises(ValidationError) as err:
        update_project(None, district_project, released_at=sub_item)
    assert list(err.value.message_dict) == ["released_at"]
