"""Writes training/RESULTS.md from the JSON that the other commands produced (never edited by hand).

    python -m training.report --bench training/results/throughput.json --run training/results/run-gemma3-270m-gec.json \\
        --eval training/results/eval-baselines.json ... --out training/RESULTS.md  (the full command: training/README.md)

A training run's section comes from its summary in training/results/ (committed); `--run training/runs/NAME`
writes that summary from the run folder, which holds checkpoints and stays on the machine that trained it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.config import REPO_ROOT
from training.evaluate import ModelSpec, markdown


def bench_table(bench: dict) -> str:
    lines = ["| configuration | s/step | real tokens/step | tokens/s | speed-up (vs first row) | peak RSS MB | loss per measured step | load avg after |",
             "|---|---|---|---|---|---|---|---|"]
    first = bench["results"][0]
    for r in bench["results"]:
        lines.append(f"| {r['config']} | {r['s_per_step']} | {r['real_tokens_per_step']} | {r['tokens_per_s']} | "
                     f"{r.get('speedup_vs_baseline') or round(r['tokens_per_s'] / first['tokens_per_s'], 2)}x | {r['peak_rss_mb']} | {', '.join(map(str, r['losses']))} | "
                     f"{' '.join(r['loadavg_after'])} |")
    command = (f"python -m training.bench_throughput --configs {' '.join(r['config'] for r in bench['results'])} "
               f"--batch {first['batch']} --steps {first['steps']} --threads {first['threads']}")
    return (f"Batch {first['batch']}, {first['steps']} measured steps after one warm-up step, {first['threads']} threads, "
            f"recorded {bench.get('recorded')}. Command: `{command}`.\n\n" + "\n".join(lines) + "\n")


PROGRESS_KEYS = ("examples_seen", "tokens_seen", "train_seconds", "sessions")
METRIC_KEYS = ("global_step", "bf16", "s_per_step", "tokens_per_s", "peak_rss_mb", "train_loss", "eval_loss",
               "train_seconds_this_session", "resumed_from")


def run_summary(run_dir: Path, plot_dir: Path) -> dict:
    """What the results page shows of a training run, small enough to commit: a run folder (checkpoints, GBs)
    stays on the machine that trained it, so the page is rebuilt from this summary (training/results/run-NAME.json)."""
    import shutil

    metrics = json.loads((run_dir / "metrics.json").read_text())
    info = json.loads((run_dir / "run_info.json").read_text())
    progress = json.loads((run_dir / "progress.json").read_text()) if (run_dir / "progress.json").exists() else {}
    rows = [json.loads(l) for l in (run_dir / "metrics.jsonl").read_text().splitlines() if l.strip()]
    # A resumed session logs again from its checkpoint: the last value logged for a step is the one that counts.
    evals = sorted({r["step"]: round(r["eval_loss"], 4) for r in rows if "eval_loss" in r}.items())
    losses = sorted({r["step"]: r["loss"] for r in rows if "loss" in r}.items())
    window = max(1, round(len(losses) / 12))
    chunks = [losses[i:i + window] for i in range(0, len(losses), window)]
    means = [(chunk[-1][0], round(sum(v for _, v in chunk) / len(chunk), 4)) for chunk in chunks]
    # run_info records the script path the run was started with; the README starts it as a module
    command = ("python -m training.train " + info["command"].split(" ", 1)[1].replace(" --resume", "")) if "command" in info else None
    name = info["recipe"]["name"]
    plot = None
    if (run_dir / "loss.png").exists():
        plot = plot_dir / f"{name}-loss.png"
        shutil.copyfile(run_dir / "loss.png", plot)
    return {"name": name, "base": info["recipe"]["base"], "train_examples": info["train_examples"],
            "train_tokens": info["train_tokens"], "completion_tokens": info["completion_tokens"],
            "scorer": info["data_manifest"].get("scorer"), "train_counts": info["data_manifest"].get("train_counts"),
            "command": command, "all_sessions": {k: progress[k] for k in PROGRESS_KEYS if k in progress},
            "metrics": {k: metrics[k] for k in METRIC_KEYS if k in metrics}, "loss_window": window,
            "loss_means": means, "eval_losses": evals,
            "loss_plot": f"{plot_dir.parent.name}/{plot_dir.name}/{plot.name}" if plot else None,
            "summarised_from": f"training/runs/{run_dir.name}"}


def run_section(summary: dict) -> str:
    command = summary.get("command")
    out = [f"Recipe `{summary['name']}` (base {summary['base']}), {summary['train_examples']} training examples "
           f"({summary['train_tokens']} tokens, {summary['completion_tokens']} with loss), data scorer: "
           f"{summary['scorer']}, kinds: {summary['train_counts']}."
           + (f" Command: `{command}` (add `--resume` to continue it in a later session)." if command else ""), "",
           "| metric | value |", "|---|---|"]
    sessions = summary["all_sessions"]
    out += [f"| {key} (all sessions) | {value} |" for key, value in sessions.items()]
    if sessions.get("train_seconds"):
        out.append(f"| tokens/s (all sessions) | {sessions['tokens_seen'] / sessions['train_seconds']:.1f} |")
    out += [f"| {key} | {value} |" for key, value in summary["metrics"].items()]
    means = [tuple(m) for m in summary["loss_means"]]
    evals = [tuple(e) for e in summary["eval_losses"]]
    out += ["", f"Training loss, mean of every {summary['loss_window']} logged values (step, loss): {means}", "",
            f"Validation loss by step: {evals}", ""]
    if summary.get("loss_plot"):
        out.append(f"Loss curve: `{summary['loss_plot']}`.")
    return "\n".join(out) + "\n"


def load_run(path: Path, results_dir: Path) -> dict | None:
    """A run's summary: from its run folder (refreshing training/results/run-NAME.json) when that folder is on this
    machine, else from the committed summary."""
    if path.is_dir():
        if not (path / "metrics.json").exists():
            return None
        summary = run_summary(path, results_dir)
        (results_dir / f"run-{summary['name']}.json").write_text(json.dumps(summary, indent=1) + "\n")
        return summary
    return json.loads(path.read_text())


def sweep_section(path: Path, plot_dir: Path) -> list[str]:
    """A sweep's table, and its plot (validation GLEU per rung) written next to the JSON it came from."""
    from training.sweep import markdown, plot

    state = json.loads(path.read_text())
    plot_path = plot_dir / f"{path.stem}.png"
    plot(state, plot_path)
    plan = Path("training/recipes/sweeps") / f"{path.stem.removeprefix('sweep-')}.yaml"
    command = [f"Command: `python -m training.sweep --plan {plan}` (then copy its sweep.json here).", ""] if (REPO_ROOT / plan).exists() else []
    return [f"## Sweep: {path.stem} (`{path}`)", "", *command, markdown(state), f"Validation GLEU per rung: `{plot_path}`.", ""]


