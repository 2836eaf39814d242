"""API tokens: made and revoked through the service (with audit rows), hashed at rest, scoped to
the holder's grants, read-only or read-write, expiring, use recorded without a write per request."""

import datetime
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from lianxi.accounts import services
from lianxi.accounts.models import ApiToken
from lianxi.audit.models import AuditEntry
from lianxi.lists.tests.helpers import category

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(secret):
    # enforce_csrf_checks: a token request must get through without a CSRF token.
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")


def need_payload(world):
    return {"conference": world.district.pk, "owner": world.street_unit.pk, "title": "示例需求：令牌",
            "category": category().pk, "area": world.street_area.pk, "quantity": 1, "quantity_unit": "人"}


def test_token_is_stored_hashed_and_audited(world):
    token, secret = services.create_token(world.street, holder=world.street, name="示例统计脚本", read_only=True, days=30)
    assert secret.startswith("lx_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.digest, stored.prefix, stored.name}
    entry = AuditEntry.objects.for_object(token).get()
    assert (entry.action, entry.actor, entry.changes["read_only"]) == ("accounts.token.create", world.street, [None, True])
    assert "digest" not in entry.changes
    services.revoke_token(world.street, token)
    assert AuditEntry.objects.for_object(token).filter(action="accounts.token.revoke").count() == 1


def test_read_write_token_writes_without_csrf_and_read_only_token_gets_403(world):
    _, rw = services.create_token(world.street, holder=world.street, name="示例OA", read_only=False, days=30)
    _, ro = services.create_token(world.street, holder=world.street, name="示例报表", read_only=True, days=30)
    response = bearer(rw).post(f"{API}/needs", need_payload(world), content_type="application/json")
    assert response.status_code == 201, response.content
    assert AuditEntry.objects.filter(action="lists.need.create", actor=world.street).count() == 1
    response = bearer(ro).post(f"{API}/needs", need_payload(world), content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "只读令牌不能执行写入操作。"}
    assert bearer(ro).get(f"{API}/needs").status_code == 200


def test_expired_revoked_and_unknown_tokens_get_401(world):
    expired, expired_secret = services.create_token(world.liaison, holder=world.liaison, name="过期", read_only=True, days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires=timezone.now() - datetime.timedelta(seconds=1))
    revoked, revoked_secret = services.create_token(world.liaison, holder=world.liaison, name="撤销", read_only=True, days=5)
    services.revoke_token(world.admin, revoked)
    for secret in (expired_secret, revoked_secret, "lx_not-a-token", "garbage"):
        response = bearer(secret).get(f"{API}/people")
        assert response.status_code == 401, secret
        assert response["WWW-Authenticate"].startswith("Bearer")
    # A deactivated holder's token stops working too.
    _, secret = services.create_token(world.liaison, holder=world.liaison, name="停用", read_only=True, days=5)
    assert bearer(secret).get(f"{API}/people").status_code == 200
    world.liaison.is_active = False
    world.liaison.save(update_fields=["is_active"])
    assert bearer(secret).get(f"{API}/people").status_code == 401


def test_a_liaison_token_sees_what_the_liaison_sees(world, client_for):
    from lianxi.lists.tests.helpers import make_need

    draft_b = make_need(world, title="示例单位B草稿", publish=False)  # the street's draft: not the liaison's
    _, secret = services.create_token(world.liaison, holder=world.liaison, name="示例", read_only=True, days=5)
    for path in ("/needs", "/people", "/conferences", f"/needs/{draft_b.pk}"):
        by_session = client_for(world.liaison).get(f"{API}{path}")
        by_token = bearer(secret).get(f"{API}{path}")
        assert (by_token.status_code, by_token.json()) == (by_session.status_code, by_session.json()), path
    assert bearer(secret).get(f"{API}/needs/{draft_b.pk}").status_code == 404
    # and the street, whose draft it is, sees it through its own token
    _, street_secret = services.create_token(world.street, holder=world.street, name="示例", read_only=True, days=5)
    assert bearer(street_secret).get(f"{API}/needs/{draft_b.pk}").status_code == 200


def test_use_is_recorded_at_most_once_a_minute(world, count_queries):
    token, secret = services.create_token(world.liaison, holder=world.liaison, name="示例", read_only=True, days=5)
    client = bearer(secret)
    client.get(f"{API}/conferences", REMOTE_ADDR="10.0.0.7")
    token.refresh_from_db()
    first = token.last_used
    assert first is not None and token.last_used_ip == "10.0.0.7"
    with count_queries() as ctx:
        client.get(f"{API}/conferences", REMOTE_ADDR="10.0.0.7")
    assert not [q for q in ctx.captured_queries if "UPDATE" in q["sql"] and "apitoken" in q["sql"]]
    token.refresh_from_db()
    assert token.last_used == first


def test_token_page_makes_shows_once_and_revokes(world, client_for):
    client = client_for(world.liaison)
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200 and "接口令牌" in page.content.decode()
    response = client.post("/accounts/tokens/", {"name": "示例对接", "access": "write", "days": 30})
    token = ApiToken.objects.get(user=world.liaison)
    html = response.content.decode()
    secrets_shown = [w for w in html.split('"') if w.startswith("lx_")]
    assert len(secrets_shown) == 1 and hashlib.sha256(secrets_shown[0].encode()).hexdigest() == token.digest
    assert not token.read_only
    assert secrets_shown[0] not in client.get("/accounts/tokens/").content.decode()  # shown once
    # Another liaison can neither see nor revoke it; the district administrator can.
    assert client_for(world.liaison_b).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert client_for(world.admin).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None


def test_only_the_district_administrator_makes_tokens_for_other_accounts(world, client_for):
    client_for(world.liaison).post("/accounts/tokens/", {"name": "越权", "access": "read", "days": 5,
                                                         "holder": "admin", "kind": "system"})
    assert ApiToken.objects.get().user == world.liaison  # the holder field is not even offered
    client_for(world.admin).post("/accounts/tokens/", {"name": "区OA", "access": "read", "days": 5,
                                                       "holder": "street", "kind": "system"})
    made = ApiToken.objects.get(name="区OA")
    assert (made.user, made.kind, made.created_by) == (world.street, "system", world.admin)


def test_bad_token_form_says_which_field(world, client_for):
    response = client_for(world.liaison).post("/accounts/tokens/", {"name": "", "access": "read", "days": 9999})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"name", "days"}


