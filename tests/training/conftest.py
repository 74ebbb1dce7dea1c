import pytest

import training  # noqa: F401 - sets OMP_WAIT_POLICY before any test module imports torch (training/__init__.py)
from backend.config import Settings

DATA = Settings().data_dir


def needs_data():
    return pytest.mark.skipif(not DATA.exists(), reason=f"shared data sets not found at {DATA} (see ../shared/data/README.md)")
