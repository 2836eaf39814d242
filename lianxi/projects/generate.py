"""Synthetic projects for ``lianxi generate``: key projects released at each plenary, brand projects
awarded at the district plenaries, and ordinary projects in proportion, each with a lead unit that was
a member that year, partner units and five-link tags."""

import datetime
from collections import defaultdict

from lianxi.meetings.models import AgendaItem
from lianxi.projects.models import Link, Project
from lianxi.registry.generate import (
    ANCHOR,
    FIRST_YEAR,
    MARK,
    SCALES,
    Timer,
    bulk_create,
    cached_keys,
    conference_plans,
    current_members,
    members_by_conference,
    progress,
    rng,
    synthetic_conferences,
)

TOPICS = ["为老服务", "青少年成长", "就业创业", "文化惠民", "健康义诊", "法律服务", "社区更新", "阵地共享", "志愿服务",
          "楼宇党建", "人才培育", "营商服务", "垃圾分类", "旧区改造", "睦邻互助", "助残帮困", "科普教育", "平安建设"]
LINKS = [code for code, _label in Link.choices]


def fill_project(project: Project) -> Project:
    """The derived search column, as ``Project.save`` computes it (from cached pieces: the titles
    repeat a few topics around a running number, and pypinyin was half of this step)."""
    key, initials = cached_keys(project.title)
    project.search_text = f"{key} {initials}"[:400]
    return project


def _status(r, year: int) -> str:
    S = Project.Status
    if year <= ANCHOR.year - 2:
        return r.choices([S.COMPLETED, S.SUSPENDED, S.ACTIVE], [85, 5, 10])[0]
    if year == ANCHOR.year - 1:
        return r.choices([S.ACTIVE, S.COMPLETED, S.SUSPENDED], [70, 25, 5])[0]
    return r.choices([S.ACTIVE, S.PROPOSED], [80, 20])[0]


def generate_projects(scale: str, seed: int, stdout):
    """Key, brand and ordinary projects of the synthetic conferences, with partners and five links."""
    s, r = SCALES[scale], rng(seed, "projects")
    with Timer(stdout, "项目（生成）"):
        plans = conference_plans()
        members = members_by_conference([p.id for p in plans])
        released, awarded = {}, {}
        items = AgendaItem.objects.filter(
            meeting__conference__in=synthetic_conferences(), kind__in=[AgendaItem.Kind.RELEASE, AgendaItem.Kind.AWARD]
        ).values_list("id", "kind", "meeting__conference_id", "meeting__date")
        for item_id, kind, conference_id, day in items:
            (released if kind == AgendaItem.Kind.RELEASE else awarded)[(conference_id, day.year)] = item_id

        quota = []  # (plan, year, key, brand)
        for plan in plans:
            for year in plan.plenary_years:
                district = plan.parent_id is None
                quota.append((plan, year, 10 if district else 1, 10 if district and year >= FIRST_YEAR + 2 else 0))
        fixed = sum(k + b for _p, _y, k, b in quota)
        ordinary = max(0.0, (s.projects - fixed) / max(1, len(quota)))
        whole, frac = int(ordinary), ordinary - int(ordinary)

        projects, partners = [], []
        for plan, year, key, brand in progress(quota, desc="项目", unit="个会议年度"):
            day = min(datetime.date(year, 7, 1), ANCHOR)
            now = current_members(members[plan.id], day) or current_members(members[plan.id], ANCHOR)
            if not now:
                continue
            counts = {Project.Kind.KEY: key, Project.Kind.BRAND: brand,
                      Project.Kind.ORDINARY: whole + (1 if r.random() < frac else 0)}
            for kind, count in counts.items():
                for order in range(1, count + 1):
                    links = sorted(r.sample(LINKS, r.randint(1, 3)), key=LINKS.index)
                    if kind == Project.Kind.BRAND and Link.BRAND not in links:
                        links.append(Link.BRAND.value)
                    lead = r.choice(now)
                    project = fill_project(Project(
                        conference_id=plan.id, title=f"示例项目{len(projects) + 1:05d}{r.choice(TOPICS)}", kind=kind,
                        year=year, lead_unit_id=lead, links=links, status=_status(r, year), description=MARK,
                        released_at_id=released.get((plan.id, year)) if kind == Project.Kind.KEY else None,
                        awarded_at_id=awarded.get((plan.id, year)) if kind == Project.Kind.BRAND else None,
                        order=order, is_published=kind != Project.Kind.ORDINARY or r.random() < 0.7,
                    ))
                    projects.append(project)
                    others = [u for u in r.sample(now, min(4, len(now))) if u != lead][: r.randint(0, 3)]
                    partners.extend((project, u) for u in others)
    with Timer(stdout, "项目（写入）") as t:
        bulk_create(Project, projects, "项目")
        Through = Project.partner_units.through
        rows = [Through(project_id=p.pk, unit_id=u) for p, u in partners]
        bulk_create(Through, rows, "参与单位")
        t.rows = len(projects) + len(rows)
    by_kind = defaultdict(int)
    for p in projects:
        by_kind[p.kind] += 1
    return {"projects": len(projects), "partners": len(rows), **{f"projects_{k}": v for k, v in sorted(by_kind.items())}}


def reset_projects(stdout):
    """Delete the projects of synthetic conferences (partner rows cascade)."""
    with Timer(stdout, "删除项目"):
        Project.objects.filter(conference__in=synthetic_conferences()).delete()