# What a tone check ran with when its results file predates the setting: no score-only rule, no rating label, no softening
# rules, and a bare command evidence wherever blame was.
_BEFORE_RECORDED = {"rude_without_evidence_below": 0.0, "rude_rating_below": 0.0, "tone_rules": False, "rude_command_below": 1.0}


def tone_check_settings_env(results: dict) -> str:
    """The tone settings a check ran with that differ from today's defaults and that its command does not set, as
    environment variables: with them, its command reruns the same label and rules."""
    from backend.config import ENV_PREFIX, Settings
    from training.tone_check import TONE_SETTINGS

    env = ""
    for name in TONE_SETTINGS:
        value, variable = results.get(name, _BEFORE_RECORDED.get(name)), ENV_PREFIX + name.upper()
        if value is not None and value != Settings.model_fields[name].default and variable not in results.get("command", ""):
            env += f"{variable}={value} "
    return env


def tone_check_command(results: dict, path: Path) -> str:
    """The command that wrote a training.tone_check results file: as recorded, or rebuilt from what it records."""
    env = tone_check_settings_env(results)
    if results.get("command"):
        return f"`{env}{results['command']}`"
    adapter = results["model"].split(" + adapter ", 1)[1]
    return (f"`{env}python -m training.tone_check --adapter {adapter} --n {results['cases']} --clean {results['clean_emails']} "
            f"--out training/runs/{path.stem}` (rebuilt; it ran with the label, guards and serving code of its day)")


