import os
from pathlib import Path

import pytest

for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(var, "1")
# before torch loads (see training/__init__.py): spinning OpenMP threads collapse on shared cores
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DATA = Path(os.environ.get("PROOFREAD_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))


def needs_data():
    return pytest.mark.skipif(not DATA.exists(), reason=f"shared data sets not found at {DATA} (see ../shared/data/README.md)")
