"""Reading and decoding text files: articles and sources alike.

UTF-8, UTF-8 with a BOM and UTF-16 with a BOM are accepted (the BOM is not part of the text: offsets
count from the character after it; a lone CR is read as a line feed); anything else (UTF-32 and
UTF-16 without a BOM are named as such), binary data, an empty file, one over the size limit or
anything but a regular file (a FIFO, a device, a socket) is an `InputError` (or the `SourceError`
the caller asks for) that names the file and says what to do.
"""

from __future__ import annotations

import os
import re
import stat

from verifier.model.errors import InputError


def read_bytes(path: str, max_bytes: int | None = None, what: str = "file",
               error: type[InputError] = InputError) -> bytes:
    """The file's bytes; `what` names it in messages ('file', 'source').

    Only a regular file is opened: a FIFO would block forever, a device (/dev/zero) never ends, a
    socket cannot be read. A file over `max_bytes` is refused before it is read.
    """
    size = regular_file_size(path, what, error)
    if max_bytes is not None and size > max_bytes:
        raise _too_big(path, what, max_bytes, error)
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1) if max_bytes is not None else f.read()
    except OSError as exc:
        raise _unreadable(exc, path, what, error) from None
    except MemoryError:
        raise error(f"{what} is too large to read into memory", path=path,
                    hint="lower --max-bytes or split the file") from None
    if max_bytes is not None and len(data) > max_bytes:  # it grew after the stat
        raise _too_big(path, what, max_bytes, error)
    return data


def _unreadable(exc: OSError, path: str, what: str, error: type[InputError]) -> InputError:
    """The one-line error for a file that could not be stat'ed or read."""
    if isinstance(exc, FileNotFoundError):
        return error(f"no such {what}", path=path)
    if isinstance(exc, IsADirectoryError):
        return error(f"{what} is a directory", path=path)
    if isinstance(exc, PermissionError):
        return error(f"permission denied reading {what}", path=path)
    return error(f"cannot read {what}: {exc.strerror}", path=path)


def _too_big(path: str, what: str, max_bytes: int, error: type[InputError]) -> InputError:
    return error(f"{what} is over the {max_bytes:,}-byte limit", path=path,
                 hint="raise it with --max-bytes")


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def regular_file_size(path: str, what: str = "file", error: type[InputError] = InputError) -> int:
    """The size of `path` when it is a regular file (links followed); otherwise the error says
    what it is instead. The file is never opened."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _unreadable(exc, path, what, error) from None
    if stat.S_ISDIR(st.st_mode):
        raise error(f"{what} is a directory", path=path)
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        raise error(f"{what} is {kind}, not a regular file; it was not read", path=path)
    return st.st_size


def decode(data: bytes, name: str, what: str = "file",
           error: type[InputError] = InputError) -> tuple[str, str]:
    """Text and encoding name."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise error(f"{what} is UTF-32, which is not supported", path=name, hint=_CONVERT_WIDE % "utf-32")
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(data[3:], "utf-8", name, what, error), "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _strict(data, "utf-16", name, what, error), "utf-16"
    else:
        if b"\x00" in data[:8192]:
            wide = _utf16_without_bom(data[:8192])
            if wide is not None:
                raise error(f"{what} looks like UTF-16 without a byte-order mark", path=name,
                            hint=_CONVERT_WIDE % wide)
            raise error(f"{what} looks like a binary file (it contains NUL bytes)", path=name,
                        hint="expected a text, Markdown or HTML document")
        text, encoding = _strict(data, "utf-8", name, what, error), "utf-8"
    if "\r" in text:
        # a lone CR (classic Mac line ends) is a line break: read as LF, one character for one, so
        # every offset still indexes the file's text
        text = _LONE_CR.sub("\n", text)
    if not text.strip():
        raise error(f"{what} is empty", path=name)
    if _control_ratio(text) > 0.05:
        raise error(f"{what} looks like a binary file (too many control characters)", path=name)
    return text, encoding


_LONE_CR = re.compile(r"\r(?!\n)")
_CONVERT_WIDE = "expected UTF-8, UTF-8 with BOM or UTF-16 with BOM; convert with e.g. `iconv -f %s -t utf-8`"


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16le' or 'utf-16be' when NUL bytes fall on one side of the byte pairs, as in UTF-16
    text of mostly Latin script (each such character has a zero high byte): NULs in half the pairs
    at least, none on the other side, and read so, text rather than control characters. None
    otherwise."""
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, name in ((odd, even, "utf-16le"), (even, odd, "utf-16be")):
        if b"\x00" not in other and zeros.count(0) * 2 >= len(zeros) > 0:
            text = sample[:len(sample) // 2 * 2].decode(name, errors="replace")
            return name if _control_ratio(text) <= 0.05 else None
    return None


def _strict(data: bytes, encoding: str, name: str, what: str, error: type[InputError]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise error(f"cannot decode {what} as {encoding}: invalid byte at offset {exc.start}",
                    path=name, hint=_CONVERT_WIDE % _likely_encoding(data)) from None


_HIGH_PAIR = re.compile(rb"[\xa1-\xfe]{2}")
_HIGH = re.compile(rb"[\x80-\xff]")


def _likely_encoding(data: bytes) -> str:
    """The legacy encoding to name in the hint: 'gb18030' when the bytes read as GBK Chinese (its
    characters are pairs of bytes 0xA1-0xFE, so nearly every high byte has a high neighbour;
    in Latin-1 or Windows-1252 text an accented letter is one high byte among ASCII), else
    'latin1'."""
    sample = data[:65536]
    high = len(_HIGH.findall(sample))
    if high >= 4 and 2 * len(_HIGH_PAIR.findall(sample)) >= 0.8 * high:
        try:
            sample.decode("gb18030")
            return "gb18030"
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 3:  # a character cut at the end of the sample
                return "gb18030"
    return "latin1"


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(1, len(sample))
