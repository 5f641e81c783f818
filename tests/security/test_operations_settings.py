"""Operators can place collected static files where they want (issue 8, item 22)."""

import os
import subprocess
import sys

from django.conf import settings


def test_static_root_comes_from_the_environment(tmp_path):
    """Item 22: DJANGO_STATIC_ROOT decides where collectstatic writes."""
    target = tmp_path / "static-elsewhere"
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "jakres.settings.test",
             "DJANGO_STATIC_ROOT": str(target)},
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (target / "css" / "jakres.css").read_text() == (
        settings.BASE_DIR / "static" / "css" / "jakres.css"
    ).read_text()
