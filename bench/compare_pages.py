#!/usr/bin/env python3
"""Render every public page of the fixture and compare two trees' HTML byte for byte.

    python3 bench/compare_pages.py OLD_TREE [NEW_TREE]   # NEW_TREE: this checkout

Each tree (a checkout, e.g. `git worktree add /tmp/before e316d16`) is set up in a
fresh process on a throwaway SQLite file with the 26 Sept 2018 workshop; every page the
sitemap lists (both languages), the feeds, the JSON exports, search and the list filters
are fetched through Django's test client, and the bodies are compared. Prints one line
per page that differs, with the first differing line, and exits 1 if any does. Run it
with the project's virtualenv (`.venv/bin/python bench/compare_pages.py …`).
"""

import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EXTRA_PATHS = [
    "/", "/events/", "/events/?year=2018", "/focus-areas/", "/search/?q=banjir",
    "/events/feed/", "/robots.txt", "/sitemap.xml", "/events/tidak-ada/",
]  # fmt: skip

SNAPSHOT = r"""
import json, os, re, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
call_command("migrate", verbosity=0)
call_command("loaddata", "workshop_2018_09_26", verbosity=0)
client = Client()
paths = set(json.loads(sys.argv[1]))
sitemap = client.get("/sitemap.xml").content.decode()
for url in re.findall(r'(?:<loc>|href=")http://testserver([^<"]*)', sitemap):
    paths.add(url)
for path in list(paths):
    if path.rstrip("/").startswith("/events/") and path.count("/") == 3 and "?" not in path:
        paths.add(path + "proceedings.json")
    if not path.startswith("/en/"):
        paths.add("/en" + path)
pages = {}
for path in sorted(paths):
    response = client.get(path)
    pages[path] = [response.status_code, response.content.decode("utf-8", "replace")]
print(json.dumps(pages))
"""


def snapshot(tree: Path) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "jakres.settings.test",
            "DATABASE_URL": f"sqlite:///{scratch}/pages.sqlite3",
            "PYTHONPATH": str(tree),
        }
        env.pop("REDIS_URL", None)
        result = subprocess.run(
            [sys.executable, "-c", SNAPSHOT, json.dumps(EXTRA_PATHS)],
            cwd=tree, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
    if result.returncode:
        sys.exit(f"{tree}: {result.stderr[-2000:]}")
    return json.loads(result.stdout.splitlines()[-1])


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    old_tree = Path(sys.argv[1]).resolve()
    new_tree = Path(sys.argv[2]).resolve() if len(sys.argv) == 3 else ROOT
    old, new = snapshot(old_tree), snapshot(new_tree)
    differ = 0
    for path in sorted(set(old) | set(new)):
        before, after = old.get(path), new.get(path)
        if before == after:
            continue
        differ += 1
        if before is None or after is None:
            print(f"{path}: only in {'the new' if before is None else 'the old'} tree")
            continue
        if before[0] != after[0]:
            print(f"{path}: status {before[0]} → {after[0]}")
        lines = difflib.unified_diff(
            before[1].splitlines(), after[1].splitlines(), lineterm="", n=0
        )
        changed = [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        print(f"{path}: {len(changed)} changed lines, first: {changed[:2]}")
    print(f"{len(new)} pages compared, {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
