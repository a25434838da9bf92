from importlib.resources import files
from pathlib import Path

import pytest

from tests.shared import shared_dir

FILES = ["regions_gbt2260.csv", "regions_gbt2260_history.csv", "industry_gbt4754_2017.csv", "SOURCES.md"]


@pytest.mark.parametrize("name", FILES)
def test_package_copy_is_byte_identical_to_the_shared_table(name: str) -> None:
    shared = shared_dir("data", "standards")
    packaged = files("cnstd").joinpath("data", name).read_bytes()
    assert packaged == (shared / name).read_bytes()


@pytest.mark.parametrize("name", FILES)
def test_package_data_is_readable_as_package_resource(name: str) -> None:
    data = files("cnstd").joinpath("data", name).read_bytes()
    assert len(data) > 1000
    data.decode("utf-8")
    assert not data.startswith(b"\xef\xbb\xbf")


def test_tables_load_from_a_copy_of_the_package_with_no_shared_folder_nearby(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    package = Path(__file__).resolve().parents[2] / "cnstd"
    shutil.copytree(package, tmp_path / "cnstd", ignore=shutil.ignore_patterns("__pycache__"))
    script = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import cnstd;"
        f"assert cnstd.__file__.startswith({str(tmp_path)!r}), cnstd.__file__;"
        "from cnstd.regions import region_name; from cnstd.industries import minors;"
        "print(region_name('350502'), len(minors()))"
    )
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "福建省泉州市鲤城区 1382"
