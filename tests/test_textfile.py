"""Reading and decoding text files (verifier.ingest.textfile): encodings, BOMs, line ends, and the
one-line errors for what is not a readable text file."""

from __future__ import annotations

import os

import pytest

from verifier.ingest import textfile
from verifier.model.errors import InputError, SourceError


@pytest.mark.parametrize("data, text, encoding", [
    ("Café “quoted”.\n".encode(), "Café “quoted”.\n", "utf-8"),
    (b"\xef\xbb\xbf" + "Café.\n".encode(), "Café.\n", "utf-8-sig"),
    ("\ufeffCafé.\n".encode("utf-16-le"), "Café.\n", "utf-16"),
    ("\ufeffCafé.\n".encode("utf-16-be"), "Café.\n", "utf-16"),
], ids=["utf-8", "utf-8 bom", "utf-16 le", "utf-16 be"])
def test_accepted_encodings(data, text, encoding):
    assert textfile.decode(data, "a.txt") == (text, encoding)


def test_a_lone_cr_is_a_line_feed_and_crlf_stays():
    text, _ = textfile.decode(b"one\rtwo\r\nthree\n", "a.txt")
    assert text == "one\ntwo\r\nthree\n"


@pytest.mark.parametrize("data, message", [
    (b"", "file is empty"),
    (b" \n\t\n", "file is empty"),
    (b"abc\x00def", "looks like a binary file (it contains NUL bytes)"),
    (b"caf\xe9", "cannot decode file as utf-8: invalid byte at offset 3"),
    (b"ab\x01\x02\x03\x04\x05cd" * 10, "looks like a binary file (too many control characters)"),
], ids=["empty", "blank", "nul", "latin-1", "control characters"])
def test_what_is_not_text_is_refused_with_the_file_named(data, message):
    with pytest.raises(InputError) as caught:
        textfile.decode(data, "draft.txt")
    assert message in str(caught.value) and "draft.txt" in str(caught.value)


def test_a_few_control_characters_are_text():
    assert textfile.decode(b"a\x1b[2J line\n" + b"plain words " * 20, "a.txt")[0].startswith("a\x1b[2J")


def test_the_error_class_and_the_name_of_the_file_are_the_callers():
    with pytest.raises(SourceError, match="source is empty"):
        textfile.decode(b"", "call.txt", what="source", error=SourceError)


def test_read_bytes_reads_a_regular_file_and_refuses_one_over_the_limit(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    assert textfile.read_bytes(str(path)) == b"x" * 100
    assert textfile.read_bytes(str(path), max_bytes=100) == b"x" * 100
    with pytest.raises(InputError, match="file is over the 99-byte limit"):
        textfile.read_bytes(str(path), max_bytes=99)


def test_what_is_not_a_regular_file_is_named_and_never_opened(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        textfile.read_bytes(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="file is a directory"):
        textfile.read_bytes(str(tmp_path))
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.txt"
        os.mkfifo(fifo)  # opening it would block: the test would hang
        with pytest.raises(InputError, match="file is a FIFO \\(named pipe\\), not a regular file"):
            textfile.read_bytes(str(fifo))


@pytest.mark.parametrize(("text", "encoding", "named"), [
    ("星河科技周二发布了新一代语言模型，公司称其在数学推理方面可与对手媲美。\n" * 3, "gb18030", "gb18030"),
    ("“这不是终点，”李明华说。GPT-4o 的成本只有一半。\n", "gbk", "gb18030"),
    ("Le maire a déclaré « nous réparerons les routes » mardi.\n", "latin-1", "latin1"),
    ("Der Bürgermeister sagte, die Straßen würden repariert.\n", "cp1252", "latin1"),
])
def test_the_conversion_hint_names_the_likely_encoding(text: str, encoding: str, named: str) -> None:
    """A Chinese draft saved as GBK/GB18030 was told to convert `iconv -f latin1`, which turns
    it into mojibake; Latin-1 and Windows-1252 drafts keep that hint."""
    with pytest.raises(InputError) as caught:
        textfile.decode(text.encode(encoding), "draft.txt")
    assert f"`iconv -f {named} -t utf-8`" in str(caught.value)
