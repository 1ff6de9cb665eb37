"""Kernels started in parallel start one at a time.

A kernel manager picks free TCP ports by binding and releasing them, then the new kernel binds
them; two kernels starting at once can pick the same port ("Address already in use"), which
made parallel builds fail now and then. Holding a lock from picking the ports until the kernel
answers closes that window; the notebooks still execute in parallel.
"""

from __future__ import annotations

import fcntl
import tempfile
from pathlib import Path

LOCK = Path(tempfile.gettempdir()) / "innobarometer-kernel-start.lock"


def serialize_kernel_startups() -> None:
    from nbclient import NotebookClient

    start = NotebookClient.async_start_new_kernel_client
    if getattr(start, "serialized", False):
        return

    async def start_one_at_a_time(self, *args, **kwargs):
        with open(LOCK, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                return await start(self, *args, **kwargs)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    start_one_at_a_time.serialized = True
    start_one_at_a_time.__wrapped__ = start
    NotebookClient.async_start_new_kernel_client = start_one_at_a_time
