"""Facade for this session: the reading entry points moved to `jazz_core.reading`; import them from there.

Kept only so the page, pianoroll and benchmarks keep working while they move their imports.
"""

from jazz_core.reading import *  # noqa: F403
from jazz_core.reading import __all__  # noqa: F401
