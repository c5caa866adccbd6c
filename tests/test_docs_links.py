"""Every link in README.md and docs/ resolves inside the repository (issue 14 item 16): markdown
links ([text](path)) and file paths written as code (`etl/store/export.py`, `data/seed/`). A
reader of a checkout, or of the repository on a web page, has nothing outside it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# where a path written as code may start: the repository, the document's folder, a package
# (docs/dashboard.md writes `assets/resize.js` for dashboard/assets/resize.js)
PACKAGES = ["dashboard", "etl"]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE = re.compile(r"`([^`\s]+)`")
FILE_LIKE = re.compile(r"(\.[A-Za-z]{1,5}|/)$")
# made by the first start, git-ignored: a fresh checkout has none of it (and the tests never write
# there), so its paths name places, not files to find
RUNTIME = ("instance/",)


def broken_links(doc: Path, root: Path = ROOT) -> list[str]:
    def inside(path: Path) -> bool:
        return path.resolve().is_relative_to(root)

    text = doc.read_text(encoding="utf-8")
    bad = []
    for match in LINK.finditer(text):
        target = match.group(1).split("#")[0]
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target):  # an anchor, a URL
            continue
        path = doc.parent / target
        if not (path.exists() and inside(path)):
            bad.append(f"[…]({match.group(1)})")
    for match in CODE.finditer(text):
        target = match.group(1).split("::")[0].split("#")[0]
        target = re.sub(r":\d+(-\d+)?$", "", target)  # etl/x.py:120
        if ("/" not in target or re.match(r"^[a-z][a-z0-9+.-]*:", target)
                or any(ch in target for ch in "*<>{}|=$%?")):
            continue
        if not FILE_LIKE.search(target) or target.startswith(RUNTIME):
            continue
        if target.startswith("/"):
            # an absolute path: a URL path ('/monitor/') unless it names a file on this machine,
            # which would be outside the repository
            if target.strip("/") and Path(target).exists():
                bad.append(f"`{match.group(1)}` (outside the repository)")
            continue
        if not any((base / target).exists() and inside(base / target)
                   for base in (root, *(root / p for p in PACKAGES), doc.parent)):
            bad.append(f"`{match.group(1)}`")
    return bad


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_every_link_resolves_inside_the_repository(doc):
    assert broken_links(doc) == []


def test_the_check_finds_a_link_outside(tmp_path):
    outside = ROOT.parent  # a folder on this machine, outside the (temporary) repository
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "method.md").write_text("", encoding="utf-8")
    (tmp_path / "etl" / "store").mkdir(parents=True)
    (tmp_path / "etl" / "store" / "export.py").write_text("", encoding="utf-8")
    doc = tmp_path / "docs" / "x.md"
    doc.write_text("See [layouts](../../shared/reference/statistics-file-layouts.md), "
                   "`shared/reference/digital-longjiang-policy.zh.txt`, `etl/store/export.py`, "
                   f"`{outside}/`, the URL path `/monitor/` and [ok](method.md).", encoding="utf-8")
    found = broken_links(doc, root=tmp_path)
    assert found == ["[…](../../shared/reference/statistics-file-layouts.md)",
                     "`shared/reference/digital-longjiang-policy.zh.txt`",
                     f"`{outside}/` (outside the repository)"]
