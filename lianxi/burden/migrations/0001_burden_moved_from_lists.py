"""The burden gate's models move from lianxi.lists to their own app. The tables keep their names
(Meta.db_table), so an existing database keeps its rows: nothing is copied or dropped."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def rename_content_types(apps, schema_editor, old="lists", new="burden"):
    """Audit rows and generic links point at content types: move the three rows to the new app
    label so old history still finds its objects (and permissions stay attached)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def restore_content_types(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="burden", new="lists")


MODELS = ["burdencap", "burdendigest", "burdenrequest"]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('lists', '0006_burden_kinds_visit_report_reminder'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('registry', '0003_search_trigram_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of which app owns the model changes.
            state_operations=[
                migrations.CreateModel(
                    name='BurdenCap',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('monthly_cap', models.PositiveIntegerField(verbose_name='每月上限')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('unit', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='burden_cap', to='registry.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '减负上限',
                        'verbose_name_plural': '减负上限',
                        'db_table': 'lists_burdencap',
                        'ordering': ['unit__name'],
                    },
                ),
                migrations.CreateModel(
                    name='BurdenDigest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('month', models.DateField(help_text='该月第一天', verbose_name='月份')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='创建时间')),
                        ('sent_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='发送时间')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='burden_digests', to='registry.unit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '减负汇总',
                        'verbose_name_plural': '减负汇总',
                        'db_table': 'lists_burdendigest',
                        'ordering': ['-month', 'unit__name'],
                    },
                ),
                migrations.CreateModel(
                    name='BurdenRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('confirm', '确认交付'), ('rate', '评价'), ('invitation', '认领邀请'), ('form', '填报'), ('visit', '走访预约'), ('report', '进展填报'), ('reminder', '提醒')], max_length=20, verbose_name='事项类型')),
                        ('month', models.DateField(help_text='该月第一天', verbose_name='计入月份')),
                        ('state', models.CharField(choices=[('pending', '待处理'), ('sent', '已送达'), ('batched_in_digest', '并入月度汇总'), ('awaiting_approval', '待管理员批准'), ('answered', '已答复'), ('withdrawn', '已撤回')], default='pending', editable=False, max_length=20, verbose_name='状态')),
                        ('subject_id', models.CharField(blank=True, max_length=64, verbose_name='涉及对象编号')),
                        ('summary', models.CharField(max_length=300, verbose_name='事项')),
                        ('link', models.CharField(blank=True, help_text='涉及对象的页面（其 get_absolute_url）', max_length=300, verbose_name='处理链接')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='发起时间')),
                        ('asked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='送达时间')),
                        ('answered_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='答复时间')),
                        ('digest', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='requests', to='burden.burdendigest', verbose_name='所属汇总')),
                        ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='burden_requests_made', to=settings.AUTH_USER_MODEL, verbose_name='发起人')),
                        ('subject_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='burden_requests', to='contenttypes.contenttype', verbose_name='涉及对象类型')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='burden_requests', to='registry.unit', verbose_name='对象单位')),
                    ],
                    options={
                        'verbose_name': '减负闸门记录',
                        'verbose_name_plural': '减负闸门记录',
                        'db_table': 'lists_burdenrequest',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='burdendigest',
                    index=models.Index(fields=['sent_at', 'month'], name='digest_unsent_month'),
                ),
                migrations.AddConstraint(
                    model_name='burdendigest',
                    constraint=models.UniqueConstraint(fields=('unit', 'month'), name='digest_one_per_unit_month', violation_error_message='该单位当月已有汇总。'),
                ),
                migrations.AddConstraint(
                    model_name='burdendigest',
                    constraint=models.CheckConstraint(condition=models.Q(('month__day', 1)), name='digest_month_first_day', violation_error_message='月份须为当月第一天。'),
                ),
                migrations.AddIndex(
                    model_name='burdenrequest',
                    index=models.Index(fields=['unit', 'month', 'state'], name='burden_unit_month_state'),
                ),
                migrations.AddIndex(
                    model_name='burdenrequest',
                    index=models.Index(fields=['subject_type', 'subject_id', 'kind'], name='burden_subject_kind'),
                ),
                migrations.AddIndex(
                    model_name='burdenrequest',
                    index=models.Index(fields=['state', 'created_at'], name='burden_state_created'),
                ),
                migrations.AddConstraint(
                    model_name='burdenrequest',
                    constraint=models.CheckConstraint(condition=models.Q(('month__day', 1)), name='burden_month_first_day', violation_error_message='月份须为当月第一天。'),
                ),
                migrations.AddConstraint(
                    model_name='burdenrequest',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'batched_in_digest'), _negated=True), ('digest__isnull', False), _connector='OR'), name='burden_batched_has_digest', violation_error_message='并入汇总的事项须指明汇总。'),
                ),
            ],
            database_operations=[
                migrations.RunPython(rename_content_types, restore_content_types),
            ],
        ),
    ]
