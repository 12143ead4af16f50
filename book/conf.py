"""Sphinx configuration of the calcml book (staged and run by ``calcml build``).

The lessons arrive here already executed (``nb_execution_mode = "off"``). Everything
the pages load is served from the book itself: MathJax from a local copy
(``sphinx-mathjax-offline``), no widget JavaScript from a CDN.
"""

import os

project = "Calculus for Machine Learning"
author = "the calcml authors"
copyright = "2026, the calcml authors. Text CC BY 4.0, code MIT"

extensions = ["myst_nb", "sphinx_togglebutton", "sphinx-mathjax-offline"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "conf.py"]

# --- notebooks: executed by calcml build, rendered here --------------------------------
nb_execution_mode = "off"
nb_ipywidgets_js = {}  # never load the widget manager from a CDN
# the book cannot run a kernel: drop live-widget views so the static fallback
# (an image in the same output) is shown instead
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None),
                              ("html", "application/vnd.calcml.check+json", None)]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "html_admonition"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

# --- theme ------------------------------------------------------------------------------
repository_url = os.environ.get("CALCML_REPOSITORY", "https://github.com/calcml/calcml")
html_theme = "sphinx_book_theme"
html_title = "Calculus for Machine Learning"
html_static_path = ["_static"]
html_css_files = ["calcml.css"]
html_theme_options = {
    "repository_url": repository_url,
    "repository_branch": "main",
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": True,
    # Binder builds the course's environment (binder/) before it opens a lesson. Colab
    # would open the notebook in its own environment, where `import calcml` fails: no
    # Colab button (see tests/test_book.py).
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "notebook_interface": "jupyterlab",
    },
    "home_page_in_toc": True,
}
html_last_updated_fmt = None
html_context = {"default_mode": "light"}  # an explicit mode: the theme logs an error without one
