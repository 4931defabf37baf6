#!/usr/bin/env python3
"""Keep the README's command examples true: run every ``$ rnkg ...`` line of its ``console``
blocks against a fresh store loaded with the curated facts, and write the real output back.

    python scripts/readme_examples.py          # rewrite README.md in place
    python scripts/readme_examples.py --check  # exit 1 if any example's output has drifted

tests/test_readme.py runs the check. Durations are compared as "N s" (they vary run to run).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
SHOWN_DB = "~/.local/share/rnkg/rnkg.lbug"  # the default store, as a user sees it


def rnkg_exe() -> str:
    """The console script next to the running interpreter."""
    return str(Path(sys.executable).with_name("rnkg"))


def run(command: str, db: Path, workdir: Path) -> str:
    """Run one example command; return what a user sees (stdout, then stderr)."""
    args = shlex.split(command)
    assert args[0] == "rnkg", command
    env = {**os.environ, "RNKG_DB": str(db), "RNKG_BACKEND": "embedded", "COLUMNS": "160"}
    proc = subprocess.run([rnkg_exe(), *args[1:]], capture_output=True, text=True, env=env,
                          cwd=workdir, timeout=300, check=False)
    text = proc.stderr + proc.stdout  # a terminal shows the stderr title line first
    return text.replace(str(db), SHOWN_DB).rstrip("\n")


def normalise(text: str) -> str:
    """Output with its run-to-run noise (durations) folded."""
    return re.sub(r"\d+\.\d+ s\b", "N s", text)


def render_block(block: str, db: Path, workdir: Path) -> str:
    """A console block with every command's output replaced by a real run."""
    out = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append(line)
            out.append(run(line[2:], db, workdir))
    return "\n".join(out) + "\n"


def render_readme(text: str) -> str:
    """The README with every console block re-run, in order, on one fresh store."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "readme.lbug"
        workdir = Path(tmp)
        (workdir / "out").mkdir()
        return BLOCK.sub(lambda m: "```console\n" + render_block(m[1], db, workdir) + "```", text)


def main() -> int:
    """Rewrite the README, or with --check report drift (exit 1)."""
    text = README.read_text(encoding="utf-8")
    fresh = render_readme(text)
    if "--check" in sys.argv:
        if normalise(fresh) != normalise(text):
            print("README examples have drifted: run python scripts/readme_examples.py",
                  file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
