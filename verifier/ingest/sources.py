"""sources: the material quotes are checked against (transcripts, press releases, wire copy).

A source comes from `--source FILE` (repeatable; a directory means every file in it), a `sources:`
list in the article's front matter (paths relative to the article), a sibling folder
`<article-stem>.sources/`, or a `[sources]` mapping in the configuration file. All but `--source`
must lie inside the article's project root (`project_root`); every source is a regular file of at
most `--max-bytes`. Each is read once per
run and turned into a `SourceDoc`:

- `text` is the file decoded (UTF-8, UTF-8 with BOM, UTF-16 with BOM); every reported offset and
  line:column indexes it.
- `plain` is what the words are read from: `text` itself for plain text, `text` with Markdown markup
  masked by spaces (same length), or the visible text of an HTML page with `offsets` mapping each
  of its characters back to `text`.
- `turns` are the speaker turns when the document is a speaker-labelled transcript
  (`NAME: ...`, `NAME (Org): ...`, `Q:`/`A:`, a turn running over several lines until the next label).
"""

from __future__ import annotations

import bisect
import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from verifier import vocab
from verifier.ingest import htmltext, markup, textfile
from verifier.model.config import Settings
from verifier.model.errors import SourceError
from verifier.model.lru import LRU
from verifier.model.options import SUFFIXES, Markup
from verifier.model.schema import Article, OnFile, TextMap

SourceFormat = Markup



# --------------------------------------------------------------------------- the document


@dataclass(slots=True)
class Turn:
    """One speaker turn of a transcript: analysis offsets [start, end) of what was said."""

    start: int
    end: int
    speaker: str | None  # the name on the label; None for an unnamed Q/A role
    org: str | None = None
    role: str | None = None  # "interviewer" / "interviewee" for Q:/A: turns
    label: str = ""
    label_start: int = 0  # where the label (and its line) begins

    def who(self) -> str:
        """The speaker as a reader would name them ('ZHANG (Huawei)', 'A (interviewee)')."""
        name = self.speaker or self.label
        if self.org:
            name += f" ({self.org})"
        elif self.role and not self.speaker:
            name += f" ({self.role})"
        return name


