"""A fresh Python process for one measurement: `python -m bench.child TASK '{"argument": ...}'`.

Nothing but the standard library is imported before the task starts, so the task can time its
own imports (TensorFlow, music21) apart from its work. The answer is one JSON line on stdout.
"""

from __future__ import annotations

import importlib
import json
import sys

from bench.common import answer

TASKS = {
    "train": "bench.training:child_train",
    "preprocess": "bench.preprocessing:child_preprocess",
    "course_parse": "bench.preprocessing:child_course_parse",
    "course_sampling": "bench.generation:child_course_sampling",
    "scaling_train": "bench.scaling:child_scaling_train",
}


def main() -> None:
    """Run the task named on the command line with its JSON arguments and print its answer."""
    task, arguments = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    module, function = TASKS[task].split(":")
    answer(getattr(importlib.import_module(module), function)(**arguments))


if __name__ == "__main__":
    main()
