"""`jupyter-book` with parallel reading: `python -m innobarometer.jupyter_book_cli build ...`.

Jupyter Book 1's command line has no option for Sphinx's parallel jobs, though its build
function takes one; reading pages (and so executing notebooks) in parallel uses both cores.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import jupyter_book.sphinx

JOBS = int(os.environ.get("INNOBAROMETER_JOBS", os.cpu_count() or 1))


def declare_multitoc_numbering_parallel_safe() -> None:
    """sphinx-external-toc always loads sphinx-multitoc-numbering, which does not declare that it
    is safe for parallel reading (Sphinx then warns, which -W makes an error, and reads serially).
    It is safe: it only replaces the section numbering that runs after all pages are read."""
    import sphinx_multitoc_numbering

    setup = sphinx_multitoc_numbering.setup

    def setup_declared(app):
        return (setup(app) or {}) | {"parallel_read_safe": True, "parallel_write_safe": True}

    sphinx_multitoc_numbering.setup = setup_declared


def create_execution_cache(book: Path) -> None:
    """Create the execution cache's database before Sphinx forks its readers: two readers that
    find no database both create its tables, and the second fails."""
    import yaml
    from jupyter_cache import get_cache

    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8")) or {}
    path = (config.get("execute") or {}).get("cache") or "_build/.jupyter_cache"
    get_cache(str(book / path)).list_cache_records()


def main() -> None:
    from innobarometer.kernels import serialize_kernel_startups

    serialize_kernel_startups()
    declare_multitoc_numbering_parallel_safe()
    build_sphinx = jupyter_book.sphinx.build_sphinx

    def build_sphinx_in_parallel(*args, **kwargs):
        return build_sphinx(*args, **(kwargs | {"jobs": JOBS}))

    jupyter_book.sphinx.build_sphinx = build_sphinx_in_parallel
    if len(sys.argv) > 2 and sys.argv[1] == "build":
        create_execution_cache(Path(sys.argv[2]).resolve())
    from jupyter_book.cli.main import main as jupyter_book_main

    sys.argv[0] = "jupyter-book"
    jupyter_book_main()


if __name__ == "__main__":
    main()
