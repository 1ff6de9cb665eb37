"""The one patch of a library the build keeps: kernels start one at a time (innobarometer.kernels)."""

import hashlib
import inspect

from nbclient import NotebookClient

from innobarometer.kernels import serialize_kernel_startups

#: The digest of the nbclient method the patch wraps, as reviewed (nbclient 0.11.0).
REVIEWED_SOURCE = "0034f6fd2447b05f"


def test_the_wrapped_nbclient_method_is_the_reviewed_one():
    # A changed upstream method may start kernels differently: review the patch, then the digest.
    original = getattr(NotebookClient.async_start_new_kernel_client, "__wrapped__", NotebookClient.async_start_new_kernel_client)
    assert hashlib.sha256(inspect.getsource(original).encode()).hexdigest()[:16] == REVIEWED_SOURCE


def test_serializing_twice_wraps_once():
    serialize_kernel_startups()
    first = NotebookClient.async_start_new_kernel_client
    serialize_kernel_startups()
    assert NotebookClient.async_start_new_kernel_client is first and first.serialized
