"""``lianxi generate``: deterministic for a seed, visibly synthetic, derived columns filled, safe to
run again, and ``--reset`` touches nothing but its own rows."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lianxi.audit.models import AuditEntry
from lianxi.home.management.commands import generate as command
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting, StatedFigure
from lianxi.projects.models import Project
from lianxi.registry.generate import (
    ANCHOR,
    synthetic_areas,
    synthetic_conferences,
    synthetic_people,
    synthetic_units,
    top_conference,
)
from lianxi.registry.models import Appointment, Area, Conference, Membership, Person, Unit

pytestmark = pytest.mark.django_db


def generate(*args) -> str:
    out = io.StringIO()
    call_command("generate", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every generated row by natural keys (names, titles), so two runs compare regardless of ids."""
    synthetic = synthetic_conferences()
    return {
        "areas": list(synthetic_areas().order_by("name").values_list("name", "kind", "parent__name")),
        "units": list(synthetic_units().order_by("name").values_list(
            "name", "party_org_name", "party_org_level", "category", "area__name", "address", "search_text",
            "initials")),
        "conferences": list(synthetic.order_by("name").values_list(
            "name", "short_name", "kind", "parent__name", "area__name", "founded_on", "founded_at__title",
            "upgraded_from__name", "status", "is_public", "search_text")),
        "memberships": list(Membership.objects.filter(conference__in=synthetic).order_by(
            "conference__name", "unit__name").values_list(
            "conference__name", "unit__name", "start", "end", "admitted_at__title", "plaque_awarded_on", "note")),
        "people": list(synthetic_people().order_by("name").values_list("name", "unit__name", "title", "search_text")),
        "appointments": sorted(Appointment.objects.filter(conference__in=synthetic).values_list(
            "conference__name", "role", "person__name", "unit__name", "start", "end", "appointed_at__title",
            "ended_at__title")),
        "meetings": list(Meeting.objects.filter(conference__in=synthetic).order_by("conference__name", "kind", "number")
                         .values_list("conference__name", "kind", "number", "title", "date", "venue",
                                      "host_unit__name", "is_published")),
        "items": sorted(AgendaItem.objects.filter(meeting__conference__in=synthetic).values_list(
            "meeting__title", "order", "kind", "title", "concerns_conference__name")),
        "participants": sorted(AgendaParticipant.objects.filter(item__meeting__conference__in=synthetic).values_list(
            "item__meeting__title", "item__order", "person__name", "role", "title", "unit__name", "order")),
        "agenda_units": sorted(AgendaUnit.objects.filter(item__meeting__conference__in=synthetic).values_list(
            "item__meeting__title", "item__order", "unit__name", "role", "order")),
        "exchanges": sorted(Exchange.objects.filter(item__meeting__conference__in=synthetic).values_list(
            "item__meeting__title", "item__order", "unit__name", "mode", "topic", "order")),
        "figures": sorted(StatedFigure.objects.filter(meeting__conference__in=synthetic).values_list(
            "meeting__title", "key", "value", "quote")),
        "projects": sorted(
            (p.conference.name, p.title, p.kind, p.year, p.lead_unit.name, tuple(p.links), p.status, p.order,
             p.is_published, p.search_text, p.released_at.meeting.title if p.released_at else None,
             p.awarded_at.meeting.title if p.awarded_at else None,
             tuple(sorted(u.name for u in p.partner_units.all())))
            for p in Project.objects.filter(conference__in=synthetic).select_related(
                "conference", "lead_unit", "released_at__meeting", "awarded_at__meeting").prefetch_related(
                "partner_units")),
    }


def test_same_seed_gives_the_same_rows_and_reset_regenerates_them():
    generate("--scale", "tiny", "--seed", "7")
    first = snapshot()
    assert all(first.values()), {k: len(v) for k, v in first.items()}
    generate("--scale", "tiny", "--seed", "7", "--reset")
    assert snapshot() == first


def test_another_seed_gives_other_rows():
    generate("--scale", "tiny", "--seed", "1")
    first = snapshot()
    generate("--scale", "tiny", "--seed", "2", "--reset")
    second = snapshot()
    assert first["units"] != second["units"]
    assert first["areas"] == second["areas"]  # the map has no randomness


