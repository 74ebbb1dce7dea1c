"""Checks on the model's output: a broken rewrite is replaced by the original plus a warning,
so the user never receives a damaged email."""

from __future__ import annotations

import re
from collections import Counter

from backend.types import Fallback

_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:'[A-Za-z]+)?")
_FACT = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+|\d[\d,.:/-]*\d|\d")

# Words a polite or grammatical rewrite may add without adding content.
_ALLOWED_NEW_WORDS = set(
    """a an the to of in on at for with by from and or but so if as is are was were be been being am
    has have had do does did will would could can should may might must shall it its it's this that these those
    i me my we our us you your he him his she her they them their there here not no please thank thanks
    kindly appreciate appreciated grateful sorry apologies apologize hi hello dear regards best wishes
    sincerely cheers let know when possible sure help could would mind able just also which who whom
    whose what about up out into than then too very more most much many some any all each""".split()
)


def clean_output(text: str) -> str:
    """Strips what a model sometimes wraps around the email (an 'Email:' label, trailing blank lines)."""
    text = text.strip("\n")
    text = re.sub(r"^\s*(Email|Corrected email|Corrected):\s*\n", "", text, flags=re.IGNORECASE)
    return text.rstrip()


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _max_ngram_repeats(words: list[str], n: int = 4) -> int:
    grams = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return max(grams.values(), default=0)


def rejection_reason(original: str, corrected: str) -> Fallback | None:
    """Why `corrected` must not replace `original`, or None if it is a plausible proofread."""
    if not corrected.strip():
        return Fallback.EMPTY_REWRITE
    words_in, words_out = _words(original), _words(corrected)
    if len(words_out) > 1.5 * len(words_in) + 12:
        return Fallback.FAR_LONGER
    if len(words_out) < 0.5 * len(words_in) - 5:
        return Fallback.DROPPED_TEXT
    if _max_ngram_repeats(words_out) > max(3, _max_ngram_repeats(words_in) + 2):
        return Fallback.REPEATS
    facts_in, facts_out = set(_FACT.findall(original)), set(_FACT.findall(corrected))
    if facts_in != facts_out:
        return Fallback.CHANGED_FACT
    vocabulary = set(words_in)
    new_words = [w for w in words_out if w not in vocabulary and w not in _ALLOWED_NEW_WORDS]
    # Spelling fixes produce new words too, so only a large share of unseen words means new content.
    if len(new_words) > 3 and len(new_words) > 0.34 * max(len(words_in), 1):
        return Fallback.ADDED_CONTENT
    return None


def refusal(original: str, corrected: str, finish_reason: str) -> Fallback | None:
    """Why the model's rewrite must not be used, or None. A rewrite that stopped at the token limit
    (`finish_reason` "length") is refused even when it looks plausible: its end is missing."""
    reason = rejection_reason(original, corrected)
    if reason is None and finish_reason == "length":
        return Fallback.CUT_OFF
    return reason
