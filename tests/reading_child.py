"""A child for the reading budget tests: `python -m tests.reading_child memory|sleep`, run by run_child."""

from __future__ import annotations

import sys
import tempfile
import time

from jazz_core.reading.child import answer


def _hog(data: bytes) -> str:
    if sys.argv[1] == "sleep":  # leaves a temporary file, then outlives its budget
        with open(tempfile.mkstemp(suffix=".mxl")[1], "wb") as file:
            file.write(data)
        time.sleep(60)
    return str(len(bytearray(3 * 1024 ** 3)))  # more than the 2 GB the child may map


if __name__ == "__main__":
    answer(_hog, "MusicXML")
