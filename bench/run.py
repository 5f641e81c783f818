#!/usr/bin/env python3
"""jakres benchmark harness: `python3 bench/run.py` (or `make bench`).

It sets up PostgreSQL with the 26 Sept 2018 workshop plus a generated dataset (300
events, 15,000 conclusions), runs gunicorn with production settings and Redis, and
measures with wrk, on this one machine:

  - the proceedings page uncached, cached, and as a 304 revalidation;
  - the event list and a search (uncached);
  - the ceiling: the same proceedings HTML as a static file, served by whitenoise
    from the same gunicorn.

It prints a table with requests per second, p50 and p99 latency, errors, and each
rate's ratio to the static file's, and checks the targets. `--load` instead runs the
60-second, 64-connection load test over a mix of public pages.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
RESULTS = ROOT / "bench" / "results"
# The servers, unless DATABASE_URL (a postgres:// URL) and REDIS_URL name others. The
# harness creates a database of its own on that server and a key prefix of its own in
# that Redis, and removes only those when it is done: it never drops a database or
# flushes a Redis database it did not create.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
EVENT_PATH = "/events/lokakarya-perdana-program-prioritas-2018-09-26/"
STATIC_COPY = "bench/proceedings.html"
# Pages measured with the page cache off (every request rendered).
UNCACHED = {
    "proceedings, uncached": EVENT_PATH,
    "home, uncached": "/",
    "event list, uncached": "/events/?page=3",
    "focus area, uncached": "/focus-areas/3/",
    "search typical (banjir), uncached": "/search/?q=banjir",
    "search worst case (all conclusions), uncached": "/search/?q=ketahanan+kota",
}


def database_server_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_DATABASE_URL


def with_database(url, name):
    """The same server URL, naming another database."""
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def psql(url, sql):
    return subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


class Workspace:
    """A database and a Redis key prefix that this run creates, and removes at the end."""

    def __init__(self, label="bench"):
        token = secrets.token_hex(4)
        self.server = database_server_url()
        self.name = f"jakres_{label}_{token}"
        self.database_url = with_database(self.server, self.name)
        self.redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
        self.prefix = f"{label}-{token}"

    def __enter__(self):
        psql(with_database(self.server, "postgres"), f'CREATE DATABASE "{self.name}"')
        print(f"+ created database {self.name}", flush=True)
        return self

    def __exit__(self, *exc):
        psql(
            with_database(self.server, "postgres"),
            f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
        )
        keys = subprocess.run(
            ["redis-cli", "-u", self.redis_url, "--scan", "--pattern", f"{self.prefix}*"],
            capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        for start in range(0, len(keys), 500):
            subprocess.run(["redis-cli", "-u", self.redis_url, "DEL", *keys[start : start + 500]],
                           capture_output=True)  # fmt: skip
        print(f"+ dropped database {self.name} and {len(keys)} Redis keys of {self.prefix}")


def sh(*args, env=None, check=True, quiet=False):
    if not quiet:
        print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run(
        [str(a) for a in args], cwd=ROOT, env=env, check=check, text=True, capture_output=quiet
    )


def ensure_services():
    """wrk, and the local PostgreSQL and Redis when no other servers are named."""
    if shutil.which("wrk") is None:
        sh("apt-get", "install", "-y", "-qq", "wrk")
    database, redis = database_server_url(), os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    local = database == DEFAULT_DATABASE_URL and redis.startswith("redis://127.0.0.1:6379/")
    for _ in range(30):
        ready = subprocess.run(["pg_isready", "-d", database, "-q"]).returncode == 0
        if (
            ready
            and subprocess.run(["redis-cli", "-u", redis, "ping"], capture_output=True).returncode
            == 0
        ):
            return
        if local and not ready and os.path.isdir("/etc/postgresql"):
            version = sorted(os.listdir("/etc/postgresql"))[0]
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"])
        if local and subprocess.run(["redis-cli", "ping"], capture_output=True).returncode != 0:
            subprocess.run(["redis-server", "--daemonize", "yes", "--port", "6379", "--save", ""])
        time.sleep(1)
    sys.exit(f"PostgreSQL ({database}) or Redis ({redis}) does not answer")


def environment(workspace, **extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jakres.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": workspace.database_url,
        "REDIS_URL": workspace.redis_url,
        "JAKRES_CACHE_PREFIX": workspace.prefix,
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "0",
        **extra,
    }


def prepare(env, *, events, conclusions):
    sh("python3", "dev.py", "manage", "--version", quiet=True)  # creates .venv if needed
    sh(PYTHON, "manage.py", "setup_portal", "-v0", env=env)
    sh(
        PYTHON,
        "manage.py",
        "generate_bench_data",
        "--events",
        events,
        "--conclusions",
        conclusions,
        env=env,
    )
    sh(PYTHON, "manage.py", "collectstatic", "--noinput", "-v0", env=env)


class Server:
    """gunicorn with jakres/gunicorn.py, serving jakres (or another WSGI app)."""

    def __init__(self, env, port, app=("jakres.wsgi",)):
        self.env, self.port, self.app = env, port, app
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "jakres/gunicorn.py", "--bind", f"127.0.0.1:{self.port}",
             *self.app],
            cwd=ROOT, env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2)
                return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGINT)  # quick shutdown; wrk's sockets may linger
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def get(self, path, headers=None):
        request = urllib.request.Request(self.url + path, headers=headers or {})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()


def wrk(url, *, connections, duration, headers=(), script=None):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for header in headers:
        args += ["-H", header]
    if script:
        args += ["-s", str(ROOT / script)]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(output):
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = {
        p: _ms(v, u)
        for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    }
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    return {
        "rate": rate,
        "p50": percentiles.get("50"),
        "p99": percentiles.get("99"),
        "socket_errors": socket_errors,
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "requests": total,
        "raw": output,
    }


def benchmark(args):
    ensure_services()
    with Workspace() as workspace:
        env = environment(workspace)
        prepare(env, events=args.events, conclusions=args.conclusions)
        results = measure(env, args)
    report, ok = summary(results, args)
    print("\n" + report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(report + "\n", encoding="utf-8")
    return 0 if ok else 1


def measure(env, args):
    """wrk's results for each scenario, after the two references: the proceedings bytes
    returned from memory by a minimal WSGI app, and as a static file by whitenoise, both
    under the same gunicorn settings."""
    port = args.port
    results = {}
    with Server(env, port) as server:
        status, _headers, html = server.get(EVENT_PATH)
        assert status == 200
        cached = server.get(EVENT_PATH)[1]  # the headers of a cached hit
    static_file = ROOT / "staticfiles" / STATIC_COPY
    static_file.parent.mkdir(parents=True, exist_ok=True)
    static_file.write_bytes(html)  # whitenoise indexes static files when it starts
    headers_file = ROOT / "staticfiles" / "bench-headers.json"
    hop = {"server", "date", "connection"}  # gunicorn's own
    headers_file.write_text(json.dumps([[k, v] for k, v in cached.items() if k.lower() not in hop]))

    c, d = args.connections, args.duration
    memory = {**env, "JAKRES_BENCH_BODY": str(static_file)}
    app = ("--pythonpath", "bench", "memory_app:application")
    with Server(memory, port, app=app) as server:
        results["same bytes from memory (minimal WSGI app)"] = wrk(
            server.url + "/", connections=c, duration=d
        )
    with Server({**memory, "JAKRES_BENCH_HEADERS": str(headers_file)}, port, app=app) as server:
        results["same bytes and headers from memory"] = wrk(
            server.url + "/", connections=c, duration=d
        )
    with Server(env, port) as server:
        server.get(EVENT_PATH)  # warm the page cache
        etag = server.get(EVENT_PATH)[1]["ETag"]
        assert server.get("/static/" + STATIC_COPY)[0] == 200
        results["static file (whitenoise)"] = wrk(
            server.url + "/static/" + STATIC_COPY, connections=c, duration=d
        )
        results["proceedings, cached"] = wrk(server.url + EVENT_PATH, connections=c, duration=d)
        results["proceedings, cached, Brotli"] = wrk(
            server.url + EVENT_PATH, connections=c, duration=d, headers=["Accept-Encoding: br"]
        )
        sizes = transfer_sizes(server)
        results["proceedings, 304"] = wrk(
            server.url + EVENT_PATH, connections=c, duration=d, headers=[f"If-None-Match: {etag}"]
        )
    uncached = {**env, "JAKRES_PAGE_CACHE_SECONDS": "0"}
    with Server(uncached, port) as server:
        server.get(EVENT_PATH)
        for name, path in UNCACHED.items():
            results[name] = wrk(server.url + path, connections=c, duration=d)
    with Server(env, port) as server:  # the PDF: made once, then from the cache
        started = time.monotonic()
        server.get(EVENT_PATH + "proceedings.pdf")
        first_pdf = (time.monotonic() - started) * 1000
        results["proceedings PDF, cached"] = wrk(
            server.url + EVENT_PATH + "proceedings.pdf", connections=c, duration=d
        )
    results["sizes"] = sizes
    results["notes"] = [f"PDF of the proceedings, first request (made): {first_pdf:.0f} ms"]
    return results


def transfer_sizes(server):
    """Bytes of each page as sent: plain, gzip and Brotli."""
    pages = {"proceedings": EVENT_PATH, "home": "/", "event list": "/events/",
             "focus area": "/focus-areas/1/", "search": "/search/?q=banjir"}  # fmt: skip
    sizes = {}
    for name, path in pages.items():
        sizes[name] = [
            len(server.get(path, {"Accept-Encoding": encoding})[2])
            for encoding in ("identity", "gzip", "br")
        ]
    return sizes


def summary(results, args):
    """(the Markdown report, whether every check passed)."""
    c, d = args.connections, args.duration
    sizes, notes = results.pop("sizes"), results.pop("notes")
    ceiling = results["static file (whitenoise)"]["rate"]
    memory = results["same bytes from memory (minimal WSGI app)"]["rate"]
    lines = [
        f"wrk: 2 threads, {c} connections, {d} s per row; gunicorn {os.cpu_count()} cores, "
        f"production settings, PostgreSQL, Redis; {args.events} generated events, "
        f"{args.conclusions} conclusions",
        "",
        "| scenario | req/s | p50 ms | p99 ms | errors | × static | × from memory |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        errors = r["socket_errors"] + r["non_2xx_3xx"]
        lines.append(
            f"| {name} | {r['rate']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {errors} | "
            f"{r['rate'] / ceiling:.2f} | {r['rate'] / memory:.2f} |"
        )
    checks = [
        ("cached proceedings ≥ 0.7 × static", results["proceedings, cached"]["rate"] >= 0.7 * ceiling),
        ("cached proceedings ≥ 0.8 × from memory", results["proceedings, cached"]["rate"] >= 0.8 * memory),
        ("uncached proceedings p99 < 100 ms", results["proceedings, uncached"]["p99"] < 100),
        ("worst-case search ≥ 150 req/s uncached",
         results["search worst case (all conclusions), uncached"]["rate"] >= 150),
        ("0 errors", all(r["socket_errors"] + r["non_2xx_3xx"] == 0 for n, r in results.items()
                         if n != "proceedings, 304")),
        ("304s are all 304", results["proceedings, 304"]["non_2xx_3xx"] == 0),
    ]  # fmt: skip
    lines += ["", "| page (cached) | bytes | gzip | Brotli |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {name} | {a:,} | {b:,} | {c:,} |" for name, (a, b, c) in sizes.items()]
    lines += ["", *notes]
    lines += [""] + [f"- {'PASS' if ok else 'FAIL'}: {label}" for label, ok in checks]
    return "\n".join(lines), all(ok for _, ok in checks)


def load_test(args):
    ensure_services()
    with Workspace() as workspace:
        env = environment(workspace)
        prepare(env, events=args.events, conclusions=args.conclusions)
        with Server(env, args.port) as server:
            result = wrk(
                server.url, connections=64, duration=args.load_seconds, script="bench/mix.lua"
            )
    print(result["raw"])
    ok = result["socket_errors"] == 0 and result["non_2xx_3xx"] == 0 and result["requests"] > 0
    print(
        f"load: {result['requests']} requests in {args.load_seconds} s at 64 connections, "
        f"{result['rate']:.0f} req/s, p99 {result['p99']:.1f} ms, "
        f"{result['socket_errors']} socket errors, {result['non_2xx_3xx']} non-2xx/3xx: "
        f"{'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--conclusions", type=int, default=15000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--load", action="store_true", help="run the 60 s, 64-connection load test")
    parser.add_argument("--load-seconds", type=int, default=60)
    args = parser.parse_args()
    sys.exit(load_test(args) if args.load else benchmark(args))


if __name__ == "__main__":
    main()