def test_openapi_documents_the_bearer_scheme(client):
    spec = client.get(f"{API}/openapi.json").json()
    assert spec["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    assert {"BearerToken": []} in spec["paths"]["/api/v1/needs"]["post"]["security"]


def test_the_district_administrator_lists_and_revokes_every_accounts_tokens(world, client_for):
    """The administrator's token page lists every account's tokens with their holder and revokes
    any of them, with an audit row naming the administrator; a secretariat sees only its own."""
    mine, _ = services.create_token(world.secretariat, holder=world.secretariat, name="示例秘书处令牌", read_only=True,
                                    days=5)
    theirs, _ = services.create_token(world.liaison, holder=world.liaison, name="示例联络员令牌", read_only=True, days=5)
    page = client_for(world.admin).get("/accounts/tokens/")
    assert page.context["manage_all"] and {t.pk for t in page.context["tokens"]} == {mine.pk, theirs.pk}
    assert "全部令牌" in page.content.decode() and "liaison" in page.content.decode()
    own = client_for(world.secretariat).get("/accounts/tokens/")
    assert [t.pk for t in own.context["tokens"]] == [mine.pk]
    assert client_for(world.secretariat).post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client_for(world.admin).post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked is not None
    entry = AuditEntry.objects.get(action="accounts.token.revoke")
    assert (entry.actor, entry.target_id) == (world.admin, str(theirs.pk))
