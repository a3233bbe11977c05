"""Where and how the UI may listen: loopback by default, auth required anywhere else, logins throttled."""

from __future__ import annotations

import ipaddress
import math
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class UnsafeBindError(ValueError):
    """Refusing to expose the UI beyond this machine without a password."""


def parse_auth(spec: str | None) -> list[tuple[str, str]]:
    """`"user:pass,user2:pass2"` → [("user", "pass"), ("user2", "pass2")]; a password may contain ':'."""
    pairs = []
    for item in (spec or "").split(","):
        item = item.strip()
        if not item:
            continue
        user, sep, password = item.partition(":")
        if not sep or not user.strip() or not password:
            raise ValueError(f"IKC_UI_AUTH entry {user.strip() or item!r} is not of the form user:password")
        pairs.append((user.strip(), password))
    return pairs


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, auth: list[tuple[str, str]]) -> None:
    """Binding to anything but loopback (0.0.0.0, a LAN address, a host name) needs IKC_UI_AUTH."""
    if not is_loopback(host) and not auth:
        raise UnsafeBindError(
            f"binding to {host} would expose the UI to the network; set IKC_UI_AUTH=user:password "
            "(or bind to 127.0.0.1)"
        )


def free_port(host: str = "127.0.0.1") -> int:
    """An unused TCP port on `host` (for tests and `--port 0`)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class LoginThrottle:
    """Back-off per client after repeated wrong passwords (50 guesses took 0.36 s before; issue 16).

    After `max_failures` failures in a row a client must wait `backoff_s`, doubling with every further
    failure up to `backoff_max_s`; while it waits every login attempt is refused, the right password
    too. A success clears the client's record. At most `MAX_CLIENTS` clients are remembered (the
    longest-idle are forgotten), so many addresses cannot grow the table without bound.
    """

    MAX_CLIENTS = 10_000

    def __init__(self, max_failures: int = 5, backoff_s: float = 2.0, backoff_max_s: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max(1, max_failures)
        self.backoff_s = backoff_s
        self.backoff_max_s = backoff_max_s
        self._clock = clock
        self._state: OrderedDict[str, tuple[int, float]] = OrderedDict()  # client → (failures in a row, blocked until)
        self._lock = threading.Lock()

    def wait_for(self, client: str) -> float:
        """Seconds this client must still wait before it may try a password (0: it may now)."""
        with self._lock:
            _, until = self._state.get(client, (0, 0.0))
            return max(0.0, until - self._clock())

    def failed(self, client: str) -> None:
        with self._lock:
            failures = self._state.pop(client, (0, 0.0))[0] + 1
            until = 0.0
            if failures >= self.max_failures:
                delay = min(self.backoff_s * 2 ** (failures - self.max_failures), self.backoff_max_s)
                until = self._clock() + delay
            self._state[client] = (failures, until)
            while len(self._state) > self.MAX_CLIENTS:
                self._state.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._state.pop(client, None)


class LoginThrottleMiddleware:
    """ASGI middleware in front of Gradio's `POST /login`: 429 with Retry-After while a client waits.

    The client is the peer address uvicorn reports, which is the real client behind a reverse proxy
    on the same machine (uvicorn trusts X-Forwarded-For from 127.0.0.1; see docs/deploy.md).
    """

    def __init__(self, app, throttle: LoginThrottle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope, receive, send) -> None:
        if scope.get("type") != "http" or scope.get("method") != "POST" \
                or not scope.get("path", "").rstrip("/").endswith("/login"):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown",))[0]
        wait = self.throttle.wait_for(client)
        if wait > 0:
            from starlette.responses import JSONResponse

            seconds = math.ceil(wait)
            response = JSONResponse({"detail": f"Too many failed logins: try again in {seconds} s."},
                                    status_code=429, headers={"Retry-After": str(seconds)})
            await response(scope, receive, send)
            return
        status: dict[str, int] = {}

        async def capture(message) -> None:
            if message.get("type") == "http.response.start":
                status["code"] = message.get("status", 0)
            await send(message)

        await self.app(scope, receive, capture)
        if status.get("code") == 200:
            self.throttle.succeeded(client)
        elif status.get("code") in (400, 401, 403):
            self.throttle.failed(client)


def login_throttle_middleware(settings):
    """The middleware entry for `FastAPI(middleware=[…])`, configured from the settings."""
    from starlette.middleware import Middleware

    throttle = LoginThrottle(settings.ui_login_max_failures, settings.ui_login_backoff_s, settings.ui_login_backoff_max_s)
    return Middleware(LoginThrottleMiddleware, throttle=throttle)
