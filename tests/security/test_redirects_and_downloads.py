"""Open redirects through ``next`` and header injection through download file names."""

import datetime
import re
from email.message import Message
from urllib.parse import unquote

import pytest
from django.urls import reverse

from lianxi.burden import services as burden
from lianxi.burden.models import BurdenRequest
from lianxi.lib.downloads import attachment
from lianxi.lists.tests.helpers import export_plenary_file
from lianxi.registry.services import update_conference

HOSTILE_NEXT = ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)", "/\\evil.example",
                "http:///evil.example", " https://evil.example", "\x00", "/lists/\r\nSet-Cookie: a=b"]


@pytest.fixture
def answerable(world):
    return burden.request(world.secretariat, unit=world.street_unit, kind=BurdenRequest.Kind.FORM, summary="填报")


@pytest.mark.parametrize("next_url", HOSTILE_NEXT)
def test_burden_answer_never_redirects_off_site(world, client_for, answerable, next_url):
    client = client_for(world.street)
    client.raise_request_exception = False
    response = client.post(reverse("burden:burden_answer", args=[answerable.pk]), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("lists:inbox")


@pytest.mark.parametrize("next_url", HOSTILE_NEXT)
def test_burden_decide_and_matching_send_never_redirect_off_site(world, client_for, next_url):
    for i in range(9):
        burden.request(world.secretariat, unit=world.street_unit, kind=BurdenRequest.Kind.FORM, summary=f"填报{i}")
    waiting = BurdenRequest.objects.get(state=BurdenRequest.State.AWAITING_APPROVAL)
    client = client_for(world.admin)
    client.raise_request_exception = False
    response = client.post(reverse("burden:burden_decide", args=[waiting.pk, "defer"]), {"next": next_url})
    assert (response.status_code, response["Location"]) == (302, reverse("burden:burden"))
    response = client.post(reverse("matching:send"), {"next": next_url, "ids": ["99999999999999999999999"]})
    assert (response.status_code, response["Location"]) == (302, reverse("matching:suggestions"))


def test_same_site_next_is_followed(world, client_for, answerable):
    target = reverse("burden:burden_unit", args=[world.street_unit.pk]) + "?month=2024-06"
    response = client_for(world.street).post(reverse("burden:burden_answer", args=[answerable.pk]), {"next": target})
    assert response["Location"] == target


def test_login_next_stays_on_site(world, client):
    response = client.post(reverse("login") + "?next=https://evil.example/",
                           {"username": "street", "password": "test-password-123"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


def _disposition(header: str) -> Message:
    message = Message()
    message["Content-Disposition"] = header
    return message


def _utf8_name(header: str) -> str:
    """The RFC 5987 ``filename*`` value, decoded: what a browser saves the file as."""
    match = re.search(r"filename\*=UTF-8''([A-Za-z0-9%._~-]+)$", header)
    assert match, header
    return unquote(match.group(1))


@pytest.mark.parametrize("name", ['"><img src=x onerror=alert(1)>.xlsx', 'a"b\r\nSet-Cookie: x=y.xlsx',
                                  "示例“区”\\清单;filename=evil.exe.xlsx", "\u202eslx.exe"])
def test_content_disposition_is_rfc6266_encoded(name):
    response = attachment(b"", name, "application/octet-stream")
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and "<" not in header
    parsed = _disposition(header)
    assert parsed.get_content_disposition() == "attachment"
    ascii_name = parsed.get_param("filename", header="content-disposition")
    assert all(ch.isalnum() or ch in "._-()" for ch in ascii_name), ascii_name
    assert _utf8_name(header) == "".join(ch for ch in name if ch.isprintable()).replace("\\", "_")


def test_every_download_uses_the_encoded_name(world, client_for):
    update_conference(None, world.district, short_name='"><img src=x>', name=world.district.name)
    world.district.refresh_from_db()
    response = export_plenary_file(client_for(world.admin), world.district)
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert '"><img' not in header
    today = datetime.date.today()
    assert _utf8_name(header) == f"{world.district.display_name}三张清单{today:%Y%m%d}.xlsx"
