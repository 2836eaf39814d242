"""Import → review → apply through the services, on a synthetic report and on the raw seed."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from lianxi.audit.models import AuditEntry
from lianxi.ingest import services
from lianxi.ingest.models import Import, SourceSpan
from lianxi.ingest.readers import read_path, read_upload
from lianxi.meetings.models import AgendaItem, Meeting
from lianxi.projects.models import Project
from lianxi.registry.models import Appointment, Membership, Person, Unit

DATA = Path(__file__).parent / "data"


def _import(world, name="synthetic_district.txt", conference=None):
    return services.create_import(world.secretariat, conference=conference or world.district,
                                  decoded=read_path(DATA / name), file_name=name)


def _accept_all(imp, **meeting):
    units = {str(i): {"category": "enterprise"} for i in range(len(imp.draft["units"]))}
    confs = {str(i): {"kind": "area"} for i in range(len(imp.draft["conferences"]))}
    return {"meeting": {"is_published": True, **meeting}, "units": units, "conferences": confs}


@pytest.mark.django_db
def test_import_creates_only_the_import_and_an_audit_row(world):
    before = (Meeting.objects.count(), Person.objects.count(), Unit.objects.count())
    imp = _import(world)
    assert imp.state == Import.State.REVIEW and imp.previous is None
    assert (Meeting.objects.count(), Person.objects.count(), Unit.objects.count()) == before
    assert AuditEntry.objects.filter(action="ingest.import.create", target_id=str(imp.pk)).count() == 1


@pytest.mark.django_db
def test_apply_needs_a_date_when_the_report_gives_no_year(world):
    imp = _import(world)
    assert imp.draft["meeting"]["date"] is None  # 3月18日 without a year: nothing is guessed
    with pytest.raises(ValidationError) as exc:
        services.apply_import(world.secretariat, imp, _accept_all(imp))
    assert "会议日期" in str(exc.value)
    assert Meeting.objects.count() == 0 and SourceSpan.objects.count() == 0


@pytest.mark.django_db
def test_apply_makes_records_through_the_services_with_their_sources(world):
    imp = _import(world)
    decisions = _accept_all(imp, date="2023-03-18")
    # the reviewer rejects one person and matches one unit to an existing record
    names = [p["name"] for p in imp.draft["people"]]
    decisions["people"] = {str(names.index("周示例")): {"action": "reject"}}
    meeting = services.apply_import(world.secretariat, imp, decisions)
    imp.refresh_from_db()
    assert imp.state == Import.State.APPLIED and imp.meeting == meeting
    assert (meeting.number, meeting.kind, meeting.venue, str(meeting.date)) == (5, "plenary", "示例区会议中心", "2023-03-18")
    kinds = list(meeting.agenda_items.order_by("order").values_list("kind", flat=True))
    assert kinds == ["chairing", "admission", "release", "speech", "speech", "exchange"]
    assert not Person.objects.filter(name="周示例").exists()
    assert set(Person.objects.filter(name__endswith="示例").values_list("name", flat=True)) == {"张示例", "李示例", "赵示例"}
    admitted = set(Membership.objects.filter(conference=world.district, admitted_at=meeting)
                   .values_list("unit__name", flat=True))
    assert admitted == {"示例科技有限公司", "示例银行示例分行", "示例大学附属医院"}
    assert list(Project.objects.filter(released_at__meeting=meeting).order_by("order").values_list("title", flat=True)) == [
        "示例社区食堂", "示例楼宇党建驿站", "“示例青年”志愿服务", "示例老旧小区加装电梯", "示例滨江步道"]
    assert sorted(meeting.figures.values_list("value", flat=True)) == [3, 5, 48]
    convener = Appointment.objects.get(person__name="李示例")
    assert (convener.role, convener.conference, convener.attested_on) == ("convener", world.district, meeting.date)
    # provenance: the meeting's date is cited from the dateline; the convener from the title chain
    spans = SourceSpan.objects.filter(source_import=imp)
    assert spans.filter(path="meeting.title").get().quote.startswith("示例新闻网3月18日电")
    assert "召集人" in spans.filter(path__startswith="people[1].roles[0]").get().quote
    assert AuditEntry.objects.filter(action="ingest.meeting.from_report", target_id=str(meeting.pk)).count() == 1
    with pytest.raises(ValidationError):
        services.apply_import(world.secretariat, imp, decisions)  # once only


@pytest.mark.django_db
def test_reimport_is_detected_and_differences_listed(world):
    first = _import(world)
    again = _import(world)
    assert again.previous == first and services.draft_diff(first.draft, again.draft) == []
    changed = (DATA / "synthetic_district.txt").read_text(encoding="utf-8").replace("48家", "49家")
    from lianxi.ingest.readers import read_paste

    third = services.create_import(world.secretariat, conference=world.district, decoded=read_paste(changed))
    assert third.previous == again
    diff = services.draft_diff(third.previous.draft, third.draft)
    assert {"path": "figures[1].value", "before": 48, "after": 49} in diff


@pytest.mark.django_db
def test_the_raw_seed_applies_with_every_fact_tied_to_its_sentence(world):
    imp = _import(world, name="huangpu_2024-06-24_raw.txt")
    meeting = services.apply_import(world.secretariat, imp, _accept_all(imp))
    assert meeting.number == 10 and str(meeting.date) == "2024-06-24" and meeting.venue == ""
    assert meeting.agenda_items.count() == 12
    assert meeting.figures.count() == 6
    unveiling = meeting.agenda_items.get(kind=AgendaItem.Kind.UNVEILING)
    assert unveiling.concerns_conference.name == "“中央科創區”區域化黨建聯席會議"
    assert unveiling.concerns_conference.upgraded_from.name == "“濱江黨建·創新里灘”產業集群黨建聯席會議"
    adjustment = meeting.agenda_items.get(kind=AgendaItem.Kind.ADJUSTMENT)
    assert adjustment.applied_on is None  # no successors named: nothing applied
    assert Project.objects.filter(awarded_at__meeting=meeting).count() == 10
    assert Project.objects.filter(released_at__meeting=meeting).count() == 10
    rotating = Appointment.objects.filter(conference=world.district, role="rotating_convener")
    assert sorted(a.person.name for a in rotating) == ["沈軍", "韓志強"]
    inferred = SourceSpan.objects.get(source_import=imp, path="people[3].roles[0].role")
    assert inferred.basis == "inferred" and "先后" in inferred.reason
    assert SourceSpan.objects.filter(source_import=imp).count() > 80


@pytest.mark.django_db
@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"", "文件为空"),
    ("blob.txt", bytes(range(256)) * 40, "不是文本"),
    ("blob.docx", b"not a zip", "不是 Word 文档"),
    ("other.txt", "今天天气晴朗，气温二十五度，适合外出散步和晾晒衣物。明天有小雨，请注意携带雨具。".encode(), "不像一次会议的报道"),
])
def test_bad_input_gets_a_clear_message_and_creates_nothing(world, name, data, message):
    from lianxi.ingest.readers import InputError

    with pytest.raises(InputError) as exc:
        services.create_import(world.secretariat, conference=world.district, decoded=read_upload(name, data))
    assert message in str(exc.value)
    assert Import.objects.count() == 0


def test_gbk_and_big5_files_are_detected():
    text = (DATA / "synthetic_district.txt").read_text(encoding="utf-8")
    assert read_upload("a.txt", text.encode("gb18030")).encoding == "gb18030"
    from lianxi.lib.text import to_traditional

    big5 = read_upload("b.txt", to_traditional(text).encode("big5", errors="replace"))
    assert big5.encoding == "big5" and "聯席會議" in big5.text


def test_docx_and_html_are_read():
    import io

    import docx

    doc = docx.Document()
    doc.add_paragraph("示例区区域化党建联席会议第一次全体会议召开。")
    buf = io.BytesIO()
    doc.save(buf)
    assert read_upload("r.docx", buf.getvalue()).text == "示例区区域化党建联席会议第一次全体会议召开。"
    html = "<html><script>alert(1)</script><p>示例区区域化党建联席会议&nbsp;第一次全体会议召开。</p></html>"
    assert read_upload("r.html", html.encode()).text == "示例区区域化党建联席会议 第一次全体会议召开。"
