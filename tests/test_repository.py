"""The repository stands alone: its README and docs point to nothing outside it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_and_docs_point_only_inside_the_repository():
    outside = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        outside += [(path.name, m) for m in re.findall(r"\.\./[\w./-]+", text)]
        for target in re.findall(r"\]\(([^)#:]+)\)", text):
            if not (path.parent / target).exists():
                outside.append((path.name, target))
    assert outside == []
