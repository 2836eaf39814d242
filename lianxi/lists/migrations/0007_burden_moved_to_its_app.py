"""The burden gate's models now belong to lianxi.burden (same tables): the lists forget them and a
claim's invitation points at burden.BurdenRequest."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('burden', '0001_burden_moved_from_lists'),
        ('lists', '0006_burden_kinds_visit_report_reminder'),
        ('matching', '0002_invitation_points_to_burden'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of which app owns the model changes.
            state_operations=[
                migrations.RemoveField(
                    model_name='burdendigest',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='burdenrequest',
                    name='digest',
                ),
                migrations.RemoveField(
                    model_name='burdenrequest',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='burdenrequest',
                    name='subject_type',
                ),
                migrations.RemoveField(
                    model_name='burdenrequest',
                    name='unit',
                ),
                migrations.AlterField(
                    model_name='claim',
                    name='via_request',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='claims', to='burden.burdenrequest', verbose_name='来自邀请'),
                ),
                migrations.DeleteModel(
                    name='BurdenCap',
                ),
                migrations.DeleteModel(
                    name='BurdenDigest',
                ),
                migrations.DeleteModel(
                    name='BurdenRequest',
                ),
            ],
            database_operations=[],
        ),
    ]
