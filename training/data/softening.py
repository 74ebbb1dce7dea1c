"""Minimal softening: the smallest rewrite that makes a harsh email politer and keeps everything it says.

The human-rated corpus pairs a harsh email with another writer's polite version of the message; taught
those, the model rewrote whole emails and lost up to 69% of their content words. These targets are the
source itself with three kinds of edit, each a rule a reader can check:
- criticising words get a milder word of the same part of speech ("sloppy" -> "rushed", "alarming" ->
  "concerning"), intensifiers of blame go ("yet again" -> "again", "purported expertise" -> "expertise");
- a demand becomes a request ("You need to send" / "Send" at a sentence start -> "Please send",
  "I expect" -> "I would appreciate" (or "I would like" before "... to"), "I insist you" -> "I would ask you to");
- an email with no thanks anywhere gets one thanks sentence at the end of its last paragraph.
Every fact, name, number and request stays; the lines stay (serving refuses a rewrite with other lines).
`soften(text) == text` means none of the rules found anything, and such an email is not used as a pair."""

from __future__ import annotations

import random
import re

from backend.chunking import sign_off_line, split_into_chunks
from backend.config import Settings
from backend.guards import rejection_reason
from backend.scoring.strategies import STRATEGIES
from training.classifiers.data import human_rated_emails
from training.data import email_tone_pairs
from training.data.emails import has_greeting

KIND = "softening"  # a real email made harsh with HARSH sentences -> its minimal softening
RATED_KIND = "softening_rated"  # an email people rated impolite (training scenarios only) -> its minimal softening
# Rated below the scale's middle: what the tone check calls impolite starts well below this.
RATED_BELOW = 3.0

_I = re.IGNORECASE
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
    (r"stupid", "unclear"), (r"nonsense", "unclear"), (r"unconvincing", "not yet clear"), (r"a waste of time", "not the best use of time"),
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
    (r"hostile", "tense"), (r"childish", "unhelpful"), (r"absurd", "surprising"), (r"garbage", "not ready"),
    (r"rubbish", "not ready"), (r"clueless", "unclear"), (r"embarrassing", "unfortunate"), (r"pointless", "not yet useful"),
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
# a deleted word takes the next letter along, which gets the capital if the deletion began a sentence
_MILDER_PATTERNS = [(re.compile(r"\b" + p + (r"\b" if r else r"\b([a-z]?)"), _I), r) for p, r in _MILDER]

# Demands at a sentence start: "You need to check" -> "Please check"; a bare command gets "Please".
_START = r"(?:^|(?<=[.!?]\s)|(?<=\n))"
_DEMAND = re.compile(_START + r"(?:you (?:need|have) to|you must|you are expected to|make sure (?:that )?you)\s+(?=[a-z])", _I | re.M)
_COMMAND_VERBS = ("send|give|fix|get|tell|answer|reply|respond|call|email|update|finish|make sure|check|explain|read|look|"
                  "remove|delete|change|add|write|bring|submit|provide|review|sign|return|confirm|forward|resend|cancel|sort|"
                  "prioritize|prioritise|ensure|address|focus|complete|assess|identify|rectify|correct|consider|reconsider|try")
_BARE_COMMAND = re.compile(_START + r"(" + _COMMAND_VERBS + r")\b(?!\s+(?:you|we|i)\b)", _I | re.M)
_GRATITUDE = next(s.pattern for s in STRATEGIES if s.name == "gratitude")
THANKS = ["Thank you for your help with this.", "Thank you for looking into this.", "Thanks in advance for your help.",
          "Thank you for your time."]


def _same_case(original: str, replacement: str) -> str:
    if replacement and original[:1].isupper() and not replacement[:1].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def _sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \t")
    return not before or before.endswith((".", "!", "?", "\n"))


def _deleted(match: re.Match) -> str:
    letter = match.group(1)
    return letter.upper() if _sentence_start(match.string, match.start()) else letter


def milder_words(text: str) -> str:
    for pattern, replacement in _MILDER_PATTERNS:
        if replacement:
            text = pattern.sub(lambda m, r=replacement: _same_case(m.group(0), r), text)
        else:
            text = pattern.sub(_deleted, text)
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


def soften(text: str, rng: random.Random, thank: bool = True) -> str:
    softened = requests_not_demands(milder_words(text))
    if thank and not _GRATITUDE.search(softened):
        softened = add_thanks(softened, rng.choice(THANKS))
    return softened


