"""The trigger migration can be reversed and applied again (SQLite file in a subprocess)."""

import os
import sqlite3
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR.parent


def triggers(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}


def test_trigger_migration_reverses_and_reapplies(tmp_path):
    db = tmp_path / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANXI_", "DATABASE_URL", "DJANGO_"))}
    env.update(LIANXI_TESTING="true", LIANXI_DB_PATH=str(db))

    def migrate(*target):
        result = subprocess.run([sys.executable, "manage.py", "migrate", *target, "--no-input", "-v0"], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr

    migrate()
    assert {"audit_no_update", "audit_no_delete"} <= triggers(db)
    migrate("audit", "0001")
    assert not {"audit_no_update", "audit_no_delete"} & triggers(db)
    migrate("audit")
    assert {"audit_no_update", "audit_no_delete"} <= triggers(db)
