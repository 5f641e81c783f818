"""Secret links stay out of logs, error reports and the page cache.

The live-capture links (/tulis/<token>/, /pleno/<token>/…, with or without a language
prefix) carry their secret in the path. `scrub()` replaces every such token with
"[token]" in any text: the JSON log formatter, the gunicorn access log
(jakres/gunicorn.py), the log filter of the error mails and the exception reporter all
pass their text through it. The page cache does not look these paths up at all.
"""

import logging
import re

from pythonjsonlogger.json import JsonFormatter

SECRET_PATH_PREFIXES = ("tulis", "pleno")
_PREFIXES = "|".join(SECRET_PATH_PREFIXES)
# /tulis/<token>…, /en/tulis/<token>…: the prefix is kept, the token replaced.
SECRET_PATH = re.compile(rf"(/(?:[a-z]{{2}}(?:-[a-z]+)?/)?(?:{_PREFIXES})/)([^/?#\s\"'<>\\]+)")
REPLACEMENT = r"\1[token]"


def scrub(text: str) -> str:
    return SECRET_PATH.sub(REPLACEMENT, text) if isinstance(text, str) else text


def secrets_in(text: str) -> set:
    """The tokens of the secret links in `text` (to hide them wherever else they
    appear, as in an error report's local variables)."""
    return {match.group(2) for match in SECRET_PATH.finditer(text or "")}


def is_secret_path(path: str) -> bool:
    return bool(SECRET_PATH.match(path or ""))


class ScrubbingJsonFormatter(JsonFormatter):
    """The log's JSON lines, with secret links scrubbed from every field (the message,
    the request's repr that Django's request logger adds, a traceback)."""

    def format(self, record):
        return scrub(super().format(record))


class ScrubSecretLinks(logging.Filter):
    """For handlers and loggers that format the message themselves (the error mails,
    gunicorn's error log): the message and traceback are rendered now, scrubbed."""

    def filter(self, record):
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
