"""Compressed public pages: Brotli where the client accepts it, else gzip.

The page cache (jakres/core/cache.py) stores every encoding of a page when it stores the
page, so a cached hit only picks the stored bytes the client accepts and does no
compression work. Pages that are not stored are compressed for the one client that asked.

Only the public site's responses are compressed, never the admin's: a compressed page
that holds a secret (a CSRF token) and reflects a visitor's input can leak the secret
through the compressed length (BREACH). Public pages hold no secret.
"""

import gzip
import re

import brotli
from django.utils.http import parse_etags

# Below this, the headers outweigh what compression saves.
MIN_SIZE = 256
COMPRESSIBLE_TYPES = ("text/html", "application/json", "application/atom+xml",
                      "application/xml", "text/plain", "text/csv")  # fmt: skip
# Preferred first; identity (no encoding) is always possible.
ENCODINGS = ("br", "gzip")
_CODING = re.compile(r"^\s*([A-Za-z0-9*_-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def compressible(content_type, content):
    return len(content) >= MIN_SIZE and content_type.split(";")[0].strip() in COMPRESSIBLE_TYPES


def encode(content, encoding, *, stored=False):
    """The content in one encoding. Stored pages are compressed harder: that is done
    once per page and content version, and every hit saves the bytes."""
    if encoding == "br":
        return brotli.compress(content, quality=9 if stored else 4, mode=brotli.MODE_TEXT)
    if encoding == "gzip":
        return gzip.compress(content, compresslevel=9 if stored else 6, mtime=0)
    return content


def encode_all(content):
    """Every encoding of a page, to store: {"identity": …, "gzip": …, "br": …}."""
    return {"identity": content, **{e: encode(content, e, stored=True) for e in ENCODINGS}}


def accepted(accept_encoding):
    """The best encoding an Accept-Encoding header allows: "br", "gzip" or "identity"."""
    weights, default = {}, None
    for part in (accept_encoding or "")[:500].split(","):
        match = _CODING.match(part)
        if not match:
            continue
        coding, q = match.group(1).lower(), match.group(2)
        try:
            weight = float(q) if q is not None else 1.0
        except ValueError:
            continue
        if coding == "*":
            default = weight
        else:
            weights[coding] = weight
    for encoding in ENCODINGS:
        if weights.get(encoding, default or 0) > 0:
            return encoding
    return "identity"


def etag_of(etag, encoding):
    """Each encoding is its own representation, with its own strong ETag."""
    return etag if encoding == "identity" or not etag else f'{etag[:-1]}-{encoding}"'


def sent_etags(if_none_match):
    """The entity tags an If-None-Match names, compared weakly (RFC 9110 13.1.2): a
    weak tag (W/"…", as a proxy that compresses again makes of ours) names the same
    representation as the strong one."""
    return {tag.removeprefix("W/") for tag in parse_etags(if_none_match or "")}


def etag_variants(etag):
    return {etag_of(etag, e): e for e in ("identity", *ENCODINGS)}


def add_vary(headers):
    """headers: a list of (name, value); Vary gains Accept-Encoding."""
    names = [v for k, v in headers if k.lower() == "vary"]
    rest = [(k, v) for k, v in headers if k.lower() != "vary"]
    parts = [p.strip() for v in names for p in v.split(",") if p.strip()]
    if "accept-encoding" not in {p.lower() for p in parts}:
        parts.append("Accept-Encoding")
    return [*rest, ("Vary", ", ".join(parts))]


def compress_response(response, accept_encoding):
    """Compresses a rendered (not stored) public response for this client, in place."""
    if (
        response.streaming
        or response.has_header("Content-Encoding")
        or not compressible(response.get("Content-Type", ""), response.content)
    ):
        return response
    patched = add_vary([("Vary", response["Vary"])] if response.has_header("Vary") else [])
    response["Vary"] = patched[-1][1]
    encoding = accepted(accept_encoding)
    if encoding == "identity":
        return response
    response.content = encode(response.content, encoding)
    response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(response.content))
    if response.has_header("ETag"):
        response["ETag"] = etag_of(response["ETag"], encoding)
    return response