def test_names_are_visibly_synthetic():
    generate("--scale", "tiny")
    assert all(name.startswith("示例") for name in Area.objects.values_list("name", flat=True))
    assert all(name.startswith(("示例单位", "示例街道", "示例居民区")) for name in Unit.objects.values_list("name", flat=True))
    assert all(name.startswith("示例") for name in Conference.objects.values_list("name", flat=True))
    assert all(name.startswith("示例人员") for name in Person.objects.values_list("name", flat=True))
    assert all(title.startswith("示例") for title in Meeting.objects.values_list("title", flat=True))
    assert all(title.startswith("示例项目") for title in Project.objects.values_list("title", flat=True))
    assert set(Unit.objects.values_list("description", flat=True)) == {"合成数据（lianxi generate 生成，非真实单位或人员）"}
    assert Unit.objects.count() == 40


def test_derived_search_columns_equal_what_save_computes():
    generate("--scale", "tiny")
    for model, columns in [(Unit, ["search_text", "initials"]), (Conference, ["search_text"]),
                           (Person, ["search_text"]), (Project, ["search_text"])]:
        objs = list(model.objects.all())
        assert objs
        for obj in objs:
            stored = [getattr(obj, c) for c in columns]
            assert all(stored), (model, obj)
            obj.save()  # recomputes the derived columns the model's own way
            assert [getattr(obj, c) for c in columns] == stored, (model, obj)


def test_search_finds_synthetic_units_by_chinese_and_initials():
    generate("--scale", "tiny")
    unit = synthetic_units().filter(name__startswith="示例单位").order_by("name").first()
    assert list(Unit.objects.search(unit.name).values_list("name", flat=True)) == [unit.name]
    assert unit in Unit.objects.search("sldw")


def test_rotation_has_past_current_and_next_terms_and_meetings_point_back():
    generate("--scale", "tiny")
    district = top_conference()
    rotating = Appointment.objects.filter(conference=district, role=Appointment.Role.ROTATING_CONVENER)
    assert rotating.past(ANCHOR).exists()
    assert rotating.current(ANCHOR).exists()
    assert rotating.future(ANCHOR).exists()
    # Handovers happen at plenaries, and the plenary is recorded on both the ending and the starting term.
    handed_over = rotating.past(ANCHOR).exclude(start=district.founded_on).first()
    assert handed_over.appointed_at.kind == Meeting.Kind.PLENARY
    assert handed_over.appointed_at.date == handed_over.start
    assert handed_over.ended_at.date == handed_over.end
    # Sub-conferences were unveiled at the district plenary of their founding day.
    for sub in synthetic_conferences().filter(parent=district):
        assert (sub.founded_at.conference, sub.founded_at.date) == (district, sub.founded_on)
        assert sub.founded_at.agenda_items.filter(kind=AgendaItem.Kind.UNVEILING, concerns_conference=sub).exists()
    # Units admitted later carry the plenary that admitted them, which lists them.
    admitted = Membership.objects.filter(admitted_at__isnull=False).select_related("admitted_at").first()
    assert admitted.admitted_at.date == admitted.start
    assert AgendaUnit.objects.filter(item__meeting=admitted.admitted_at, unit=admitted.unit,
                                     role=AgendaUnit.Role.ADMITTED).exists()


def test_key_and_brand_projects_hang_on_the_plenary_that_released_or_awarded_them():
    generate("--scale", "tiny")
    key = Project.objects.filter(kind=Project.Kind.KEY, conference=top_conference()).select_related(
        "released_at__meeting").first()
    assert (key.released_at.kind, key.released_at.meeting.date.year) == (AgendaItem.Kind.RELEASE, key.year)
    brand = Project.objects.filter(kind=Project.Kind.BRAND).select_related("awarded_at__meeting").first()
    assert (brand.awarded_at.kind, brand.awarded_at.meeting.date.year) == (AgendaItem.Kind.AWARD, brand.year)
    assert "brand" in brand.links


def test_one_audit_row_per_run_and_running_again_does_nothing():
    generate("--scale", "tiny", "--seed", "3")
    entry = AuditEntry.objects.get(action="registry.generate")
    assert entry.target_repr == "示例区01区域化党建联席会议"
    assert (entry.changes["scale"], entry.changes["seed"]) == ([None, "tiny"], [None, 3])
    assert entry.changes["steps"] == [None, command.GENERATORS]
    assert entry.changes["counts"][1]["units"] == 40
    units = Unit.objects.count()
    out = generate("--scale", "tiny", "--seed", "3")
    assert "无需再生成" in out
    assert Unit.objects.count() == units
    assert AuditEntry.objects.filter(action="registry.generate").count() == 1


def test_other_scale_or_seed_is_refused_without_reset():
    generate("--scale", "tiny", "--seed", "3")
    with pytest.raises(CommandError, match="已有 tiny 规模（种子 3）"):
        generate("--scale", "district", "--seed", "3")
    with pytest.raises(CommandError, match="--reset"):
        generate("--scale", "tiny", "--seed", "4")