def tone_check_section(paths: list[Path]) -> list[str]:
    """The tone checks (issue 15), one row each: rows that share "rude before" ran with the same rude label."""
    from training.tone_check import MEASURES, TARGETS, wilson_interval

    runs = [(path, json.loads(path.read_text())) for path in paths]
    header = "| results file | " + " | ".join(column for _, _, column in MEASURES) + " |"
    lines = [header, "|---|" + "---|" * len(MEASURES)]
    for path, results in runs:
        measured = {key for _, key, _ in MEASURES if key in results} - ({"clean_unchanged"} if results.get("clean_emails") == 0 else set())
        cells = [f"{100 * results[key]:.1f}%" if key in measured else "-" for _, key, _ in MEASURES]
        lines.append(f"| {path.stem} | " + " | ".join(cells) + " |")
    targets = ", ".join(f"{label} >= {100 * TARGETS[key]:.0f}%" for label, key, _ in MEASURES if key in TARGETS)
    last = runs[-1][1]
    both = round(last["politer_by_both"] * last["cases"])
    low, high = wilson_interval(both, last["cases"])
    noise = (f"One email is {100 / last['cases']:.1f} points: the last row's {both} of {last['cases']} politer by both "
             f"has a 95% interval of {100 * low:.0f}-{100 * high:.0f}%, so rows a few points apart are not told apart.")
    return [f"## Tone check ({len(runs)} runs)", "",
            f"The {runs[0][1]['cases']} least polite emails of the held-out scenarios 13-24 (by human rating) through the "
            "backend's `Proofreader`, and clean AESLC dev emails. Each row ran with the code of its day: the rude label "
            "decides which emails are asked to soften, so rows with another \"labelled rude before\" ran with another "
            f"label. \"-\": not measured then. Targets: {targets}. {noise}", "", *lines, "",
            "Commands:", "", *[f"- {path.name}: {tone_check_command(results, path)}" for path, results in runs], ""]


def model_spec(model: dict) -> str:
    """The `--model` argument of training.evaluate that a results entry was scored with."""
    return ModelSpec(label=model["label"], base=model["base"], adapter=model.get("adapter", "none"),
                     few_shot=bool(model.get("few_shot")), model_path=model.get("model_path"), merge=model.get("merge") is not False,
                     passes=model.get("passes") or 1, copy_margin=model.get("copy_margin")).argument()


def evaluate_command(path: Path) -> str:
    """The command that wrote a training.evaluate results file: as recorded, or (files written before commands
    were recorded) rebuilt from the settings the file records, with the adapter paths they had then."""
    results = json.loads(path.read_text())
    if results.get("command"):
        return f"`{results['command']}`"
    args = ["python -m training.evaluate"]
    if results.get("split", "test") == "dev":
        args.append("--split dev")
        if results.get("trained_on"):
            args.append("--trained-on " + " ".join(f"training/build/data/{name}/train.jsonl" for name in results["trained_on"]))
    args += [f"--limit {results['jfleg_sentences']}", f"--clean-limit {results['clean_emails']}"]
    for key, flag in (("fce_sentences", "--fce-limit"), ("cweb_unchanged_sentences", "--cweb-limit")):
        if results.get(key):
            args.append(f"{flag} {results[key]}")
    tones = [m["tone_cases"] for m in results["models"] if m.get("tone_cases")]
    if tones:
        args.append(f"--tone-limit {tones[0]}")
    args.append(f"--threads {results.get('llama_threads', 2)}")
    args += [f"--model {model_spec(m)}" for m in results["models"]]
    args.append(f"--out training/runs/{path.stem}")
    return f"`{' '.join(args)}` (rebuilt from the settings it records; adapter paths as they were then)"


def commands(paths: list[Path]) -> list[str]:
    return ["Commands:", ""] + [f"- {path.name}: {evaluate_command(path)}" for path in paths] + [""]


