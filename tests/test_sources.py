"""Source intake: decoding, formats, speaker-labelled transcripts, and where sources come from."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier import vocab
from verifier.ingest.sources import (
    SourceDoc,
    html_text,
    load_source,
    markdown_text,
    same_speaker,
    sources_for,
)
from verifier.model.config import Settings
from verifier.model.errors import SourceError
from verifier.model.schema import Article

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def write(path: Path, data: bytes | str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return str(path)


def article_at(path: Path, front: dict | None = None) -> Article:
    return Article(path=str(path), raw="Body.", text="Body.", front_matter=front or {})


# --------------------------------------------------------------------------- decoding


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    doc = load_source(write(tmp_path / "a.txt", b"\xef\xbb\xbf\xe2\x80\x9cHi\xe2\x80\x9d"))
    assert doc.text == "“Hi”"


def test_utf16_with_bom_is_read_and_spans_use_its_lines(tmp_path: Path) -> None:
    text = "First line.\nZHANG: We will lead.\nLI: We agree.\n"
    doc = load_source(write(tmp_path / "u16.txt", text.encode("utf-16")))
    assert doc.text == text
    start = doc.plain.index("We will")
    span = doc.span(start, start + len("We will lead"))
    assert (span.line, span.column, span.text) == (2, 8, "We will lead")


@pytest.mark.parametrize(("data", "words"), [
    (b"caf\xe9 au lait", "cannot decode"),
    (b"\x00\x01\x02binary", "binary"),
    (b"  \n\n ", "empty"),
])
def test_unreadable_sources_raise_naming_the_file(tmp_path: Path, data: bytes, words: str) -> None:
    path = write(tmp_path / "bad.txt", data)
    with pytest.raises(SourceError) as info:
        load_source(path)
    assert words in str(info.value) and "bad.txt" in str(info.value)


def test_missing_source_raises_naming_it(tmp_path: Path) -> None:
    settings = Settings(sources=[str(tmp_path / "gone.txt")])
    with pytest.raises(SourceError) as info:
        sources_for(article_at(tmp_path / "story.txt"), settings)
    assert "gone.txt" in str(info.value) and "not found" in str(info.value)


def test_unchanged_file_is_parsed_once(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Some words.")
    assert load_source(path) is load_source(path)


# --------------------------------------------------------------------------- formats


def test_markdown_markup_is_blanked_keeping_offsets() -> None:
    raw = "---\ntitle: x\n---\n# Head\n\nSee [the plan](https://ex.com/p) and **bold** `code`.\n"
    plain = markdown_text(raw)
    assert len(plain) == len(raw)
    assert "https" not in plain and "title" not in plain and "*" not in plain
    assert "the plan" in plain and "bold" in plain and plain.count("\n") == raw.count("\n")


def test_html_text_maps_every_character_back() -> None:
    raw = "<p>Orrin&rsquo;s <b>chief</b> said:</p><script>var x = 'no';</script><p>Yes&nbsp;.</p>"
    plain, offsets = html_text(raw)
    assert "Orrin’s chief said:" in plain and "var x" not in plain
    assert len(offsets) == len(plain)
    i = plain.index("chief")
    assert raw[offsets[i]:offsets[i] + 5] == "chief"
    assert raw[offsets[plain.index("’")]:].startswith("&rsquo;")


def test_html_source_is_read_by_extension() -> None:
    doc = load_source(str(FIXTURES / "statement.html"))
    assert doc.format == "html" and "<p>" not in doc.plain and "Millbrook" in doc.plain


# --------------------------------------------------------------------------- transcripts


def test_labelled_transcript_turns_with_orgs_and_multiline_turns() -> None:
    doc = load_source(str(FIXTURES / "briefing_transcript.txt"))
    who = [t.who() for t in doc.turns]
    assert who[:3] == ["MODERATOR", "MARTA OLSEN (Kestrel Dynamics)",
                       "RAFAEL IBARRA (Kestrel Dynamics)"]
    assert len(doc.turns) == 8
    # "Our factory in Tromsø ..." is two lines below Olsen's label: still her turn.
    turn = doc.turn_at(doc.plain.index("Our factory"))
    assert turn is not None and turn.speaker == "MARTA OLSEN"
    assert doc.turn_at(doc.plain.index("Transcript prepared")) is None


def test_labels_are_not_words_of_the_source() -> None:
    doc = load_source(str(FIXTURES / "briefing_transcript.txt"))
    words = doc.words_text()
    assert len(words) == len(doc.plain)
    assert "RAFAEL IBARRA" not in words and "Margins improved" in words


def test_interview_roles_take_the_names_in_the_header() -> None:
    doc = load_source(str(FIXTURES / "interview_qa.txt"))
    assert [(t.label, t.speaker, t.role) for t in doc.turns][:2] == [
        ("Q", "Tomas Brandt", "interviewer"), ("A", "Dana Whitfield", "interviewee")]


def test_unnamed_interview_roles_are_unknown_speakers() -> None:
    doc = SourceDoc(path="qa.txt", text="Q: Why now?\n\nA: Because the market turned.\n")
    assert [t.who() for t in doc.turns] == ["Q (interviewer)", "A (interviewee)"]
    assert same_speaker("Dana Whitfield", doc.turns[1]) is None


def test_timestamps_and_fullwidth_colons() -> None:
    doc = SourceDoc(path="t.txt", text="[00:01:05] ANNA BERG: Hello.\n[00:01:09] 周明远：你好。\n")
    assert [t.speaker for t in doc.turns] == ["ANNA BERG", "周明远"]


def test_press_release_with_contact_lines_is_not_a_transcript() -> None:
    text = ("Pellworth opens office.\n\nThe office has forty staff and will grow.\n\n"
            "It is the company's third office in England, after London and Bristol.\n\n"
            "Contact: Press Office\nEmail: press@example.com\n")
    assert SourceDoc(path="r.txt", text=text).turns == []


def test_prose_with_one_label_like_line_is_not_a_transcript() -> None:
    text = "Background: the company was founded in 2009.\n\nIt makes sensors.\n"
    assert SourceDoc(path="p.txt", text=text).turns == []


def test_speaker_names_compare_loosely_but_not_wrongly() -> None:
    doc = load_source(str(FIXTURES / "briefing_transcript.txt"))
    olsen = doc.turns[1]
    assert same_speaker("Marta Olsen", olsen) is True
    assert same_speaker("Ms Olsen", olsen) is True
    assert same_speaker("Kestrel Dynamics", olsen) is True  # the org on the label
    assert same_speaker("Lena Voss", olsen) is False
    assert same_speaker("the chief executive", olsen) is None


# --------------------------------------------------------------------------- where sources come from


def test_flags_front_matter_and_sibling_folder_are_combined(tmp_path: Path) -> None:
    flag = write(tmp_path / "flag.txt", "From the flag.")
    write(tmp_path / "drafts" / "notes" / "call.txt", "From the front matter.")
    write(tmp_path / "drafts" / "story.sources" / "b.txt", "Sibling b.")
    write(tmp_path / "drafts" / "story.sources" / "a.md", "Sibling a.")
    write(tmp_path / "drafts" / "story.sources" / ".hidden", "skip")
    article = article_at(tmp_path / "drafts" / "story.md", {"sources": ["notes/call.txt"]})
    docs = sources_for(article, Settings(sources=[flag]))
    names = [Path(d.path).name for d in docs]
    assert names == ["flag.txt", "call.txt", "a.md", "b.txt"]
    assert docs[2].format == "markdown"


def test_the_same_file_named_twice_is_read_once(tmp_path: Path) -> None:
    path = write(tmp_path / "story.sources" / "call.txt", "Words.")
    article = article_at(tmp_path / "story.md", {"sources": ["story.sources/call.txt"]})
    assert len(sources_for(article, Settings(sources=[path]))) == 1


def test_missing_front_matter_source_names_it_and_the_article(tmp_path: Path) -> None:
    article = article_at(tmp_path / "story.md", {"sources": ["interviews/lost.txt"]})
    with pytest.raises(SourceError) as info:
        sources_for(article, Settings())
    message = str(info.value)
    assert "lost.txt" in message and "story.md" in message


def test_front_matter_sources_must_be_paths(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        sources_for(article_at(tmp_path / "story.md", {"sources": [42]}), Settings())


def test_a_directory_given_as_source_means_its_files(tmp_path: Path) -> None:
    write(tmp_path / "src" / "one.txt", "One.")
    write(tmp_path / "src" / "two.txt", "Two.")
    docs = sources_for(article_at(tmp_path / "story.txt"), Settings(sources=[str(tmp_path / "src")]))
    assert [Path(d.path).name for d in docs] == ["one.txt", "two.txt"]


def test_config_source_map_applies_by_article_glob(tmp_path: Path) -> None:
    src = write(tmp_path / "sources" / "kestrel-call.txt", "Call.")
    settings = Settings(config_path=str(tmp_path / "verifier.toml"),
                        source_map={"drafts/kestrel*.md": [src]})
    hit = sources_for(article_at(tmp_path / "drafts" / "kestrel-q1.md"), settings)
    miss = sources_for(article_at(tmp_path / "drafts" / "other.md"), settings)
    assert [Path(d.path).name for d in hit] == ["kestrel-call.txt"] and miss == []


def test_stdin_article_uses_only_the_flags(tmp_path: Path) -> None:
    flag = write(tmp_path / "flag.txt", "Words.")
    article = Article(path=None, raw="x", text="x")
    assert [d.path for d in sources_for(article, Settings(sources=[flag]))] == [flag]


def test_titles_on_labels_do_not_hide_the_person() -> None:
    doc = SourceDoc(path="m.txt", text="Councillor Diallo: We should wait.\n\nMayor Jansen: No.\n")
    assert same_speaker("Amara Diallo", doc.turns[0]) is True
    assert same_speaker("Amara Diallo", doc.turns[1]) is False


@pytest.mark.parametrize("text", [
    "**Ana Ruiz:** We will cut rates.\n\n**Bo Lind:** We will not.\n",
    "**Ana Ruiz**: We will cut rates.\n\n**Bo Lind**: We will not.\n",
    "__Ana Ruiz__: We will cut rates.\n\n*Bo Lind:* We will not.\n",
])
def test_labels_in_bold_or_italics_in_a_plain_text_transcript_are_labels(text: str) -> None:
    doc = SourceDoc(path="t.txt", text=text)
    assert [t.speaker for t in doc.turns] == ["Ana Ruiz", "Bo Lind"]
    words = doc.words_text()
    assert [words[t.start:t.end].strip() for t in doc.turns] == ["We will cut rates.", "We will not."]


def test_emphasis_before_a_colon_inside_prose_is_no_label() -> None:
    text = "We **won** the vote: it was close.\n\nThen *we* left: the hall was empty.\n"
    assert SourceDoc(path="p.txt", text=text).turns == []


@pytest.mark.parametrize("word", vocab.words("transcript_labels", "not_speakers"))
def test_every_word_that_names_no_speaker_opens_no_turn(word: str) -> None:
    label = " ".join(w[:1].upper() + w[1:] for w in word.split())
    text = f"Ana Ruiz: We will cut rates.\n\n{label}: the line after it.\n\nBo Lind: We will not.\n"
    assert [t.label for t in SourceDoc(path="t.txt", text=text).turns] == ["Ana Ruiz", "Bo Lind"]


@pytest.mark.parametrize(("label", "role"), [
    *((w, "interviewer") for w in vocab.words("transcript_labels", "interviewer_labels")),
    *((w, "interviewee") for w in vocab.words("transcript_labels", "interviewee_labels")),
])
def test_every_role_label_names_a_role(label: str, role: str) -> None:
    written = label[:1].upper() + label[1:]  # a question of more than six words: no role header
    text = f"{written}: Why did you cut the rates this quarter and not later?\n\nAna Ruiz: Because.\n"
    assert [(t.role, t.speaker) for t in SourceDoc(path="t.txt", text=text).turns][0] == (role, None)


def test_a_word_outside_the_role_labels_is_a_person() -> None:
    assert "host" not in vocab.words("transcript_labels", "interviewer_labels")
    text = "Host: Why now?\n\nAna Ruiz: Because.\n"
    assert [(t.role, t.speaker) for t in SourceDoc(path="t.txt", text=text).turns][0] == (None, "Host")


@pytest.mark.parametrize("title", sorted({w.lower() for key in ("titles", "honorifics")
                                          for w in vocab.words("speaker_titles", key)}))
def test_a_title_on_a_label_is_no_part_of_the_persons_name(title: str) -> None:
    """`SEN. RUIZ:` is Ana Ruiz's turn: the title is left out when the names are compared."""
    doc = SourceDoc(path="t.txt", text=f"{title.upper()}. RUIZ: We will cut rates.\n\nBO LIND: We will not.\n")
    assert doc.turns[0].speaker == f"{title.upper()}. RUIZ"
    assert same_speaker("Ana Ruiz", doc.turns[0]) is True
    assert same_speaker("Ana Ruiz", doc.turns[1]) is False


def test_a_word_outside_the_titles_on_a_label_is_part_of_the_name() -> None:
    assert "quill" not in {w.lower() for w in vocab.words("speaker_titles", "titles")}
    doc = SourceDoc(path="t.txt", text="QUILL RUIZ: We will cut rates.\n\nBO LIND: We will not.\n")
    assert same_speaker("Ana Ruiz", doc.turns[0]) is False
