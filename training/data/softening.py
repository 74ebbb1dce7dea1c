"""Tone training pairs: harsh emails -> their minimal softening (the rules in backend/softening.py).

The human-rated corpus pairs a harsh email with another writer's polite version of the message; taught
those, the model rewrote whole emails and lost up to 69% of their content words. These targets are the
source itself with the rules' edits (milder words, requests for demands, one thanks), so every fact stays.
Sources are real emails made harsh with HARSH sentences, and the rated emails of the training scenarios.
`soften(text) == text` means none of the rules found anything, and such an email is not used as a pair."""

from __future__ import annotations

import random

from backend.chunking import split_into_chunks
from backend.config import Settings
from backend.guards import rejection_reason
from backend.softening import signoff_start, soften
from training.classifiers.data import human_rated_emails
from training.data import email_tone_pairs
from training.data.emails import has_greeting

KIND = "softening"  # a real email made harsh with HARSH sentences -> its minimal softening
RATED_KIND = "softening_rated"  # an email people rated impolite (training scenarios only) -> its minimal softening
# Rated below the scale's middle: what the tone check calls impolite starts well below this.
RATED_BELOW = 3.0

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
