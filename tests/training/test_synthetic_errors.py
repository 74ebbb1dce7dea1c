import random

import pytest

from training.data.synthetic_errors import ERROR_TYPES, inject_errors, inject_one

pytestmark = pytest.mark.fast

EMAIL = ("Hi Sam,\nI have attached the report you asked for yesterday. The numbers for the third quarter are "
         "in the second tab, and the meeting is on Thursday at 3 pm in room 4102.\nLet me know if there are any issues.\nBest,\nDana")


def test_same_seed_same_errors():
    a = inject_errors(EMAIL, random.Random("13:email-1"))
    b = inject_errors(EMAIL, random.Random("13:email-1"))
    c = inject_errors(EMAIL, random.Random("13:email-2"))
    assert a == b
    assert a[0] != EMAIL and a[1]
    assert c != a  # another email id draws other errors


def test_every_error_type_changes_the_text_and_keeps_facts():
    for kind in ERROR_TYPES:
        for seed in range(20):
            noisy = inject_one(EMAIL, kind, random.Random(seed))
            if noisy is None:
                continue
            assert noisy != EMAIL, kind
            for fact in ("3 pm", "4102"):
                assert fact in noisy, (kind, seed)
            assert noisy.count("\n") == EMAIL.count("\n"), kind


def test_error_count_scales_with_length():
    short = inject_errors("I have attached the report.", random.Random(1))[1]
    long = inject_errors(" ".join([EMAIL] * 4), random.Random(1))[1]
    assert 1 <= len(short) <= 2
    assert len(long) > len(short)
