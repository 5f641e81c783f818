"""gunicorn configuration: `gunicorn -c jakres/gunicorn.py jakres.wsgi`.

Every value can be changed from the environment without editing this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Pages are CPU-bound: one synchronous worker per core gave the best tail latency
# in bench/ (more workers or threads only fight over the cores). Slow clients are
# the reverse proxy's or load balancer's job, which buffers them.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycling workers (GUNICORN_MAX_REQUESTS) bounds a slow leak, but drops the
# keep-alive connections of the recycled worker; off unless asked for.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Behind a load balancer or reverse proxy that sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True

# Logs on stdout as JSON lines, like the application's own.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "name": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_us": %(D)s, "agent": "%(a)s"}'
)
