"""Checks on the model's output: a broken rewrite is replaced by the original plus a warning,
so the user never receives a damaged email. The draft's structure (its lines, brackets and emoji)
and its facts (numbers, dates, links, addresses, the tense of a verb next to a date) must survive."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

from backend.chunking import lines, sign_off_line
from backend.tense_near_dates import changes_tense_near_a_date
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


# A rewrite of a part with at least this many content words must keep this share of them (a word counts
# as kept when the rewrite has it, or a spelling or inflection of it). Human corrections of learner
# sentences with 12+ content words (FCE dev, JFLEG validation references) fell below 0.6 once in 467;
# a tone rewrite that keeps less has stopped saying what the draft said.
_MIN_CONTENT_WORDS = 12
_MIN_CONTENT_KEPT = 0.6


def clean_output(text: str) -> str:
    """Strips what a model sometimes wraps around the email (an 'Email:' label, trailing blank lines)."""
    text = text.strip("\n")
    text = re.sub(r"^\s*(Email|Corrected email|Corrected):\s*\n", "", text, flags=re.IGNORECASE)
    return text.rstrip()


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _same_word(word: str, candidates: set[str]) -> bool:
    # "recieve" -> "receive", "sends" -> "send": a corrected word is still the draft's word
    return word in candidates or any(
        (len(word) >= 4 and c[:4] == word[:4]) or SequenceMatcher(None, word, c).ratio() >= 0.75 for c in candidates
    )


def content_dropped(original: str, corrected: str) -> bool:
    """True when the rewrite left out much of what a part says (its content words, not its function words)."""
    content = {w for w in _words(original) if w not in _ALLOWED_NEW_WORDS}
    if len(content) < _MIN_CONTENT_WORDS:
        return False
    out = set(_words(corrected))
    needed = _MIN_CONTENT_KEPT * len(content)
    missing = content - out
    kept = len(content) - len(missing)  # the usual proofread keeps enough words as they were: no fuzzy matching
    for checked, word in enumerate(missing):
        if kept >= needed or kept + len(missing) - checked < needed:
            break  # decided either way: fuzzy matching costs len(output) comparisons per word
        kept += _same_word(word, out)
    return kept < needed


def _max_ngram_repeats(words: list[str], n: int = 4) -> int:
    grams = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return max(grams.values(), default=0)


def _is_emoji(ch: str) -> bool:
    # Symbols (emoji, dingbats, arrows) and the skin-tone modifiers that attach to them.
    return unicodedata.category(ch) == "So" or "\U0001F3FB" <= ch <= "\U0001F3FF"


def _sign_off_grew(original_lines: list[str], corrected_lines: list[str]) -> bool:
    """The last line is a sign-off or a name (short, ends no sentence) and gained more than a word: a
    sentence run into the signature ("Dana Thanks in advance."), where a thanks belongs on the line before."""
    last = original_lines[-1]
    if len(original_lines) < 2 or not sign_off_line(last):
        return False
    return len(_words(corrected_lines[-1])) > len(_words(last)) + 1


def _layout_change(original: str, corrected: str) -> Fallback | None:
    original_lines, corrected_lines = lines(original), lines(corrected)
    if len(original_lines) != len(corrected_lines) or _sign_off_grew(original_lines, corrected_lines):
        return Fallback.LINES_CHANGED
    if Counter(c for c in original if c in "()[]{}<>") != Counter(c for c in corrected if c in "()[]{}<>"):
        return Fallback.BRACKETS_CHANGED
    if Counter(filter(_is_emoji, original)) != Counter(filter(_is_emoji, corrected)):
        return Fallback.SYMBOL_CHANGED
    return None


class RunawayCheck:
    """The guards that only get worse as a rewrite grows (too long, repeating itself), checked on the
    output so far: once they fail, the rewrite will be rejected whatever comes next, so generation can stop."""

    def __init__(self, original: str) -> None:
        words = _words(original)
        self._max_words = 1.5 * len(words) + 12
        # A phrase may repeat as often as the draft's most repeated one (a list repeats itself), plus two.
        self._max_repeats = max(3, _max_ngram_repeats(words) + 2)

    def reason(self, output: str) -> Fallback | None:
        words = _words(output)
        if len(words) > self._max_words:
            return Fallback.FAR_LONGER
        if _max_ngram_repeats(words) > self._max_repeats:
            return Fallback.REPEATS
        return None


def rejection_reason(original: str, corrected: str) -> Fallback | None:
    """Why `corrected` must not replace `original`, or None if it is a plausible proofread."""
    if not corrected.strip():
        return Fallback.EMPTY_REWRITE
    runaway = RunawayCheck(original).reason(corrected)
    if runaway:
        return runaway
    words_in, words_out = _words(original), _words(corrected)
    if len(words_out) < 0.5 * len(words_in) - 5:
        return Fallback.DROPPED_TEXT
    layout = _layout_change(original, corrected)
    if layout:
        return layout
    facts_in, facts_out = set(_FACT.findall(original)), set(_FACT.findall(corrected))
    if facts_in != facts_out:
        return Fallback.CHANGED_FACT
    if changes_tense_near_a_date(original, corrected):
        return Fallback.TENSE_CHANGED
    if content_dropped(original, corrected):
        return Fallback.DROPPED_CONTENT
    vocabulary = set(words_in)
    new_words = [w for w in words_out if w not in vocabulary and w not in _ALLOWED_NEW_WORDS]
    # Spelling fixes produce new words too, so only a large share of unseen words means new content.
    if len(new_words) > 3 and len(new_words) > 0.34 * max(len(words_in), 1):
        return Fallback.ADDED_CONTENT
    return None


def refusal(original: str, corrected: str, finish_reason: str) -> Fallback | None:
    """Why the model's rewrite must not be used, or None. A rewrite that did not end by itself is
    refused even when it looks plausible: its end is missing. Cut off at the token limit ("length"), it
    fails other guards too (missing lines), but its cause is the limit; stopped early by the runaway
    watch ("stopped"), the guard that stopped it says why."""
    if finish_reason == "length":
        return Fallback.CUT_OFF
    reason = rejection_reason(original, corrected)
    if reason is None and finish_reason != "stop":
        return Fallback.CUT_OFF
    return reason
