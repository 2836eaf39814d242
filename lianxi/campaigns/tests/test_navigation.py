"""Campaigns, the public showcase (项目展示) and the roll-up are reachable from the menus, and their
pages lead on (no dead ends)."""

import pytest
from django.urls import reverse

from lianxi.campaigns.models import Honour

pytestmark = pytest.mark.django_db


def nav(html: str) -> str:
    return html.split('<nav class="mainnav">', 1)[1].split("</nav>", 1)[0]


def test_menu_links_for_each_role(world, client_for):
    campaigns, showcase, rollup = (reverse(n) for n in ("campaigns:campaign_list", "projects:showcase",
                                                         "projects:rollup"))
    anon = nav(client_for(None).get(reverse("home"), follow=True).content.decode())
    assert f'href="{campaigns}"' in anon and f'href="{showcase}"' in anon and f'href="{rollup}"' not in anon
    for insider in (world.secretariat, world.liaison, world.reviewer):
        menu = nav(client_for(insider).get(reverse("projects:project_list")).content.decode())
        assert all(f'href="{u}"' in menu for u in (campaigns, showcase, rollup)), insider


def test_pages_lead_on(world, client_for):
    anon = client_for(None)
    listing = anon.get(reverse("projects:project_list")).content.decode()
    assert reverse("projects:showcase") in listing and reverse("projects:rollup") in listing
    assert reverse("campaigns:campaign_list") in anon.get(reverse("projects:showcase")).content.decode()
    assert reverse("projects:showcase") in anon.get(reverse("campaigns:campaign_list")).content.decode()
    assert reverse("projects:project_list") in anon.get(reverse("projects:rollup")).content.decode()
    honour = Honour.objects.create(conference=world.district, name="示例百优支部", year=2025)
    page = anon.get(reverse("campaigns:honour_detail", args=[honour.pk])).content.decode()
    assert f'href="{reverse("campaigns:campaign_list")}"' in page
