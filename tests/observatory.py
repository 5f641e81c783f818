"""The response-header part of the MDN HTTP Observatory's scoring table.

Source: mozilla/http-observatory, httpobs/docs/scoring.md ("All websites start with a
baseline score of 100 … Bonus points are only awarded if the site's score without them
is 90 (A) or greater"). Each check returns (test name, result, modifier).
"""

import re

HALF_YEAR = 15768000


def _directives(policy):
    parsed = {}
    for part in policy.split(";"):
        words = part.strip().split()
        if words:
            parsed.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    return parsed


def content_security_policy(headers):
    policy = headers.get("Content-Security-Policy")
    if not policy:
        return "csp-not-implemented", -25
    csp = _directives(policy)
    default = csp.get("default-src", [])
    scripts = csp.get("script-src", default)
    styles = csp.get("style-src", default)
    if "'unsafe-inline'" in scripts:
        return "csp-implemented-with-unsafe-inline", -20
    if any(source.startswith("http:") for values in csp.values() for source in values):
        return "csp-implemented-with-insecure-scheme", -20
    if "'unsafe-eval'" in scripts:
        return "csp-implemented-with-unsafe-eval", -10
    if "'unsafe-inline'" in styles:
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if default == ["'none'"]:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def cookies(headers, set_cookies):
    if not set_cookies:
        return "cookies-not-found", 0
    for cookie in set_cookies:
        lowered = cookie.lower()
        if "secure" not in lowered:
            return "cookies-without-secure-flag", -20
        if "session" in lowered.split("=", 1)[0] and "httponly" not in lowered:
            return "cookies-session-without-httponly-flag", -30
    if all("samesite" in c.lower() for c in set_cookies):
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def cross_origin_resource_sharing(headers):
    if headers.get("Access-Control-Allow-Origin", "").strip() == "*":
        return "cross-origin-resource-sharing-implemented-with-universal-access", -50
    return "cross-origin-resource-sharing-not-implemented", 0


def referrer_policy(headers):
    value = headers.get("Referrer-Policy", "").lower()
    if not value:
        return "referrer-policy-not-implemented", 0
    policy = value.split(",")[-1].strip()
    if policy in {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}:
        return "referrer-policy-private", 5
    if policy == "no-referrer-when-downgrade":
        return "referrer-policy-no-referrer-when-downgrade", 0
    if policy in {"origin", "origin-when-cross-origin", "unsafe-url"}:
        return "referrer-policy-unsafe", -5
    return "referrer-policy-header-invalid", -5


def strict_transport_security(headers):
    value = headers.get("Strict-Transport-Security")
    if not value:
        return "hsts-not-implemented", -20
    match = re.search(r"max-age=(\d+)", value)
    if not match:
        return "hsts-header-invalid", -20
    if int(match.group(1)) >= HALF_YEAR:
        return "hsts-implemented-max-age-at-least-six-months", 0
    return "hsts-implemented-max-age-less-than-six-months", -10


def subresource_integrity(headers, html):
    if "html" not in headers.get("Content-Type", ""):
        return "sri-not-implemented-response-not-html", 0
    sources = re.findall(r"<script[^>]*\ssrc=[\"']([^\"']+)", html)
    if not sources:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    if all(not re.match(r"(https?:)?//", src) for src in sources):
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0
    return "sri-not-implemented-but-external-scripts-loaded-securely", -5


def x_content_type_options(headers):
    if headers.get("X-Content-Type-Options", "").lower() == "nosniff":
        return "x-content-type-options-nosniff", 0
    return "x-content-type-options-not-implemented", -5


def x_frame_options(headers):
    csp = _directives(headers.get("Content-Security-Policy", ""))
    if "frame-ancestors" in csp:
        return "x-frame-options-implemented-via-csp", 5
    if headers.get("X-Frame-Options", "").upper() in {"DENY", "SAMEORIGIN"}:
        return "x-frame-options-sameorigin-or-deny", 0
    return "x-frame-options-not-implemented", -20


def score(headers, set_cookies, html):
    results = [
        content_security_policy(headers),
        cookies(headers, set_cookies),
        cross_origin_resource_sharing(headers),
        referrer_policy(headers),
        strict_transport_security(headers),
        subresource_integrity(headers, html),
        x_content_type_options(headers),
        x_frame_options(headers),
    ]
    penalties = 100 + sum(modifier for _, modifier in results if modifier < 0)
    bonuses = sum(modifier for _, modifier in results if modifier > 0)
    total = penalties + (bonuses if penalties >= 90 else 0)
    return total, results
