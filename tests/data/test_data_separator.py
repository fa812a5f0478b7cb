"""The CSV separator is found in one pass over a bounded sample, outside quotes (csv.Sniffer,
used before, backtracked for 79 s on a crafted 60 kB file), and the header is checked before
the rest of the file is read."""

from __future__ import annotations

import time

import pytest

from jamlik.data.readers import SAMPLE_CHARS, _separator, read_csv_text
from jamlik.errors import ValidationError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("indicator;period;estimate\nx;2024;61,5\n", ";"),  # Swedish Excel: decimal comma
        ("indicator,period,estimate\nx,2024,61.5\n", ","),
        ("indicator\tperiod\testimate\nx\t2024\t61,5\n", "\t"),
        # Semicolons inside quoted titles do not count; nor do line breaks inside quotes.
        ('indicator,title,period\nx,"a;b;c;d",2024\ny,"e;\nf;g",2025\n', ","),
        ('"a;b","c;d",e\n1,2,3\n', ","),
        # A header a comma splits more, but a semicolon splits every line alike.
        ("a;b,c,d,e;f\n1;2,5;3\n4;5,5;6\n", ";"),
        ("indicator\n", ","),  # one column: nothing to split
        ("", ","),
    ],
)
def test_separator(text, expected):
    assert _separator(text) == expected


def test_the_sample_is_bounded():
    # A header within the sample decides; what follows past it is never looked at.
    text = "a;b;c\n" + "1;2;3\n" * 10 + "x," * (10 * SAMPLE_CHARS)
    start = time.monotonic()
    assert _separator(text) == ";"
    assert time.monotonic() - start < 1.0


def test_a_crafted_header_is_refused_without_reading_on():
    text = "a" + ',"' * 30000 + "\nindicator,period\n"
    start = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        read_csv_text(text, "r.csv")
    assert time.monotonic() - start < 2.0
    (problem,) = caught.value.problems
    assert problem.row == 1 and "15000" in problem.message
    assert len(problem.message) < 400  # ten column numbers, then how many more
