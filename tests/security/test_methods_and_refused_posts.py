"""A post the CSRF check refuses gets the site's own 403 page (in the reader's
language, nothing inline, so under the site's CSP), not Django's bare page; feeds and
sitemaps answer only GET and HEAD (405 with Allow otherwise), as the other pages do."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url,language,words",
    [
        ("/events/", "id", "Formulir ini tidak dapat dikirim"),
        ("/en/events/", "en", "This form could not be sent"),
    ],
)
def test_a_refused_post_gets_the_sites_own_page(workshop, url, language, words):
    response = Client(enforce_csrf_checks=True).post(url, {"x": "1"})
    html = response.content.decode()
    assert response.status_code == 403
    assert words in html and f'<html lang="{language}"' in html
    assert "<style" not in html and " style=" not in html and "<script>" not in html
    assert 'class="site-header' in html or "<header" in html  # the site's layout


@pytest.mark.parametrize(
    "url", ["/events/feed/", "/follow-up/feed/", "/sitemap.xml", "/sitemap-events.xml"]
)
def test_feeds_and_sitemaps_answer_only_get_and_head(client, workshop, url):
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    for method in ("post", "put", "delete", "options", "trace"):
        response = getattr(client, method)(url)
        assert response.status_code == 405, (url, method)
        assert response["Allow"] == "GET, HEAD"
