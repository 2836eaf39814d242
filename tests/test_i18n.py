"""Languages: 简体中文 unless the user picks another one with the switcher; 繁體中文 converts the whole
page, data included, but leaves proper names as the source prints them. English is not offered
until its catalogue covers every page.

The English catalogue (kept for when it is complete) is checked here too: every entry translated, none fuzzy, placeholders kept,
and the committed .mo compiled from the current .po (a fresh machine may have no gettext tools)."""

import ast
import gettext
import re
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from lianxi.lib.text import to_simplified, to_traditional

LOCALE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
NAV = re.compile(r'<nav class="mainnav">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)">(.*?)</a>', re.S)

ENGLISH_NAV = {  # the catalogue's names for the navigation (see test_glossary_terms)
    "registry:conference_list": "Joint conferences",
    "registry:unit_list": "Member units",
    "registry:person_list": "People and posts",
    "meetings:meeting_list": "Meetings",
    "projects:project_list": "Projects",
    "lists:hall": "Claim hall",
    "lists:inbox": "My tasks",
    "lists:overview": "Lists overview",
    "matching:suggestions": "Match suggestions",
}
SIMPLIFIED_NAV = {
    "registry:conference_list": "联席会议",
    "registry:unit_list": "成员单位",
    "registry:person_list": "人员与职务",
    "meetings:meeting_list": "会议",
    "projects:project_list": "项目",
    "lists:hall": "认领大厅",
    "lists:inbox": "我的待办",
    "lists:overview": "清单总览",
    "matching:suggestions": "推荐匹配",
}


def nav_links(html: str) -> dict[str, str]:
    """``{url name: link text}`` of the main navigation."""
    by_path = {href: unescape(text).strip() for href, text in LINK.findall(NAV.search(html).group(1))}
    return {name: by_path[reverse(name)] for name in ENGLISH_NAV if reverse(name) in by_path}


