"""The llama.cpp builds this project installs, and which one a given CPU runs.

Never `-march=native`: that build compiled ggml's AMX matrix code on AMX machines and died there with
SIGILL on the first token (issue 13), and it crashes on any older CPU the venv is copied to. Instead
setup compiles llama-cpp-python twice with explicit flags and no AMX:
  portable  x86-64-v3 (AVX2, FMA, F16C, BMI2: every x86-64 CPU since 2013-2017), installed as the package;
  avx512    the same plus AVX512 F/CD/VL/DQ/BW, VBMI, VNNI, BF16 and AVX-VNNI, of which only ggml's CPU
            kernels (libggml-cpu) are kept, in llama_cpp/lib/avx512/.
At run time backend.llama_runtime loads the avx512 kernels only where /proc/cpuinfo has every flag that
build was compiled for, so no machine is given an instruction it lacks. On this project's 2-core AVX512
machine the portable build alone ran draft_verify ~10% slower than native; with the kernels chosen at
run time it matches native (bench.decoding --compare-build, bench/NOTES.md).

    python -m backend.llama_builds install    # what `make setup` runs; idempotent

Wheels are built into a folder named by a digest
of this file, never taken from pip's cache (which does not key on build flags), so changing a flag here
rebuilds, and a venv that holds any other build gets these reinstalled. `digest` needs only the stdlib
(the Makefile runs it with the system Python to name its stamp)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

VERSION = "0.3.36"
_NOT_NATIVE = ("-DLLAVA_BUILD=OFF", "-DGGML_NATIVE=OFF", "-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF")
KERNELS = "libggml-cpu.so.0"  # the SONAME libggml.so asks for: the only library whose code depends on the flags


@dataclass(frozen=True)
class Build:
    name: str
    cmake_flags: tuple[str, ...]
    cpu_flags: frozenset[str]  # every /proc/cpuinfo flag the compiled code may use


PORTABLE = Build(
    "portable",
    _NOT_NATIVE + ("-DGGML_AVX=ON", "-DGGML_AVX2=ON", "-DGGML_FMA=ON", "-DGGML_F16C=ON", "-DGGML_BMI2=ON"),
    frozenset({"avx", "avx2", "fma", "f16c", "bmi2"}),
)
AVX512 = Build(
    "avx512",
    PORTABLE.cmake_flags + ("-DGGML_AVX512=ON", "-DGGML_AVX512_VBMI=ON", "-DGGML_AVX512_VNNI=ON",
                            "-DGGML_AVX512_BF16=ON", "-DGGML_AVX_VNNI=ON"),
    # Linux's names, not llama.cpp's: VBMI is "avx512vbmi" (no underscore), unlike avx512_vnni / avx512_bf16.
    PORTABLE.cpu_flags | {"avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw", "avx512vbmi",
                          "avx512_vnni", "avx512_bf16", "avx_vnni"},
)
KERNEL_VARIANTS = (AVX512,)  # fastest first; PORTABLE is what the package itself holds
BUILDS = (PORTABLE, *KERNEL_VARIANTS)


def choose(flags: frozenset[str]) -> Build:
    """The fastest build whose every instruction set this CPU has."""
    for build in KERNEL_VARIANTS:
        if build.cpu_flags <= flags:
            return build
    return PORTABLE


def digest() -> str:
    """Names the wheel folder: changes with the version or any build's flags, not with comments."""
    spec = [VERSION] + [[b.name, *b.cmake_flags] for b in BUILDS]
    return hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:16]


def wheel_dir(cache: Path) -> Path:
    return cache / "wheels" / f"llama-cpp-python-{VERSION}-{digest()}"


def _build_wheel(build: Build, folder: Path) -> Path:
    out = folder / build.name
    wheels = sorted(out.glob("*.whl"))
    if wheels:
        return wheels[0]
    partial = folder / f"{build.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    print(f"building llama-cpp-python {VERSION} ({build.name}: {' '.join(build.cmake_flags)})", flush=True)
    env = {**os.environ, "CMAKE_ARGS": " ".join(build.cmake_flags)}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "--no-binary", "llama-cpp-python",
                    "-w", str(partial), f"llama-cpp-python=={VERSION}"], env=env, check=True)
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    return sorted(out.glob("*.whl"))[0]


def installed_from() -> str:
    """Where the installed llama-cpp-python came from (its direct_url), or "" if it is not installed."""
    try:
        text = metadata.distribution("llama-cpp-python").read_text("direct_url.json") or "{}"
    except metadata.PackageNotFoundError:
        return ""
    return json.loads(text).get("url", "")


def install(cache: Path) -> None:
    folder = wheel_dir(cache)
    folder.mkdir(parents=True, exist_ok=True)
    portable = _build_wheel(PORTABLE, folder)
    variants = {build.name: _build_wheel(build, folder) for build in KERNEL_VARIANTS}
    if installed_from() != portable.resolve().as_uri():
        subprocess.run([sys.executable, "-m", "pip", "install", "--force-reinstall", "--no-deps", str(portable)], check=True)
    lib = Path(sysconfig.get_paths()["platlib"]) / "llama_cpp" / "lib"
    for name, wheel in variants.items():
        target = lib / name
        target.mkdir(exist_ok=True)
        with zipfile.ZipFile(wheel) as archive:
            (target / KERNELS).write_bytes(archive.read(f"llama_cpp/lib/{KERNELS}"))
    print(f"llama-cpp-python {VERSION}: portable build installed, kernel variants {sorted(variants)} in {lib}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["install", "digest"])
    parser.add_argument("--cache", type=Path, default=None, help="default: backend.config.CACHE_DIR")
    args = parser.parse_args(argv)
    if args.command == "digest":
        print(digest())
    else:
        from backend.config import CACHE_DIR  # imported here: `digest` runs before the venv has pydantic

        install(args.cache or CACHE_DIR)


if __name__ == "__main__":
    main()
