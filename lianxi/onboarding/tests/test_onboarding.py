"""Going live: first-run setup, registry sheets (plan, all-or-nothing, update by name, round trip),
accounts in bulk with one-time activation links."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from lianxi.accounts.models import Grant
from lianxi.audit.models import AuditEntry
from lianxi.jobs.models import Job
from lianxi.lib import excel
from lianxi.onboarding import registry_sheets as sheets
from lianxi.onboarding import services
from lianxi.onboarding.models import Invitation
from lianxi.registry.models import Appointment, Conference, Membership, Person, Unit

pytestmark = pytest.mark.django_db
User = get_user_model()


def _sheet(template_wb, rows: list[dict], columns) -> io.BytesIO:
    ws = template_wb[excel.DATA_SHEET]
    ws.delete_rows(2, ws.max_row)
    for values in rows:
        ws.append([values.get(c.key) for c in columns])
    return io.BytesIO(excel.to_bytes(template_wb))


def units_file(conferences, rows):
    return _sheet(sheets.unit_template(conferences), rows, sheets.unit_columns(conferences))


def people_file(conferences, rows):
    return _sheet(sheets.people_template(conferences), rows, sheets.people_columns(conferences))


@pytest.fixture
def confs(world):
    return Conference.objects.filter(pk=world.district.pk)


def _unit_row(name, **extra):
    return {"name": name, "category": "企事业单位", "conference": "示例区区域化党建联席会议", "party_org_level": "党委",
            "party_org_name": f"{name}党委", "area": "示例街道", **extra}


# --- first run -------------------------------------------------------------------------------------

def test_first_run_setup_creates_the_district_and_two_accounts_with_links(client_for, db):
    boss = User.objects.create_superuser("root-admin", password="x" * 12)
    client = client_for(boss)
    assert client.get("/setup/").status_code == 200
    response = client.post("/setup/", {
        "district": "示例区", "conference": "示例区区域化党建联席会议", "short_name": "示例区", "founded_on": "",
        "admin_name": "qzzb-admin", "secretariat_name": "mishuchu",
    })
    assert response.status_code == 200
    html = response.content.decode()
    conf = Conference.objects.get()
    assert conf.kind == Conference.Kind.DISTRICT and conf.area.name == "示例区"
    assert Grant.objects.filter(user__username="qzzb-admin", role=Grant.Role.ADMIN, conference=conf).exists()
    assert Grant.objects.filter(user__username="mishuchu", role=Grant.Role.SECRETARIAT, conference=conf).exists()
    assert html.count("/activate/") == 2
    assert not User.objects.get(username="mishuchu").has_usable_password()
    # Once set up, the setup page is gone; a non-superuser never sees it.
    assert client.get("/setup/").status_code == 404


def test_setup_is_for_superusers_only(world, client_for):
    assert client_for(world.admin).get("/setup/").status_code == 403


# --- registry sheets -------------------------------------------------------------------------------

def test_a_sheet_with_one_bad_row_saves_nothing_and_names_the_row(world, confs):
    before = Unit.objects.count()
    plan = sheets.plan_units(units_file(confs, [
        _unit_row("示例导入单位甲"),
        _unit_row("示例导入单位乙", category="外星组织"),
        _unit_row("示例导入单位丙", conference="不存在的联席会议"),
    ]), conferences=confs)
    assert not plan.ok
    assert [r.row for r in plan.errors] == [3, 4]
    assert "成员类别“外星组织”不是可选项" in plan.errors[0].errors[0]
    assert "不存在的联席会议" in plan.errors[1].errors[0]
    with pytest.raises(ValidationError):
        sheets.apply_plan(world.admin, plan)
    assert Unit.objects.count() == before


def test_import_creates_then_reimport_changes_nothing_and_writes_no_audit(world, confs):
    rows = [_unit_row("示例导入单位甲", start=datetime.date(2024, 6, 24)), _unit_row("示例导入单位乙")]
    plan = sheets.plan_units(units_file(confs, rows), conferences=confs)
    assert plan.ok and (plan.count("create"), plan.count("update")) == (2, 0)
    assert sheets.apply_plan(world.admin, plan) == {"create": 2, "update": 0, "same": 0}
    unit = Unit.objects.get(name="示例导入单位甲")
    assert unit.party_org_level == Unit.PartyOrgLevel.COMMITTEE and unit.area.name == "示例街道"
    assert Membership.objects.current().get(unit=unit, conference=world.district).start == datetime.date(2024, 6, 24)
    audit = AuditEntry.objects.count()
    again = sheets.plan_units(units_file(confs, rows), conferences=confs)
    assert (again.count("create"), again.count("update"), again.count("same")) == (0, 0, 2)
    sheets.apply_plan(world.admin, again)
    assert AuditEntry.objects.count() == audit


def test_an_edited_sheet_updates_exactly_the_changed_fields_matched_by_name(world, confs):
    sheets.apply_plan(world.admin, sheets.plan_units(units_file(confs, [
        _unit_row("示例导入单位（甲）"), _unit_row("示例导入单位乙")]), conferences=confs))
    audit = AuditEntry.objects.count()
    # Traditional characters, a space and other brackets still name the same unit.
    edited = [_unit_row("示例導入單位 (甲)", phone="021-00000000", party_org_name="示例导入单位（甲）党委"),
              _unit_row("示例导入单位乙")]
    plan = sheets.plan_units(units_file(confs, edited), conferences=confs)
    assert (plan.count("create"), plan.count("update"), plan.count("same")) == (0, 1, 1)
    assert plan.rows[0].changes == {"联系电话": ["", "021-00000000"]}
    sheets.apply_plan(world.admin, plan)
    assert Unit.objects.filter(name__startswith="示例导入单位").count() == 2
    assert Unit.objects.get(name="示例导入单位（甲）").phone == "021-00000000"
    new_rows = AuditEntry.objects.filter(pk__gt=0).order_by("-id")[: AuditEntry.objects.count() - audit]
    assert [(e.action, e.changes) for e in new_rows] == [("registry.unit.update", {"phone": ["", "021-00000000"]})]


def test_people_and_posts_import_and_export_round_trip(world, confs):
    sheets.apply_plan(world.admin, sheets.plan_units(units_file(confs, [_unit_row("示例导入单位甲")]), conferences=confs))
    rows = [
        {"name": "张示例", "unit": "示例导入单位甲", "title": "党委书记", "conference": "示例区区域化党建联席会议",
         "role": "联络员", "start": datetime.date(2024, 1, 1)},
        {"name": "张示例", "unit": "示例导入单位甲", "conference": "示例区区域化党建联席会议", "role": "副召集人"},
    ]
    plan = sheets.plan_people(people_file(confs, rows), conferences=confs)
    assert plan.ok, [r.errors for r in plan.errors]
    sheets.apply_plan(world.admin, plan)
    person = Person.objects.get(name="张示例")
    assert set(Appointment.objects.filter(person=person).values_list("role", flat=True)) == {"liaison", "deputy_convener"}
    # Export, then import the export: nothing changes.
    exported = io.BytesIO(excel.to_bytes(sheets.people_export(confs)))
    again = sheets.plan_people(exported, conferences=confs)
    assert again.ok and again.count("create") == 0 and again.count("update") == 0
    units_again = sheets.plan_units(io.BytesIO(excel.to_bytes(sheets.unit_export(confs))), conferences=confs)
    assert units_again.ok and units_again.count("update") == 0 and units_again.count("create") == 0


def test_upload_runs_as_a_job_with_a_preview_then_apply(world, client_for):
    client = client_for(world.secretariat)
    upload = units_file(Conference.objects.filter(pk=world.district.pk), [_unit_row("示例导入单位甲")])
    upload.name = "units.xlsx"
    response = client.post("/setup/registry/units/upload/", {"file": upload})
    plan_job = Job.objects.get(kind="onboarding.registry_plan")
    assert response.url == f"/jobs/{plan_job.pk}/"
    assert plan_job.state == Job.State.SUCCEEDED and plan_job.result["create"] == 1
    assert not Unit.objects.filter(name="示例导入单位甲").exists()  # a preview saves nothing
    preview = client.get(f"/setup/registry/plan/{plan_job.pk}/").content.decode()
    assert "确认导入" in preview and "示例导入单位甲" in preview
    client.post(f"/setup/registry/plan/{plan_job.pk}/apply/")
    assert Unit.objects.filter(name="示例导入单位甲").exists()
    assert client_for(world.liaison).get(f"/setup/registry/plan/{plan_job.pk}/").status_code == 404


def test_a_checked_sheet_is_applied_only_while_its_owner_still_runs_the_conferences(world, client_for):
    """The preview job keeps the conferences its owner ran at upload; applying it later asks again.
    A secretariat whose grant was taken back in between gets 403 on 应用 and nothing is saved; an
    apply job queued before the grant went ends refused, also with nothing saved."""
    from lianxi.accounts.services import revoke_role
    from lianxi.jobs import services as jobs

    client = client_for(world.secretariat)
    upload = units_file(Conference.objects.filter(pk=world.district.pk), [_unit_row("示例导入单位甲")])
    upload.name = "units.xlsx"
    client.post("/setup/registry/units/upload/", {"file": upload})
    plan_job = Job.objects.get(kind="onboarding.registry_plan")
    assert plan_job.state == Job.State.SUCCEEDED
    payload = bytes(Job.objects.filter(pk=plan_job.pk).values_list("payload", flat=True).get())
    revoke_role(world.admin, Grant.objects.get(user=world.secretariat))
    client = client_for(world.secretariat)
    before = AuditEntry.objects.exclude(action="jobs.job.enqueue").count()
    assert client.post(f"/setup/registry/plan/{plan_job.pk}/apply/").status_code == 403
    late = jobs.enqueue(world.secretariat, "onboarding.registry_apply", params=plan_job.params, payload=payload,
                        payload_name="units.xlsx")
    late.refresh_from_db()
    assert (late.state, late.error) == (Job.State.FAILED, "你已无权向这些联席会议导入登记表。")
    assert not Unit.objects.filter(name="示例导入单位甲").exists()
    assert AuditEntry.objects.exclude(action="jobs.job.enqueue").count() == before


# --- accounts ----------------------------------------------------------------------------------------

@pytest.fixture
def liaisons(world, confs):
    sheets.apply_plan(world.admin, sheets.plan_people(people_file(confs, [
        {"name": "李示例", "unit": "示例单位B", "conference": "示例区区域化党建联席会议", "role": "联络员"},
    ]), conferences=confs))
    Grant.objects.filter(role=Grant.Role.STREET).delete()  # the fixture's street account: issue a new one
    return world


def test_accounts_are_issued_in_bulk_and_activated_once(liaisons, client_for):
    world = liaisons
    created = services.issue_unit_accounts(world.admin, world.district)
    assert created == {"liaison": 1, "street": 1, "skipped": 0}
    assert services.issue_unit_accounts(world.admin, world.district) == {"liaison": 0, "street": 0, "skipped": 2}
    invitation = Invitation.objects.get(person__name="李示例")
    user = invitation.user
    assert user.username == "lishili" and not user.has_usable_password()
    assert Grant.objects.filter(user=user, role=Grant.Role.LIAISON, unit=world.unit_b).exists()
    # The person is linked to the account through the registry's service: one audit row, like update_person's.
    assert Person.objects.get(name="李示例").user == user
    assert [(e.action, e.changes) for e in AuditEntry.objects.filter(target_id=str(invitation.person_id),
                                                                     action="registry.person.update")] == [
        ("registry.person.update", {"user": [None, "lishili"]})]
    page = client_for(world.secretariat).get(f"/setup/accounts/?conference={world.district.pk}").content.decode()
    assert "李示例" in page and "/activate/" in page
    token = services.activation_token(invitation)
    client = client_for(None)
    assert client.post(f"/activate/{token}/", {"password": "a-long-pass-1", "password2": "nope"}).status_code == 200
    response = client.post(f"/activate/{token}/", {"password": "a-long-pass-1", "password2": "a-long-pass-1"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long-pass-1")
    assert AuditEntry.objects.filter(action="onboarding.invitation.activate", actor=user).count() == 1
    # A used link cannot be used again.
    assert client_for(None).get(f"/activate/{token}/").status_code == 410


def test_an_unactivated_link_expires_and_a_reissued_one_replaces_it(liaisons, client_for):
    world = liaisons
    services.issue_unit_accounts(world.admin, world.district)
    invitation = Invitation.objects.get(person__name="李示例")
    old = services.activation_token(invitation)
    services.reissue(world.admin, invitation)
    assert client_for(None).get(f"/activate/{old}/").status_code == 410
    fresh = services.activation_token(invitation)
    assert client_for(None).get(f"/activate/{fresh}/").status_code == 200
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client_for(None).get(f"/activate/{fresh}/")
    assert response.status_code == 410 and "已过期" in response.content.decode()
    assert client_for(None).get("/activate/not-a-token/").status_code == 410


def test_checklist_follows_the_records(world, client_for):
    items = {i["key"]: i["done"] for i in services.checklist(world.district)}
    assert items == {"members": True, "posts": False, "accounts": False, "meeting": False}
    assert client_for(world.secretariat).get("/setup/checklist/").status_code == 200
    assert client_for(world.liaison).get("/setup/checklist/").status_code == 403