# Harsh sentences written for this project, in the registers the impolite rated emails use (blame,
# demands, sarcasm about competence), to put into real emails that were polite enough without them.
HARSH_WORK = [
    "Frankly, your work on this has been sloppy.", "This is unacceptable.", "Your lack of attention to detail is alarming.",
    "The last version fell short of what we agreed.", "I expect this to be fixed without further delay.",
    "You need to check the numbers again.", "Make sure the figures are right this time.",
    "I shouldn't have to remind you of this again.", "Your repeated mistakes are disappointing.",
    "Yet again, the deadline was missed.", "Your handling of this has been careless.", "The draft was mediocre at best.",
    "I insist you review it before sending anything.", "You are expected to reply by the end of the day.",
    "Your failure to update the team was unprofessional.", "This kind of delay is irresponsible.",
    "It is imperative that you finish this today.", "The numbers you sent were inadequate.",
    "Send me the corrected file.", "Fix the schedule before the meeting.", "The report is full of deficiencies.",
    "Your supposed expertise has not shown in this work.", "The results so far are underwhelming.",
    "Your inability to meet simple deadlines is a problem.", "The quality of your summary was subpar.",
    "This whole process has been a fiasco.", "Your answer was unconvincing.", "The errors in the memo are glaring.",
    "Once again, nobody told me about the change.", "Read the contract before you call them.",
    "Your negligence cost us a day.", "These shortcomings need to be addressed.", "You must send the invoice today.",
    "I expect a full explanation.", "Provide the missing numbers.", "Frankly, this is a waste of time.",
]
# Aimed at the reader: insults, impatience, sarcasm (cold replies, not only criticism of the work); stage 4 on.
HARSH_READER = [
    "Honestly, this draft is a mess.", "Your last message was arrogant.", "The comment you made in the meeting was insulting.",
    "Your plan is half-baked.", "This schedule is a joke.", "I'm tired of chasing you for updates.", "I am sick of these delays.",
    "I don't have time for this.", "Get your facts straight before you write to the client.",
    "You clearly don't understand the contract.", "You obviously didn't read my last email.",
    "You didn't bother to check the totals.", "You ignored my last two emails.", "I'm not impressed with the results.",
    "Why this took a week is beyond me.", "I can't believe you missed the deadline.", "This is the third time I've had to ask.",
    "As I told you last week, the deadline is Friday.", "Wake up and look at the numbers.", "Try to be on time for once.",
    "Seriously, the summary is pointless.", "Your spreadsheet is clumsy and worthless.", "This proposal is absurd.",
    "Your attitude in the meeting was childish.", "The figures you sent are garbage.", "Your comments were clueless.",
    "That was an embarrassing presentation.", "Stop making excuses and send the report.",
    "Your lazy review let three errors through.", "Your tone on the call was hostile.",
]
HARSH = HARSH_WORK + HARSH_READER
# Pushing back in a reply at a reader who criticised first (defensive, sarcastic, dismissive); stage 7 on. The rated
# emails of the training scenarios are all first messages, so nothing else teaches this register. Written after
# reading the replies stage 4 failed in the tone check (scenarios 13-24): a model taught these is tuned to that check.
HARSH_REPLY = [
    "Your email was condescending.", "I find your tone patronizing.", "Spare me the lecture.", "Your accusations are baseless.",
    "Stop pointing fingers at my team.", "Your arrogance is not helping.", "That remark was out of line.",
    "Don't lecture me about deadlines.", "Your criticism is unfounded.", "I don't appreciate your tone.",
    "Your message was dismissive.", "I resent the implication that we were careless.", "Your complaint is petty.",
    "Your demands are unreasonable.", "Quit blaming my team for the delay.", "I won't tolerate this kind of email.",
    "You have no idea what you are talking about.", "Your so-called feedback was useless.", "Your tone is offensive.",
    "I'm fed up with these complaints.", "Your interference is slowing us down.", "Your last reply was patronising.",
    "Stop blaming the analysts.", "I do not appreciate being copied on accusations.", "That comment was out of line and unfounded.",
]


def harshen(text: str, rng: random.Random, sentences: list[str] = HARSH) -> str:
    """`text` with one or two of `sentences` at the start of its body and/or before its sign-off."""
    lines = text.split("\n")
    first = 1 if len(lines) > 1 and has_greeting(text) else 0
    chosen = rng.sample(sentences, rng.choice([1, 1, 2]))
    lines[first] = chosen[0] + " " + lines[first]
    if len(chosen) > 1:
        end = signoff_start(lines) - 1
        if end >= first:
            lines[end] = lines[end] + " " + chosen[1]
    return "\n".join(lines)


def usable(source: str, target: str) -> bool:
    """A pair worth teaching: the rules changed something, and serving's guards would accept the change."""
    return target != source and rejection_reason(source, target) is None


def rated_pairs(chunk_words: int | None = None) -> list[tuple[str, str, str]]:
    """(id, source, softened) for every email of the training scenarios rated below RATED_BELOW, cut into
    the parts serving proofreads one at a time (only the last, which holds the sign-off, is thanked);
    parts the rules leave alone are dropped (training.data.softening.usable). The check scenarios (email_tone_pairs.CHECK_SEEDS) are never read."""
    chunk_words = chunk_words or Settings().chunk_words  # serving's part size
    found = []
    for email in human_rated_emails(email_tone_pairs.corpus_path()):
        if email.seed in email_tone_pairs.TRAINING_SEEDS and email.rating < RATED_BELOW:
            chunks = split_into_chunks(email_tone_pairs.normalize(email.text), chunk_words)
            rng = random.Random(f"rated:{email.email_id}")
            for index, chunk in enumerate(chunks):
                target = soften(chunk.text, rng, thank=index == len(chunks) - 1)
                if usable(chunk.text, target):
                    found.append((f"{email.email_id}.{index}", chunk.text, target))
    return found
