"""Harper (harper.js, rule-based, Apache-2.0) as a proofreader with the interface the evaluation
uses: `proofread(text)` returns an object with `.corrected` and `.warnings`. One Node process
serves every text, one JSON line each way, so per-text timing is real.

Setup once: `npm ci --prefix training/baselines/harper` (make test does it)."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "harper" / "harper_correct.mjs"


@dataclass
class HarperResult:
    corrected: str
    lints_applied: int
    warnings: list[str] = field(default_factory=list)


class HarperProofreader:
    few_shot = False

    def __init__(self) -> None:
        if not (SCRIPT.parent / "node_modules" / "harper.js").exists():
            raise FileNotFoundError("harper.js is not installed: npm ci --prefix training/baselines/harper")
        self._node = subprocess.Popen(
            ["node", str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )

    def proofread(self, text: str) -> HarperResult:
        self._node.stdin.write(json.dumps({"id": 0, "text": text}) + "\n")
        self._node.stdin.flush()
        line = self._node.stdout.readline()
        if not line:
            raise RuntimeError("the harper.js process exited")
        answer = json.loads(line)
        return HarperResult(corrected=answer["output"], lints_applied=answer["lints"])

    def close(self) -> None:
        self._node.stdin.close()
        self._node.wait(timeout=30)
