"""Real emails (AESLC, Enron) cleaned into short drafts, with greetings and sign-offs as varied as
in real mail. Shared by the synthetic-error, tone-pair and over-correction sets."""

from __future__ import annotations

import random
import re

from training.data.common import data_path, read_jsonl

_GREETING_HEAD = re.compile(r"^((?:hi|hello|dear|hey|good morning|good afternoon)?\s*[A-Z][\w.]*(?: [A-Z][\w.]*)?\s*[,:;-])[ \t]{2,}")
_JUNK = re.compile(r"\*{3,}|\*~|<<|>>|-{3,}|={3,}|_{3,}|original message|forwarded|\bcc:|\bsubject:|\bfrom:|\bsent:|\bto:|http|www\.|\t|\|", re.I)

GREETINGS = ["Hi {name},", "Hello {name},", "Dear {name},", "{name},", "Hey {name},", "Good morning {name},",
             "Hi all,", "Hello everyone,", "Team,", "{name} -", "Hi {name}!", "Morning {name},", "Dear Mr. {last},",
             "Dear Ms. {last},", "Folks,"]
SIGNOFFS = ["Thanks,\n{name}", "Thanks!\n{name}", "Best,\n{name}", "Best regards,\n{name}", "Regards,\n{name}",
            "Cheers,\n{name}", "Thank you,\n{name}", "Sincerely,\n{name} {last}", "-{name}", "{name}",
            "Talk soon,\n{name}", "Many thanks,\n{name}", "Kind regards,\n{name} {last}", "--\n{name}", "Thx,\n{name}"]
FIRST = ["Sam", "Dana", "Maria", "John", "Priya", "Kevin", "Sara", "Mike", "Li", "Tom", "Anna", "Carlos", "Jeff",
         "Kate", "Omar", "Susan", "Raj", "Elena", "Chris", "Vince", "Louise", "Mark", "Sally", "Ben", "Tanya"]
LAST = ["Smith", "Lee", "Garcia", "Kaminski", "Nguyen", "Brown", "Patel", "Kitchen", "Jones", "Walsh", "Shapiro"]


def clean_body(body: str) -> str:
    """AESLC bodies put the greeting on the first line followed by two spaces, and wrap lines with
    double spaces: give the greeting its own line and collapse the rest."""
    body = _GREETING_HEAD.sub(lambda m: m.group(1) + "\n", body.strip())
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in body.split("\n")]
    return "\n".join(line for line in lines if line)


def looks_usable(text: str, min_words: int = 12, max_words: int = 140) -> bool:
    words = text.split()
    if not (min_words <= len(words) <= max_words):
        return False
    if _JUNK.search(text) or not text.isascii():
        return False
    upper = sum(1 for w in words if w.isupper() and len(w) > 2)
    if upper > 0.15 * len(words):
        return False
    letters = sum(c.isalpha() for c in text)
    return letters > 0.7 * len(text.replace(" ", ""))


def looks_clean(text: str) -> bool:
    """Heuristic for 'already correct': every line starts with a capital, sentences end with
    punctuation, no doubled words, no lowercase 'i', no odd spacing around punctuation."""
    for line in text.split("\n"):
        if not (line[0].isupper() or line[0].isdigit()):
            return False
        if len(line.split()) > 6 and line[-1] not in ".!?:":
            return False
    if re.search(r"\b(\w+) \1\b", text, re.I) or re.search(r"\bi\b", text):
        return False
    if re.search(r" [,.!?;:]|[,;][^\s\d]|\.\.|\?\?|!!", text):
        return False
    if re.search(r"\b(alot|untill|recieve|thier|teh|dont|cant|wont|isnt|didnt|doesnt|im)\b", text, re.I):
        return False
    return True


def has_greeting(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return len(first.split()) <= 4 and first.rstrip()[-1:] in ",:;-!"


def decorate(text: str, rng: random.Random, p_greeting: float = 0.45, p_signoff: float = 0.45) -> str:
    """Adds a greeting and/or sign-off drawn from varied styles, so no single style is learned."""
    name, last = rng.choice(FIRST), rng.choice(LAST)
    if not has_greeting(text) and rng.random() < p_greeting:
        text = rng.choice(GREETINGS).format(name=rng.choice(FIRST), last=last) + "\n" + text
    if rng.random() < p_signoff and len(text.rsplit("\n", 1)[-1].split()) > 3:
        text = text + "\n" + rng.choice(SIGNOFFS).format(name=name, last=last)
    return text


def load_emails(split: str = "train", path=None, max_words: int = 140) -> list[dict]:
    """Usable cleaned emails as {"id", "text"}, in file order."""
    rows = read_jsonl(path or data_path("emails", f"aeslc_{split}.jsonl"))
    out, seen = [], set()
    for row in rows:
        text = clean_body(row["body"])
        if text in seen or not looks_usable(text, max_words=max_words):
            continue
        seen.add(text)
        out.append({"id": row["id"], "text": text})
    return out
