"""The politeness strategies of Danescu-Niculescu-Mizil et al. (ACL 2013), plus four that emails need
(direct command, urgency, accusation, criticism), found with regular expressions and word lists.

Each strategy is a binary feature of the classifier and, when found, a `Reason` with the words that
triggered it. `effect` is the direction the 2013 paper reports (and the trained weights confirm, see
the model card); a few strategies the paper found neutral-ish are kept as features but never shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backend.scoring.types import Reason

_I = re.IGNORECASE


@dataclass(frozen=True)
class Strategy:
    name: str
    effect: str  # "polite" | "rude"
    pattern: re.Pattern
    shown: bool = True  # whether the UI is told about it
    feature: bool = True  # whether the trained heads read it (evidence-only strategies are not)


def _words(words: str) -> str:
    return r"\b(?:" + "|".join(w.strip().replace(" ", r"\s+") for w in words.split(",")) + r")\b"


# A sentence start: the beginning of the text/line or after terminal punctuation.
_START = r"(?:^|(?<=[.!?:;\n])|(?<=^[\"'(]))\s*"
_COMMAND_VERBS = (
    "send,give,do,fix,stop,get,tell,answer,reply,respond,call,email,update,finish,make,check,explain,"
    "read,look,remove,delete,change,add,write,bring,submit,provide,come,go,move,put,use,"
    "review,sign,return,pay,confirm,keep,leave,quit,don't,do not,never,forward,resend,cancel,sort"
)

STRATEGIES: list[Strategy] = [
    Strategy("gratitude", "polite", re.compile(_words("thanks,thank you,thank u,thx,appreciate,appreciated,grateful,much obliged"), _I)),
    Strategy("deference", "polite", re.compile(_START + _words("great,good,nice,interesting,cool,excellent,awesome,wonderful,impressive,well done") + r"(?!\s+(?:to|for)\b)", _I)),
    Strategy("greeting", "polite", re.compile(_START + _words("hi,hello,hey,dear,greetings,good morning,good afternoon,good evening,howdy"), _I)),
    Strategy("apology", "polite", re.compile(_words("sorry,apologize,apologise,apologies,apologizing,excuse me,forgive me,pardon,my bad,my fault,i regret"), _I)),
    Strategy("please", "polite", re.compile(r"(?<![.!?\n]\s)(?<!^)\bplease\b(?!$)", _I | re.MULTILINE)),
    Strategy("please_start", "rude", re.compile(_START + r"please\b", _I | re.MULTILINE), shown=False),
    Strategy("by_the_way", "polite", re.compile(_words("by the way,btw,incidentally"), _I)),
    Strategy("hedge", "polite", re.compile(_words(
        "i think,i believe,i guess,i suppose,i wonder,wondering,wonder if,maybe,perhaps,possibly,probably,might,"
        "seems,seem,suggest,somewhat,a bit,a little,sort of,kind of,if possible,if you can,if you could,when you get a chance,"
        "when you have a moment,would it be possible,would you mind,do you mind,no rush,no hurry,if it's not too much"), _I)),
    Strategy("counterfactual_modal", "polite", re.compile(_words("could you,would you,could we,would it,could i,would you be"), _I)),
    Strategy("indicative_modal", "polite", re.compile(_words("can you,will you,can we,can i,can u"), _I), shown=False),
    Strategy("first_person_plural", "polite", re.compile(_words("we,our,us,ours,let's"), _I), shown=False),
    Strategy("first_person_start", "polite", re.compile(_START + _words("i,my,i'm,i've,i'd,i'll"), _I | re.MULTILINE), shown=False),
    Strategy("direct_question", "rude", re.compile(_START + _words("what,why,who,how,where,when") + r"[^.!?\n]*\?", _I | re.MULTILINE)),
    Strategy("direct_start", "rude", re.compile(_START + _words("so,then,and,but,or") + r"\b(?!\s*,)", _I | re.MULTILINE), shown=False),
    Strategy("second_person_start", "rude", re.compile(_START + _words("you,your,you're,you've,you'd,you'll,u"), _I | re.MULTILINE)),
    Strategy("factuality", "rude", re.compile(_words("in fact,actually,really,the point is,the reality is,the truth is,obviously,clearly,of course"), _I)),
    Strategy("direct_command", "rude", re.compile(_START + r"(?:please,?\s+)?(?:just\s+)?" + _words(_COMMAND_VERBS) + r"\b(?!\s+(?:you|we|i)\b)", _I | re.MULTILINE)),
    Strategy("urgency", "rude", re.compile(_words("now,immediately,asap,right away,at once,right now,today,without delay,by eod,no excuses"), _I)),
    Strategy("accusation", "rude", re.compile(_words(
        "you never,you always,you didn't,you did not,you failed,you forgot,you keep,you still haven't,you haven't,"
        "why didn't you,why haven't you,why did you,why would you,unacceptable,ridiculous,pathetic,useless,incompetent,"
        "stupid,nonsense,waste of time,wasting my time,how many times,for the last time,what is wrong with you,no excuses,"
        "i already told you,as i already said,clearly you,obviously you,not my problem,do your job,i am not asking again,i'm not asking again,don't make me ask"), _I)),
    # Criticism of the reader's work or ability, the way cold workplace emails put it ("your lack of
    # diligence", "falls short", "without further delay"), insults and passive-aggressive pressure ("room
    # for improvement", "per my last email"): the human-rated impolite emails rarely accuse or command in
    # so many words, so the label had no evidence to show for them. Evidence for the rude label only: the
    # heads were trained without it, so their weights do not change.
    Strategy("criticism", "rude", re.compile(_words(
        "underwhelming,lackluster,lacklustre,subpar,sub-par,sloppy,careless,negligence,negligent,incompetence,"
        "inadequate,inadequacies,inadequacy,deficiencies,deficiency,shortcomings,falls short,fell short,fall short,"
        "not acceptable,unconvincing,disappointing,alarming,appalling,astonishing,staggering,glaring,fiasco,mediocre,"
        "unprofessional,irresponsible,your inability,your failure,your lack,lack of diligence,lack of effort,"
        "lack of initiative,lack of attention,lack of action,your repeated,your continued,yet again,it's a pity,"
        "it is a pity,without further delay,i insist,you are expected to,it is imperative,it's imperative,"
        "last call,last chance,semblance,purported,purportedly,supposedly,assuming you,minimal level of,"
        "i shouldn't have to,i should not have to,not good enough,below standard,below par,frankly,"
        "questions about your,not here to,you should have,should have been,your standards,reflects your,reflect poorly,"
        # insults aimed at the reader, kept to those real business email (AESLC) almost never uses otherwise
        "insulting,childish,rubbish,half-baked,clumsy,arrogant,absurd,pointless,worthless,a joke,a mess,you ignored,"
        "get your facts straight,you clearly don't,you obviously didn't,is beyond me,your attitude,i've had to ask,i have had to ask,"
        # passive-aggressive pressure
        "room for improvement,areas for improvement,areas of improvement,i trust you understand,i want to reiterate,"
        "i must reiterate,per my last email,as i mentioned before,as i said before,as previously stated,fully met,stepping up,"
        "is that clear,i hope this is clear,once and for all"), _I), feature=False),
    Strategy("exclamation", "rude", re.compile(r"!{1,}|\?!"), shown=False),
    Strategy("all_caps", "rude", re.compile(r"\b[A-Z]{4,}\b"), shown=False),
]

NAMES = [s.name for s in STRATEGIES if s.feature]
# Blame of the reader: evidence for the rude label on its own (blame_found), and counted (criticisms).
_BLAME = ("accusation", "criticism")
_SHOWN_MISSING = ("greeting", "please", "gratitude")


def features(text: str) -> list[float]:
    """1.0 where a strategy is present in `text`, else 0.0 (order: `NAMES`)."""
    return [1.0 if s.pattern.search(text) else 0.0 for s in STRATEGIES if s.feature]


def reasons(text: str, show_missing: bool = True) -> list[Reason]:
    """Strategies found in `text` (with evidence) and, optionally, polite ones it lacks."""
    found: list[Reason] = []
    for s in STRATEGIES:
        if not s.shown:
            continue
        m = s.pattern.search(text)
        if m:
            found.append(Reason(strategy=s.name, effect=s.effect, present=True, evidence=clip(m.group(0))))
    if show_missing:
        present = {r.strategy for r in found}
        found += [Reason(strategy=n, effect="polite", present=False) for n in _SHOWN_MISSING if n not in present]
    return found


def blame_found(found: list[Reason]) -> bool:
    """An accusation or criticism of the reader: evidence for the rude label."""
    return any(r.present and r.strategy in _BLAME for r in found)


def bare_command_found(found: list[Reason]) -> bool:
    """A command without "please" ("Send it today", not "Please send...", which business email uses all the time):
    weaker evidence than blame, since instructions between colleagues are full of them (PolitenessClassifier.label)."""
    return any(r.present and r.strategy == "direct_command" and not r.evidence.lower().startswith("please") for r in found)


def criticisms(text: str) -> int:
    """How many different accusing or criticising phrases `text` holds. Several say rude whatever the
    score: the classifier, trained on one-sentence requests, rates long cold emails as neutral
    (a rated 1.3 of 5 scored P(polite) 0.71), while a business email almost never criticises twice
    (2 of 1,960 AESLC dev emails; 12 of the 19 emails rated below 2.5 in scenarios 1-12, none of the 101 above)."""
    found = set()
    for strategy in (s for s in STRATEGIES if s.name in _BLAME):
        found |= {" ".join(m.group(0).lower().split()) for m in strategy.pattern.finditer(text)}
    return len(found)


def clip(evidence: str, limit: int = 40) -> str:
    evidence = " ".join(evidence.split())
    return evidence if len(evidence) <= limit else evidence[: limit - 1] + "…"
