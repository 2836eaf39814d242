"""An object's 变更记录 as a person reads it: who, when (local time, to the minute), what in words,
and each changed field by its label with old and new values as the pages show them.

The stored row keeps the action code and the raw ``{field: [old, new]}``; those stay in the API for
auditors. This module only translates, so a new action code without words here still reads as a
sentence (新建/修改/删除 + the object's kind) rather than as a code."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What was done, by action code. Burden actions are listed under both their old (lists.burden.*)
# and new (burden.*) prefixes, since rows written before the burden app moved keep the old code.
ACTION_WORDS = {
    "accounts.grant.create": gettext_lazy("授予角色"),
    "accounts.grant.delete": gettext_lazy("收回角色"),
    "accounts.installation.create": gettext_lazy("初始化系统"),
    "accounts.user.create": gettext_lazy("新建账号"),
    "accounts.user.password_reset": gettext_lazy("重置密码"),
    "registry.area.create": gettext_lazy("新建区域"),
    "registry.conference.create": gettext_lazy("新建联席会议"),
    "registry.conference.update": gettext_lazy("修改联席会议"),
    "registry.committee.create": gettext_lazy("新建专委会"),
    "registry.committee.update": gettext_lazy("修改专委会"),
    "registry.committee.delete": gettext_lazy("删除专委会"),
    "registry.unit.create": gettext_lazy("新建单位"),
    "registry.unit.update": gettext_lazy("修改单位信息"),
    "registry.membership.create": gettext_lazy("加入联席会议"),
    "registry.membership.end": gettext_lazy("退出联席会议"),
    "registry.membership.plaque": gettext_lazy("记录授牌"),
    "registry.person.create": gettext_lazy("登记人员"),
    "registry.person.update": gettext_lazy("修改人员信息"),
    "registry.person.delete": gettext_lazy("删除人员"),
    "registry.appointment.create": gettext_lazy("任命"),
    "registry.appointment.end": gettext_lazy("结束任职"),
    "meetings.meeting.create": gettext_lazy("新建会议"),
    "meetings.meeting.update": gettext_lazy("修改会议"),
    "meetings.figure.create": gettext_lazy("记录会议数字"),
    "meetings.figure.update": gettext_lazy("修改会议数字"),
    "meetings.agenda.create": gettext_lazy("新增议程"),
    "meetings.agenda.update": gettext_lazy("修改议程"),
    "meetings.agenda.reorder": gettext_lazy("调整议程顺序"),
    "meetings.agenda.remove": gettext_lazy("删除议程"),
    "meetings.agenda.apply.admission": gettext_lazy("落实议程：通过新成员"),
    "meetings.agenda.apply.unveiling": gettext_lazy("落实议程：揭牌"),
    "meetings.agenda.apply.adjustment": gettext_lazy("落实议程：调整轮值召集人"),
    "meetings.agenda.apply.release": gettext_lazy("落实议程：发布"),
    "meetings.participant.create": gettext_lazy("添加议程人员"),
    "meetings.agenda_unit.create": gettext_lazy("添加议程单位"),
    "meetings.agendaparticipant.remove": gettext_lazy("移除议程人员"),
    "meetings.agendaunit.remove": gettext_lazy("移除议程单位"),
    "meetings.exchange.create": gettext_lazy("添加交流发言"),
    "meetings.exchange.remove": gettext_lazy("移除交流发言"),
    "projects.project.create": gettext_lazy("新建项目"),
    "projects.project.update": gettext_lazy("修改项目"),
    "lists.need.create": gettext_lazy("新建需求"),
    "lists.need.import": gettext_lazy("导入需求"),
    "lists.need.update": gettext_lazy("修改需求"),
    "lists.need.publish": gettext_lazy("发布需求"),
    "lists.need.pair": gettext_lazy("结对优先认领"),
    "lists.need.claim": gettext_lazy("认领"),
    "lists.need.unclaim": gettext_lazy("撤回认领"),
    "lists.need.progress": gettext_lazy("更新进度"),
    "lists.need.close": gettext_lazy("关闭需求"),
    "lists.need.expire": gettext_lazy("需求到期"),
    "lists.need.withdraw": gettext_lazy("撤回需求"),
    "lists.resource.create": gettext_lazy("新建资源"),
    "lists.resource.import": gettext_lazy("导入资源"),
    "lists.resource.update": gettext_lazy("修改资源"),
    "lists.resource.withdraw": gettext_lazy("撤回资源"),
    "lists.resource.reoffer": gettext_lazy("重新提供资源"),
    "lists.claim.create": gettext_lazy("认领"),
    "lists.claim.cancel": gettext_lazy("取消认领"),
    "lists.claim.complete": gettext_lazy("完成认领"),
    "lists.claim.end": gettext_lazy("结束长效认领"),
    "lists.delivery.schedule": gettext_lazy("安排交付"),
    "lists.delivery.record": gettext_lazy("登记交付"),
    "lists.delivery.confirm": gettext_lazy("确认交付"),
    "lists.delivery.rate": gettext_lazy("评价交付"),
    "lists.delivery.cancel": gettext_lazy("取消交付"),
    "lists.snapshot.create": gettext_lazy("发布清单快照"),
    "matching.run": gettext_lazy("运行推荐匹配"),
    "matching.run.fail": gettext_lazy("推荐匹配失败"),
    "matching.neighbours.set": gettext_lazy("设置邻近街道"),
    "matching.suggestion.send": gettext_lazy("发出认领邀请"),
    "matching.suggestion.accept": gettext_lazy("接受认领邀请"),
    "matching.suggestion.decline": gettext_lazy("婉拒认领邀请"),
    "onboarding.invitation.issue": gettext_lazy("开通账号"),
    "onboarding.invitation.reissue": gettext_lazy("重新生成激活链接"),
    "onboarding.invitation.activate": gettext_lazy("激活账号"),
    "onboarding.account.disable": gettext_lazy("停用账号"),
    "onboarding.registry_apply": gettext_lazy("导入组织体系"),
    "jobs.job.enqueue": gettext_lazy("提交后台任务"),
    "jobs.job.retry": gettext_lazy("重试后台任务"),
    "registry.venue.create": gettext_lazy("登记阵地"),
    "registry.venue.update": gettext_lazy("修改阵地"),
    "registry.venue.retire": gettext_lazy("停用阵地"),
    "visits.secondment.create": gettext_lazy("登记双向交流"),
    "visits.secondment.update": gettext_lazy("修改双向交流"),
    "visits.secondment.start": gettext_lazy("双向交流到岗"),
    "visits.secondment.withdraw": gettext_lazy("终止双向交流"),
    "visits.secondment.complete": gettext_lazy("双向交流期满评价"),
    "visits.followup.create": gettext_lazy("新增走访跟进事项"),
    "visits.followup.close": gettext_lazy("办结走访跟进事项"),
    "visits.followup.close_with_need": gettext_lazy("需求办结，走访跟进随之办结"),
}
_BURDEN_WORDS = {
    "request": gettext_lazy("提出事项（减负闸门）"),
    "answer": gettext_lazy("答复事项"),
    "approve": gettext_lazy("批准超额事项"),
    "defer": gettext_lazy("推迟事项"),
    "withdraw": gettext_lazy("撤回事项"),
    "cap.create": gettext_lazy("设定减负上限"),
    "cap.update": gettext_lazy("修改减负上限"),
    "cap.delete": gettext_lazy("取消减负上限"),
    "digest.create": gettext_lazy("生成汇总通知"),
    "digest.send": gettext_lazy("发送汇总通知"),
    "digest.asked": gettext_lazy("汇总通知已发出"),
}
for _suffix, _words in _BURDEN_WORDS.items():
    ACTION_WORDS[f"lists.burden.{_suffix}"] = _words
    ACTION_WORDS[f"burden.{_suffix}"] = _words

# The last part of a code that has no words of its own: 新建/修改/删除 + the object's kind.
_VERB_WORDS = {
    "create": gettext_lazy("新建"),
    "import": gettext_lazy("导入"),
    "update": gettext_lazy("修改"),
    "delete": gettext_lazy("删除"),
    "remove": gettext_lazy("删除"),
    "end": gettext_lazy("结束"),
    "cancel": gettext_lazy("取消"),
}

# Names in a change set that are not fields of the object (relations summarised by the service).
EXTRA_LABELS = {
    "co_claimants": gettext_lazy("联合认领单位"),
    "shares": gettext_lazy("分担单位及数量"),
    "neighbours": gettext_lazy("邻近街道"),
    "units": gettext_lazy("单位"),
    "items": gettext_lazy("条目"),
    "ids": gettext_lazy("编号"),
    "agenda": gettext_lazy("议程"),
    "projects": gettext_lazy("项目"),
    "memberships": gettext_lazy("成员单位"),
    "options": gettext_lazy("选项"),
    "handlers": gettext_lazy("经办单位"),
    "user": gettext_lazy("账号"),
    "username": gettext_lazy("登录名"),
    "password": gettext_lazy("密码"),
    "is_superuser": gettext_lazy("超级管理员"),
    "how": gettext_lazy("开通方式"),
    "on": gettext_lazy("日期"),
    "count": gettext_lazy("数量"),
}

EMPTY = "—"


def action_words(code: str, model=None) -> str:
    """``lists.delivery.confirm`` → 确认交付; an unknown code → 修改 + the object's kind."""
    words = ACTION_WORDS.get(code)
    if words is not None:
        return str(words)
    verb = _VERB_WORDS.get(code.rsplit(".", 1)[-1])
    kind = str(model._meta.verbose_name) if model is not None else ""
    if verb is not None:
        return f"{verb}{kind}"
    return _("变更%(kind)s") % {"kind": kind} if kind else _("变更")


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class ReadableEntry:
    time: datetime.datetime
    actor: str
    action: str
    target: str
    changes: list[Change] = field(default_factory=list)


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a summarised relation is not a field
        return None


