"""The proceedings page, without photos, transfers at most 100 KB compressed, HTML included."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.conftest import WORKSHOP_SLUG

pytestmark = pytest.mark.django_db

LIMIT_BYTES = 100 * 1024


def compressed_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_proceedings_page_weight(client, workshop, prefix):
    html = client.get(f"{prefix}/events/{WORKSHOP_SLUG}/").content
    assets = re.findall(
        rb'<(?:link rel="stylesheet"|script)[^>]*(?:href|src)="/static/([^"]+)"', html
    )
    assert assets, "the page links its stylesheets"
    total = compressed_size(html)
    for asset in assets:
        path = finders.find(asset.decode())
        assert path, f"{asset!r} is served from the project or a Python package"
        total += compressed_size(Path(path).read_bytes())
    assert total <= LIMIT_BYTES, f"{total} bytes compressed"
    # Nothing comes from another host at run time.
    assert not re.search(
        rb'<(?:link rel="stylesheet"|script|img)[^>]+(?:href|src)="(?:https?:)?//', html
    )
