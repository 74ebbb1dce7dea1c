"""Minimal softening: the smallest rewrite that makes a harsh email politer and keeps everything it says.

Three kinds of edit, each a rule a reader can check:
- criticising words get a milder word of the same part of speech ("sloppy" -> "rushed", "alarming" ->
  "concerning"), intensifiers of blame go ("yet again" -> "again", "purported expertise" -> "expertise");
- a demand becomes a request ("You need to send" / "Send" at a sentence start -> "Please send",
  "I expect" -> "I would appreciate" (or "I would like" before "... to"), "I insist you" -> "I would ask you to");
- an email with no thanks anywhere gets one thanks sentence at the end of its last paragraph.
Every fact, name, number and request stays, and so do the lines (serving refuses a rewrite with other lines).

The same rules make the model's tone training targets (training/data/softening.py) and finish the rewrite of an
email labelled rude when serving (backend/proofreader.py): the small model learnt them but applies them
unevenly, and copies some rude replies whole."""

from __future__ import annotations

import random
import re

from backend.chunking import sign_off_line
from backend.scoring.strategies import STRATEGIES

_I = re.IGNORECASE
# Nouns whose milder word is an adjective: "this is nonsense" -> "this is unclear" reads, "this nonsense" -> "this
# unclear" does not, so they are only replaced right after a linking verb.
_AFTER_A_LINKING_VERB = "(?:" + "|".join(f"(?<=\\b{v} )" for v in ("is", "was", "are", "were", "be", "been", "'s", "’s", "seems",
                                                                 "sounds", "looks", "remains")) + ")"
# (pattern, milder replacement): the replacement fits where the original word stood.
_MILDER: list[tuple[str, str]] = [
    (r"underwhelming", "below what we hoped"), (r"lack-?lust(?:er|re)", "limited"), (r"sub-?par", "below our usual standard"),
    (r"sloppy", "rushed"), (r"careless", "hurried"), (r"negligence", "oversight"), (r"negligent", "not careful enough"),
    (r"incompetence", "difficulties"), (r"incompetent", "inexperienced"), (r"inadequate", "not yet sufficient"),
    (r"inadequac(?:y|ies)", "gaps"), (r"deficienc(?:y|ies)", "gaps"), (r"shortcomings", "areas to improve"),
    (r"unacceptable", "concerning"), (r"not acceptable", "concerning"), (r"disappointing", "concerning"),
    (r"alarming", "concerning"), (r"appalling", "concerning"), (r"astonishing", "surprising"), (r"staggering", "considerable"),
    (r"glaring", "clear"), (r"fiasco", "difficult situation"), (r"mediocre", "uneven"), (r"unprofessional", "not ideal"),
    (r"irresponsible", "risky"), (r"ridiculous", "surprising"), (r"pathetic", "concerning"), (r"useless", "not helpful"),
    (r"stupid", "unclear"), (_AFTER_A_LINKING_VERB + r"nonsense", "unclear"), (r"unconvincing", "not yet clear"), (r"a waste of time", "not the best use of time"),
    (r"yet again", "again"), (r"once again", "again"), (r"without (?:any )?further delay", "as soon as you can"),
    (r"it is imperative", "it is important"), (r"it's imperative", "it's important"), (r"it’s imperative", "it’s important"),
    # "I would appreciate every task to have a status" is not English: before "X to ...", "I would like"
    (r"i expect(?=[^.?!\n]*\bto\b)", "I would like"), (r"i expect", "I would appreciate"), (r"i insist (?:that )?you", "I would ask you to"), (r"i insist", "I would ask"),
    (r"how many times do i have to", "may I ask you again to"), (r"for the last time,?\s*", ""),
    (r"frankly,\s*", ""), (r"frankly\s+", ""), (r"(?:purportedly|supposedly|purported|supposed(?!\s+to\b))\s+", ""),
    # insults and impatience aimed at the reader rather than the work
    (r"honestly,\s*", ""), (r"seriously,\s*", ""), (r"\s+for once", ""), (r"wake up and\s+", "please "),
    (r"stop making excuses and\s+", "please "), (r"get your facts straight", "please check the facts"),
    (r"a mess", "unclear"), (r"a joke", "not ready"), (r"half-baked", "early"), (r"arrogant", "firm"), (r"insulting", "unkind"),
    (r"hostile", "tense"), (r"childish", "unhelpful"), (r"absurd", "surprising"), (_AFTER_A_LINKING_VERB + r"garbage", "not ready"),
    (_AFTER_A_LINKING_VERB + r"rubbish", "not ready"), (r"clueless", "unclear"), (r"embarrassing", "unfortunate"), (r"pointless", "not yet useful"),
    (r"clumsy", "uneven"), (r"worthless", "not useful"), (r"lazy", "quick"),
    (r"i(?:'m|’m| am) (?:tired|sick) of", "I would like to stop"), (r"i (?:don't|don’t|do not) have time for", "I have limited time for"),
    (r"i(?:'m|’m| am) not impressed (?:with|by)", "I have some concerns about"), (r"is beyond me", "is unclear to me"),
    (r"i can(?:'t|’t|not) believe", "I was surprised"), (r"i've had to ask", "I've asked"), (r"i have had to ask", "I have asked"),
    (r"as i told you", "as I mentioned"), (r"you clearly (?:don't|do not)", "you may not"),
    (r"you obviously (?:didn't|did not) read", "you may not have read"), (r"(?:didn't|did not) bother to", "did not get to"),
    (r"you ignored", "you may have missed"),
    # pushing back at the reader in a reply (HARSH_REPLY): the objection stays, the attack goes
    (r"condescending", "pointed"), (r"patronizing", "pointed"), (r"patronising", "pointed"), (r"dismissive", "brief"),
    (r"your arrogance", "your certainty"), (r"out of line", "more pointed than I expected"), (r"baseless", "not yet supported"),
    (r"unfounded", "not quite accurate"), (r"petty", "minor"), (r"unreasonable", "hard for us to meet"),
    (r"offensive", "upsetting"), (r"spare me the lecture", "I understand your point"),
    (r"(?:don't|don’t|do not) lecture me about", "I am aware of"), (r"stop pointing fingers at", "let us not single out"),
    (r"(?:quit|stop) blaming", "please do not blame"), (r"i (?:don't|don’t|do not) appreciate", "I was surprised by"),
    (r"i resent", "I disagree with"), (r"i(?:'m|’m| am) fed up with", "I would like to resolve"),
    (r"i won(?:'t|’t) tolerate", "I would rather avoid"), (r"you have no idea what you(?:'re|’re| are) talking about", "there is more to this than it seems"),
    (r"so-called\s+", ""), (r"accusations", "concerns"), (r"your interference", "your involvement"), (r"your demands", "your requests"),
]
# An "a"/"an" before the word is matched with it, to follow the word that replaces it ("an alarming delay" -> "a
# concerning delay"); a deleted word takes the next letter along, which gets the capital if the deletion began a sentence.
_ARTICLE = r"(?:\b(?P<article>an?)(?P<space>\s+))?\b"
_MILDER_PATTERNS = [(re.compile(_ARTICLE + "(?P<word>" + p + ")" + (r"\b" if r else r"\b(?P<letter>[a-z]?)"), _I), r) for p, r in _MILDER]

