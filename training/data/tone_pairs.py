"""Tone pairs: a polite real email is made blunt by a reversible, rule-based transform (drop
please/thanks/greetings/hedges, turn requests into bare commands, add an accusatory opener); the
model learns to restore the polite original while changing nothing else.

Every rule is recorded as a span edit on the original, so `restore(blunt, edits)` gives the original
back exactly: the pair is a faithful inverse, not a paraphrase."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    start: int  # span in the original text
    end: int
    replacement: str


POLITE_MARKERS = re.compile(r"\b(please|thanks|thank you|could you|would you|can you|appreciate|i think)\b", re.I)
OPENERS = ["Why is this still not done? ", "I shouldn't have to ask again. ", "This should have been done already. ",
           "You forgot this again. ", "Not sure why this is so hard. ", "Again: ", "This is unacceptable. ",
           "Why didn't you handle this? "]

_RULES: list[tuple[str, re.Pattern, str]] = [
    # a greeting line at the very start
    ("greeting", re.compile(r"\A(?:hi|hello|dear|hey|good (?:morning|afternoon))\b[^\n]{0,30}\n", re.I), ""),
    # sign-off lines: "Thanks," / "Thank you." / "Many thanks!" (the name after them stays)
    ("thanks_line", re.compile(r"(?m)^(?:many thanks|thanks(?: so much| again)?|thank you(?: very much)?|thx)[,.!]*[ \t]*(?:\n|\Z)", re.I), ""),
    # "Thank you for ..." / "Thanks for ..." sentences
    ("thanks_sentence", re.compile(r"(?:(?<=^)|(?<=[.!?]\s)|(?<=\n))(?:thanks|thank you)(?: so much| very much)? for [^.!?\n]*[.!?]\s?", re.I | re.M), ""),
    # "I would appreciate it if you could " -> ""
    ("appreciate", re.compile(r"\bI would (?:really )?appreciate it if you (?:could|would) ", re.I), ""),
    # requests to bare commands: "Could you please send" -> "Send"
    ("request", re.compile(r"\b(?:could|would|can|will) you (?:please |kindly )?(?=[a-z])", re.I), ""),
    ("please", re.compile(r"\bplease,? (?=[a-z])|,? please(?=[.!?,])", re.I), ""),
    ("hedge", re.compile(r"\b(?:I think |perhaps |maybe |just |I was wondering if you could |if possible,? |when you get a chance,? )", re.I), ""),
]


def _apply(text: str, edits: list[Edit]) -> str:
    out, cursor = [], 0
    for edit in sorted(edits, key=lambda e: e.start):
        out.append(text[cursor : edit.start])
        out.append(edit.replacement)
        cursor = edit.end
    out.append(text[cursor:])
    return "".join(out)


def _overlaps(edit: Edit, edits: list[Edit]) -> bool:
    return any(edit.start < e.end and e.start < edit.end or edit.start == e.start for e in edits)


def blunt_edits(text: str, rng: random.Random, opener_probability: float = 0.5) -> list[Edit]:
    """The span edits that turn a polite email into a blunt one (empty if nothing polite was found)."""
    edits: list[Edit] = []
    for name, pattern, replacement in _RULES:
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue
            edit = Edit(m.start(), m.end(), replacement)
            if not _overlaps(edit, edits):
                edits.append(edit)
        # a request turned into a command: capitalise its verb and end it with a period, not "?"
    edits = _fix_sentence_starts(text, edits)
    if edits and rng.random() < opener_probability:
        # after a greeting line that stays, otherwise at the very start
        first_line = text.split("\n", 1)[0]
        kept_greeting = "\n" in text and len(first_line.split()) <= 4 and first_line.rstrip()[-1:] in ",:;-!" \
            and not any(e.start == 0 for e in edits)
        at = len(first_line) + 1 if kept_greeting else 0
        opener = Edit(at, at, rng.choice(OPENERS))
        edits.append(opener)
    return sorted(edits, key=lambda e: (e.start, e.end))


def _fix_sentence_starts(text: str, edits: list[Edit]) -> list[Edit]:
    """After removing 'Could you please ' at a sentence start, the next letter must be capitalised
    and a closing '?' becomes '.'; both are extra single-character edits, so still reversible."""
    extra: list[Edit] = []
    for edit in edits:
        at_sentence_start = edit.start == 0 or text[max(0, edit.start - 2) : edit.start].rstrip(" ")[-1:] in {".", "!", "?", "\n", ""}
        if edit.replacement != "" or edit.end >= len(text) or not text[edit.end].islower():
            continue
        if at_sentence_start:
            cap = Edit(edit.end, edit.end + 1, text[edit.end].upper())
            if not _overlaps(cap, edits + extra):
                extra.append(cap)
        if re.match(r"(?:could|would|can|will) you", text[edit.start : edit.end], re.I):
            question = re.compile(r"[^.!?\n]*\?").match(text, edit.end)
            if question:
                q = Edit(question.end() - 1, question.end(), ".")
                if not _overlaps(q, edits + extra):
                    extra.append(q)
    return edits + extra


def blunt(text: str, edits: list[Edit]) -> str:
    return _apply(text, edits)


def inverse_edits(edits: list[Edit]) -> list[Edit]:
    """Edits on the blunt text that give back the original."""
    inverse, shift = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        start = edit.start + shift
        inverse.append(Edit(start, start + len(edit.replacement), ""))
        shift += len(edit.replacement) - (edit.end - edit.start)
    return inverse


def restore(blunt_text: str, original: str, edits: list[Edit]) -> str:
    """Undoes the blunting (the removed spans come from the original)."""
    pieces = [Edit(inv.start, inv.end, original[e.start : e.end]) for inv, e in zip(inverse_edits(edits), sorted(edits, key=lambda e: (e.start, e.end)))]
    return _apply(blunt_text, pieces)


def is_polite_candidate(text: str) -> bool:
    return len(POLITE_MARKERS.findall(text)) >= 1


def make_pair(text: str, rng: random.Random) -> tuple[str, list[Edit]] | None:
    """(blunt text, edits) for a polite email, or None when the transform barely changes it."""
    if not is_polite_candidate(text):
        return None
    edits = blunt_edits(text, rng)
    if not edits:
        return None
    rough = blunt(text, edits)
    if not rough.strip() or len(rough.split()) < 6:
        return None
    return rough, edits
