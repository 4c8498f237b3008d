"""Several workbook servers on this machine behind nginx: `workbook serve --workers N`.

One Voilà process carries every page's traffic on one CPU core. Here N of them ("workers")
listen on loopback ports, and nginx, in front of them, listens on the clinic network, with
HTTPS when there is a certificate (`workbook.serving.proxy` says how it routes). This process watches
them all:

- a worker that stops is started again on its port (its pages have ended: their kernels
  stopped with it, and nginx answers their requests with 404 until it is back, then the new
  worker does); new pages go to the others meanwhile;
- if nginx stops, everything stops, so that systemd (or whoever started it) sees it;
- SIGTERM or SIGINT stops nginx and the workers, which end their kernels.

Every worker's log lines carry its number. The processes themselves (nginx's program, one
worker) are in `workbook.serving.processes`.
"""

from __future__ import annotations

import math
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from workbook.content import load_content
from workbook.serving.capacity import default_max_patients
from workbook.serving.pages import error_page, message_page
from workbook.serving.processes import (
    Worker,
    WorkersError,
    answers,
    end_with_parent,
    find_nginx,
    free_loopback_port,
    how_it_ended,
    log,
)
from workbook.serving.proxy import main_config
from workbook.serving.proxy_site import Certificate, ProxyConfigError, local_site
from workbook.serving.settings import ServeSettings, default_places_per_address

# How long a worker may take to answer after it starts (its pool is filled in the background).
READY_SECONDS = 120
# Waits before a stopped worker is started again: growing when it keeps stopping, that is,
# when it stops within STEADY_SECONDS of its start.
RESTART_DELAYS = (1, 2, 5, 10, 30)
STEADY_SECONDS = 300
STOP_SECONDS = 20


@dataclass(frozen=True, slots=True)
class Split:
    """How the machine's places and pool are shared between the workers."""

    max_patients: int
    pool_size: int
    places_per_address: int


def split(settings: ServeSettings, workers: int) -> Split:
    """Each worker's share of `--max-patients` (the whole machine's), of the pool, and of the
    places one client address may hold (nginx spreads one address's pages over the workers).

    Raises:
        WorkersError: too few places for each worker to hold its pool and one page.
    """
    total = settings.max_patients if settings.max_patients is not None else default_max_patients()
    pool = math.ceil(settings.pool_size / workers) if settings.pool_size > 0 else 0
    share = total // workers
    if share < pool + 1:
        raise WorkersError(
            f"{total} places for {workers} workers leave {share} each, fewer than a pool of {pool} "
            f"and one page: raise --max-patients or lower --workers"
        )
    per_address = settings.places_per_address or default_places_per_address(total)
    return Split(max_patients=share, pool_size=pool, places_per_address=math.ceil(per_address / workers))


