"""Reading untrusted scores in a child Python with a time budget, a memory cap and its own temp folder.

The parent runs `python -m MODULE ARGS` with the score's bytes on stdin and a fresh temporary
folder as the child's TMPDIR, removed when the child ends however it ends (a child stopped at
its time budget leaves no bytes behind). The child caps its own address space (RLIMIT_AS) before
it reads anything and answers with JSON on stdout: the RawScore, or {"error": sentence}.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable

from jazz_core.errors import BadScoreError

MEMORY_BYTES = 2 * 1024 ** 3  # address space of a reading child: a score that needs more is stopped
_MEMORY_WORDS = "MemoryError"


def _too_much(kind: str, what: str) -> BadScoreError:
    return BadScoreError(f"Reading this {kind} file {what}, so it was stopped. Try a shorter score, "
                         "or export it again (as MIDI, for MusicXML or ABC).")


def run_child(module: str, args: list[str], data: bytes, seconds: float, kind: str) -> dict:
    """The child's JSON answer as a dict; BadScoreError (one sentence) for its error, its time or its memory."""
    with tempfile.TemporaryDirectory(prefix="jazz-reading-") as folder:
        environment = {**os.environ, "TMPDIR": folder, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        try:
            done = subprocess.run([sys.executable, "-m", module, *args], input=data, capture_output=True,
                                  timeout=seconds, check=False, env=environment)
        except subprocess.TimeoutExpired:
            raise _too_much(kind, f"took longer than {seconds:g} s") from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        if _MEMORY_WORDS.encode() in done.stderr or done.returncode < 0:
            raise _too_much(kind, f"needed more than {MEMORY_BYTES // 1024 ** 3} GB of memory") from None
        raise BadScoreError(f"This {kind} file could not be read.") from None
    if not isinstance(answer, dict):
        raise BadScoreError(f"This {kind} file could not be read.")
    if "error" in answer:
        raise BadScoreError(str(answer["error"]))
    return answer


def limit_memory(limit: int = MEMORY_BYTES) -> None:
    """Cap this process's address space (the child calls it first), so a runaway parse fails, not the machine."""
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def answer(work: Callable[[bytes], str], kind: str) -> None:
    """The child side: cap memory, read stdin, write `work`'s JSON (or the error as JSON) to stdout."""
    limit_memory()
    data = sys.stdin.buffer.read()
    try:
        text = work(data)
    except BadScoreError as error:
        text = json.dumps({"error": str(error)})
    except MemoryError:
        text = json.dumps({"error": str(_too_much(kind, f"needed more than {MEMORY_BYTES // 1024 ** 3} GB of "
                                                        "memory"))})
    sys.stdout.write(text)