@dataclass(slots=True)
class SourceDoc(OnFile):
    """One source document, decoded, with its words' text and its speaker turns."""

    path: str
    text: str
    format: SourceFormat | None = None  # None: from the file name
    plain: str = field(init=False, default="")
    offsets: list[int] | None = field(init=False, default=None)
    turns: list[Turn] = field(init=False, default_factory=list)
    map: TextMap = field(init=False, repr=False)
    _turn_starts: list[int] = field(init=False, default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.format is None:
            self.format = format_of(self.path)
        if self.format == "html":
            self.plain, self.offsets = html_text(self.text)
        elif self.format == "markdown":
            self.plain = markdown_text(self.text)
        else:
            self.plain = self.text
        self.map = TextMap(self.text, self.offsets)
        self.turns = find_turns(self.plain)
        self._turn_starts = [t.start for t in self.turns]

    # offsets: analysis offsets index `plain`; spans (`OnFile`) point into the file's `text`
    def where(self, start: int) -> str:
        """'path:line:col' of an analysis offset, for messages."""
        line, col = self.line_col(self.raw_range(start, start + 1)[0])
        return f"{self.path}:{line}:{col}"

    def words_text(self) -> str:
        """`plain` with the speaker labels blanked out: the words that were said."""
        if not self.turns:
            return self.plain
        chars = list(self.plain)
        for turn in self.turns:
            for i in range(turn.label_start, turn.start):
                if chars[i] not in "\r\n":
                    chars[i] = " "
        return "".join(chars)

    def turn_at(self, offset: int) -> Turn | None:
        """The speaker turn holding analysis offset `offset`, if the document has turns."""
        i = bisect.bisect_right(self._turn_starts, offset) - 1
        if i < 0:
            return None
        turn = self.turns[i]
        return turn if offset < turn.end else None


# --------------------------------------------------------------------------- finding the sources


def sources_for(article: Article, settings: Settings, cache: SourceCache | None = None) -> list[SourceDoc]:
    """The sources that apply to `article`: flags, front matter, config mapping, sibling folder.

    `--source` may name any regular file. Every other source is named by the article or the
    repository it lives in, and must lie inside the article's project root (`project_root`): no
    absolute path, no `..` or symbolic link leading out of it. A draft in CI cannot have verifier
    read the runner's files into its report.
    """
    free = [] if settings.sources_confined else settings.sources
    paths: list[str] = []
    for given in free:
        paths.extend(_expand(given, "--source"))
    root = project_root(article, settings)
    for given in (settings.sources if settings.sources_confined else []):
        paths.extend(map(_shown, _confined(given, given, root, "`sources` in the configuration")))
    paths.extend(_front_matter_paths(article, root))
    paths.extend(map(_shown, _config_paths(article, settings)))
    for path in _sibling_folder_paths(article):
        paths.extend(_confined(path, path, root, "the sibling .sources folder", empty_ok=True))
    docs: list[SourceDoc] = []
    seen: set[str] = set()
    for path in paths:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            docs.append(load_source(path, settings.max_bytes, cache))
    return docs


def _shown(path: str) -> str:
    """A path the configuration file made absolute, relative to the current folder when it lies
    inside it: reports and CI annotations then name `sources/call.txt`, not the runner's
    `/home/runner/work/...` (a path outside the current folder stays absolute)."""
    here = os.getcwd()
    if os.path.isabs(path) and _inside(path, here):
        return os.path.relpath(path, here)
    return path


def project_root(article: Article, settings: Settings) -> str:
    """Where sources named by an article may lie: the folder of the configuration file when the
    article is inside it, else the article's own folder (the current one for stdin)."""
    folder = os.path.realpath(os.path.dirname(article.path) if article.path else os.getcwd())
    if settings.config_path:
        config_dir = os.path.realpath(os.path.dirname(os.path.abspath(settings.config_path)))
        if _inside(folder, config_dir):
            return config_dir
    return folder


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _confined(path: str, given: str, root: str, origin: str, empty_ok: bool = False) -> list[str]:
    """`path` (as `_expand` gives it) when it and every file it stands for lie inside `root`."""
    def refuse(why: str) -> SourceError:
        return SourceError(f"source {why}; it was not read", path=given,
                           hint=f"named by {origin}; sources named by an article or its "
                                f"configuration must be files inside {root} (use --source for others)")

    real = os.path.realpath(path)
    if not _inside(real, root):
        raise refuse("lies outside the project root")
    files = _expand(path, origin, empty_ok)
    for file in files:
        if not _inside(os.path.realpath(file), root):
            raise SourceError("source lies outside the project root; it was not read", path=file,
                              hint=f"named by {origin} (through {given}): a link leading out of {root}")
    return files


def _expand(path: str, origin: str, empty_ok: bool = False) -> list[str]:
    """A file is itself; a directory is its visible files, sorted. A folder named as a source
    that holds none is an error (its quotes would silently go unchecked), unless `empty_ok`."""
    if os.path.isdir(path):
        files = _files_in(path)
        if not files and not empty_ok:
            raise SourceError("source folder holds no files", path=path,
                              hint=f"named by {origin}; put the transcripts or releases in it")
        return files
    if not os.path.lexists(path):
        raise SourceError("source not found", path=path,
                          hint=f"named by {origin}; check the path")
    return [path]


def _files_in(directory: str) -> list[str]:
    out = []
    for name in sorted(os.listdir(directory)):
        full = os.path.join(directory, name)
        if not name.startswith(".") and os.path.isfile(full):
            out.append(full)
    return out


def _front_matter_paths(article: Article, root: str) -> list[str]:
    listed = article.front_matter.get("sources") if article.front_matter else None
    if listed is None:
        return []
    if isinstance(listed, (str, dict)):
        listed = [listed]
    if not isinstance(listed, list):
        raise SourceError("front-matter `sources:` must be a list of paths",
                          path=article.path or "<stdin>")
    base = os.path.dirname(article.path) if article.path else ""
    origin = f"the front matter of {article.path or '<stdin>'}"
    out: list[str] = []
    for item in listed:
        rel = item.get("path") if isinstance(item, dict) else item
        if not isinstance(rel, str) or not rel.strip():
            raise SourceError(f"front-matter `sources:` entry {item!r} is not a path",
                              path=article.path or "<stdin>")
        if os.path.isabs(rel) or rel.startswith("~"):
            raise SourceError("source is an absolute path; it was not read", path=rel,
                              hint=f"named by {origin}; write it relative to the article, "
                                   f"inside {root} (use --source for other files)")
        out.extend(_confined(os.path.normpath(os.path.join(base, rel)), rel, root, origin))
    return out


def _config_paths(article: Article, settings: Settings) -> list[str]:
    """`[sources]` in the configuration file: article glob -> sources, relative to that file
    and confined to its folder."""
    if not settings.source_map or not article.path:
        return []
    base = os.path.dirname(settings.config_path) if settings.config_path else ""
    root = os.path.realpath(base or ".")
    rel_article = os.path.relpath(article.path, base or ".")
    out: list[str] = []
    for pattern, listed in settings.source_map.items():
        if fnmatch.fnmatch(rel_article, pattern) or fnmatch.fnmatch(article.path, pattern):
            for rel in ([listed] if isinstance(listed, str) else listed):
                origin = f"[source_map] in {settings.config_path or 'the configuration'}"
                out.extend(_confined(os.path.normpath(os.path.join(base, rel)), rel, root, origin))
    return out


def _sibling_folder_paths(article: Article) -> list[str]:
    if not article.path:
        return []
    p = Path(article.path)
    folder = p.with_name(p.stem + ".sources")
    return _files_in(str(folder)) if folder.is_dir() else []


# --------------------------------------------------------------------------- reading


SourceCache = LRU[tuple[str, int, int], "SourceDoc"]
# for callers without a run (a run passes its own, `RunContext.sources`)
_CACHE: SourceCache = LRU(256)


def load_source(path: str, max_bytes: int | None = None, cache: SourceCache | None = None) -> SourceDoc:
    """Read and parse one source file (a regular file of at most `max_bytes`); the same unchanged
    file is parsed once per `cache` (the run's, else this module's)."""
    size = textfile.regular_file_size(path, what="source", error=SourceError)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise SourceError(f"cannot read source: {exc.strerror}", path=path) from None
    key = (os.path.realpath(path), st.st_mtime_ns, size)
    cache = _CACHE if cache is None else cache
    cached = cache.get(key)
    if cached is not None and cached.path == path:
        return cached
    data = textfile.read_bytes(path, max_bytes, what="source", error=SourceError)
    return cache.put(key, SourceDoc(path=path, text=decode_source(data, path)))


def decode_source(data: bytes, path: str) -> str:
    """UTF-8, UTF-8 with BOM or UTF-16 with BOM, like articles; anything else is a SourceError."""
    return textfile.decode(data, path, what="source", error=SourceError)[0]


def format_of(path: str) -> SourceFormat:
    return SUFFIXES.get(os.path.splitext(path)[1].lower(), "text")


# --------------------------------------------------------------------------- markup


def markdown_text(text: str) -> str:
    """`text` with Markdown markup blanked out (same length, line breaks kept)."""
    return markup.mask_markdown(text)[0]


def html_text(raw: str) -> tuple[str, list[int]]:
    """The visible text of an HTML page and, per character, its offset in `raw`."""
    extracted = htmltext.extract(raw, story_only=False)
    return extracted.text, extracted.offsets


# --------------------------------------------------------------------------- transcripts


# a label written in bold or italics in a plain-text file (`**Ana Ruiz:**`, `**Ana Ruiz**:`,
# `*Q:*`): the marks are the label's, not words of the turn (a Markdown file's are masked already)
_EMPHASIS = r"(?:\*\*|__|\*|_)?"
_LABEL = re.compile(
    r"(?m)^[ \t]*"
    r"(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?[ \t]+)?"  # a timestamp
    + _EMPHASIS +
    r"(?P<name>[^\W\d_][^\W_]*(?:[ \t.'’\-]+[^\W_]+){0,4}\.?)"
    r"(?:[ \t]*[(（](?P<org>[^()（）\n]{1,60})[)）])?"
    + _EMPHASIS + r"[ \t]*(?:[:：](?!//))" + _EMPHASIS
)
_ROLES = {**dict.fromkeys(vocab.words("transcript_labels", "interviewer_labels"), "interviewer"),
          **dict.fromkeys(vocab.words("transcript_labels", "interviewee_labels"), "interviewee")}
_NOT_SPEAKERS = frozenset(vocab.words("transcript_labels", "not_speakers"))
_PARTICLES = frozenset(vocab.words("speaker_grammar", "name_particles"))
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(slots=True)
class _Label:
    line_start: int
    text_start: int
    name: str
    org: str | None


def find_turns(plain: str) -> list[Turn]:
    """Speaker turns, when `plain` reads as a speaker-labelled transcript; else []."""
    labels = [lab for m in _LABEL.finditer(plain) if (lab := _label(m)) is not None]
    names_for_roles = _role_names(labels, plain)
    labels = [lab for lab in labels if not _is_role_header(lab, plain)]
    if not _looks_like_transcript(labels, plain):
        return []
    turns: list[Turn] = []
    for i, lab in enumerate(labels):
        end = labels[i + 1].line_start if i + 1 < len(labels) else len(plain)
        role = _ROLES.get(lab.name.casefold().rstrip("."))
        speaker: str | None = lab.name
        if role:
            speaker = names_for_roles.get(role)
        turns.append(Turn(start=lab.text_start, end=end, speaker=speaker, org=lab.org, role=role,
                          label=lab.name, label_start=lab.line_start))
    return turns


def opens_with_label(plain: str, pos: int) -> bool:
    """Whether a speaker label (`ANA RUIZ:`, `**Whitfield:**`, `Q:`) opens the line at `pos`: a
    cheap look at one place, before `find_turns` reads a whole text."""
    line = plain.rfind("\n", 0, pos) + 1  # the label's pattern reads from the start of its line
    if plain[line:pos].strip():
        return False
    m = _LABEL.match(plain, line)
    return m is not None and _label(m) is not None


def _label(m: re.Match[str]) -> _Label | None:
    name = m.group("name").strip()
    if name.split()[-1].casefold().rstrip(".") in _NOT_SPEAKERS:
        return None  # `Email:`, and by its last word `Video Transcript:`, `Media Contact:`
    if not _name_like(name):
        return None
    return _Label(line_start=m.start(), text_start=m.end(), name=name, org=m.group("org"))


def _name_like(name: str) -> bool:
    """A speaker label: capitalised words ('Zhang Ping'an', 'ZHANG', 'Dr. Li'), a short CJK name,
    or a Q/A role."""
    if name.casefold().rstrip(".") in _ROLES:
        return True
    if _CJK.search(name):
        return len(name) <= 8
    words = re.split(r"[ \t]+", name)
    return all(w[:1].isupper() or w.casefold() in _PARTICLES for w in words)


def _is_role_header(lab: _Label, plain: str) -> bool:
    """'Interviewee: Zhang Ping'an' names a role; it is not a turn."""
    if lab.name.casefold() not in ("interviewer", "interviewee"):
        return False
    return 0 < len(_rest_of_line(plain, lab.text_start).split()) <= 6


def _rest_of_line(plain: str, start: int) -> str:
    end = plain.find("\n", start)
    return plain[start:end if end != -1 else len(plain)].strip()


def _role_names(labels: list[_Label], plain: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for lab in labels:
        if _is_role_header(lab, plain):
            names[lab.name.casefold()] = _rest_of_line(plain, lab.text_start).rstrip(".")
    return names


def _looks_like_transcript(labels: list[_Label], plain: str) -> bool:
    """Two labelled lines or more, and they start a good share of the paragraphs; or one label
    that opens a one-paragraph document (`_one_turn`)."""
    paragraphs = len(re.findall(r"(?:\A|\n[ \t]*\n)[ \t]*\S", plain))
    if len(labels) == 1:
        return paragraphs <= 1 and _one_turn(labels[0], plain)
    if len(labels) < 2:
        return False
    starts = {lab.line_start for lab in labels}
    return len(starts) * 10 >= max(paragraphs, 1) * 4


def _one_turn(lab: _Label, plain: str) -> bool:
    """A transcript of a single turn (`ANA RUIZ: ...`, `[00:01:07] Dr. Li: ...`): its label opens
    the document and names a person, in two words or more or in Chinese characters. A single
    capitalised word before a colon (`WASHINGTON:`, `Update:`) or a role (`Q:`) alone is not taken
    for a speaker."""
    if plain[:lab.line_start].strip() or lab.name.casefold().rstrip(".") in _ROLES:
        return False
    return bool(_CJK.search(lab.name)) or len(re.split(r"[ \t]+", lab.name)) >= 2


# --------------------------------------------------------------------------- speakers


# words of a label or a credited name that are no part of the person's name ("Sen. Ana Ruiz", "the
# Acme board"): the titles and honorifics of speaker_titles.yaml and the determiners of
# speaker_grammar.yaml, lower-cased
_TITLES = frozenset(w.lower() for w in (*vocab.words("speaker_titles", "titles"),
                                        *vocab.words("speaker_titles", "honorifics"),
                                        *vocab.words("speaker_grammar", "determiners")))


def name_tokens(name: str) -> set[str]:
    """A person's name as comparable tokens: casefolded words, titles left out; CJK per character."""
    tokens: set[str] = set()
    for word in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", name.casefold().replace("’", "'")):
        if _CJK.search(word):
            tokens.update(ch for ch in word)
        elif word not in _TITLES:
            tokens.add(word)
    return tokens


def same_speaker(credited: str, turn: Turn) -> bool | None:
    """True/False when the credited speaker is (not) the turn's speaker; None when unknowable."""
    if not turn.speaker or not _is_name(credited):
        return None
    cred = name_tokens(credited)
    if not cred:
        return None
    for candidate in (turn.speaker, turn.org or ""):
        toks = name_tokens(candidate)
        if toks and (toks <= cred or cred <= toks):
            return True
    return False


def _is_name(text: str) -> bool:
    """A proper name ('Zhang', 'Huawei', '张平安'), not a description ('a spokesperson')."""
    text = text.strip()
    if _CJK.search(text):
        return True
    return bool(text[:1].isupper()) and not text.casefold().startswith(("the ", "a ", "an "))
