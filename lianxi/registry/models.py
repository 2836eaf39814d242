"""Who the conference is: conferences and committees, member units and their party organisations,
areas, people, dated memberships and dated posts (appointments)."""

import datetime

from django.db import models
from django.db.models import Q

from lianxi.lib.queries import SearchQuerySet
from lianxi.lib.text import pinyin_initials, search_key


class Area(models.Model):
    """A place on the district map: the district itself, a street or town (街道/镇), or a
    residents' area (居民区). Needs are posted for an area and resources serve areas."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "区"
        STREET = "street", "街道/镇"
        NEIGHBOURHOOD = "neighbourhood", "居民区"

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("层级", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = "区域"
        verbose_name_plural = "区域"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="area_unique_name_in_parent", violation_error_message="同一上级下已有同名区域。"
            )
        ]

    def __str__(self):
        return self.name


class Conference(models.Model):
    """A 区域化党建联席会议: the standing body that links the organisations of a district, an area,
    an industry cluster or a theme. Sub-conferences hang under a parent (district → 中央科创区)."""

    @property
    def audit_conference_id(self) -> int | None:
        """The conference this object belongs to, kept on its audit rows (who may read them)."""
        return self.pk

    class Kind(models.TextChoices):
        DISTRICT = "district", "区级"
        AREA = "area", "片区/街镇"
        INDUSTRY = "industry", "产业集群/商圈"
        THEME = "theme", "主题"
        UNKNOWN = "unknown", "未载明"

    class Status(models.TextChoices):
        ACTIVE = "active", "运行中"
        SUPERSEDED = "superseded", "已升级"
        DISSOLVED = "dissolved", "已撤销"

    name = models.CharField("名称", max_length=150, unique=True)
    short_name = models.CharField("简称", max_length=60, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级联席会议", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    area = models.ForeignKey(
        Area, verbose_name="所在区域", null=True, blank=True, on_delete=models.SET_NULL, related_name="conferences"
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    founded_at = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="揭牌成立于",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="founded_conferences",
    )
    upgraded_from = models.ForeignKey(
        "self",
        verbose_name="在其基础上升级成立",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="upgraded_into",
    )
    parent_note = models.CharField(
        "上级关系说明", max_length=300, blank=True,
        help_text="上级关系不是资料明文所载时，写明“推断：”及其理由",
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ACTIVE)
    is_public = models.BooleanField("对外公开", default=True)
    description = models.TextField("简介", blank=True)
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="conference_not_own_parent", violation_error_message="联席会议不能以自身为上级。"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.search_text = f"{search_key(self.name)} {search_key(self.short_name)} {pinyin_initials(self.name)}"
        super().save(*args, **kwargs)


class Committee(models.Model):
    """A functional committee (专委会) inside a conference, e.g. 基层党建, 经济发展, 城市管理."""

    conference = models.ForeignKey(Conference, verbose_name="联席会议", on_delete=models.CASCADE, related_name="committees")
    name = models.CharField("名称", max_length=100)
    description = models.TextField("职责", blank=True)

    class Meta:
        verbose_name = "专委会"
        verbose_name_plural = "专委会"
        ordering = ["conference", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "name"], name="committee_unique_name", violation_error_message="该联席会议已有同名专委会。"
            )
        ]

    def __str__(self):
        return f"{self.conference.display_name} · {self.name}"


class UnitQuerySet(SearchQuerySet):
    """``search``: the unit or party-organisation name, simplified or traditional, or pinyin initials."""


class Unit(models.Model):
    """An organisation (成员单位 when it holds a membership) with its party organisation.

    ``party_org_level`` ``none`` means the organisation has no party organisation of its own, which
    is what organisation coverage (组织体系全覆盖) counts."""

    class Category(models.TextChoices):
        ORGAN = "organ", "党政军机关"
        PEOPLES_ORG = "peoples_org", "人民团体"
        ENTERPRISE = "enterprise", "企事业单位"
        NEW_ECONOMIC = "new_economic", "“两新”组织·新经济组织"
        NEW_SOCIAL = "new_social", "“两新”组织·新社会组织"
        STREET = "street", "街道/社区"
        UNKNOWN = "unknown", "未载明"

    class PartyOrgLevel(models.TextChoices):
        COMMITTEE = "committee", "党委"
        GENERAL_BRANCH = "general_branch", "党总支"
        BRANCH = "branch", "党支部"
        LEADING_GROUP = "leading_group", "党组"
        WORKING_COMMITTEE = "working_committee", "党工委"
        NONE = "none", "未建党组织"
        UNKNOWN = "unknown", "未载明"

    name = models.CharField("单位名称", max_length=150)
    party_org_name = models.CharField("党组织名称", max_length=180, blank=True)
    party_org_level = models.CharField(
        "党组织层级", max_length=20, choices=PartyOrgLevel.choices, default=PartyOrgLevel.UNKNOWN
    )
    category = models.CharField("成员类别", max_length=20, choices=Category.choices)
    area = models.ForeignKey(
        Area, verbose_name="所在街道/区域", null=True, blank=True, on_delete=models.SET_NULL, related_name="units"
    )
    party_org_founded_on = models.DateField(
        "党组织成立日期", null=True, blank=True,
        help_text="组织体系全覆盖的趋势按此日期计算；未知时留空（计为“成立日期未载明”）",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    description = models.TextField("简介", blank=True)
    search_text = models.CharField(max_length=500, blank=True, editable=False)
    initials = models.CharField(max_length=150, blank=True, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="unit_unique_name", violation_error_message="已有同名单位。")
        ]
        indexes = [
            # Filtering the unit list by category, then ordering by name.
            models.Index(fields=["category", "name"], name="unit_category_name"),
            # Pinyin-initials search is a prefix match.
            models.Index(fields=["initials"], name="unit_initials"),
        ]

    def __str__(self):
        return self.name

    @property
    def has_party_org(self) -> bool:
        return self.party_org_level != self.PartyOrgLevel.NONE

    def fill_derived(self):
        """The search columns, from the name (also called before a bulk insert, which skips save)."""
        self.initials = pinyin_initials(self.name)[:150]
        self.search_text = " ".join(
            [search_key(self.name), search_key(self.party_org_name), self.initials, pinyin_initials(self.party_org_name)]
        )[:500]

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)


class DatedQuerySet(models.QuerySet):
    """Rows with ``start``/``end``: "current" is a query on a date, not a flag."""

    def current(self, on: datetime.date | None = None):
        on = on or datetime.date.today()
        return self.filter(Q(start__isnull=True) | Q(start__lte=on)).filter(Q(end__isnull=True) | Q(end__gt=on))

    def past(self, on: datetime.date | None = None):
        return self.filter(end__lte=on or datetime.date.today())

    def future(self, on: datetime.date | None = None):
        return self.filter(start__gt=on or datetime.date.today())


class Membership(models.Model):
    """The dated link of a unit to a conference. Leaving ends the row (``end``); rejoining starts a
    new one. ``end`` is exclusive: the unit is a member up to the day before."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships")
    conference = models.ForeignKey(
        Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="memberships"
    )
    start = models.DateField("加入日期", null=True, blank=True, help_text="未知时留空")
    end = models.DateField("退出日期", null=True, blank=True)
    admitted_at = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="通过于会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="admitted_memberships",
    )
    plaque_awarded_on = models.DateField("授牌日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "成员资格"
        verbose_name_plural = "成员资格"
        ordering = ["conference", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "conference"],
                condition=Q(end__isnull=True),
                name="membership_one_open_per_unit",
                violation_error_message="该单位已是这个联席会议的成员。",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gt=models.F("start")),
                name="membership_end_after_start",
                violation_error_message="退出日期必须晚于加入日期。",
            ),
        ]
        indexes = [
            # Member list of a conference, current members first; "end" then "start" lets a count of a
            # conference's current members be answered from the index alone.
            models.Index(fields=["conference", "end", "start"], name="membership_conf_current"),
        ]

    def __str__(self):
        return f"{self.unit} @ {self.conference.display_name}"