def merge_results(paths: list[Path]) -> dict:
    """Results of separate `training.evaluate` runs on the same sentences and emails, as one."""
    merged = None
    for path in paths:
        results = json.loads(path.read_text())
        results.setdefault("split", "test")  # written before dev splits existed
        if merged is None:
            merged = results
            continue
        keys = ("split", "trained_on", "jfleg_sentences", "clean_emails", "fce_sentences", "cweb_unchanged_sentences")
        if [results.get(k) for k in keys] != [merged.get(k) for k in keys]:
            raise ValueError(f"{path} was evaluated on other data than {paths[0]}")
        merged["models"] += results["models"]
    return merged


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, nargs="*", default=[], help="training.bench_throughput JSON files, one table each")
    parser.add_argument("--run", type=Path, nargs="*", default=[], help="training run folders (their summary is written to training/results/run-NAME.json) or such summaries, one section each")
    parser.add_argument("--eval", type=Path, nargs="+", action="append", default=[],
                        help="training.evaluate results on the same data, one table (repeat per table)")
    parser.add_argument("--verify", type=Path, help="JSON written by training.export --verify")
    parser.add_argument("--dev-eval", type=Path, nargs="+", action="append", default=[],
                        help="training.evaluate --split dev results of one comparison (repeat per comparison): before the test tables")
    parser.add_argument("--tone", type=Path, help="results.json of a training.evaluate run with --tone-limit")
    parser.add_argument("--tone-check", type=Path, nargs="*", default=[], help="training.tone_check results, one table")
    parser.add_argument("--shipped", type=Path, help="training.evaluate results of the shipped adapter on the sweeps' validation subset")
    parser.add_argument("--sweep", type=Path, nargs="*", default=[],
                        help="sweep.json files of training.sweep runs (copied under training/results/)")
    parser.add_argument("--out", type=Path, default=Path("training/RESULTS.md"))
    args = parser.parse_args(argv)
    parts = ["# Training results", "", "Generated by `python -m training.report` from JSON written by the commands; do not edit by hand.",
             "Timings come from 2 cores shared with other work (up to load average 7-17 for the older sections; the "
             "evaluations of issue 14 ran two or three at a time, 1 thread each), so they are noisy and pessimistic; "
             "compare rows measured in the same run.",
             "Commands rebuilt from a results file name the adapter files as they were when it ran: "
             "`models/gemma3-270m-proofread-lora.gguf` was the 720-example adapter in eval-baselines/eval-shipped-60 and stage 1 "
             "in the *-stage1 files; `/tmp/gec-final.gguf` was stage 1's export (training/runs/gemma3-270m-gec/adapter.gguf); "
             "`/tmp/stage2.gguf` was stage 2 as shipped (`git show 20243d0:models/gemma3-270m-proofread-lora.gguf`).", ""]
    for path in args.bench:
        parts += [f"## Training throughput (before / after, {path.name})", "", bench_table(json.loads(path.read_text()))]
    for path in args.run:
        summary = load_run(path, args.out.parent / "results")
        if summary:
            parts += [f"## Training run: {summary['name']}", "", run_section(summary)]
    for group in args.dev_eval:
        dev = merge_results(group)
        left_out = f" ({', '.join(dev['trained_on'])})" if dev.get("trained_on") else ""
        parts += [f"## Choices made on dev splits ({', '.join(p.name for p in group)})", "",
                  "FCE dev is read by no data builder; the CWEB dev sentences are those the models' training data"
                  f"{left_out} did not contain. llama.cpp {dev.get('llama_threads', 2)} thread(s).", "", markdown(dev),
                  *commands(group)]
    for group in args.eval:
        merged = merge_results(group)
        parts += [f"## Evaluation ({', '.join(p.name for p in group)})", "",
                  f"Through backend `Proofreader.proofread()` (same prompt and guards as serving), llama.cpp with "
                  f"{merged.get('llama_threads', 2)} thread(s), tone-note scorer: {merged.get('scorer')}.", "",
                  markdown(merged), *commands(group)]
    if args.tone and args.tone.exists():
        tone = json.loads(args.tone.read_text())
        parts += [f"## Tone restoration ({args.tone.name})", "", markdown(tone).split("Tone restoration:", 1)[-1].join(["Tone restoration:", ""]), ""]
    if args.tone_check:
        parts += tone_check_section(args.tone_check)
    if args.verify and args.verify.exists():
        v = json.loads(args.verify.read_text())
        parts += ["## Export check: torch vs llama.cpp greedy output", "",
                  "Command: `python -m training.export --run <run> --out models/gemma3-270m-proofread-lora.gguf --verify`.", "",
                  f"{v['identical']} of {v['prompts']} prompts gave identical greedy token ids (up to 48 new tokens) from "
                  f"torch (fp32 dequantized base + adapter) and llama.cpp (PyPI Q4_K_M base + GGUF adapter): "
                  f"{json.dumps(v['details'])}", ""]
    if args.shipped and args.shipped.exists():
        parts += [f"## The shipped adapter on the sweeps' validation subset ({args.shipped.name})", "",
                  "The reference every sweep row below is compared with (same sentences, emails and thread count).", "",
                  markdown(json.loads(args.shipped.read_text())), *commands([args.shipped])]
    for path in args.sweep:
        parts += sweep_section(path, args.out.parent / "results")
    args.out.write_text("\n".join(parts))
    print(args.out)


if __name__ == "__main__":
    main()
