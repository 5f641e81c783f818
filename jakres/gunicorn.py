"""gunicorn configuration: `gunicorn -c jakres/gunicorn.py jakres.wsgi`.

Every value can be changed from the environment without editing this file.
"""

import json
import multiprocessing
import os
import traceback

from gunicorn.glogging import Logger

from jakres.core.scrub import ScrubSecretLinks, scrub

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


class JsonAccessLogger(Logger):
    """gunicorn's logger, with access log lines made by a JSON encoder (not a format
    string with quotes around the values), so that a quote, backslash or control
    character in the user agent, path or query cannot break a line or add a field.
    Non-ASCII text is escaped (\\uXXXX): every line is ASCII, whatever reads it.
    The tokens of live-capture links are scrubbed from the path (jakres/core/scrub.py)."""

    def setup(self, cfg):
        super().setup(cfg)
        # gunicorn's own error lines name the request ("Error handling request /…").
        self.error_log.addFilter(ScrubSecretLinks())

    def access(self, resp, req, environ, request_time):
        cfg = self.cfg  # logged when gunicorn's own access() would log
        to_syslog = cfg.syslog and not cfg.disable_redirect_access_to_syslog
        configured = cfg.logconfig or cfg.logconfig_dict or cfg.logconfig_json
        if not (cfg.accesslog or configured or to_syslog):
            return
        try:
            atoms = self.atoms(resp, req, environ, request_time)
            status = str(atoms["s"])
            line = {
                "time": atoms["t"],
                "name": "gunicorn.access",
                "remote": atoms["h"],
                "method": atoms["m"],
                "path": scrub(atoms["U"]),  # no secret capture link in the log
                "query": atoms["q"],
                "status": int(status) if status.isdigit() else status,
                "bytes": atoms["B"],  # None when nothing was sent
                "duration_us": atoms["D"],
                "agent": atoms["a"],
            }
            self.access_log.info("%s", json.dumps(line, default=str))
        except Exception:
            self.error(traceback.format_exc())


logger_class = JsonAccessLogger
