"""gunicorn as production runs it, on a free port of 127.0.0.1, and a browser that logs in
as a person does (the log-in form with its CSRF token) and times each page it asks for."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from portal.bench.wsgi import HEADER

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`with Gunicorn(env, workers=3) as server:` gunicorn with the portal's WSGI application
    (counting queries, portal.bench.wsgi) and the environment given; stopped on leaving."""

    def __init__(self, env: dict, *, workers: int, cwd: str):
        self.port = free_port()
        self.workers = workers
        self.env = env
        self.cwd = cwd
        self.process = None

    def __enter__(self) -> "Gunicorn":
        bin_dir = os.path.dirname(sys.executable)
        self.process = subprocess.Popen(
            [os.path.join(bin_dir, "gunicorn"), "portal.bench.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--log-level",
             "warning"], env=self.env, cwd=self.cwd)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.process.returncode}")
            try:
                if Browser(self.port).get("/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    seconds: float
    queries: int | None
    location: str = ""


class Browser:
    """One person's cookies; every request a new connection, as gunicorn's sync workers
    close each one."""

    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.host = host
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: bytes | None = None,
                headers: dict | None = None) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            seconds = time.perf_counter() - started
        finally:
            connection.close()
        for header in response.msg.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        queries = response.getheader(HEADER)
        return Response(response.status, content, seconds,
                        int(queries) if queries is not None else None,
                        response.getheader("Location", ""))

    def get(self, path: str, *, htmx: bool = False) -> Response:
        return self.request("GET", path, headers={"HX-Request": "true"} if htmx else None)

    def login(self, email: str, password: str, path: str = "/account/login/") -> None:
        """The log-in form as a browser posts it; fails loudly unless it leads on."""
        form = self.get(path)
        match = CSRF_INPUT.search(form.body.decode())
        if form.status != 200 or not match:
            raise RuntimeError(f"log-in page answered {form.status} without a CSRF token")
        answer = self.request(
            "POST", path, body=urlencode({"username": email, "password": password,
                                          "csrfmiddlewaretoken": match.group(1)}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        if answer.status != 302 or urlsplit(answer.location).path == path:
            raise RuntimeError(f"{email} could not log in (status {answer.status}); "
                               "is the password right (BENCH_PASSWORD)?")
