"""Where and how the UI may listen: loopback by default, auth required anywhere else."""

from __future__ import annotations

import ipaddress
import socket

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
