"""Attachments saved in a transaction that rolls back leave no file behind; committed ones stay. On
a real transaction (``transaction=True``), as a view or the API would run it."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from lianxi.campaigns.models import NominationAttachment
from lianxi.projects import services
from lianxi.projects.models import Attachment, Project

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file())


@pytest.fixture
def project(world):
    return services.create_project(world.secretariat, conference=world.district, title="示例重点项目", kind="key",
                                   year=2025, lead_unit=world.unit_a)


def report(world, project, name="现场.png"):
    return services.file_report(world.liaison, project, unit=world.unit_a, text="进展",
                                attachments=[SimpleUploadedFile(name, PNG)])


def test_committed_report_keeps_its_file(world, media, project):
    report(world, project)
    att = Attachment.objects.get()
    assert (media / att.file.name).read_bytes() == PNG


def test_caller_transaction_rolled_back_removes_the_file(world, media, project):
    with pytest.raises(Boom), transaction.atomic():
        report(world, project)
        assert len(files(media)) == 1  # written at once…
        raise Boom
    assert files(media) == [] and not Attachment.objects.exists()  # …and gone with the rollback


def test_failure_inside_the_service_after_the_file_was_written(world, media, project, monkeypatch):
    def fail(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(services.burden, "answer_for", fail)
    with pytest.raises(Boom):
        report(world, project)
    assert files(media) == [] and not Attachment.objects.exists()


def test_savepoint_rolled_back_inside_a_committed_transaction(world, media, project):
    with transaction.atomic():
        report(world, project, "留存.png")
        try:
            with transaction.atomic():
                report(world, project, "撤回.png")
                raise Boom
        except Boom:
            pass
    kept = Attachment.objects.get()
    assert kept.name == "留存.png" and files(media) == [Path(kept.file.name).name]
    assert Project.objects.get(pk=project.pk).reports.count() == 1


def test_nomination_attachment_rolled_back(world, media):
    from lianxi.campaigns import services as campaigns
    from lianxi.campaigns.tests.helpers import body, campaign

    today = datetime.date.today()
    c = campaign(world, call_start=today, call_end=today)
    b = body(world, c)
    campaigns.advance(world.secretariat, c)
    nom = campaigns.create_nomination(world.liaison, c, unit=world.unit_a, body=b, title="示例申报",
                                      values={"team": "t"})
    with pytest.raises(Boom), transaction.atomic():
        campaigns.add_nomination_attachment(world.liaison, nom, SimpleUploadedFile("材料.png", PNG))
        raise Boom
    assert files(media) == [] and not NominationAttachment.objects.exists()
    campaigns.add_nomination_attachment(world.liaison, nom, SimpleUploadedFile("材料.png", PNG))
    assert len(files(media)) == 1