class Person(models.Model):
    """Someone who holds or held a post. Job titles outside the conference are not posts; they are
    recorded as stated on the day (see ``meetings.AgendaParticipant.title``)."""

    name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    title = models.CharField("职务(最近所知)", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    user = models.OneToOneField(
        "auth.User", verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    search_text = models.CharField(max_length=200, blank=True, editable=False)

    # ``search``: the name, simplified or traditional, or pinyin initials.
    objects = SearchQuerySet.as_manager()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name"], name="person_name")]

    def __str__(self):
        return self.name

    def fill_derived(self):
        self.search_text = f"{search_key(self.name)} {pinyin_initials(self.name)}"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)


class Appointment(models.Model):
    """A dated post in a conference (召集人, 轮值召集人, 秘书长 …), held by a person for a unit, or by a
    unit alone (秘书长单位, 秘书处). Never overwritten: a change ends one row and starts another.

    ``start`` may be unknown; ``attested_on`` then records a day on which a source states the post
    was held (the seed article attests posts on 2024-06-24 without saying when they began)."""

    class Role(models.TextChoices):
        CONVENER = "convener", "召集人"
        DEPUTY_CONVENER = "deputy_convener", "副召集人"
        ROTATING_CONVENER = "rotating_convener", "轮值召集人"
        SECRETARY_GENERAL = "secretary_general", "秘书长"
        SECRETARY_GENERAL_UNIT = "secretary_general_unit", "秘书长单位"
        SECRETARIAT = "secretariat", "秘书处"
        LIAISON = "liaison", "联络员"

    UNIT_ONLY_ROLES = {Role.SECRETARY_GENERAL_UNIT, Role.SECRETARIAT}

    conference = models.ForeignKey(
        Conference, verbose_name="联席会议", on_delete=models.PROTECT, related_name="appointments"
    )
    role = models.CharField("职务", max_length=30, choices=Role.choices)
    person = models.ForeignKey(
        Person, verbose_name="人员", null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateField("任职起始", null=True, blank=True, help_text="未知时留空")
    end = models.DateField("任职结束", null=True, blank=True)
    attested_on = models.DateField("见于资料日期", null=True, blank=True)
    appointed_at = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="任命于会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments_started",
    )
    ended_at = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="调整于会议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments_ended",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["conference", "role", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(unit__isnull=False),
                name="appointment_has_holder",
                violation_error_message="任职必须指定人员或单位。",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gt=models.F("start")),
                name="appointment_end_after_start",
                violation_error_message="任职结束日期必须晚于起始日期。",
            ),
        ]
        indexes = [
            # Posts of a conference by role (the posts page, the rotation roster).
            models.Index(fields=["conference", "role", "start"], name="appointment_conf_role"),
        ]

    def __str__(self):
        holder = self.person or self.unit
        return f"{self.conference.display_name} {self.get_role_display()} {holder}"

    @property
    def holder_label(self) -> str:
        if self.person and self.unit:
            return f"{self.person}（{self.unit}）"
        return str(self.person or self.unit)


