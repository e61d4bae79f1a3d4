"""Files: writing one so that it is never half-written, and saying in words why a file failed.

=================================  =============================================
``write_atomically(path, text)``   write a new temporary file beside ``path``,
                                   then rename it over ``path``: a failure
                                   leaves the old file (``text`` may be bytes)
``kind_of(path)``                  what is at ``path``: a regular file, a
                                   folder, a link, a device... or nothing
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
    from typing import IO, Any, Optional, Tuple, Union

    Path = Union[str, PathLike[str]]

ENOENT = getattr(errno, "ENOENT", 2)  # "no such file or directory"
EEXIST = getattr(errno, "EEXIST", 17)  # "file exists"

# What a directory entry is, from the type bits of its ``st_mode``.  These
# are POSIX's numbers, the same on every system (MicroPython has no ``stat``
# module to name them).
FILE_TYPE_BITS = 0o170000
REGULAR_FILE = 0o100000
SYMBOLIC_LINK = 0o120000
FILE_KINDS = {
    REGULAR_FILE: "a regular file",
    0o040000: "a folder",
    SYMBOLIC_LINK: "a symbolic link",
    0o010000: "a named pipe (FIFO)",
    0o020000: "a character device",
    0o060000: "a block device",
    0o140000: "a socket",
}


def path_text(path: "Path") -> "Optional[str]":
    """A path as a str (``pathlib.Path`` objects work too where ``os.fspath``
    exists), or None when it is not a text path (None, a number, bytes)."""
    fspath = getattr(os, "fspath", None)
    try:
        text = fspath(path) if fspath is not None else path
    except TypeError:  # not a path at all
        return None
    return text if isinstance(text, str) else None


def read_bytes(path: str) -> bytes:
    """The contents of the file ``path``; an ``OSError`` if it cannot be read."""
    with open(path, "rb") as handle:
        return handle.read()


def write_and_sync(handle: "IO[Any]", text: "Union[str, bytes]") -> None:
    """Write ``text`` (or bytes) to an open file and make sure it is on disk (where
    ``os.fsync`` exists)."""
    handle.write(text)
    fsync = getattr(os, "fsync", None)
    if fsync is not None:
        # The bytes must be on disk before a rename makes them the file.
        handle.flush()
        fsync(handle.fileno())


def write_atomically(path: str, text: "Union[str, bytes]") -> None:
    """Write ``text`` to ``path``, replacing the file only once the text is complete.

    ``text`` may be ``bytes`` (an ONNX file), written as they are.

    The text goes to a new temporary file in the same folder
    (``path.<random>.tmp``), which is then renamed to ``path``: a rename
    replaces a file in one step, so if anything fails (a full disk, Ctrl-C)
    ``path`` keeps its old contents, or stays absent, and the temporary file
    is removed.  The temporary file is created so that it cannot already
    exist, nor be a symbolic link planted there to redirect the write.

    Only a regular file is ever replaced: a folder, a named pipe, a device
    (``/dev/null``), a socket or a symbolic link at ``path`` is refused, as
    the rename would put a regular file in its place.  (For a link, save to
    its target instead.)  The new file keeps the old one's permissions.

    Failures are ``OSError``, raised for the caller to word (``reason``);
    those found here carry their reason as their message, not a number.
    """
    mode = _replaceable(path)
    opening = "wb" if isinstance(text, bytes) else "w"
    rename = getattr(os, "replace", None) or getattr(os, "rename", None)
    if rename is None:
        # No way to rename here: write in place, the best this port allows.
        with open(path, opening) as in_place:
            write_and_sync(in_place, text)
        return
    temporary, handle = _create_temporary(path, mode, opening)
    try:
        with handle:
            write_and_sync(handle, text)
        rename(temporary, path)
    except BaseException:
        _remove_quietly(temporary)
        raise


def kind_of(path: str) -> "Optional[str]":
    """What ``path`` names, in words (``"a folder"``), or None when nothing is there.

    A symbolic link is reported as one, not as what it points to (where the
    system can tell them apart: MicroPython's ``os`` has no ``lstat``).
    """
    return _kind_and_mode(path)[0]


def _kind_and_mode(path: str) -> "Tuple[Optional[str], int]":
    lstat = getattr(os, "lstat", None) or os.stat
    try:
        mode = lstat(path)[0]  # st_mode; MicroPython's stat is a plain tuple
    except OSError:
        return None, 0
    return FILE_KINDS.get(mode & FILE_TYPE_BITS, "not a regular file"), mode


def _replaceable(path: str) -> "Optional[int]":
    """The permission bits of the regular file at ``path`` (None when there is
    none yet), or an OSError saying what else is there."""
    kind, mode = _kind_and_mode(path)
    if kind is None:
        return None
    if mode & FILE_TYPE_BITS == REGULAR_FILE:
        return mode & 0o7777
    if mode & FILE_TYPE_BITS == SYMBOLIC_LINK:
        readlink = getattr(os, "readlink", None)
        target = " to %r" % readlink(path) if readlink is not None else ""
        raise OSError("it is a symbolic link%s; tinynet does not write through links: "
                      "save to the file it points to, or remove the link" % target)
    raise OSError("it is %s, not a regular file, and tinynet replaces only regular files" % kind)


def _create_temporary(path: str, mode: "Optional[int]", opening: str = "w"
                      ) -> "Tuple[str, IO[Any]]":
    """A new file named ``path.<random>.tmp``, open for writing (``opening`` is
    ``"w"`` or ``"wb"``), and its name.

    ``os.open`` with ``O_CREAT | O_EXCL`` creates it only if nothing is
    there, not even a link (``O_NOFOLLOW`` adds the same for systems that
    would follow one).  A name that happens to be taken is drawn again.
    """
    for _ in range(100):
        temporary = "%s.%s.tmp" % (path, _random_token())
        try:
            return temporary, _open_new(temporary, mode, opening)
        except OSError as error:
            if _code(error) != EEXIST:
                raise
    raise OSError("could not find a free name for a temporary file beside it")


def _open_new(name: str, mode: "Optional[int]", opening: str) -> "IO[Any]":
    os_open = getattr(os, "open", None)
    if os_open is None:
        # MicroPython: no os.open, so no O_EXCL.  Refuse a name that is taken,
        # then open it: the best this port allows.
        if kind_of(name) is not None:
            raise OSError(EEXIST, "file exists")
        return open(name, opening)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    descriptor = os_open(name, flags, 0o666 if mode is None else mode)
    try:
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(descriptor, mode)  # the old file's permissions, whatever the umask
        return open(descriptor, opening)
    except BaseException:
        os.close(descriptor)
        _remove_quietly(name)
        raise


def _random_token() -> str:
    """Twelve hex digits, different on every call in practice."""
    urandom = getattr(os, "urandom", None)
    if urandom is not None:
        return "".join("%02x" % byte for byte in urandom(6))
    import random  # the WebAssembly MicroPython has no os.urandom

    return "%06x%06x" % (random.getrandbits(24), random.getrandbits(24))


def _code(error: OSError) -> object:
    """The error number of ``error`` (MicroPython keeps it only in ``args``)."""
    return getattr(error, "errno", None) or (error.args[0] if error.args else None)


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
    if _code(error) == ENOENT:
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