# Demands at a sentence start: "You need to check" -> "Please check"; a bare command gets "Please".
_START = r"(?:^|(?<=[.!?]\s)|(?<=\n))"
_DEMAND = re.compile(_START + r"(?:you (?:need|have) to|you must|you are expected to|make sure (?:that )?you)\s+(?=[a-z])", _I | re.M)
_COMMAND_VERBS = ("send|give|fix|get|tell|answer|reply|respond|call|email|update|finish|make sure|check|explain|read|look|"
                  "remove|delete|change|add|write|bring|submit|provide|review|sign|return|confirm|forward|resend|cancel|sort|"
                  "prioritize|prioritise|ensure|address|focus|complete|assess|identify|rectify|correct|consider|reconsider|try")
_BARE_COMMAND = re.compile(_START + r"(" + _COMMAND_VERBS + r")\b(?!\s+(?:you|we|i)\b)", _I | re.M)
_GRATITUDE = next(s.pattern for s in STRATEGIES if s.name == "gratitude")
# Training varies the sentence; serving takes the last, which fits any email.
THANKS = ["Thank you for your help with this.", "Thank you for looking into this.", "Thanks in advance for your help.",
          "Thank you for your time."]


def _same_case(original: str, replacement: str) -> str:
    if replacement and original[:1].isupper() and not replacement[:1].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def _sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \t")
    return not before or before.endswith((".", "!", "?", "\n"))


def _name_or_title(match: re.Match) -> bool:
    """A capital inside a sentence makes a name or a title ("Thyroid Deficiency", "the Unacceptable Risk policy"):
    not the writer's judgement, so not softened. "I" is no such capital."""
    first = (match.group("word").split() or [""])[0]
    return (first[:1].isupper() and first != "I" and not first.startswith(("I'", "I’"))
            and not _sentence_start(match.string, match.start("word")))


def _milder(match: re.Match, replacement: str) -> str:
    if _name_or_title(match):
        return match.group(0)
    article = match.group("article")
    if replacement:
        new = _same_case(match.group("word"), replacement)
    else:
        letter = match.group("letter")
        new = letter.upper() if not article and _sentence_start(match.string, match.start("word")) else letter
    if not article:
        return new
    if new:
        fitting = "an" if new[0].lower() in "aeiou" else "a"
        article = fitting.capitalize() if article[0].isupper() else fitting
    return article + match.group("space") + new


def milder_words(text: str) -> str:
    for pattern, replacement in _MILDER_PATTERNS:
        text = pattern.sub(lambda m, r=replacement: _milder(m, r), text)
    return text


def requests_not_demands(text: str) -> str:
    text = _DEMAND.sub("Please ", text)
    return _BARE_COMMAND.sub(lambda m: "Please " + m.group(1).lower(), text)


def signoff_start(lines: list[str]) -> int:
    """Index of the first line of the closing block (sign-off, name, title): short lines at the end
    that end no sentence. len(lines) when there is none."""
    start = len(lines)
    while start > 1:
        line = lines[start - 1].strip()
        if line and not sign_off_line(line):
            break
        start -= 1
    return start


def add_thanks(text: str, sentence: str) -> str:
    """`sentence` at the end of the last line before the sign-off: on that line, because serving keeps a
    rewrite only if it has the draft's lines (backend/guards.py), and a thanks closes a paragraph anyway."""
    lines = text.split("\n")
    body = [i for i in range(signoff_start(lines)) if lines[i].strip()]
    if not body or not lines[body[-1]].rstrip().endswith((".", "!", "?")):
        return text
    last = body[-1]
    lines[last] = lines[last].rstrip() + " " + sentence + lines[last][len(lines[last].rstrip()):]
    return "\n".join(lines)


def soften(text: str, rng: random.Random | None = None, thank: bool = True) -> str:
    """`text` with every rule applied; `rng` picks the thanks sentence (without one: THANKS[-1])."""
    softened = requests_not_demands(milder_words(text))
    if thank and not _GRATITUDE.search(softened):
        softened = add_thanks(softened, rng.choice(THANKS) if rng else THANKS[-1])
    return softened


