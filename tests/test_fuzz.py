"""Generated bad input across every public URL: none may answer 500 or more.

Hypothesis builds well over 1,000 requests: odd slugs and refs, query strings,
unicode, very long values, null bytes, and malformed Accept-Language and cookies.
"""

from urllib.parse import quote

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import WORKSHOP_SLUG

pytestmark = pytest.mark.django_db

EXAMPLES = 1100

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
    "/follow-up/plans/{}/",
    "/follow-up/plans/strategi-ketahanan-kota-jakarta-2019/{}/",
    "/follow-up/plans/{}/plan.csv",
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
    "/follow-up/?status={}",
    "/follow-up/?event={}",
    "/follow-up/?focus_area={}",
    "/follow-up/?lead={}&page=2",
    "/follow-up/?page={}",
    "/follow-up/links.json?page={}",
    "/follow-up/feed/?{}",
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


def test_no_public_url_answers_500(client, workshop):
    """One test that also counts what it sent: a separate counting test would depend on
    running after this one, in the same process (alone, or in another order, it saw 0)."""
    sent = []
    call_command("loaddata", "follow_up_strategy", verbosity=0)  # the follow-up's plans

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(request=requests())
    def no_500(request):
        method, url, headers = request
        response = getattr(client, method)(url, **headers)
        sent.append(url)
        assert response.status_code < 500, (method, url, headers, response.status_code)

    no_500()
    # Hypothesis stops early only on a failure (raised above) or when it runs out of
    # distinct inputs, which these strategies never do.
    assert len(sent) >= 1000
