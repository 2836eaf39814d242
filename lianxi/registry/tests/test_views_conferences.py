"""Conference tree and the conference forms, through HTTP with named personas (the conference's
home page is the home room's: lianxi/home/tests)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from lianxi.audit.models import AuditEntry
from lianxi.registry.models import Conference
from lianxi.registry.services import create_conference, update_conference
from lianxi.registry.tests.helpers import DAY, plenary

pytestmark = pytest.mark.django_db


def detail_url(conference):
    return reverse("registry:conference_detail", args=[conference.pk])


def edit_url(conference):
    return reverse("registry:conference_edit", args=[conference.pk])


# --- the tree -------------------------------------------------------------------------------------

def test_tree_shows_superseded_conference_with_what_it_became(world, client_for):
    old = create_conference(None, name="示例创新集群联席会议", short_name="示例集群", kind=Conference.Kind.INDUSTRY,
                            parent=world.district)
    update_conference(None, world.sub, upgraded_from=old)
    update_conference(None, old, status=Conference.Status.SUPERSEDED)
    hidden = create_conference(None, name="示例内部联席会议", kind=Conference.Kind.THEME, is_public=False)

    page = client_for(None).get(reverse("registry:conference_list")).content.decode()
    assert "示例创新集群联席会议" in page
    assert "已升级" in page
    assert f'→ <a href="{detail_url(world.sub)}">示例片区</a>' in page
    assert hidden.name not in page
    assert "新建联席会议" not in page

    page = client_for(world.outsider).get(reverse("registry:conference_list")).content.decode()
    assert hidden.name not in page and "示例创新集群联席会议" in page

    page = client_for(world.reviewer).get(reverse("registry:conference_list")).content.decode()
    assert hidden.name in page
    assert "新建联席会议" not in page  # read-only
    assert "新建联席会议" in client_for(world.secretariat).get(reverse("registry:conference_list")).content.decode()


def test_tree_query_count_does_not_grow(world, client_for, count_queries):
    client = client_for(world.admin)
    url = reverse("registry:conference_list")
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for i in range(30):
        create_conference(None, name=f"示例联席会议{i:03d}", kind=Conference.Kind.AREA, parent=world.district)
    with count_queries() as many:
        page = client.get(url).content.decode()
    assert "示例联席会议029" in page
    assert len(many.captured_queries) == len(few.captured_queries)


class TreeReader(HTMLParser):
    """The conference tree as it nests on the page: ``{name: (parent name or None, depth, href)}``,
    read from the ``<li>``s of ``section.tree``; the section must close every tag it opens."""

    def __init__(self):
        super().__init__()
        self.in_tree = False
        self.open: list[str] = []  # ul/li tags open inside the tree section
        self.items: list[dict] = []  # the li elements open, innermost last
        self.nodes: dict[str, tuple] = {}
        self.href = None
        self.text = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "tree" in (attrs.get("class") or "").split():
            self.in_tree = True
        if not self.in_tree:
            return
        if tag in ("ul", "li"):
            self.open.append(tag)
        if tag == "li":
            self.items.append({"name": None})
        elif tag == "a" and self.items and self.items[-1]["name"] is None:
            self.href = attrs["href"]
        elif tag == "b" and self.href is not None:
            self.text = ""

    def handle_data(self, data):
        if self.text is not None:
            self.text += data

    def handle_endtag(self, tag):
        if not self.in_tree:
            return
        if tag == "section":
            assert self.open == [], f"unclosed {self.open}"
            self.in_tree = False
        elif tag in ("ul", "li"):
            assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
            self.open.pop()
            if tag == "li":
                self.items.pop()
        elif tag == "b" and self.text is not None:
            item = self.items[-1]
            item["name"] = self.text
            parent = self.items[-2]["name"] if len(self.items) > 1 else None
            assert self.text not in self.nodes
            self.nodes[self.text] = (parent, len(self.items) - 1, self.href)
            self.text = self.href = None


def tree_of(page: str) -> dict:
    reader = TreeReader()
    reader.feed(page)
    reader.close()
    return reader.nodes


def test_tree_nests_every_conference_under_its_parent(world, client_for):
    """The page renders the tree from one flat list: the nesting of the lists must still follow
    the parents, with siblings by id, climbing several levels at once, and every link right."""
    deep = create_conference(None, name="示例第三层联席会议", kind=Conference.Kind.THEME, parent=world.sub)
    deeper = create_conference(None, name="示例第四层联席会议", kind=Conference.Kind.THEME, parent=deep)
    second = create_conference(None, name="示例第三层联席会议乙", kind=Conference.Kind.THEME, parent=world.sub)
    sibling = create_conference(None, name="示例并列联席会议", kind=Conference.Kind.AREA, parent=world.district)
    lone = create_conference(None, name="示例另一区联席会议", kind=Conference.Kind.DISTRICT)
    hidden = create_conference(None, name="示例内部联席会议", kind=Conference.Kind.THEME, parent=world.district,
                               is_public=False)
    under_hidden = create_conference(None, name="示例内部之下联席会议", kind=Conference.Kind.THEME, parent=hidden)

    expected = {
        world.district: (None, 0), world.sub: (world.district, 1), deep: (world.sub, 2), deeper: (deep, 3),
        second: (world.sub, 2), sibling: (world.district, 1), hidden: (world.district, 1),
        under_hidden: (hidden, 2), lone: (None, 0),
    }
    page = client_for(world.reviewer).get(reverse("registry:conference_list")).content.decode()
    assert tree_of(page) == {
        c.name: (parent.name if parent else None, depth, detail_url(c)) for c, (parent, depth) in expected.items()
    }
    # Depth first, children in the order they were created.
    order = [c.name for c in (world.district, world.sub, deep, deeper, second, sibling, hidden, under_hidden, lone)]
    assert sorted(order, key=page.index) == order

    # A visitor does not see the non-public conference; what lies under it moves to the top level.
    page = client_for(None).get(reverse("registry:conference_list")).content.decode()
    nodes = tree_of(page)
    assert hidden.name not in nodes
    assert nodes[under_hidden.name] == (None, 0, detail_url(under_hidden))
    assert nodes[deeper.name] == (deep.name, 3, detail_url(deeper))


def test_tree_shows_counts_dates_and_labels_in_the_chosen_language(world, client_for):
    from django.conf import settings

    from lianxi.registry.services import update_conference

    update_conference(None, world.district, founded_on=DAY)
    client = client_for(None)
    page = client.get(reverse("registry:conference_list")).content.decode()
    assert f"成员单位 3 家 · {DAY:%Y-%m-%d} 成立" in page
    assert "成员单位 0 家" in page  # the sub-conference has no members
    assert '<span class="badge red">区级</span>' in page and '<span class="badge green">运行中</span>' in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    page = client.get(reverse("registry:conference_list")).content.decode()
    assert f"成員單位 3 家 · {DAY:%Y-%m-%d} 成立" in page
    assert "成员单位 3 家" not in page


# --- editing a conference ----------------------------------------------------------------------

def test_edit_is_read_only_for_liaison_outsider_and_reviewer(world, client_for):
    url = edit_url(world.district)
    for user in (world.liaison, world.outsider, world.reviewer):
        client = client_for(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "改名"}).status_code == 403
    response = client_for(None).get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    world.district.refresh_from_db()
    assert world.district.name == "示例区区域化党建联席会议"


def _conference_post(conference, **overrides):
    data = {
        "name": conference.name, "short_name": conference.short_name, "kind": conference.kind,
        "parent": conference.parent_id or "", "area": conference.area_id or "", "founded_on": "",
        "founded_at": "", "upgraded_from": "", "status": conference.status,
        "is_public": "on" if conference.is_public else "", "description": conference.description,
    }
    data.update(overrides)
    return data


def test_secretariat_edits_conference_and_an_audit_row_is_written(world, client_for):
    meeting = plenary(world.district)
    response = client_for(world.secretariat).post(
        edit_url(world.district),
        _conference_post(world.district, description="示例简介", founded_on="2014-06-01", founded_at=meeting.pk),
    )
    assert response.status_code == 302 and response["Location"] == detail_url(world.district)
    world.district.refresh_from_db()
    assert world.district.description == "示例简介"
    entry = AuditEntry.objects.for_object(world.district).first()
    assert entry.action == "registry.conference.update"
    assert entry.actor == world.secretariat
    assert entry.changes == {
        "founded_on": [None, "2014-06-01"],
        "founded_at": [None, str(meeting)],
        "description": ["", "示例简介"],
    }


def test_bad_edit_names_the_field_and_saves_nothing(world, client_for):
    before = AuditEntry.objects.count()
    client = client_for(world.admin)
    response = client.post(edit_url(world.district), _conference_post(world.district, name="", founded_on="不是日期"))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="field has-error"' in page
    assert "这个字段是必填项。" in page and "输入一个有效的日期。" in page
    # A service rule (a conference may not sit under its own sub-conference) lands on "parent".
    response = client.post(edit_url(world.district), _conference_post(world.district, parent=world.sub.pk))
    assert response.status_code == 400
    assert "上级联席会议不能是它自己或它的下级。" in response.content.decode()
    world.district.refresh_from_db()
    assert (world.district.name, world.district.parent_id) == ("示例区区域化党建联席会议", None)
    assert AuditEntry.objects.count() == before


def test_secretariat_creates_sub_conference_but_not_a_top_level_one(world, client_for):
    client = client_for(world.secretariat)
    url = reverse("registry:conference_create")
    assert client.get(url).status_code == 200
    data = {"name": "示例新片区联席会议", "short_name": "示例新片区", "kind": "area", "status": "active",
            "is_public": "on"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "只有区级管理员可以设立顶层联席会议" in response.content.decode()
    assert not Conference.objects.filter(name="示例新片区联席会议").exists()

    response = client.post(url, {**data, "parent": world.district.pk})
    created = Conference.objects.get(name="示例新片区联席会议")
    assert response["Location"] == detail_url(created)
    assert created.parent == world.district
    entry = AuditEntry.objects.for_object(created).get()
    assert (entry.action, entry.actor, entry.changes["name"]) == (
        "registry.conference.create", world.secretariat, [None, "示例新片区联席会议"])


def test_duplicate_conference_name_is_refused_on_the_name_field(world, client_for):
    response = client_for(world.admin).post(reverse("registry:conference_create"), {
        "name": world.sub.name, "kind": "area", "status": "active", "parent": world.district.pk,
    })
    assert response.status_code == 400
    assert "具有 名称 的 联席会议 已存在。" in response.content.decode()
    assert Conference.objects.filter(name=world.sub.name).count() == 1


def test_create_is_forbidden_for_liaison_and_needs_login(world, client_for):
    url = reverse("registry:conference_create")
    assert client_for(world.liaison).get(url).status_code == 403
    assert client_for(world.outsider).post(url, {"name": "x"}).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_committee_add_for_managers_only(world, client_for):
    url = reverse("registry:committee_add", args=[world.district.pk])
    assert client_for(world.liaison).post(url, {"name": "基层党建"}).status_code == 403
    assert client_for(None).get(url).status_code == 302
    client = client_for(world.secretariat)
    response = client.post(url, {"name": "基层党建", "description": "示例职责"})
    assert response.status_code == 302
    committee = world.district.committees.get()
    assert AuditEntry.objects.for_object(committee).get().action == "registry.committee.create"
    assert "基层党建" in client_for(None).get(detail_url(world.district)).content.decode()
    response = client_for(world.secretariat).post(url, {"name": "基层党建"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["该联席会议已有同名专委会。"]
    assert world.district.committees.count() == 1
