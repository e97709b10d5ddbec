"""The package's own exceptions: one per boundary, each with a message a musician understands."""


class JazzError(Exception):
    """Base class: every failure the user can cause ends in one of these, with a plain sentence."""


class BadScoreError(JazzError):
    """The music could not be read, or holds too little to learn from."""


class BadBundleError(JazzError):
    """A saved model bundle is missing, damaged or of another format version."""


class SynthesizerError(JazzError):
    """FluidSynth or its soundfont is missing or unusable, or there is nothing to play."""
