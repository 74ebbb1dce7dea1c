"""Command line: `python -m backend check|batch|prepare|serve`. Every Settings field is also a flag."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import typing

from backend.config import Settings
from backend.input_checks import InputError, check_input
from backend.types import Options

_SETTINGS_HELP = "Settings (also from PROOFREAD_* environment variables)"


def _add_settings_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_SETTINGS_HELP)
    for name, field in Settings.model_fields.items():
        flag = "--" + name.replace("_", "-")
        help_text = (field.description or "").replace("%", "%%")  # argparse formats help with %: "97.5% of" broke --help
        if typing.get_origin(field.annotation) is list:
            group.add_argument(flag, dest=name, type=lambda s: [p for p in s.split(",") if p], help=help_text)
        elif field.annotation is bool and field.default is False:  # a switch: `--few-shot` turns it on
            group.add_argument(flag, dest=name, action="store_const", const="true", help=help_text)
        else:
            group.add_argument(flag, dest=name, help=help_text)


def _settings_from(args: argparse.Namespace) -> Settings:
    overrides = {name: getattr(args, name) for name in Settings.model_fields if getattr(args, name, None) is not None}
    return Settings(**overrides)


def _add_option_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--temperature", type=float, default=0.0)
    parser.add_argument("--top-p", type=float, default=1.0)
    parser.add_argument("--max-tokens", type=int, default=None)


def _options_from(args: argparse.Namespace) -> Options:
    return Options(temperature=args.temperature, top_p=args.top_p, max_tokens=args.max_tokens)


def _build(settings: Settings):
    from backend.factory import build_proofreader

    return build_proofreader(settings)


def cmd_check(args: argparse.Namespace) -> int:
    settings = _settings_from(args)
    raw = sys.stdin.buffer.read() if args.file in (None, "-") else open(args.file, "rb").read()
    try:
        text = raw.decode("utf-8")
        check_input(text, settings.max_input_chars)  # before the model loads: a refused draft costs nothing
        result = _build(settings).proofread(text, _options_from(args))
    except UnicodeDecodeError:
        print("error: the input is not UTF-8 text", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(result.corrected)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    """One model load for many emails: the interface evaluation tools use. Keep the line format stable."""
    from tqdm import tqdm

    settings = _settings_from(args)
    try:
        items = _read_batch(args.input)
    except ValueError as exc:  # the whole file is checked before anything loads
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    if args.score_only:  # the classifiers only: no language model is loaded
        from backend.factory import build_scorer

        proofreader = build_scorer(settings)
        print(f"classifiers loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    else:
        proofreader = _build(settings)
        print(f"model loaded in {time.perf_counter() - started:.1f} s: {proofreader.model_info.model_dump()}", file=sys.stderr)
    options = _options_from(args)
    with open(args.output, "w", encoding="utf-8") as out:
        for item in tqdm(items, desc="proofreading", unit="email", file=sys.stderr):
            line: dict = {"id": item.get("id")}
            try:
                if args.score_only:
                    line["scores"] = proofreader.score(item["text"]).model_dump()
                else:
                    result = proofreader.proofread(item["text"], options)
                    line.update(
                        output=result.corrected,
                        changed=result.changed,
                        scores_before=result.scores_before.model_dump(),
                        scores_after=result.scores_after.model_dump(),
                        timings_ms=result.timings.model_dump(),
                        fallbacks=result.fallbacks,
                        warnings=result.warnings,
                    )
            except InputError as exc:
                line["error"] = {"code": exc.code, "message": exc.message}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return 0


def _read_batch(path: str) -> list[dict]:
    """The JSONL lines of a batch: each an object with a string `text` (and an optional `id`)."""
    items = []
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
            except json.JSONDecodeError:
                raise ValueError(f"{path}, line {number}: not JSON") from None
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError(f'{path}, line {number}: not an object with a string "text"')
            items.append(item)
    return items


def cmd_prepare(args: argparse.Namespace) -> int:
    """Checks that llama.cpp can generate on this CPU (in a child process, so a build that dies with SIGILL
    stops setup with a message instead of a server that dies on its first request), then loads the proofreader
    once, so every file built from the packaged models on first use (the assembled base, the merged model)
    exists before the first `serve`."""
    settings = _settings_from(args)
    if settings.engine == "llama":
        from backend.llama_runtime import LlamaBuildError, check_generation
        from backend.model_files import base_model_path

        try:
            check_generation(settings.model_path or base_model_path(settings.base), settings.n_threads)
        except LlamaBuildError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    started = time.perf_counter()
    proofreader = _build(settings)
    print(f"ready in {time.perf_counter() - started:.1f} s: {proofreader.model_info.model_dump()}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from backend.api.app import create_app

    settings = _settings_from(args)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    print(f"Proofreader API on http://{settings.host}:{settings.port} (docs at /docs). Ctrl+C stops it.", flush=True)
    uvicorn.run(create_app(settings), host=settings.host, port=int(settings.port), log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m backend", description="Proofread email drafts with a local LLM.")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="Proofread one email (file or stdin).")
    check.add_argument("file", nargs="?", help="Email text file, or - for stdin.")
    check.add_argument("--json", action="store_true", help="Print the whole result as JSON.")
    _add_option_flags(check)
    _add_settings_flags(check)
    check.set_defaults(run=cmd_check)

    batch = commands.add_parser("batch", help='Proofread JSONL lines {"id", "text"} into OUT.jsonl.')
    batch.add_argument("input")
    batch.add_argument("output")
    batch.add_argument("--score-only", action="store_true", help="Only run the classifiers.")
    _add_option_flags(batch)
    _add_settings_flags(batch)
    batch.set_defaults(run=cmd_batch)

    prepare = commands.add_parser("prepare", help="Build the files the model needs on first use (setup runs this).")
    _add_settings_flags(prepare)
    prepare.set_defaults(run=cmd_prepare)

    serve = commands.add_parser("serve", help="Run the HTTP API.")
    _add_settings_flags(serve)
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