def meeting_model():
    """``meetings.Meeting``, reached through the registry's own relation to it. Registry records name
    the meeting that decided them (string relations, so the models load in any order); the registry's
    forms and API offer those meetings without importing the meetings room, which sits above this one
    (docs/architecture.md)."""
    return Membership._meta.get_field("admitted_at").related_model


class Venue(models.Model):
    """A party-service venue (阵地): a place where party work and services for residents happen
    (党群服务中心、站点、活动室 …), owned by a unit, in an area, open to some users. A unit may offer
    it as a resource in the lists (``lists.Resource.venue``)."""

    class Kind(models.TextChoices):
        SERVICE_CENTRE = "service_centre", "党群服务中心"
        SERVICE_STATION = "service_station", "党群服务站点"
        ACTIVITY_ROOM = "activity_room", "党员活动室"
        EDUCATION_BASE = "education_base", "党性教育基地"
        OTHER = "other", "其他阵地"

    class Access(models.TextChoices):
        OWNER = "owner", "仅本单位"
        MEMBERS = "members", "联席会议成员单位"
        PUBLIC = "public", "向社会开放"

    name = models.CharField("阵地名称", max_length=150)
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    owner = models.ForeignKey(Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="venues")
    area = models.ForeignKey(Area, verbose_name="所在街道/区域", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="venues")
    address = models.CharField("地址", max_length=200, blank=True)
    capacity = models.PositiveIntegerField("容纳人数", null=True, blank=True)
    opening_hours = models.CharField("开放时间", max_length=120, blank=True)
    access = models.CharField("开放对象", max_length=20, choices=Access.choices, default=Access.MEMBERS)
    access_note = models.CharField("使用说明", max_length=200, blank=True)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "阵地"
        verbose_name_plural = "阵地"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="venue_unique_name_per_owner",
                                    violation_error_message="该单位已有同名阵地。"),
        ]
        indexes = [
            # Venues per street (coverage) and the venue list filtered by area.
            models.Index(fields=["area", "kind"], name="venue_area_kind"),
        ]

    def __str__(self):
        return self.name
