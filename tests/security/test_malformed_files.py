"""The malformed-file corpus replayed against every import: the web page's needs and resources
imports and the ``import_needs`` command. Each file is refused with its message, never a 500, and
nothing is saved (no need, no resource, no audit row)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lianxi.audit.models import AuditEntry
from lianxi.lists.models import Need, Resource
from tests.security import corpus

BUILT = {}


def build(case):
    if case.name not in BUILT:
        BUILT[case.name] = case.build()
    return BUILT[case.name]


def upload(data: bytes, name="清单.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return file


def counts():
    """Needs, resources and audit rows other than the job's own (queued, failed)."""
    return (Need.objects.count(), Resource.objects.count(),
            AuditEntry.objects.exclude(action__startswith="jobs.").count())


@pytest.mark.parametrize("which", ["needs", "resources"])
@pytest.mark.parametrize("case", corpus.CASES, ids=lambda c: c.name)
def test_web_import_refuses_with_a_clear_message(world, client_for, case, which):
    client = client_for(world.secretariat)
    client.raise_request_exception = False
    before = counts()
    response = client.post(reverse("lists:excel"), {
        "which": which, f"{which}-conference": world.district.pk, f"{which}-file": upload(build(case)),
    }, follow=True)  # the import runs as a job; its page shows the outcome
    assert response.status_code == 200
    page = response.content.decode()
    assert case.message in page
    assert "已导入" not in page
    assert counts() == before


@pytest.mark.parametrize("case", corpus.CASES, ids=lambda c: c.name)
def test_command_import_refuses_with_a_clear_message(world, tmp_path, case):
    path = tmp_path / f"{case.name}.xlsx"
    path.write_bytes(build(case))
    before = counts()
    with pytest.raises(CommandError, match=case.message):
        call_command("import_needs", str(path), conference=world.district.pk, user="secretariat")
    assert counts() == before


def test_every_row_is_read_whatever_the_dimension_says(world, client_for):
    response = client_for(world.secretariat).post(reverse("lists:excel"), {
        "which": "needs", "needs-conference": world.district.pk, "needs-file": upload(corpus.dimension_lie(50)),
    }, follow=True)
    assert "已导入需求 50 条" in response.content.decode()
    assert Need.objects.filter(title__startswith="示例导入需求").count() == 50


def test_entities_are_never_expanded(world):
    from lianxi.lib import excel

    for builder in (corpus.xxe, corpus.billion_laughs):
        with pytest.raises(excel.ExcelFormatError, match=corpus.CORRUPT):
            list(excel.read_rows(io.BytesIO(builder()), [excel.Column("owner", "需求单位", required=True)]))
