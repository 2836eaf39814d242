"""axe-core in the browser tests: every page a persona reaches has no critical or serious
violation. axe.min.js (MPL-2.0, see LICENSE beside it) is used by the tests only, never served."""

from pathlib import Path

AXE = Path(__file__).with_name("axe") / "axe.min.js"
BLOCKING = {"critical", "serious"}


def axe_violations(page) -> list[dict]:
    """Critical and serious violations on the page as it is now: ``[{id, impact, help, nodes}]``."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in BLOCKING
    ]


def assert_accessible(page, where: str = ""):
    violations = axe_violations(page)
    assert violations == [], f"{where or page.url}: {violations}"
