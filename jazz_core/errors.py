"""The package's own exceptions: one per boundary, each with a message a musician understands."""


class JazzError(Exception):
    """Base class: every failure the user can cause ends in one of these, with a plain sentence."""


class BadScoreError(JazzError):
    """The music could not be read, or holds too little to learn from."""


class BadBundleError(JazzError):
    """A saved model bundle is missing, damaged or of another format version."""


class SynthesizerError(JazzError):
    """FluidSynth or its soundfont is missing or unusable, or there is nothing to play."""


class SettingsError(JazzError, ValueError):
    """A setting is out of range or of the wrong kind; the message quotes the bad value and the allowed range."""


class RerollError(JazzError):
    """A bar of a take cannot be re-rolled: there is no such bar, or it holds no notes of its own."""


class FileAccessError(JazzError):
    """A path cannot be read or written: missing, not a regular file, too large, or in a folder that refuses writes."""