def _label(model, name: str) -> str:
    f = _field(model, name)
    if f is not None and getattr(f, "verbose_name", None):
        return str(f.verbose_name)
    extra = EXTRA_LABELS.get(name)
    return str(extra) if extra is not None else _("其他")


def _value_choices(model, name: str) -> dict:
    """Choice labels of a field; a model may name those of a JSON list field in
    ``AUDIT_VALUE_CHOICES`` (``{"links": Link.choices}``)."""
    f = _field(model, name)
    if f is not None and f.choices:
        return {str(k): str(v) for k, v in f.flatchoices}
    extra = getattr(model, "AUDIT_VALUE_CHOICES", {}).get(name) if model is not None else None
    return {str(k): str(v) for k, v in extra} if extra else {}


def _datetime_text(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _show(model, name: str, value, related: dict) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    f = _field(model, name)
    choices = _value_choices(model, name)
    if isinstance(value, list):
        return "、".join(choices.get(str(v), str(v)) for v in value)
    if choices:
        return choices.get(str(value), str(value))
    if isinstance(value, bool) or isinstance(f, models.BooleanField):
        return _("是") if value in (True, "True", "true", 1) else _("否")
    if isinstance(f, models.DateTimeField):
        return _datetime_text(value)
    if isinstance(f, models.DateField) and isinstance(value, str):
        day = parse_date(value[:10])
        return day.isoformat() if day else value
    if isinstance(f, models.ForeignKey) and isinstance(value, int) and not isinstance(value, bool):
        return related.get((f.related_model, value), str(value))
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        return _datetime_text(value)  # a timestamp in a summarised relation
    return str(value)


def readable(entries) -> list[ReadableEntry]:
    """The entries in words. Linked objects stored as ids are named with one query per model for
    the whole page of entries, never one per row."""
    entries = list(entries)
    wanted: dict = {}
    for e in entries:
        model = ContentType.objects.get_for_id(e.target_type_id).model_class()
        for name, pair in (e.changes or {}).items():
            f = _field(model, name)
            if isinstance(f, models.ForeignKey) and isinstance(pair, list):
                for v in pair:
                    if isinstance(v, int) and not isinstance(v, bool):
                        wanted.setdefault(f.related_model, set()).add(v)
    related = {}
    for rel_model, ids in wanted.items():
        for obj in rel_model._default_manager.filter(pk__in=ids):
            related[(rel_model, obj.pk)] = str(obj)

    out = []
    for e in entries:
        model = ContentType.objects.get_for_id(e.target_type_id).model_class()
        changes = []
        for name, pair in (e.changes or {}).items():
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            changes.append(Change(_label(model, name), _show(model, name, old, related),
                                  _show(model, name, new, related)))
        out.append(ReadableEntry(
            time=timezone.localtime(e.time) if timezone.is_aware(e.time) else e.time,
            actor=e.actor_label or _("系统"),
            action=action_words(e.action, model),
            target=e.target_repr,
            changes=changes,
        ))
    return out
