"""Compare the installed packages with a lock file: python scripts/lockcheck.py requirements/test.lock

Prints every package whose installed version differs from the lock (or that the lock lacks), so a
CI log shows when a fresh install from the ranges in pyproject.toml drifted from the versions the
tests last passed with. Exit 0 unless --strict is given and something differs.
"""
from __future__ import annotations

import re
import sys
from importlib import metadata

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: str) -> dict[str, str]:
    pins = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            match = PIN.match(line.strip())
            if match:
                pins[canonical(match.group(1))] = match.group(2)
    return pins


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 1:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    pins = locked(paths[0])
    installed = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    for tool in ("pip", "setuptools", "wheel"):  # come with the venv, not with the project
        pins.pop(tool, None)
    drift = [f"  {name}: lock {version}, installed {installed[name]}"
             for name, version in sorted(pins.items())
             if name in installed and installed[name] != version]
    missing = [f"  {name}=={version} (locked, not installed)" for name, version in sorted(pins.items())
               if name not in installed]
    if drift or missing:
        print(f"lockcheck: the install differs from {paths[0]}:", *drift, *missing, sep="\n")
        return 1 if strict else 0
    print(f"lockcheck: every locked package installed at its locked version ({len(pins)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
