"""The repository's front matter agrees with the course: README, licences, Binder pins."""

import re

from calcml.lessons import APPENDICES, LESSONS
from conftest import ROOT


def test_readme_lists_every_lesson_in_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    positions = [readme.find(f"notebooks/{lesson.stem}.ipynb") for lesson in LESSONS]
    assert all(p > 0 for p in positions), "README's lesson table is missing a lesson"
    assert positions == sorted(positions)
    for lesson in LESSONS:
        assert lesson.teaches in readme


def test_readme_names_the_appendices_after_the_lessons():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    last_lesson = readme.find(f"notebooks/{LESSONS[-1].stem}.ipynb")
    for page in APPENDICES:
        assert page.appendix
        assert page.number == 0
        assert readme.find(f"notebooks/{page.stem}.ipynb") > last_lesson, page.stem


def test_readme_names_the_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("book", "test", "lab", "test-latest"):
        assert f"make {target}" in readme
        assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), target
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_licences_present():
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "CC BY 4.0" in (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")


def test_binder_pins_match_the_lock_file():
    lock = (ROOT / "uv.lock").read_text(encoding="utf-8")
    locked = set(re.findall(r'^name = "([^"]+)"\nversion = "([^"]+)"', lock, re.MULTILINE))
    lines = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = [line.split(";")[0].strip() for line in lines if line and not line.startswith("#")]
    assert pins, "binder/requirements.txt is empty"
    for pin in pins:
        name, version = pin.split("==")
        assert (name, version) in locked, f"{pin} is not in uv.lock — run `make binder`"
    names = {pin.split("==")[0] for pin in pins}
    for needed in ("numpy", "sympy", "matplotlib", "ipywidgets", "jupyterlab"):
        assert needed in names
