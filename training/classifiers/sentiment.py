"""The sentiment head: TweetEval (3 classes) and SST-2 phrases (negative/positive) together, evaluated
on a held-out part of each and on TweetEval val, beside the earlier recipe (TweetEval only) and VADER.

    python -m training.classifiers.sentiment     # prints the numbers; writes no weights
    python -m training.classifiers.train         # the same head, written to backend/scoring/weights

SST-2's training file holds phrases cut from the same movie-review sentences (a sentence and its
sub-phrases), so a random held-out phrase usually has a parent or a child phrase in the rest. The
training part here drops every phrase that contains a held-out phrase or is contained in one: the
held-out accuracy is measured on text the head has not seen, not on fragments of it. The encoder's
sentiment fine-tune (`encoder_lora.py`) leaves out the same phrases and tweets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline

from backend.scoring.embedding import SentenceEmbedder
from backend.scoring.features import VADER_NAMES, sentiment_matrix, vader
from backend.scoring.linear import LinearHead
from training.classifiers import data as D
from training.classifiers.scaling import Standardiser

CLASSES = ["negative", "neutral", "positive"]


@dataclass
class SentimentSettings:
    C: float = 0.3  # flat 0.05-1.0 on a dev part of the TweetEval training split
    tweet_held_out: int = 2000
    sst2_sample: int = 12000  # embedding all 67k phrases took too long on the shared machine (model card)
    sst2_held_out: int = 2000
    seed: int = 0


def _ngrams(tokens: list[str]) -> set[str]:
    return {" ".join(tokens[i:j]) for i in range(len(tokens)) for j in range(i + 1, len(tokens) + 1)}


def disjoint_from(held_out: list[str], candidates: list[str]) -> np.ndarray:
    """Indices of `candidates` that neither contain a held-out phrase nor are contained in one
    (phrases are whitespace-tokenized, as SST-2 is)."""
    held = set(held_out)
    inside_held = set().union(*(_ngrams(h.split()) for h in held_out))
    return np.array([i for i, c in enumerate(candidates) if c not in inside_held and not (_ngrams(c.split()) & held)], dtype=int)


def vader_classes(texts: list[str]) -> np.ndarray:
    """VADER's class of each text (compound >= 0.05 positive, <= -0.05 negative): the baseline."""
    compound = np.array([vader().polarity_scores(t)["compound"] for t in texts])
    return np.where(compound >= 0.05, 2, np.where(compound <= -0.05, 0, 1))


def _positive_over_negative(probabilities: np.ndarray) -> np.ndarray:
    """SST-2 is binary: a 3-class prediction counts as positive when P(positive) > P(negative)."""
    return (probabilities[:, 2] > probabilities[:, 0]).astype(int)


@dataclass
class TweetSets:
    """TweetEval test split into a training part and a fixed held-out part, and TweetEval val (an
    earlier SemEval year: 41% positive vs 19%, a label shift)."""

    texts: list[str]
    X: np.ndarray
    y: np.ndarray
    held: np.ndarray
    train: np.ndarray
    val: list[str]
    X_val: np.ndarray
    y_val: np.ndarray


def tweet_split(seed: int, held_out: int) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """TweetEval test's texts, labels, held-out indices and training indices."""
    tweets, tweet_labels = D.tweeteval("test")
    order = np.random.RandomState(seed).permutation(len(tweets))
    return tweets, np.array([CLASSES.index(c) for c in tweet_labels]), order[:held_out], order[held_out:]


def tweet_sets(seed: int, held_out: int, embedder: SentenceEmbedder | None = None) -> TweetSets:
    tweets, y, held, train = tweet_split(seed, held_out)
    val, val_labels = D.tweeteval("val")
    return TweetSets(tweets, sentiment_matrix(tweets, D.embed_cached(tweets, "tweet_test", embedder)), y, held, train,
                     val, sentiment_matrix(val, D.embed_cached(val, "tweet_val", embedder)), np.array([CLASSES.index(c) for c in val_labels]))


