"""axe-core for the browser tests, vendored at test time and never committed.

Where axe.min.js comes from, first found wins: $NPQ_AXE_JS; a cached copy in ~/.cache/npq-workbook (or
$XDG_CACHE_HOME); ``npm pack axe-core@4`` into that cache (npm only needs the registry, which these machines reach);
the copy bundled in the PyPI package ``axe-playwright-python``, if installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

AXE_SPEC = "axe-core@4"
# WCAG 2.0/2.1/2.2 A and AA, plus axe's best practices (landmarks, one h1, heading order)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "npq-workbook" / "axe-core"


def axe_source() -> Path:
    explicit = os.environ.get("NPQ_AXE_JS")
    if explicit:
        return Path(explicit)
    cache = _cache_dir()
    found = sorted(cache.glob("*/axe.min.js"))
    if found:
        return found[-1]
    npm = shutil.which("npm")
    if npm:
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run([npm, "pack", AXE_SPEC, "--silent", "--pack-destination", tmp],
                                  capture_output=True, text=True, timeout=180)
            tgz = next(Path(tmp).glob("axe-core-*.tgz"), None)
            if done.returncode == 0 and tgz is not None:
                version = tgz.name[len("axe-core-"):-len(".tgz")]
                target = cache / version
                target.mkdir(parents=True, exist_ok=True)
                with tarfile.open(tgz) as tar:
                    member = tar.getmember("package/axe.min.js")
                    (target / "axe.min.js").write_bytes(tar.extractfile(member).read())
                return target / "axe.min.js"
    try:
        import axe_playwright_python

        bundled = Path(axe_playwright_python.__file__).parent / "axe.min.js"
        if bundled.exists():
            return bundled
    except ImportError:
        pass
    raise RuntimeError("axe-core not found: install npm (Debian package npm) or `pip install axe-playwright-python`, "
                       "or point NPQ_AXE_JS at an axe.min.js")


def run_axe(page, axe_js: Path) -> list[dict]:
    """Inject axe into the page and return its violations (id, impact, help, nodes)."""
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200)}))}));
        }""", TAGS)
    return result
