"""gunicorn's access log (jakres/gunicorn.py) is one JSON object per line, whatever the
client sends: quotes, backslashes, control characters, JSON-looking text, non-ASCII
bytes or a very long value in the user agent, path or query never break a line or
add a field."""

import http.client
import io
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from gunicorn.config import Config

from jakres.gunicorn import JsonAccessLogger
from tests.test_multi_instance import database_url, free_port

FIELDS = ["time", "name", "remote", "method", "path", "query", "status", "bytes",
          "duration_us", "agent"]  # fmt: skip

HOSTILE_AGENTS = [
    'Mozilla/5.0 "quoted" \\ back\\slash\\',
    '"}, "status": 999, "agent": "forged',
    '\\u0000 \\" \\\\ \\x00 \\n',  # escapes as text
    "\x01\x07\x08\x0c\x1b[31m\x7f\tbell and escape",  # the control bytes a header may hold
    "%(h)s %s %% {} {agent}",  # format strings
    "caf\xe9 \xff\xfe",  # latin-1 bytes above ASCII
    "A" * 8000,  # near gunicorn's 8,190-byte limit of one header line
]


# --- The logger itself: a real gunicorn Logger and a real access() call -------------------


@pytest.fixture
def access_logger():
    """A JsonAccessLogger as gunicorn makes it (accesslog "-"), writing into `.output`."""
    config = Config()
    config.set("accesslog", "-")
    logger = JsonAccessLogger(config)
    logger.output = io.StringIO()
    logger._get_gunicorn_handler(logger.access_log).setStream(logger.output)
    yield logger
    for log in (logger.access_log, logger.error_log):
        log.removeHandler(logger._get_gunicorn_handler(log))


def log_access(logger, agent, path="/", query="", sent=1234):
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": f"{path}?{query}", "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path, "QUERY_STRING": query, "REMOTE_ADDR": "203.0.113.7",
    }  # fmt: skip
    if agent is not None:
        environ["HTTP_USER_AGENT"] = agent
    response = SimpleNamespace(status="200 OK", sent=sent, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=[("USER-AGENT", agent)] if agent is not None else [])
    logger.access(response, request, environ, timedelta(seconds=1, microseconds=2500))


@pytest.mark.parametrize("agent", [*HOSTILE_AGENTS, "☃ 日本語 \U0001f600 \u202e"])
def test_every_access_line_is_json_with_the_agent_as_sent(access_logger, agent):
    log_access(access_logger, agent, path='/cari/"}\\', query='q="\\"}&x=%22')
    lines = access_logger.output.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].isascii()
    line = json.loads(lines[0])
    assert list(line) == FIELDS
    assert line["agent"] == agent
    assert line["path"] == '/cari/"}\\'
    assert line["query"] == 'q="\\"}&x=%22'
    assert (line["name"], line["remote"], line["method"]) == (
        "gunicorn.access",
        "203.0.113.7",
        "GET",
    )
    assert (line["status"], line["bytes"], line["duration_us"]) == (200, 1234, 1_002_500)


def test_a_request_without_agent_or_body_is_logged_too(access_logger):
    log_access(access_logger, None, sent=None)
    line = json.loads(access_logger.output.getvalue())
    assert line["agent"] == "-"  # gunicorn's atom for a missing header
    assert line["bytes"] is None


def test_no_access_log_when_it_is_off(monkeypatch):
    logger = JsonAccessLogger(Config())  # accesslog None: GUNICORN_ACCESS_LOG=0
    try:
        assert logger._get_gunicorn_handler(logger.access_log) is None
        written = []
        monkeypatch.setattr(logger.access_log, "info", lambda *args: written.append(args))
        log_access(logger, "Mozilla/5.0")
        assert written == []
    finally:
        logger.error_log.removeHandler(logger._get_gunicorn_handler(logger.error_log))


# --- The real server: gunicorn -c jakres/gunicorn.py, requests over a socket -------------


@pytest.mark.django_db
def test_gunicorn_writes_one_json_line_per_request_whatever_the_agent(tmp_path):
    port = free_port()
    out = tmp_path / "stdout.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jakres.settings.test",
        "DATABASE_URL": database_url(),
        "GUNICORN_ACCESS_LOG": "1",
    }
    with open(out, "wb") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "jakres/gunicorn.py", "--bind",
             f"127.0.0.1:{port}", "--workers", "1", "jakres.wsgi"],
            cwd=settings.BASE_DIR, env=env, stdout=stdout, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    sent = []
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(port, "/robots.txt", b"readiness")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        for agent in HOSTILE_AGENTS:
            raw = agent.encode("latin-1")
            for target in ("/robots.txt", "/tidak-ada/%22%7D%5C?q=%22%5C%22%7D"):
                status = get(port, target, raw)
                sent.append((target, raw.decode("latin-1"), status))
        utf8 = "☃ 日本語 \U0001f600".encode()
        sent.append(("/robots.txt", utf8.decode("latin-1"), get(port, "/robots.txt", utf8)))
    finally:
        process.terminate()
        process.wait(timeout=20)

    lines = out.read_text(encoding="ascii").splitlines()
    records = [json.loads(line) for line in lines]  # every line, the app's logs included
    access = [r for r in records if r.get("name") == "gunicorn.access"]
    assert all(list(r) == FIELDS for r in access)
    logged = [(r["path"], r["agent"], r["status"]) for r in access if r["agent"] != "readiness"]
    expected = [
        ("/robots.txt" if target == "/robots.txt" else '/tidak-ada/"}\\', agent, status)
        for target, agent, status in sent
    ]
    assert logged == expected
    assert {status for *_, status in sent} == {200, 404}
    queries = {r["query"] for r in access if r["path"].startswith("/tidak-ada/")}
    assert queries == {"q=%22%5C%22%7D"}


def get(port, target, agent: bytes):
    """GET `target` with `agent` as the User-Agent's raw bytes; the response status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.putheader("User-Agent", agent)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
