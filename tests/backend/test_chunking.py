import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.chunking import join_chunks, keep_line_breaks, split_into_chunks

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


def test_a_rewrite_gets_the_drafts_own_blank_lines_and_indentation_back():
    draft = "Hi Sam,\n\nI has the notes.\n  - item one\n\n\nBest,\nDana"
    rewrite = "Hi Sam,\nI have the notes.\n- item one\nBest,\nDana"
    assert keep_line_breaks(draft, rewrite) == "Hi Sam,\n\nI have the notes.\n  - item one\n\n\nBest,\nDana"


def test_a_rewrite_with_other_lines_is_not_patched():
    with pytest.raises(ValueError):
        keep_line_breaks("Hi Sam,\n\nThanks.\nDana", "Hi Sam, thanks.\nDana")


def test_a_long_run_without_spaces_takes_only_its_own_sentence():
    run = "https://example.com/" + "x" * 5_000
    text = f"Hi,\n\nPlease open {run} today. The rest of this paragraph is plain. It has two sentences.\n\nBo"
    chunks = split_into_chunks(text, 160)
    assert [c.text for c in chunks if run in c.text] == [f"Please open {run} today."]
    assert join_chunks([c.text for c in chunks], chunks) == text
