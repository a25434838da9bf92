from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

CASES = Path(__file__).resolve().parents[2] / "docs" / "rules" / "cases"


@pytest.fixture(scope="session")
def gaoqi() -> dict[str, Any]:
    """The well-documented Quanzhou electronics firm of the conformance cases."""
    return yaml.safe_load((CASES / "conditions.yaml").read_text(encoding="utf-8"))["profiles"]["gaoqi"]


@pytest.fixture(scope="session")
def sparse() -> dict[str, Any]:
    return yaml.safe_load((CASES / "conditions.yaml").read_text(encoding="utf-8"))["profiles"]["sparse"]
