"""``calcml link --hub URL [LESSON]``: the nbgitpuller link that hands a lesson out on a
JupyterHub (clicking it clones or updates the course in the student's home, then opens
the lesson in JupyterLab)."""

from __future__ import annotations

import os
from urllib.parse import quote, urlencode

DEFAULT_REPOSITORY = "https://github.com/calcml/calcml"


def register(sub) -> None:
    p = sub.add_parser("link", help="print the nbgitpuller link that hands a lesson out on a JupyterHub",
                       description="Print a JupyterHub link (nbgitpuller) that puts the course "
                                   "into each student's home folder and opens a lesson.")
    p.add_argument("lesson", nargs="?", help="a lesson number or name (e.g. 5 or 05-gradients); "
                                             "default: the lessons folder")
    p.add_argument("--hub", required=True, metavar="URL", help="the hub, e.g. https://hub.example.edu")
    p.add_argument("--repo", default=os.environ.get("CALCML_REPOSITORY", DEFAULT_REPOSITORY),
                   help=f"the course repository (default {DEFAULT_REPOSITORY})")
    p.add_argument("--branch", default="main", help="the branch (default main)")
    p.set_defaults(func=run)


def lesson_stem(text: str) -> str:
    """``"5"``, ``"05"``, ``"05-gradients"`` or ``"gradients"`` → ``"05-gradients"``."""
    from calcml.lessons import LESSONS

    wanted = text.strip().removesuffix(".ipynb")
    for lesson in LESSONS:
        if wanted in {str(lesson.number), f"{lesson.number:02d}", lesson.stem, lesson.slug}:
            return lesson.stem
    names = ", ".join(lesson.stem for lesson in LESSONS)
    raise ValueError(f"no lesson {text!r}; the lessons are {names}")


def nbgitpuller_link(hub: str, repo: str, *, branch: str = "main", lesson: str | None = None) -> str:
    """The link; ``urlpath`` opens JupyterLab on the lesson (or the ``notebooks`` folder)."""
    hub = hub.strip().rstrip("/")
    if not hub.startswith(("https://", "http://")):
        raise ValueError(f"the hub must be a URL starting with https://, got {hub!r}")
    folder = repo.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    target = f"{folder}/notebooks" + (f"/{lesson}.ipynb" if lesson else "")
    query = urlencode({"repo": repo, "urlpath": f"lab/tree/{target}", "branch": branch},
                      quote_via=quote, safe="")
    return f"{hub}/hub/user-redirect/git-pull?{query}"


def run(args) -> int:
    from calcml.cli import UserError

    try:
        stem = lesson_stem(args.lesson) if args.lesson else None
        print(nbgitpuller_link(args.hub, args.repo, branch=args.branch, lesson=stem))
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return 0
