#!/usr/bin/env python3
"""One-command set-up for jakres, needing nothing but Python 3.11+.

    python3 dev.py run     # portal on http://127.0.0.1:8000/ with the 26 Sept 2018 workshop
    python3 dev.py test    # the test suite (browser tests run where Chromium is installed)
    python3 dev.py manage createsuperuser   # any manage.py command, inside the virtualenv

It creates .venv/ next to this file on first use and installs the project there.
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".jakres-installed"
# Every dependency (with the test and dev tools), pinned with hashes: see the README,
# "Updating dependencies".
LOCK = ROOT / "requirements.lock"


def sh(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=True, **kwargs)


def ensure_venv():
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit("jakres needs Python 3.11 or newer.")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    inputs = (ROOT / "pyproject.toml", LOCK)
    if not STAMP.exists() or any(STAMP.stat().st_mtime < f.stat().st_mtime for f in inputs):
        # Exactly the locked versions, each checked against its hash; then the project
        # itself, without resolving anything again.
        sh(PYTHON, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", LOCK)
        sh(PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ".")
        STAMP.touch()


def run(args):
    sh(PYTHON, "manage.py", "setup_portal")
    address = args[0] if args else "127.0.0.1:8000"
    print(f"\njakres is starting on http://{address}/  (Ctrl+C stops it)")
    print("Staff login: python3 dev.py manage createsuperuser, then open /admin/\n", flush=True)
    os.execv(PYTHON, [str(PYTHON), "manage.py", "runserver", address])


def test(args):
    result = subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT)
    sys.exit(result.returncode)


def manage(args):
    result = subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT)
    sys.exit(result.returncode)


COMMANDS = {"run": run, "test": test, "manage": manage}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    ensure_venv()
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
