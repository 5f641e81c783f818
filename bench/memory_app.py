"""The fastest a WSGI app can answer under jakres's gunicorn settings: the proceedings
page's bytes, read once from the file named by JAKRES_BENCH_BODY and returned from
memory for every request. bench/run.py reports each scenario as a ratio to it.

With JAKRES_BENCH_HEADERS (a JSON file of [name, value] pairs: the headers of the
cached page), it sends those headers instead of the two minimal ones: gunicorn checks
every header in Python, so this line shows what the page's own headers (the security
headers among them) cost the server, apart from the application's work."""

import json
import os

with open(os.environ["JAKRES_BENCH_BODY"], "rb") as body_file:
    BODY = body_file.read()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]
if os.environ.get("JAKRES_BENCH_HEADERS"):
    with open(os.environ["JAKRES_BENCH_HEADERS"], encoding="utf-8") as headers_file:
        HEADERS = [(name, value) for name, value in json.load(headers_file)]


def application(environ, start_response):
    start_response("200 OK", list(HEADERS))
    return [BODY]