class Workers:
    """The workers and nginx, started, watched and stopped together."""

    def __init__(
        self, settings: ServeSettings, *, workers: int, idle_minutes: float,
        certificate: Certificate | None = None, http_port: int | None = None,
    ) -> None:
        self.nginx_program = find_nginx()
        if certificate is not None:
            certificate.check()
        self.share = split(settings, workers)
        self.public = settings
        cookie_secret = secrets.token_hex(32)  # new at every start, as a single server's
        self.workers = [
            Worker(
                number,
                replace(settings, host="127.0.0.1", port=free_loopback_port(),
                        max_patients=self.share.max_patients, pool_size=self.share.pool_size,
                        places_per_address=self.share.places_per_address),
                idle_minutes,
                cookie_secret,
            )
            for number in range(1, workers + 1)
        ]
        self.site = local_site(
            [w.settings.port for w in self.workers], host=settings.host, port=settings.port,
            certificate=certificate, http_port=http_port, server_names=settings.server_names,
            unavailable_page=message_page(load_content(settings.data_dir).page, base_url="/"),
            error_page=error_page(load_content(settings.data_dir).page, base_url="/"),
        )
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="workbook-nginx-"))
        # nginx's own processes may run as another user (nobody) when started by root.
        self.runtime_dir.chmod(0o711)
        self.config_file = self.runtime_dir / "nginx.conf"
        try:
            self.config_file.write_text(main_config(self.site, runtime_dir=self.runtime_dir), encoding="utf-8")
        except ProxyConfigError:  # a temporary folder nginx cannot take: nothing is left behind
            shutil.rmtree(self.runtime_dir, ignore_errors=True)
            raise
        self.nginx: subprocess.Popen | None = None
        self._stop = False

    @property
    def url(self) -> str:
        scheme = "https" if self.site.certificate else "http"
        if self.public.server_names:
            host = self.public.server_names[0]
        elif self.public.host in ("127.0.0.1", "0.0.0.0", "::"):
            host = "localhost"
        else:
            host = f"[{self.public.host}]" if ":" in self.public.host else self.public.host
        port = "" if self.public.port == {"https": 443, "http": 80}[scheme] else f":{self.public.port}"
        return f"{scheme}://{host}{port}/"

    def _nginx(self, *args: str) -> list[str]:
        # -e: nginx's own messages before it reads the configuration go to standard error too.
        return [self.nginx_program, "-e", "stderr", "-p", str(self.runtime_dir), "-c", str(self.config_file), *args]

    def check_config(self) -> None:
        result = subprocess.run(self._nginx("-t", "-q"), capture_output=True, text=True)
        if result.returncode != 0:
            raise WorkersError("nginx refused its configuration: " + " ".join(result.stderr.split()))

    def run(self) -> int:
        """Start everything, watch it until a signal or nginx stops; returns the exit status."""
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        try:
            self.check_config()
            for worker in self.workers:
                worker.start()
            self._wait_until_ready()
            if self._stop:
                return 0
            self.nginx = subprocess.Popen(
                self._nginx("-g", "daemon off;"), start_new_session=True, preexec_fn=end_with_parent,
            )
            log(
                f"serving {self.url} with {len(self.workers)} workers "
                f"({', '.join(w.address for w in self.workers)}), up to {self.share.max_patients} "
                f"patients and a pool of {self.share.pool_size} each"
            )
            return self._watch()
        except WorkersError as error:
            log(str(error))
            return 1
        finally:
            self._stop_all()

    def _on_signal(self, signum, _frame) -> None:
        self._stop = True

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        waiting = list(self.workers)
        while waiting and not self._stop:
            for worker in list(waiting):
                status = worker.stopped()
                if status is not None:
                    raise WorkersError(f"worker {worker.number} stopped while starting ({how_it_ended(status)})")
                if answers(worker.settings.port):
                    waiting.remove(worker)
            if time.monotonic() > deadline:
                raise WorkersError(f"workers did not answer within {READY_SECONDS} s")
            time.sleep(0.2)

    def _watch(self) -> int:
        while not self._stop:
            status = self.nginx.poll()
            if status is not None:
                log(f"nginx stopped ({how_it_ended(status)}); stopping the workers")
                return 1
            now = time.monotonic()
            for worker in self.workers:
                if worker.restart_at is not None:
                    if now >= worker.restart_at:
                        worker.restart_at = None
                        worker.start()
                        log(f"worker {worker.number} ({worker.address}) started again")
                    continue
                status = worker.stopped()
                if status is None:
                    continue
                if now - worker.started_at > STEADY_SECONDS:  # it ran well: a fresh count
                    worker.restarts = 0
                delay = RESTART_DELAYS[min(worker.restarts, len(RESTART_DELAYS) - 1)]
                worker.restarts += 1
                worker.restart_at = now + delay
                log(
                    f"worker {worker.number} ({worker.address}) stopped ({how_it_ended(status)}): "
                    f"its pages have ended; new pages go to the other workers; "
                    f"starting it again in {delay} s"
                )
            time.sleep(0.2)
        return 0

    def _stop_all(self) -> None:
        running = [p for p in [self.nginx, *(w.process for w in self.workers)] if p and p.poll() is None]
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # nginx's graceful stop
        for worker in self.workers:
            if worker.process is not None and worker.process.poll() is None:
                worker.process.terminate()  # Voilà ends its kernels
        deadline = time.monotonic() + STOP_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.runtime_dir, ignore_errors=True)


def serve_workers(
    settings: ServeSettings, *, workers: int, idle_minutes: float,
    certificate: Certificate | None, http_port: int | None,
) -> int:
    """Run `workbook serve --workers N` (or with a certificate); returns the exit status."""
    try:
        group = Workers(
            settings, workers=workers, idle_minutes=idle_minutes,
            certificate=certificate, http_port=http_port,
        )
    except (WorkersError, ProxyConfigError) as error:
        log(str(error))
        return 1
    return group.run()
