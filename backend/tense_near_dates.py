"""Finds a rewrite that changes the tense of a verb next to a date: "the offer will expire on 31 October"
-> "the offer expired on 31 October" changes a fact the model cannot know (has the date passed?), so the
guards count it as a content change. Tense fixes that a word like "yesterday" calls for are left alone:
only dates, weekdays and numbers are anchors.
"""

from __future__ import annotations

import difflib
import re

_WORD = re.compile(r"[a-z\u00C0-\u024F]+(?:'[a-z]+)?|\d+")
_DATE_ANCHOR = re.compile(
    r"\d+|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"|january|february|march|april|june|july|august|september|october|november|december"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
)
WINDOW = 6  # words between a changed verb and the date it is about

# Irregular past forms of common email verbs (present forms -> past form).
_IRREGULAR_PAST = {
    "is": "was", "am": "was", "are": "were", "has": "had", "have": "had", "do": "did", "does": "did",
    "go": "went", "goes": "went", "send": "sent", "sends": "sent", "get": "got", "gets": "got",
    "come": "came", "comes": "came", "make": "made", "makes": "made", "pay": "paid", "pays": "paid",
    "meet": "met", "meets": "met", "leave": "left", "leaves": "left", "begin": "began", "begins": "began",
    "take": "took", "takes": "took", "give": "gave", "gives": "gave", "see": "saw", "sees": "saw",
    "write": "wrote", "writes": "wrote", "buy": "bought", "buys": "bought", "bring": "brought",
    "brings": "brought", "tell": "told", "tells": "told", "say": "said", "says": "said", "hold": "held",
    "holds": "held", "keep": "kept", "keeps": "kept", "spend": "spent", "spends": "spent", "sell": "sold",
    "sells": "sold", "become": "became", "becomes": "became", "run": "ran", "runs": "ran", "find": "found",
    "finds": "found", "know": "knew", "knows": "knew", "think": "thought", "thinks": "thought",
}
# After one of these in both texts, a changed verb form is a participle fix ("has send" -> "has sent").
_AUXILIARIES = {"have", "has", "had", "is", "was", "are", "were", "be", "been", "being", "am"}


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _is_future_marker(word: str) -> bool:
    return word in ("will", "won't", "shall") or word.endswith("'ll")


def _present_stems(word: str) -> set[str]:
    stems = {word}
    if word.endswith("ies"):
        stems.add(word[:-3] + "y")
    if word.endswith("es"):
        stems.add(word[:-2])
    if word.endswith("s"):
        stems.add(word[:-1])
    return stems


def _is_past_of(present: str, past: str) -> bool:
    for stem in _present_stems(present):
        if _IRREGULAR_PAST.get(stem) == past:
            return True
        if len(stem) < 3:  # "a" -> "ad", "be" -> "bed" are not tenses
            continue
        regular = {stem + "ed", stem + "d", stem + stem[-1] + "ed"}
        if stem.endswith("y"):
            regular.add(stem[:-1] + "ied")
        if past in regular:
            return True
    return False


def changes_tense_near_a_date(original: str, rewrite: str) -> bool:
    a, b = _words(original), _words(rewrite)
    anchors = [i for i, word in enumerate(a) if _DATE_ANCHOR.fullmatch(word)]
    if not anchors:
        return False
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or not any(i1 - WINDOW <= p < i2 + WINDOW for p in anchors):
            continue
        removed, added = a[i1:i2], b[j1:j2]
        if any(map(_is_future_marker, removed)) != any(map(_is_future_marker, added)):
            return True
        for i, old in enumerate(removed, i1):
            for j, new in enumerate(added, j1):
                participle = i > 0 and j > 0 and a[i - 1] in _AUXILIARIES and b[j - 1] in _AUXILIARIES
                if not participle and (_is_past_of(old, new) or _is_past_of(new, old)):
                    return True
    return False
