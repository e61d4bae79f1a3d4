"""Files: writing one so that it is never half-written, and saying in words why a file failed.

=================================  =============================================
``write_atomically(path, text)``   write ``path + ".tmp"``, then rename it over
                                   ``path``: a failure leaves the old file
                                   (``text`` may be bytes)
``read_bytes(path)``               a file's contents
``reason(error, needed)``          an ``OSError`` in words, never a bare number
``not_found(error, path)``         whether an ``OSError`` means ``path`` is absent
``path_text(path)``                a path (a str or a ``pathlib.Path``) as a str
=================================  =============================================

The same code runs on CPython, PyPy and MicroPython, whose file errors
differ: CPython's ``OSError`` carries a message (``strerror``), while
MicroPython's carries only a number, and on its WebAssembly port the number
of the host system (``OSError(44)`` for a missing file, while its own
``errno.ENOENT`` is 2).  The functions here turn both into the same words.
"""

import os

try:
    import errno
except ImportError:  # a MicroPython port built without it
    errno = None  # type: ignore[assignment]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike
    from typing import Optional, Union

    Path = Union[str, PathLike[str]]

ENOENT = getattr(errno, "ENOENT", 2)  # "no such file or directory"


def path_text(path: "Path") -> "Optional[str]":
    """A path as a str (``pathlib.Path`` objects work too where ``os.fspath``
    exists), or None when it is not a text path."""
    fspath = getattr(os, "fspath", None)
    text = fspath(path) if fspath is not None else path
    return text if isinstance(text, str) else None


def read_bytes(path: str) -> bytes:
    """The contents of the file ``path``; an ``OSError`` if it cannot be read."""
    with open(path, "rb") as handle:
        return handle.read()


def write_text(path: str, text: "Union[str, bytes]") -> None:
    """Write ``text`` (or bytes) to ``path`` and make sure it is on disk (where
    ``os.fsync`` exists)."""
    with open(path, "wb" if isinstance(text, bytes) else "w") as handle:
        handle.write(text)
        fsync = getattr(os, "fsync", None)
        if fsync is not None:
            # The bytes must be on disk before a rename makes them the file.
            handle.flush()
            fsync(handle.fileno())


def write_atomically(path: str, text: "Union[str, bytes]") -> None:
    """Write ``text`` to ``path``, replacing the file only once the text is complete.

    ``text`` may be ``bytes`` (an ONNX file), written as they are.

    The text goes to ``path + ".tmp"``, which is then renamed to ``path``: a
    rename replaces a file in one step, so if anything fails (a full disk,
    Ctrl-C) ``path`` keeps its old contents, or stays absent, and the
    temporary file is removed.  An ``OSError`` is raised again for the
    caller to word.
    """
    temporary = path + ".tmp"
    rename = getattr(os, "replace", None) or getattr(os, "rename", None)
    if rename is None:
        # No way to rename here: write in place, the best this port allows.
        write_text(path, text)
        return
    try:
        write_text(temporary, text)
        rename(temporary, path)
    except BaseException:
        _remove_quietly(temporary)
        raise


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def reason(error: OSError, needed: str) -> str:
    """What went wrong with a file, in words, never a bare error number.

    ``needed`` is the path whose absence would explain ``error``: the file
    being read, or the folder being written into.
    """
    if not_found(error, needed):
        return "no such file or directory"
    strerror = getattr(error, "strerror", None)
    if strerror:
        return str(strerror).lower()
    if error.args and not isinstance(error.args[0], int):
        return str(error)  # raised with a message rather than a number
    # MicroPython gives only a number, and on its WebAssembly port the host's
    # number, which its own errno table would misname: no guessing.
    return "the system refused without saying why"


def not_found(error: OSError, path: str) -> bool:
    """True when ``error`` means that ``path`` does not exist.

    The error number decides where it is ``errno.ENOENT``.  A bare number
    with no ``strerror`` (MicroPython's WebAssembly port) is checked by
    looking for ``path`` in its folder.
    """
    code = getattr(error, "errno", None) or (error.args[0] if error.args else None)
    if code == ENOENT:
        return True
    if getattr(error, "strerror", None):
        return False  # CPython: the number is the platform's own, and was not ENOENT
    return _missing(path)


def folder(path: str) -> str:
    """The folder holding ``path`` (``"."`` for a bare file name)."""
    cut = path.rstrip("/").rfind("/")
    if cut < 0:
        return "."
    return path[:cut] or "/"


def is_folder(path: str) -> bool:
    """True when ``path`` is a folder that can be listed."""
    try:
        os.listdir(path)
    except OSError:
        return False
    return True


def _missing(path: str) -> bool:
    """True when ``path`` is certainly absent: its folder does not list it, or is missing too."""
    name = path.rstrip("/")
    name = name[name.rfind("/") + 1:]
    if name in ("", ".", ".."):
        return False
    parent = folder(path)
    try:
        return name not in os.listdir(parent)
    except OSError:
        return parent not in (".", "/") and _missing(parent)
