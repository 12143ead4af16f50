"""The built book in a real headless Chromium: every lesson page loads, formulas are
typeset, figures decode, nothing is fetched from outside 127.0.0.1, no console errors.

Chromium is Debian's (`chromium` on PATH), driven by Playwright; `playwright install`
cannot download a browser here. Without Chromium these tests skip on a laptop and
fail in CI (where `.ci/run` installs it).
"""

import functools
import http.server
import os
import shutil
import threading
import time
from urllib.parse import urlparse

import pytest

from calcml.book import build
from calcml.lessons import existing_lessons
from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
LESSON_STEMS = [lesson.stem for lesson, _ in existing_lessons(ROOT)]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def _chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: Debian's chromium is not on PATH")
        pytest.skip("headless Chromium not found (apt-get install chromium to run the book tests)")
    return path


def _wait_for_lessons(session, executed_dir, limit=900.0):
    """Wait until every lesson that tests/test_notebooks.py runs in this session (in the
    other test process) is executed or has failed: executing it here as well would do the
    slowest work of the suite twice. A lesson not run by this session is not waited for;
    after ``limit`` seconds, whatever is missing is executed by the build."""
    marker = "test_lesson_runs_solutions_pass_and_output_is_deterministic["
    stems = {item.nodeid.split(marker, 1)[1].rstrip("]") for item in session.items
             if marker in item.nodeid}
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if all((executed_dir / f"{s}.ipynb").exists() or (executed_dir / f"{s}.failed").exists()
               for s in stems):
            return
        time.sleep(0.5)


@pytest.fixture(scope="session")
def site(request, tmp_path_factory, executed_dir):
    """Build the book into a temporary folder and serve it on 127.0.0.1 (lessons that
    tests/test_notebooks.py has already executed are rendered as they are)."""
    _chromium()
    _wait_for_lessons(request.session, executed_dir)
    out = tmp_path_factory.mktemp("book")
    index = build(ROOT, out=out, jobs=1, show_progress=False, executed=executed_dir)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(index.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=_chromium(), headless=True,
                                     args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _visit(browser, url, name):
    """Open url with every request routed: count and block what leaves 127.0.0.1."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside, errors = [], []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, outside, errors


def _missing_alt_text(images):
    """The images (src, alt) whose alt text says nothing: none, empty, or the file's own
    name or hash (what myst-nb writes when a cell has no ``mystnb: image: alt:``)."""
    import re

    missing = []
    for src, alt in images:
        stem = src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        text = (alt or "").strip()
        if not text or text == stem or re.fullmatch(r"[0-9a-f]{16,}", text) or len(text) < 8:
            missing.append(src[-80:])
    return missing


def test_missing_alt_text_is_recognised():
    # no browser needed: the rule the page test applies
    hashed = "../_images/c5e60710011f70fe55fecedbba975c6c58bf2d905d7c8938f344b7a5d72faac7.png"
    stem = hashed.rsplit("/", 1)[-1].removesuffix(".png")
    assert _missing_alt_text([(hashed, stem)]) == [hashed[-80:]]
    assert _missing_alt_text([(hashed, ""), (hashed, None)]) == [hashed[-80:]] * 2
    assert _missing_alt_text([(hashed, "A rectangle with sides u and v, grown by two strips")
                              ]) == []
    assert _missing_alt_text([("../_static/images/logo_binder.svg", "Binder logo")]) == []


@pytest.mark.parametrize("stem", ["03-rules-of-differentiation", "06-chain-rule"])
def test_every_figure_cell_carries_alt_text(stem):
    """In the source: each cell that draws a figure has ``mystnb: image: alt:`` (what
    myst-nb writes on the ``<img>``; the page test checks the rendered result)."""
    from calcml.notebook import read_notebook

    nb = read_notebook(ROOT / "notebooks" / f"{stem}.md")
    draws = ("plt.subplots", "interactive_figure(", "plt.figure")
    missing = [cell.source.splitlines()[0] for cell in nb.cells if cell.cell_type == "code"
               and any(d in cell.source for d in draws)
               and len(str(cell.metadata.get("mystnb", {}).get("image", {}).get("alt", ""))
                       .strip()) < 20]
    assert missing == []


def _shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))  # the first screen: a whole page costs ~3 s


def test_index_lists_every_lesson(site, browser):
    page, outside, errors = _visit(browser, f"{site}/index.html", "index")
    links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href') || '')")
    for stem in LESSON_STEMS:
        assert any(stem in href for href in links), f"{stem} missing from the table of contents"
    _shot(page, "index")
    assert outside == []
    assert errors == []
    page.close()


@pytest.mark.parametrize("stem", LESSON_STEMS)
def test_lesson_page(site, browser, stem):
    page, outside, errors = _visit(browser, f"{site}/notebooks/{stem}.html", stem)
    page.wait_for_selector("mjx-container", state="attached", timeout=20_000)  # the first may sit in a closed block
    assert page.locator("mjx-container").count() > 0, "no formula was typeset"
    assert page.locator("merror, mjx-merror").count() == 0, "MathJax reported a TeX error"
    images = page.eval_on_selector_all(
        "img", "imgs => Promise.all(imgs.map(i => i.decode().then(() => [i.src, i.naturalWidth],"
               " () => [i.src, 0])))")
    figures = [src for src, _ in images if "data:image" in src or "/_images/" in src]
    assert figures, "no figure on the page"
    broken = [src[:80] for src, width in images if width == 0]
    assert broken == [], f"images that do not decode: {broken}"
    headings = page.locator("h3", has_text="Exercise").count()
    assert headings >= 4
    assert page.locator("details summary", has_text="Solution").count() == headings
    launch = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
    assert any("mybinder.org" in href for href in launch), "no Binder launch link"
    # Colab would open the lesson without the calcml package: no such button
    assert not any("colab.research.google.com" in href for href in launch)
    alts = page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.getAttribute('src') || '', i.getAttribute('alt')])")
    assert _missing_alt_text(alts) == [], "images without alt text that says what they show"
    _shot(page, stem)
    assert outside == [], f"requests left 127.0.0.1: {outside[:5]}"
    assert errors == [], f"console errors: {errors[:5]}"
    page.close()
