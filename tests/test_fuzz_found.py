"""Regression tests for what `scripts/fuzz.py` found: each a minimal draft that once crashed, stalled
or broke the report contract, and the behaviour it must keep."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from verifier.ingest import load
from verifier.model.config import Settings
from verifier.run import pipeline
from verifier.stages import signals

RULES = Settings(engine="rules")


class _Stalled(BaseException):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail the test when the block runs past `seconds` (the code it guards once ran for minutes)."""
    def ring(signum: int, frame: object) -> None:
        raise _Stalled()

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Stalled:
        pytest.fail(f"still running after {seconds} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check(text: str, fmt: load.Format = "text") -> Callable[[], object]:
    return lambda: pipeline.check_article(load.load_text(text, fmt=fmt), RULES, source_docs=[])


def test_a_long_word_in_a_benchmark_claim_does_not_stall() -> None:
    # the product-name pattern split a long capitalised word every possible way: 2,000 letters ran
    # for minutes (cubic); now well under a second
    text = "The model " + "B" * 2000 + " outperforms GPT-4o on MMLU, the company said."
    with deadline(20):
        report = check(text)()
    assert report.claims


def test_a_very_long_word_in_a_benchmark_claim_takes_no_quadratic_time() -> None:
    # after the fix above, still quadratic: 30,000 letters took about 50 s; now milliseconds
    text = "The model " + "B" * 30_000 + " outperforms GPT-4o on MMLU, the company said."
    with deadline(10):
        report = check(text)()
    assert report.claims
    assert signals.parse_benchmark("B" * 300 + " Tern-3 outperforms GPT-4o").compared_to == ["GPT-4o"]
    assert signals.parse_benchmark("B" * 300 + " Tern-3 outperforms GPT-4o").subject == "Tern-3"


@pytest.mark.parametrize(("words", "products"), [
    ("Tern-3 outperforms GPT-4o and Kestrel 3.5 on MMLU", ["Tern-3", "GPT-4o", "Kestrel 3.5"]),
    ("Halvorsen Labs’s Tern-3 beats the iPhone 15 and the A17", ["Labs’s Tern-3", "Phone 15", "A17"]),
    ("ABcD rivals NVIDIA-2x and Llama 3 70B", ["BcD", "NVIDIA-2x", "Llama 3 70B"]),
    ("B" * 50 + " rivals Tern-3", ["Tern-3"]),
])
def test_product_names_are_found_as_before(words: str, products: list[str]) -> None:
    found = [signals._product(m) for m in signals._PRODUCT.finditer(words)]
    assert found == products


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_an_of_phrase_with_two_spaces_is_checked(fmt: load.Format) -> None:
    # the name was looked up with its spaces made single, and not found: ValueError
    report = check("M  of L asked", fmt)()
    assert report.schema_version == "1"



@pytest.mark.parametrize("space", ["  ", "\n", " \t "])
def test_a_speaker_written_with_odd_spaces_is_found_where_it_stands(space: str) -> None:
    # the span was placed by looking the name up with single spaces: not found, one character
    # before the name, as long as the cleaned name (' Ana  Ru')
    text = f"“We will build it,” said Ana{space}Ruiz of{space}Salem."
    report = check(text)()
    spans = [q.speaker_span for q in report.quotes]
    assert len(spans) == 1 and spans[0] is not None
    span = spans[0]
    assert text[span.start:span.end] == span.text
    assert span.text.split() == ["Ana", "Ruiz"]
    assert report.quotes[0].speaker == "Ana Ruiz"


@pytest.mark.parametrize("space", ["  ", "\n"])
def test_an_appositive_speaker_written_with_odd_spaces_is_found_where_it_stands(space: str) -> None:
    text = f"“We will build it,” said the minister, Ola{space}Berg, on Tuesday."
    report = check(text)()
    span = report.quotes[0].speaker_span
    assert span is not None and span.text.split() == ["Ola", "Berg"]
