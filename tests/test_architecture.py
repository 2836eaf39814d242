"""Access is decided in gates only: no view, API function, form or service reads grants or roles.

The checker walks the source's syntax trees and reports every place outside the gate modules that
calls ``access_for``, reads ``Grant`` rows or a user's grant sets, or tests ``is_superuser``. The
second test plants such a check in a temporary module and shows the checker reports it."""

import ast
import pathlib
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent / "lianxi"

# Attributes of ``Access`` (and of users) that are grants or roles: reading them is deciding access.
ROLE_ATTRS = {
    "is_superuser",
    "admin_conferences",
    "secretariat_conferences",
    "reviewer_conferences",
    "liaison_units",
    "street_units",
    "own_units",
    "managed_conferences",
}
# Files allowed to read grants: the gates, the Access object itself, the grant service and model,
# and the test personas (lianxi/testing.py) that set grants up.
ALLOWED_FILES = {"accounts/access.py", "accounts/services.py", "accounts/models.py", "testing.py"}


def _allowed(rel: str) -> bool:
    parts = rel.split("/")
    return (
        parts[-1] == "gates.py"
        or rel in ALLOWED_FILES
        or "tests" in parts
        or "migrations" in parts
    )


def _is_gate_module(value) -> bool:
    return isinstance(value, ast.Name) and (value.id == "gates" or value.id.endswith("_gates"))


def violations_in(source: str, name: str = "<source>") -> list[str]:
    """Every grant or role read in ``source``, as ``name:line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        what = None
        if isinstance(node, ast.Name) and node.id == "access_for":
            what = "access_for"
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in {"access_for", "Access"}:
            what = f"import {node.name}"
        elif isinstance(node, ast.Attribute):
            if _is_gate_module(node.value):
                continue  # ``gates.managed_conferences(user)``: asking a gate is the allowed way
            if node.attr in ROLE_ATTRS or node.attr == "access_for":
                what = f".{node.attr}"
            elif node.attr == "grants":
                what = ".grants"
            elif node.attr == "objects" and isinstance(node.value, ast.Name) and node.value.id == "Grant":
                what = "Grant.objects"
        elif isinstance(node, ast.keyword) and node.arg and node.arg.startswith("grants__"):
            what = node.arg
        if what:
            found.append(f"{name}:{getattr(node, 'lineno', '?')}: {what}")
    return found


def scan(root: pathlib.Path = ROOT) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if _allowed(rel):
            continue
        out.extend(violations_in(path.read_text(encoding="utf-8"), rel))
    return out


def test_access_is_decided_in_gates_only():
    assert scan() == []


def test_checker_reports_a_planted_access_check(tmp_path):
    app = tmp_path / "planted"
    app.mkdir()
    (app / "views.py").write_text(textwrap.dedent("""
        from lianxi.accounts.access import access_for

        def page(request):
            if request.user.is_superuser or access_for(request.user).liaison_units:
                return 1
            return Grant.objects.filter(user=request.user).exists()

        def other(request):
            return gates.managed_conferences(request.user)  # a gate's answer: allowed
    """), encoding="utf-8")
    # The same check inside a gate module is where it belongs, and is not reported.
    (app / "gates.py").write_text("from lianxi.accounts.access import access_for\n", encoding="utf-8")
    assert sorted(scan(tmp_path)) == [
        "planted/views.py:2: import access_for",
        "planted/views.py:5: .is_superuser",
        "planted/views.py:5: .liaison_units",
        "planted/views.py:5: access_for",
        "planted/views.py:7: Grant.objects",
    ]