def choose(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def huangpu(db):
    from lianxi.demo.huangpu import load_huangpu
    from lianxi.registry.models import Conference, Unit

    load_huangpu()
    return {
        "district": Conference.objects.get(name="黄浦区区域化党建联席会议"),
        "donghao": Unit.objects.get(name="东浩兰生（集团）有限公司"),
    }


# --- 简体中文 by default ---------------------------------------------------------------------------

def test_simplified_is_the_default_even_for_an_english_browser(world, client_for):
    client = client_for(world.admin)
    response = client.get(reverse("registry:unit_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in html
    assert nav_links(html) == {name: text for name, text in SIMPLIFIED_NAV.items() if name != "lists:inbox"}
    assert ">退出</button>" in html
    assert "Member units" not in html


def test_an_unknown_cookie_value_falls_back_to_simplified(world, client):
    choose(client, "fr")
    html = client.get(reverse("registry:unit_list")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert nav_links(html)["registry:unit_list"] == "成员单位"


# --- 繁體中文: interface and data -------------------------------------------------------------------

def test_traditional_converts_interface_and_data(huangpu, client):
    choose(client, "zh-hant")
    response = client.get(reverse("registry:conference_detail", args=[huangpu["district"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hant">' in html
    assert nav_links(html)["registry:unit_list"] == "成員單位"
    assert nav_links(html)["registry:conference_list"] == "聯席會議"
    assert "<h1>黃浦區區域化黨建聯席會議</h1>" in html
    assert "東浩蘭生（集團）有限公司" in html
    for simplified in ("东浩兰生", "联席会议", "成员单位", "黄浦区"):
        assert simplified not in html
    # Nothing left for OpenCC to convert: no simplified-only character anywhere on the page.
    assert to_traditional(html) == html


def test_traditional_unit_page_reads_back_as_the_stored_name(huangpu, client):
    choose(client, "zh-hant")
    html = client.get(reverse("registry:unit_detail", args=[huangpu["donghao"].pk])).content.decode()
    title = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert title == "東浩蘭生（集團）有限公司"
    assert to_simplified(title) == huangpu["donghao"].name
    assert to_traditional(html) == html


def test_traditional_keeps_proper_names_as_the_source_prints_them():
    """The traditional edition prints 杲云, 徐樹杰, 創新里灘, 創享里灘, 淞畔領里: OpenCC alone would give
    杲雲, 徐樹傑, 創新裏灘, 創享裏灘, 淞畔領裏."""
    text = "杲云、徐树杰出席；“滨江党建·创新里滩”；科创街区·创享里滩；淞畔领里·璟彩启航；联席会议"
    assert to_traditional(text) == "杲云、徐樹杰出席；“濱江黨建·創新里灘”；科創街區·創享里灘；淞畔領里·璟彩啟航；聯席會議"
    # Converting again changes nothing (the printed traditional forms are protected too).
    assert to_traditional(to_traditional(text)) == to_traditional(text)


def test_traditional_pages_show_the_printed_names(huangpu, client):
    from lianxi.meetings.models import Meeting
    from lianxi.projects.models import Project

    choose(client, "zh-hant")
    meeting = Meeting.objects.get(conference=huangpu["district"], number=10)
    html = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    for printed in ("杲云", "徐樹杰", "創新里灘"):
        assert printed in html, printed
    for converted in ("杲雲", "徐樹傑", "創新裏灘", "創享裏灘", "淞畔領裏"):
        assert converted not in html, converted
    projects = client.get(reverse("projects:project_list") + "?kind=key").content.decode()
    assert "科創街區·創享里灘" in projects and "淞畔領里·璟彩啟航" in projects
    assert Project.objects.filter(title="科创街区·创享里滩").exists()


# --- English: not offered until its catalogue is complete ----------------------------------------

def test_english_is_not_offered_by_the_switcher(world, client_for):
    html = client_for(world.admin).get(reverse("registry:unit_list")).content.decode()
    options = re.findall(r'<option value="([^"]+)"', re.search(r'<select name="language".*?</select>', html, re.S).group(0))
    assert options == ["zh-hans", "zh-hant"]
    assert "English" not in html


def test_an_english_cookie_left_from_before_gives_simplified(huangpu, client):
    """No half-translated page: a user who chose English earlier gets the whole page in 简体中文."""
    choose(client, "en")
    html = client.get(reverse("registry:conference_detail", args=[huangpu["district"].pk])).content.decode()
    assert '<html lang="zh-hans">' in html
    assert nav_links(html)["registry:unit_list"] == "成员单位"


def test_the_switcher_refuses_english(world, client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("registry:unit_list")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert nav_links(html)["registry:unit_list"] == "成员单位"


# --- the switcher -------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_switcher_sets_the_cookie_and_returns_to_the_page(world, client, language):
    back = reverse("registry:unit_list") + "?q=" + quote("示例")
    response = client.post(reverse("set_language"), {"language": language, "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    html = client.get(back).content.decode()
    assert f'<html lang="{language}">' in html


def test_switcher_does_not_redirect_off_site(world, client):
    response = client.post(reverse("set_language"), {"language": "zh-hant", "next": "https://example.com/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


# --- the English catalogue ----------------------------------------------------------------------

def _po_entries(path: Path) -> list[dict]:
    """Entries of a .po file as ``{"flags", "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]", ...}``.
    Obsolete (``#~``) entries are skipped, as msgfmt skips them."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"flags": set()}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdf]")


def _translations(entry) -> list[str]:
    return [v for k, v in sorted(entry.items()) if k.startswith("msgstr")]


def test_english_catalogue_is_complete():
    entries = _po_entries(LOCALE / "django.po")
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["msgstr"]
    assert len(messages) > 400
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in messages if not all(t.strip() for t in _translations(e))] == []
    for e in messages:
        if "msgid_plural" in e:
            assert sorted(k for k in e if k.startswith("msgstr")) == ["msgstr[0]", "msgstr[1]"], e["msgid"]


def test_english_catalogue_keeps_every_placeholder():
    wrong = []
    for e in _po_entries(LOCALE / "django.po")[1:]:
        expected = sorted(PLACEHOLDER.findall(e["msgid"]))
        wrong += [(e["msgid"], t) for t in _translations(e) if sorted(PLACEHOLDER.findall(t)) != expected]
    assert wrong == []


def test_committed_mo_matches_the_po():
    """The .mo is committed; it must be compiled from the .po as it is now."""
    with open(LOCALE / "django.mo", "rb") as fp:
        catalog = gettext.GNUTranslations(fp)._catalog
    for e in _po_entries(LOCALE / "django.po")[1:]:
        msgid = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            assert catalog[(msgid, 0)] == e["msgstr[0]"]
            assert catalog[(msgid, 1)] == e["msgstr[1]"]
        else:
            assert catalog[msgid] == e["msgstr"], msgid


def test_glossary_terms():
    """One English name per concept (DESIGN.md glossary)."""
    with open(LOCALE / "django.mo", "rb") as fp:
        en = gettext.GNUTranslations(fp)
    assert en.gettext("联席会议") == "Joint conferences"
    assert en.gettext("成员单位") == "Member units"
    assert en.gettext("减负闸门") == "Burden gate"
    assert en.gettext("长效认领") == "Long-term claim"
    assert en.gettext("认领") == "Claim"
    assert en.gettext("未载明") == "not stated"
    assert en.gettext("授牌") == "Plaque presentation"
    assert en.gettext("五联") == "Five links"
    assert en.pgettext("logout", "退出") == "Log out"
