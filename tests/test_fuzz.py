"""Generated bad input across every public URL: none may answer 500 or more.

Hypothesis builds well over 1,000 requests: odd slugs and refs, query strings,
unicode, very long values, null bytes, and malformed Accept-Language and cookies.
"""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import WORKSHOP_SLUG

pytestmark = pytest.mark.django_db

EXAMPLES = 1100
REQUESTS = {"count": 0}

odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400),
    st.sampled_from(
        ["", "0", "-1", "99999999999999999999", "1e9", "NaN", "..", "../../etc/passwd",
         "%00", "\x00", "<script>", "' OR 1=1 --", "☃", "lokakarya\x00", " ", "a" * 5000,
         WORKSHOP_SLUG, WORKSHOP_SLUG.upper(), "last", "[]", "{}"]
    ),
)  # fmt: skip

PATH_TEMPLATES = [
    "/events/{}/",
    "/events/{}/proceedings.json",
    "/people/{}/",
    "/focus-areas/{}/",
    "/groups/{}/",
    "/conclusions/{}/",
    "/{}",
    "/{}/",
    "/en/events/{}/",
    "/en/{}",
]
QUERY_TEMPLATES = [
    "/search/?q={}",
    "/en/search/?q={}",
    "/events/?year={}",
    "/events/?kind={}",
    "/events/?focus_area={}",
    "/events/?page={}",
    "/events/?year=2018&kind=workshop&focus_area=2&page={}",
    "/events/feed/?{}",
    "/sitemap.xml?{}",
    f"/events/{WORKSHOP_SLUG}/?{{}}",
]

header_text = st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=255), max_size=300)


@st.composite
def requests(draw):
    value = draw(odd_text)
    if draw(st.booleans()):
        template = draw(st.sampled_from(PATH_TEMPLATES))
        url = template.format(quote(value, safe=""))
    else:
        template = draw(st.sampled_from(QUERY_TEMPLATES))
        url = template.format(quote(value, safe="=&"))
    headers = {}
    if draw(st.booleans()):
        headers["HTTP_ACCEPT_LANGUAGE"] = draw(
            st.one_of(header_text, st.sampled_from(["en;q=abc", "*;q=2", "id-ID,en;q=0.9,", ";;"]))
        )
    if draw(st.booleans()):
        headers["HTTP_COOKIE"] = draw(
            st.one_of(
                header_text, st.sampled_from(["sessionid=x" * 100, "=;=;", "django_language=xx"])
            )
        )
    method = draw(st.sampled_from(["get", "get", "get", "head"]))
    return method, url, headers


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(request=requests())
def test_no_public_url_answers_500(client, workshop, request):
    method, url, headers = request
    response = getattr(client, method)(url, **headers)
    REQUESTS["count"] += 1
    assert response.status_code < 500, (method, url, headers, response.status_code)


def test_fuzzing_sent_at_least_a_thousand_requests():
    # Runs after the test above in file order; Hypothesis may stop early only on failure.
    assert REQUESTS["count"] >= 1000