def train(cfg: SentimentSettings, embedder: SentenceEmbedder | None = None) -> tuple[dict, LinearHead]:
    """The head on `embedder`'s vectors (default: the served encoder) and its numbers beside the
    TweetEval-only recipe and VADER."""
    t = tweet_sets(cfg.seed, cfg.tweet_held_out, embedder)
    tweets, val, X_tweets, X_val, y_tweets, y_val = t.texts, t.val, t.X, t.X_val, t.y, t.y_val
    tweet_held, tweet_train = t.held, t.train

    phrases, phrase_labels = D.sst2_sample(cfg.sst2_sample, cfg.seed)
    X_phrases = sentiment_matrix(phrases, D.embed_cached(phrases, "sst2_sample", embedder))
    phrase_held = np.arange(cfg.sst2_held_out)
    rest = np.arange(cfg.sst2_held_out, len(phrases))
    phrase_train = rest[disjoint_from([phrases[i] for i in phrase_held], [phrases[i] for i in rest])]
    y_phrases = np.where(phrase_labels == 1, CLASSES.index("positive"), CLASSES.index("negative"))

    def fit(X: np.ndarray, y: np.ndarray):
        # balanced: emails share neither the tweets' 48% neutral prior nor SST-2's 56% positive one
        return make_pipeline(Standardiser(), LogisticRegression(C=cfg.C, max_iter=3000, class_weight="balanced")).fit(X, y)

    both = fit(np.vstack([X_tweets[tweet_train], X_phrases[phrase_train]]), np.concatenate([y_tweets[tweet_train], y_phrases[phrase_train]]))
    tweets_only = fit(X_tweets[tweet_train], y_tweets[tweet_train])
    held_texts = [tweets[i] for i in tweet_held]
    held_phrases = [phrases[i] for i in phrase_held]
    y_phrase_held = phrase_labels[phrase_held]
    rows = {
        "TweetEval + SST-2 (MiniLM+VADER LR)": (both.predict(X_tweets[tweet_held]), both.predict(X_val),
                                                     _positive_over_negative(both.predict_proba(X_phrases[phrase_held]))),
        "TweetEval only (MiniLM+VADER LR)": (tweets_only.predict(X_tweets[tweet_held]), tweets_only.predict(X_val),
                                                      _positive_over_negative(tweets_only.predict_proba(X_phrases[phrase_held]))),
        "VADER compound (+-0.05; SST-2: compound > 0)": (vader_classes(held_texts), vader_classes(val),
                                                        np.array([int(vader().polarity_scores(p)["compound"] > 0) for p in held_phrases])),
    }
    result = {
        "train": f"TweetEval test minus {cfg.tweet_held_out:,} ({len(tweet_train):,}) + SST-2 ({len(phrase_train):,} phrases: a "
                 f"{cfg.sst2_sample:,}-phrase sample minus its {cfg.sst2_held_out:,} held out and the {len(rest) - len(phrase_train):,} "
                 "phrases that contain or are contained in a held-out one)",
        "held_out": f"{cfg.tweet_held_out:,} of TweetEval test (seed {cfg.seed})", "shifted": f"TweetEval val ({len(val):,})",
        "sst2_held_out": f"{cfg.sst2_held_out:,} SST-2 phrases (seed {cfg.seed})",
    }
    for name, (p_held, p_val, p_phrases) in rows.items():
        result[name] = {"macro_f1": 100 * f1_score(y_tweets[tweet_held], p_held, average="macro"),
                        "accuracy": 100 * accuracy_score(y_tweets[tweet_held], p_held),
                        "val_macro_f1": 100 * f1_score(y_val, p_val, average="macro"),
                        "val_accuracy": 100 * accuracy_score(y_val, p_val),
                        "sst2_accuracy": 100 * accuracy_score(y_phrase_held, p_phrases)}
        print(f"  sentiment {name}: " + ", ".join(f"{k} {v:.1f}" for k, v in result[name].items()), flush=True)
    meta = {"features": VADER_NAMES + [f"emb_{i}" for i in range(X_tweets.shape[1] - len(VADER_NAMES))],
            "trained_on": result["train"], "C": cfg.C, "class_weight": "balanced"}
    return result, LinearHead.from_sklearn(both[-1], both[0], CLASSES, meta)


def main() -> dict:
    import json

    result, _ = train(SentimentSettings())
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
