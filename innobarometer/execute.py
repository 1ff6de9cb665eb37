"""Execute notebooks into the execution cache in parallel: `python -m innobarometer.execute NB...`.

Run as its own process by the build: it imports nothing but jupyter-cache before its worker
processes fork, since forking a process whose libraries already started threads (the build
has loaded pandas and the data) can deadlock the workers.
"""

from __future__ import annotations

import sys

from innobarometer.escape import printable
from innobarometer.paths import EXECUTION_CACHE, EXECUTION_TIMEOUT


def main(paths: list[str]) -> int:
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    from innobarometer.kernels import serialize_kernel_startups

    serialize_kernel_startups()
    cache = get_cache(str(EXECUTION_CACHE))
    for path in paths:
        cache.add_nb_to_project(path, read_data={"name": "myst_nb_md", "type": "plugin"})
    result = load_executor("local-parallel", cache=cache).run_and_cache(filter_uris=paths, timeout=EXECUTION_TIMEOUT)
    failed = result.errored + result.excepted
    if failed:
        print("Notebooks that failed to execute: " + ", ".join(map(printable, failed)), file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
