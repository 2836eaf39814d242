"""The app runs on a government intranet: no template or stylesheet may load anything from outside."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "lianxi"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""", re.I)


def _files(*patterns):
    for pattern in patterns:
        yield from ROOT.rglob(pattern)


def test_no_template_or_stylesheet_references_an_outside_host():
    offenders = []
    for path in _files("*.html", "*.css"):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if EXTERNAL.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()[:120]}")
    assert offenders == []


def test_vendored_scripts_are_present():
    vendor = ROOT / "static" / "vendor"
    assert (vendor / "htmx-2.0.11.min.js").stat().st_size > 40_000
    assert (vendor / "echarts-5.6.0.min.js").stat().st_size > 900_000
