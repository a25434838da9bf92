"""Read the national code tables shipped inside the package.

The tables are package data (``cnstd/data``) so that the cores work in a wheel or a container
where the shared folder the project was built from does not exist.
"""

from __future__ import annotations

import csv
import io
from importlib.resources import files


def read_table(name: str) -> list[dict[str, str]]:
    """Return every row of ``cnstd/data/<name>`` as a dict of strings (codes keep leading zeros)."""
    text = files("cnstd").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))
