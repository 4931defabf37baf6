import datetime as dt

import pytest
from pydantic import ValidationError

from rnkg.schema.values import Citation, DateValue, fold, imo_check


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2024-06-19", "2024-06-19", "2024-06-19", "day"),
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("2023", "2023-01-01", "2023-12-31", "year"),
        ("2023-08-15/2023-10-14", "2023-08-15", "2023-10-14", "day"),
        ("2023-08/2023-10-14", "2023-08-01", "2023-10-14", "month"),
        ("~1995-09-07", "1995-09-07", "1995-09-07", "day"),
        ("2023-10/", "2023-10-01", None, "month"),
        ("/2024-04-30", None, "2024-04-30", "day"),
    ],
)
def test_dates_keep_their_precision(text, start, end, precision):
    d = DateValue.parse(text)
    assert (d.date_from, d.date_to, d.precision) == (
        dt.date.fromisoformat(start) if start else None,
        dt.date.fromisoformat(end) if end else None,
        precision,
    )
    assert d.text == text
    assert d.approximate == text.startswith("~")


@pytest.mark.parametrize("bad", ["2024-13", "2024-02-30", "June 2024", "", "/", "2024-05/2024-01"])
def test_bad_dates_are_refused(bad):
    with pytest.raises(ValueError):
        DateValue.parse(bad)


def test_fold_ignores_case_accents_and_punctuation():
    assert fold("Corée du Nord") == fold("COREE DU NORD") == "coree du nord"
    assert fold("Maia-1") == fold("maia 1")
    assert fold("Sergueï Choïgu") == "serguei choigu"
    assert fold("김정은") == "김정은"


def test_citation_needs_a_locator_and_a_short_quote():
    assert Citation(source="source:s000", section="p. 1").section == "p. 1"
    with pytest.raises(ValidationError, match="quote or a section"):
        Citation(source="source:s000")
    with pytest.raises(ValidationError, match="at most 25"):
        Citation(source="source:s000", quote=" ".join(["mot"] * 26))


def test_imo_check_digit():
    for imo in ("9358010", "9161003", "9179842", "8517839"):
        assert imo_check(imo), imo
    assert not imo_check("9358012")
    assert not imo_check("935801")
