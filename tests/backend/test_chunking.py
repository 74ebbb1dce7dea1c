import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.chunking import join_chunks, split_into_chunks

pytestmark = pytest.mark.fast

EMAIL = "Hi team,\n\n" + "This is a sentence about the plan. " * 60 + "\n\nSecond paragraph here.\n\n\nBest,\nAna"


@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=400), st.integers(min_value=1, max_value=50))
def test_joining_chunks_gives_back_the_text(text, max_words):
    chunks = split_into_chunks(text, max_words)
    assert join_chunks([c.text for c in chunks], chunks) == text


def test_long_paragraphs_are_split_at_sentences_and_short_ones_grouped():
    chunks = split_into_chunks(EMAIL.strip(), 160)
    assert len(chunks) > 1
    assert all(len(c.text.split()) <= 160 for c in chunks)
    assert join_chunks([c.text for c in chunks], chunks) == EMAIL.strip()


def test_a_short_email_is_one_chunk():
    assert len(split_into_chunks("Hi,\n\nThanks.\n\nBo", 160)) == 1
