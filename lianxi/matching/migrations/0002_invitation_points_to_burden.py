"""A suggestion's invitation points at burden.BurdenRequest (same table as lists.BurdenRequest)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('burden', '0001_burden_moved_from_lists'),
        ('matching', '0001_matching_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of which app owns the model changes.
            state_operations=[
                migrations.AlterField(
                    model_name='suggestion',
                    name='invitation',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='suggestions', to='burden.burdenrequest', verbose_name='认领邀请'),
                ),
            ],
            database_operations=[],
        ),
    ]
