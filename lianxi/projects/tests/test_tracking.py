"""常抓项目: the derived status rule at its edges (Python and SQL agree), progress reports with
attachments, report requests through the burden gate, partner claims, the roll-up."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lianxi.audit.models import AuditEntry
from lianxi.burden.models import BurdenRequest
from lianxi.projects import services
from lianxi.projects.models import (
    CADENCE_DAYS,
    REPORT_GRACE_DAYS,
    Cadence,
    PartnerClaim,
    Project,
    TrackingStatus,
    period_start,
)
from lianxi.projects.tracking import derive_status, rollup, status_of, with_tracking
from lianxi.registry.tests.helpers import agenda, plenary

D = datetime.date
TODAY = D(2025, 6, 15)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def status(milestones=(), last_report=None, cadence=Cadence.QUARTERLY, today=TODAY):
    return derive_status(today=today, cadence=cadence, milestones=list(milestones), last_report=last_report)


@pytest.mark.parametrize(("milestones", "last_report", "expected"), [
    ([], None, TrackingStatus.NOT_STARTED),  # nothing at all
    ([(TODAY, None)], None, TrackingStatus.NOT_STARTED),  # due today is not yet late
    ([(TODAY - datetime.timedelta(days=1), None)], None, TrackingStatus.LAGGING),  # due yesterday, not done
    ([(TODAY, TODAY)], None, TrackingStatus.COMPLETED),  # every milestone done
    ([(TODAY - datetime.timedelta(days=9), TODAY)], None, TrackingStatus.COMPLETED),  # done late is still done
    ([(TODAY, TODAY), (TODAY + datetime.timedelta(days=30), None)], None, TrackingStatus.ACTIVE),
    ([], TODAY, TrackingStatus.ACTIVE),  # reports but no milestones: never completed
])
def test_status_rule_edges(milestones, last_report, expected):
    assert status(milestones, last_report) == expected


@pytest.mark.parametrize("cadence", list(Cadence))
def test_report_staleness_edge_per_cadence(cadence):
    limit = CADENCE_DAYS[cadence] + REPORT_GRACE_DAYS
    future = [(TODAY + datetime.timedelta(days=400), None)]
    on_edge = TODAY - datetime.timedelta(days=limit)
    past_edge = on_edge - datetime.timedelta(days=1)
    assert status(future, on_edge, cadence) == TrackingStatus.ACTIVE
    assert status(future, past_edge, cadence) == TrackingStatus.LAGGING
    # No report yet, but a milestone was done: counted from that day.
    done = [(TODAY - datetime.timedelta(days=500), past_edge), *future]
    assert status(done, None, cadence) == TrackingStatus.LAGGING


def make_project(world, title="示例重点项目", **extra):
    fields = {"conference": world.district, "title": title, "kind": Project.Kind.KEY, "year": 2025,
              "lead_unit": world.unit_a, "report_cadence": Cadence.QUARTERLY}
    fields.update(extra)
    return services.create_project(world.secretariat, **fields)


@pytest.mark.django_db
def test_sql_rule_agrees_with_python_at_the_edges(world):
    limit = CADENCE_DAYS[Cadence.QUARTERLY] + REPORT_GRACE_DAYS
    cases = {
        "空": ([], None),
        "今日到期": ([(TODAY, None)], None),
        "逾期": ([(TODAY - datetime.timedelta(days=1), None)], None),
        "全部完成": ([(TODAY, TODAY), (TODAY - datetime.timedelta(days=3), TODAY)], None),
        "边界内": ([(TODAY + datetime.timedelta(days=90), None)], TODAY - datetime.timedelta(days=limit)),
        "边界外": ([(TODAY + datetime.timedelta(days=90), None)], TODAY - datetime.timedelta(days=limit + 1)),
        "仅节点完成": ([(TODAY - datetime.timedelta(days=400), TODAY - datetime.timedelta(days=limit + 1)),
                    (TODAY + datetime.timedelta(days=90), None)], None),
    }
    expected = {}
    for title, (milestones, last) in cases.items():
        project = make_project(world, title=f"示例{title}")
        for due, done in milestones:
            m = services.add_milestone(None, project, title="节点", due=due)
            if done:
                m.done_on = done
                m.save()
        if last:
            project.reports.create(unit=world.unit_a, reported_on=last, period_start=last, text="进展")
        expected[project.pk] = status(milestones, last)
        assert status_of(project, TODAY) == expected[project.pk]
    got = dict(with_tracking(Project.objects.all(), TODAY).values_list("pk", "tracking"))
    assert got == expected
    rows = rollup(Project.objects.all(), TODAY)
    assert len(rows) == 1 and rows[0]["total"] == len(cases)
    counts = {value: n for value, _label, n in rows[0]["by_status"]}
    assert counts == {s: list(expected.values()).count(s) for s in TrackingStatus.values}


@pytest.mark.django_db
def test_file_report_with_attachments_answers_the_request_and_is_not_asked_again(world):
    project = make_project(world)
    m = services.add_milestone(world.secretariat, project, title="启动", due=D.today() + datetime.timedelta(days=30))
    req = services.request_report(world.secretariat, project)
    assert req.kind == BurdenRequest.Kind.REPORT and req.state == BurdenRequest.State.SENT and req.unit == world.unit_a
    assert services.request_report(world.secretariat, project, kind="reminder").kind == "reminder"
    report = services.file_report(
        world.liaison, project, unit=world.unit_a, text="完成启动", figures={"服务人次": 120},
        attachments=[SimpleUploadedFile("现场.png", PNG), SimpleUploadedFile("方案.pdf", PDF)], milestones_done=[m])
    assert [a.kind for a in report.attachments.order_by("pk")] == ["photo", "document"]
    assert report.period_start == period_start(Cadence.QUARTERLY, D.today())
    m.refresh_from_db()
    assert m.done_on == D.today()
    assert not BurdenRequest.objects.filter(state__in=BurdenRequest.OPEN_STATES).exists()
    # This period's fact is on file: asking again asks nothing.
    assert services.request_report(world.secretariat, project) is None
    assert BurdenRequest.objects.count() == 2
    assert status_of(project, D.today()) == TrackingStatus.COMPLETED


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), [
    ("x.exe", b"MZ", "类型不受支持"),
    ("photo.png", b"GIF89a" + b"0" * 10, "内容与扩展名不符"),
    ("empty.pdf", b"", "空文件"),
])
def test_bad_attachments_are_refused_and_nothing_is_saved(world, name, content, message):
    project = make_project(world)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as err:
        services.file_report(world.liaison, project, unit=world.unit_a, text="进展",
                             attachments=[SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile(name, content)])
    assert message in err.value.message_dict["attachments"][0]
    assert project.reports.count() == 0 and AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_size_limit_and_only_the_lead_unit_reports(world, settings):
    settings.UPLOAD_PHOTO_MAX = 10
    project = make_project(world)
    with pytest.raises(ValidationError) as err:
        services.file_report(world.liaison, project, unit=world.unit_a, text="进展",
                             attachments=[SimpleUploadedFile("big.png", PNG)])
    assert "超过大小上限" in err.value.message_dict["attachments"][0]
    with pytest.raises(ValidationError) as err:
        services.file_report(world.liaison_b, project, unit=world.unit_b, text="进展")
    assert list(err.value.message_dict) == ["unit"]


@pytest.mark.django_db
def test_partner_claim_needs_a_released_key_project_and_the_owners_confirmation(world):
    project = make_project(world)
    with pytest.raises(ValidationError):
        services.claim_partnership(world.liaison_b, project, unit=world.unit_b)
    item = agenda(plenary(world.district), "release")
    services.update_project(world.secretariat, project, released_at=item)
    claim = services.claim_partnership(world.liaison_b, project, unit=world.unit_b, note="愿意参与")
    assert claim.state == PartnerClaim.State.PENDING and not project.partner_units.exists()
    with pytest.raises(ValidationError):
        services.claim_partnership(world.liaison_b, project, unit=world.unit_b)
    services.decide_claim(world.secretariat, claim, accept=True)
    assert list(project.partner_units.all()) == [world.unit_b]
    with pytest.raises(ValidationError):
        services.decide_claim(world.secretariat, claim, accept=False)