calls = []


def extra_step(scale, seed, stdout):
    calls.append((scale, seed))
    return {"extra": 1}


def test_a_step_added_later_runs_alone_on_existing_data(monkeypatch):
    generate("--scale", "tiny", "--seed", "5")
    units = Unit.objects.count()
    calls.clear()
    monkeypatch.setattr(command, "GENERATORS", [*command.GENERATORS, f"{__name__}.extra_step"])
    out = generate("--scale", "tiny", "--seed", "5")
    assert calls == [("tiny", 5)]
    assert "extra_step" in out and "generate_registry" not in out
    assert Unit.objects.count() == units
    last = AuditEntry.objects.filter(action="registry.generate").order_by("id").last()
    assert last.changes["steps"] == [None, [f"{__name__}.extra_step"]]


def test_reset_leaves_other_data_alone(world):
    generate("--scale", "tiny")
    generate("--scale", "tiny", "--reset")
    generate("--scale", "tiny", "--seed", "9", "--reset")
    assert Unit.objects.filter(pk__in=[world.unit_a.pk, world.unit_b.pk, world.outside_unit.pk]).count() == 3
    assert Conference.objects.filter(pk__in=[world.district.pk, world.sub.pk]).count() == 2
    assert Membership.objects.filter(conference=world.district).count() == 3
    assert synthetic_units().count() == 40


def test_cli_passes_generate_options_through_in_any_order(monkeypatch, tmp_path):
    from lianxi import cli

    passed = []
    monkeypatch.setattr(cli, "_django", passed.append)
    monkeypatch.setenv("LIANXI_SECRET_KEY", "test-only-key")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LIANXI_DB_PATH", "unchanged")  # restored after the test
    cli.main(["generate", "--scale", "city", "--db", str(tmp_path / "x.sqlite3"), "--seed", "2"])
    assert passed == [["generate", "--scale", "city", "--seed", "2"]]
    assert cli.os.environ["LIANXI_DB_PATH"] == str(tmp_path / "x.sqlite3")
    cli.main(["generate", "--help"])
    assert passed[-1] == ["generate", "--help"]
    with pytest.raises(SystemExit):
        cli.main(["serve", "--scale", "city"])


def lists_checksum() -> str:
    """A checksum of the generated lists by natural keys (titles, unit names), independent of ids."""
    import hashlib

    from lianxi.lists.models import Claim, Delivery, Need, Resource

    synthetic = synthetic_conferences()
    parts = [
        sorted(Need.objects.filter(conference__in=synthetic).values_list(
            "title", "owner__name", "area__name", "category__code", "quantity", "claimed_quantity", "state",
            "deadline", "urgency", "created_at", "is_open", "search_text")),
        sorted(Claim.objects.filter(conference__in=synthetic).values_list(
            "need__title", "unit__name", "quantity", "cadence", "start_on", "end_on", "state")),
        sorted(Delivery.objects.filter(conference__in=synthetic).values_list(
            "claim__need__title", "claim__unit__name", "sequence", "due_on", "state", "delivered_on", "rating")),
        sorted(Resource.objects.filter(conference__in=synthetic).values_list(
            "title", "unit__name", "capacity", "state", "available_from", "available_until")),
    ]
    assert all(parts), [len(p) for p in parts]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def test_same_seed_gives_the_same_lists_checksum():
    generate("--scale", "tiny", "--seed", "7")
    first = lists_checksum()
    generate("--scale", "tiny", "--seed", "7", "--reset")
    assert lists_checksum() == first
    generate("--scale", "tiny", "--seed", "8", "--reset")
    assert lists_checksum() != first


def failing_step(scale, seed, stdout):
    raise KeyboardInterrupt  # as if the run were stopped half-way (Ctrl+C)


def test_an_interrupted_run_leaves_a_database_that_says_so(monkeypatch):
    monkeypatch.setattr(command, "GENERATORS", [*command.GENERATORS, f"{__name__}.failing_step"])
    with pytest.raises(KeyboardInterrupt):
        generate("--scale", "tiny", "--seed", "5")
    # The run's rows rolled back with its transaction; the start row stays and says what happened.
    assert top_conference() is None
    entry = command.unfinished_run()
    assert entry is not None and entry.changes["scale"] == [None, "tiny"]
    monkeypatch.setattr(command, "GENERATORS", [p for p in command.GENERATORS if not p.endswith("failing_step")])
    out = generate("--scale", "tiny", "--seed", "5")
    assert "合成数据生成未完成" in out and "tiny 规模（种子 5）" in out
    assert command.unfinished_run() is None
    assert top_conference() is not None
