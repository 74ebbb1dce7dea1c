"""One training example = the serving prompt (imported from backend.prompts, never copied) plus the
target email and the chat format's stop marker, so the model learns exactly what it is asked at run time."""

from __future__ import annotations

import json
from pathlib import Path

from backend import prompts
from backend.config import Settings
from backend.model_files import file_sha256 as _file_digest


def data_path(*parts: str) -> Path:
    """A file of the shared data sets: the one data root is `Settings.data_dir` (PROOFREAD_DATA_DIR)."""
    return Settings().data_dir.joinpath(*parts)


def require(path) -> Path:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: the shared data sets live in ../shared/data (see its README; "
                                "PROOFREAD_DATA_DIR points elsewhere)")
    return path


def read_jsonl(path: Path) -> list[dict]:
    with open(require(path), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, as data manifests and run records store it."""
    return _file_digest(path).hexdigest()


class ExampleMaker:
    """Turns (source email, target email) into a prompt/completion pair, scoring the source with the
    backend's own Scorer so the tone note matches what serving will say."""

    def __init__(self, chat_format: str, scorer=None):
        if scorer is None:
            from backend.scoring import Scorer

            scorer = Scorer()
        self.chat_format = chat_format
        self.scorer = scorer

    def scores(self, text: str):
        return self.scorer.score(text)

    def proofread(self, source: str, target: str, kind: str, scores=None, **meta) -> dict:
        scores = scores or self.scorer.score(source)
        prompt = prompts.render_prompt(prompts.messages(source, scores), self.chat_format)
        return {
            "prompt": prompt,
            "completion": target + prompts.stop_marker(self.chat_format),
            "kind": kind,
            "politeness": scores.politeness.label,
            **meta,
        }

    def chat(self, turns: list[dict], kind: str, **meta) -> dict:
        """A general conversation: the loss goes on the last assistant turn only."""
        if not turns or turns[-1]["role"] != "assistant":
            raise ValueError("a chat example must end with an assistant turn")
        prompt = prompts.render_prompt(turns[:-1], self.chat_format)
        return {
            "prompt": prompt,
            "completion": turns[-1]["content"] + prompts.stop_marker(self.chat_format),
            "kind": kind,
            **meta,
        }
