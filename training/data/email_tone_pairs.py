"""Tone pairs from human-rated emails: within one scenario (`seed`) of
`politeness/emails_human_rated_dev.csv`, the same message was written at several politeness levels and
rated by people (1 impolite ... 5 polite). A less polite version -> a clearly more polite version of
the same message is a natural training pair for "make it polite without changing what is asked".

Only like is paired with like. A scenario holds five versions of its first message and five replies
from the other person ("Re:" subject, other greeting name). The replies are not versions of one
message: in one scenario they range from pushback ("it's time for some leadership accountability")
to thanks and agreement, so rewriting one into another would teach the model to change what is said.
Pairs are therefore made of first-message versions only, and only when both keep the same facts
(numbers, names, acronyms, months), greeting name and signature. The subject line may change with
the tone ("Subpar Performance in Training Sessions" -> "Observations from Recent Training Sessions").

The scenarios are split once, here: pairs come from TRAINING_SEEDS only, and the tone check
(`training.tone_check`) proofreads emails of CHECK_SEEDS only, so it never sees a trained-on email."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import permutations

from backend.chunking import sign_off_line
from training.classifiers.data import RatedEmail, human_rated_emails
from training.data.common import data_path
from training.data.scoring import as_rude

KIND = "email_tone"

TRAINING_SEEDS = frozenset(range(1, 13))
CHECK_SEEDS = frozenset(range(13, 25))

# A source people rated below the scale's middle, a target they rated polite (the scale's 4 rounds
# from 3.5), and at least a full point between them: the pair teaches a clear change of tone.
SOURCE_BELOW = 3.0
TARGET_FROM = 3.5
MIN_GAP = 1.0

_SUBJECT = re.compile(r"\A\s*subject:\s*(re:)?", re.I)
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)$")
# Capitalised words that start no sentence but are no facts either.
_NOT_NAMES = frozenset({"I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d", "I'll", "I’ll", "Subject", "Re"})


@dataclass(frozen=True)
class EmailTonePair:
    source: str
    target: str
    seed: int
    source_id: int
    target_id: int
    source_rating: float
    target_rating: float


def normalize(text: str) -> str:
    """The corpus mixes trailing double spaces (Markdown line breaks) and blank-line runs; both sides
    of a pair get one layout so the pair teaches a change of tone, not of whitespace."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def is_reply(text: str) -> bool:
    subject = _SUBJECT.match(text)
    return bool(subject and subject.group(1))


def _body_lines(text: str) -> list[str]:
    return [line.strip() for line in normalize(text).split("\n")[1 if _SUBJECT.match(text) else 0:] if line.strip()]


def greeting_name(text: str) -> str:
    """The name the email is addressed to: the words after "Dear"/"Hi" on its first line, or the
    first line itself when it is just a name ("Anita, your email...")."""
    lines = _body_lines(text)
    first = lines[0] if lines else ""
    head = re.split(r"[,:]", first, maxsplit=1)[0]
    head = re.sub(r"^(dear|hi|hello|hey|good (morning|afternoon|evening))\b\s*", "", head, flags=re.I)
    return head.strip() if len(head.split()) <= 3 else ""


def signature(text: str) -> tuple[str, ...]:
    """The last lines of short words (sign-off, name, title), lower-cased."""
    tail: list[str] = []
    for line in reversed(_body_lines(text)):
        if not sign_off_line(line):
            break
        tail.insert(0, line.lower())
    return tuple(tail[1:] if len(tail) > 1 else tail)  # the sign-off word itself may change ("Regards" -> "Best")


def facts(text: str) -> frozenset[str]:
    """Numbers, and capitalised words that do not start a sentence (names, acronyms, months)."""
    body = "\n".join(_body_lines(text))
    found = set(_NUMBER.findall(body))
    for match in _WORD.finditer(body):
        word = match.group(0)
        if word[0].isupper() and word not in _NOT_NAMES and not _SENTENCE_START.search(body[: match.start()]):
            found.add(word.rstrip("'’s") or word)
    return frozenset(found)


def same_message(a: RatedEmail, b: RatedEmail) -> bool:
    """Two versions of one scenario's first message with the same addressee, signature and facts."""
    return (a.seed == b.seed and not is_reply(a.text) and not is_reply(b.text)
            and greeting_name(a.text) == greeting_name(b.text) and signature(a.text) == signature(b.text)
            and facts(a.text) == facts(b.text))


def pairs(emails: list[RatedEmail], seeds: frozenset[int] = TRAINING_SEEDS) -> list[EmailTonePair]:
    """Every (less polite -> clearly more polite) pair of versions of one message in `seeds`, from the
    least polite -> most polite of a scenario to the intermediate steps; the largest rating gap
    first, so a recipe asking for fewer pairs gets the clearest ones."""
    found: list[EmailTonePair] = []
    for seed in sorted(seeds):
        versions = [e for e in emails if e.seed == seed]
        for a, b in permutations(versions, 2):
            if a.rating < SOURCE_BELOW and b.rating >= TARGET_FROM and b.rating - a.rating >= MIN_GAP and same_message(a, b):
                found.append(EmailTonePair(normalize(a.text), normalize(b.text), seed, a.email_id, b.email_id, a.rating, b.rating))
    return sorted(found, key=lambda p: (-(p.target_rating - p.source_rating), p.source_id, p.target_id))


def corpus_path():
    return data_path("politeness", "emails_human_rated_dev.csv")


def training_pairs() -> list[EmailTonePair]:
    """The pairs the training data may use: TRAINING_SEEDS only."""
    return pairs(human_rated_emails(corpus_path()), TRAINING_SEEDS)


def training_examples(maker, limit: int) -> list[dict]:
    """Up to `limit` prompt/completion examples. Like the blunted-email pairs, each carries a "rude"
    tone note (training.data.scoring.as_rude): that note is what asks for the polite rewrite."""
    examples = []
    for pair in training_pairs()[:limit]:
        scores = as_rude(maker.scores(pair.source), [])
        examples.append(maker.proofread(pair.source, pair.target, KIND, scores=scores,
                                        source_id=f"email-politeness:{pair.source_id}->{pair.target_id}"))
    return examples
