"""The small-count rule across organisations (``analytics.suppression``), cell by cell.

A count of 1-4 is shown as "<5"; 0 and 5 and more are shown as they are. A share or an
average is hidden exactly when the count it is computed from would be. Without
suppression (one organisation's own figures) nothing is hidden.
"""

from __future__ import annotations

import pytest

from silta.analytics.suppression import HIDDEN, SMALL, count, derived


def test_the_hidden_mark_is_less_than_five():
    assert (SMALL, HIDDEN) == (5, "<5")


@pytest.mark.parametrize(
    ("value", "shown"), [(0, 0), (1, "<5"), (2, "<5"), (4, "<5"), (5, 5), (6, 6), (12, 12)]
)
def test_a_suppressed_count_of_one_to_four_is_hidden_and_zero_or_five_shown(value, shown):
    assert count(value, suppressed=True) == shown


@pytest.mark.parametrize("value", [0, 1, 4, 5, 12])
def test_an_unsuppressed_count_is_shown_as_it_is(value):
    assert count(value, suppressed=False) == value


@pytest.mark.parametrize(
    ("base", "shown"),
    [(0, 40.0), (1, "<5"), (4, "<5"), (5, 40.0), (6, 40.0), (20, 40.0)],
)
def test_a_share_is_hidden_exactly_when_its_base_count_is_one_to_four(base, shown):
    assert derived(40.0, base, suppressed=True) == shown
    assert (derived(40.0, base, suppressed=True) == HIDDEN) == (
        count(base, suppressed=True) == HIDDEN
    )


@pytest.mark.parametrize("base", [0, 1, 4, 5])
def test_an_unsuppressed_share_is_shown_as_it_is(base):
    assert derived(40.0, base, suppressed=False) == 40.0
    assert derived(None, base, suppressed=False) is None


def test_a_share_without_a_value_stays_empty_unless_its_base_is_hidden():
    assert derived(None, 0, suppressed=True) is None
    assert derived(None, 5, suppressed=True) is None
    assert derived(None, 3, suppressed=True) == HIDDEN
