"""The primer is an appendix: numbered 0, listed after the lessons, under its own caption."""

from calcml.book import _toc
from calcml.lessons import APPENDICES, LESSONS, existing_lessons
from conftest import ROOT


def test_the_eleven_lessons_are_unchanged_and_the_primer_is_an_appendix():
    assert [lesson.number for lesson in LESSONS] == list(range(1, 12))
    assert not any(lesson.appendix for lesson in LESSONS)
    primer = {page.slug: page for page in APPENDICES}["primer"]
    assert primer.appendix
    assert primer.stem == "00-primer"


def test_existing_lessons_lists_the_appendices_last():
    pages = [lesson for lesson, _ in existing_lessons(ROOT)]
    assert pages[-1].stem == "00-primer"
    assert all(not p.appendix for p in pages[:-1])


def test_the_book_lists_the_primer_under_its_own_caption():
    pages = [lesson for lesson, _ in existing_lessons(ROOT)]
    toc = _toc(pages)
    lessons_part, appendix_part = toc.split(":caption: Appendix")
    assert "notebooks/00-primer" in appendix_part
    assert "notebooks/00-primer\n" not in lessons_part.split(":caption: Lessons")[1]
    assert "[Appendix — A primer on the notation](notebooks/00-primer.ipynb)" in toc
    assert toc.index("notebooks/01-functions-and-limits.ipynb") < toc.index(
        "notebooks/00-primer.ipynb")


def test_without_appendices_there_is_no_appendix_caption():
    assert ":caption: Appendix" not in _toc(list(LESSONS[:2]))
