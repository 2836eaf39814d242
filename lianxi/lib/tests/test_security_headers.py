"""Security headers on every page, no inline script or style in any template, and the README's
production variables pass ``manage.py check --deploy`` without a single warning."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR).parent
README = ROOT / "README.md"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/conferences", "/admin/login/"])
def test_pages_carry_csp_and_permissions_policy(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


INLINE = [
    # A JSON data block (<script type="application/json">, Swagger UI's settings) is never run, and
    # the Content-Security-Policy does not govern it; any other <script> without src is inline code.
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* event attribute"),
    (re.compile(r"\shx-on", re.I), "hx-on (needs eval)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    found = []
    for template in sorted((ROOT / "lianxi").rglob("templates/**/*.html")):
        text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                found.append(f"{template.relative_to(ROOT)}: {what}: {match.group(0).strip()[:40]}")
    assert found == []


def production_variables() -> dict[str, str]:
    """The block of production variables in the README (between the production-env markers)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- production-env -->", 2)[1]
    out = {}
    for line in block.splitlines():
        line = line.strip()
        if re.match(r"^[A-Z_]+=", line):
            key, value = line.split("=", 1)
            out[key] = value.split(" #", 1)[0].strip()
    return out


def test_check_deploy_passes_with_the_readme_production_settings(tmp_path):
    variables = production_variables()
    assert {"LIANXI_SSL_REDIRECT", "LIANXI_HSTS_SECONDS", "LIANXI_SECURE_COOKIES", "LIANXI_PROXY_SSL_HEADER"} <= set(variables)
    key_file = tmp_path / "secret-key"
    key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    variables["LIANXI_SECRET_KEY_FILE"] = str(key_file)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANXI_", "DATABASE_URL", "DJANGO_"))}
    env.update(variables, LIANXI_TESTING="false")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_them(tmp_path):
    """The same check on the development defaults does warn (so the test above checks something)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANXI_", "DATABASE_URL", "DJANGO_"))}
    env.update(LIANXI_TESTING="false", LIANXI_SECRET_KEY=secrets.token_urlsafe(50))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout
