"""The fastest a WSGI app can answer under jakres's gunicorn settings: the proceedings
page's bytes, read once from the file named by JAKRES_BENCH_BODY and returned from
memory for every request. bench/run.py reports each scenario as a ratio to it."""

import os

with open(os.environ["JAKRES_BENCH_BODY"], "rb") as body_file:
    BODY = body_file.read()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
