"""The secret links of live capture.

A link's token is derived from a random nonce stored with the link and the site's
SECRET_KEY (HMAC-SHA256, 43 URL-safe characters, 256 bits). The database holds the
nonce and the SHA-256 digest of the token, never the token: a copy of the database
alone opens no link, yet staff can print a link's page again at any time (the token is
derived anew). Changing SECRET_KEY therefore retires every capture link (staff issue
new ones). A token is looked up by its digest and the digests are compared with
hmac.compare_digest, so nothing about a valid token is learnt from timing.
"""

import base64
import hashlib
import hmac
import re
import secrets

from django.conf import settings

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def new_nonce() -> str:
    return secrets.token_hex(32)


def token_for(nonce: str) -> str:
    mac = hmac.new(
        settings.SECRET_KEY.encode(), b"jakres-capture-link:" + nonce.encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: str) -> bool:
    return bool(TOKEN_SHAPE.fullmatch(token or ""))


def same_digest(stored: str, given: str) -> bool:
    return hmac.compare_digest(stored.encode(), given.encode())
