"""scripts/polnear_spread.py: where a speaker figure's errors sit and how far it may move."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _spread():
    sys.path.insert(0, str(SCRIPTS))
    try:
        spec = importlib.util.spec_from_file_location("polnear_spread", SCRIPTS / "polnear_spread.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SCRIPTS))
    return module


spread = _spread()

# (right, scored) per article: one article holds 6 of the 8 errors
ONE_BAD = [(10, 10), (9, 10), (0, 6), (10, 10), (0, 0), (19, 20)]


def test_accuracy_pools_quotes_not_articles():
    assert spread.accuracy(ONE_BAD) == pytest.approx(48 / 56)
    assert spread.accuracy([(0, 0)]) == 0.0


def test_worst_orders_by_errors_and_leaves_out_articles_with_nothing_scored():
    assert spread.worst(ONE_BAD) == [(0, 6), (19, 20), (9, 10), (10, 10), (10, 10)]
    assert spread.accuracy(spread.worst(ONE_BAD)[1:]) == pytest.approx(48 / 50)


def test_error_share_of_the_worst_articles():
    assert spread.error_share(ONE_BAD, 1) == pytest.approx(6 / 8)
    assert spread.error_share(ONE_BAD, 3) == pytest.approx(1.0)
    assert spread.error_share([(5, 5)], 1) == 0.0


def test_bootstrap_interval_is_wide_when_one_article_decides_and_narrow_when_none_does():
    low, high = spread.bootstrap_interval(ONE_BAD, 2000, 0)
    assert low < spread.accuracy(ONE_BAD) < high
    assert high - low > 0.1
    even = [(9, 10)] * 50
    assert spread.bootstrap_interval(even, 500, 0) == pytest.approx((0.9, 0.9))
    # the same seed gives the same interval
    assert spread.bootstrap_interval(ONE_BAD, 500, 3) == spread.bootstrap_interval(ONE_BAD, 500, 3)


def test_share_at_or_below_counts_subsets_as_low_as_the_figure():
    pool = [(10, 10)] * 30 + [(0, 10)] * 2
    # a subset of 4 is at or below 0.75 only when it holds one of the two failed articles
    share = spread.share_at_or_below(pool, 4, 0.75, 4000, 0)
    assert 0.15 < share < 0.30  # 1 - C(30,4)/C(32,4) = 0.234
    assert spread.share_at_or_below(pool, 4, 0.5, 4000, 0) < 0.02  # both in one subset: 0.012
    assert spread.share_at_or_below([(10, 10)] * 5, 2, 0.99, 100, 0) == 0.0
