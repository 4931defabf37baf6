"""The package as pyproject.toml declares it: every folder of code is a package, every data file
is package data (else a non-editable install, or the strict editable link tree, lacks it)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from importlib.resources import files
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
SETUPTOOLS = CONFIG["tool"]["setuptools"]
NOT_PACKAGED = {"tests", "bench", "scripts", "build", "out"}


def _package_dirs() -> dict[str, Path]:
    """Every folder of the repository that holds code or data of rnkg, by package name."""
    out = {"rnkg": REPO}
    for init in REPO.rglob("__init__.py"):
        rel = init.parent.relative_to(REPO)
        if rel.parts and (rel.parts[0] in NOT_PACKAGED or rel.parts[0].startswith(".")):
            continue
        if rel.parts:
            out["rnkg." + ".".join(rel.parts)] = init.parent
    return out


def test_every_folder_with_an_init_is_a_declared_package() -> None:
    assert sorted(_package_dirs()) == sorted(SETUPTOOLS["packages"])


def test_every_data_file_is_declared_package_data() -> None:
    patterns = SETUPTOOLS["package-data"]
    undeclared = []
    for name, folder in _package_dirs().items():
        for path in folder.iterdir():
            if path.is_dir() or path.suffix == ".py" or path.name.startswith("."):
                continue
            if name == "rnkg" and path.name not in ("py.typed",):
                continue  # the root's other files (README, Makefile...) are not rnkg's data
            if not any(fnmatch(path.name, p) for p in patterns.get(name, [])):
                undeclared.append(str(path.relative_to(REPO)))
    assert undeclared == []


def test_py_typed_is_shipped() -> None:
    assert (REPO / "py.typed").is_file()
    assert "py.typed" in SETUPTOOLS["package-data"]["rnkg"]


def test_the_facts_resolve_through_importlib_resources() -> None:
    marker = Path(str(files("rnkg.facts").joinpath("__init__.py")))
    assert marker.resolve().parent == REPO / "facts"
