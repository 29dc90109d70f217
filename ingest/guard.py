"""Where a fetch may connect: the SSRF guard, applied to the address actually connected to.

httpx resolves host names itself just before connecting, so a check made earlier (on a name)
can be undone by DNS that answers differently the second time (rebinding). The guard is
therefore an httpcore network backend: it resolves the name once (or takes the address from
settings.fetch_resolve, like curl's --resolve), refuses non-public addresses unless the host
is explicitly permitted, connects to exactly the address it checked, and confirms the peer.
httpx has no hook for this besides a custom network backend, hence the hand-written class.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import typing

import certifi
import httpcore
import httpx

from assistant.settings import Settings


class HostRefused(Exception):
    """A connection the guard will not make; `reason` says why, for the user."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """'' for a public address, else what it is (the words a user can look up)."""
    for attr, word in (("is_loopback", "loopback"), ("is_link_local", "link-local"),
                       ("is_private", "private"), ("is_multicast", "multicast"),
                       ("is_unspecified", "unspecified"), ("is_reserved", "reserved")):
        if getattr(address, attr):
            return word
    return ""


class AddressGuard:
    """Resolves and checks a host the same way for a pre-flight check and for the connect."""

    def __init__(self, settings: Settings):
        self.allow_all = settings.fetch_allow_private
        self.permitted = {h.lower() for h in settings.fetch_private_hosts}
        self.resolve_map = {k.lower(): v for k, v in settings.fetch_resolve.items()}

    def addresses(self, host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        host = host.lower().strip("[]")
        if host in self.resolve_map:
            return [ipaddress.ip_address(self.resolve_map[host])]
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        try:
            infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        except socket.gaierror as exc:
            raise HostRefused(f"host {host} does not resolve ({exc.strerror})") from exc
        seen: dict = {}
        for info in infos:
            seen.setdefault(ipaddress.ip_address(info[4][0].split("%")[0]), None)
        return list(seen)

    def is_permitted(self, host: str, port: int) -> bool:
        host = host.lower().strip("[]")
        return self.allow_all or host in self.permitted or f"{host}:{port}" in self.permitted

    def check(self, host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        """The addresses `host` may be reached at; HostRefused if any is non-public and the
        host is not permitted (a name with one private address is not safe to use)."""
        found = self.addresses(host, port)
        if not self.is_permitted(host, port):
            for address in found:
                kind = _kind(address)
                if kind:
                    raise HostRefused(
                        f"host {host} resolves to a non-public address ({address}, {kind}); "
                        "list it in MISSION_FETCH_PRIVATE_HOSTS (or set "
                        "MISSION_FETCH_ALLOW_PRIVATE=true) to allow")
        return found


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, connecting only to addresses the guard approved."""

    def __init__(self, guard: AddressGuard):
        self.guard = guard
        self.inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: typing.Iterable | None = None) -> httpcore.NetworkStream:
        addresses = self.guard.check(host, port)
        last: Exception | None = None
        for address in addresses:
            try:
                stream = self.inner.connect_tcp(str(address), port, timeout=timeout,
                                                local_address=local_address,
                                                socket_options=socket_options)
            except httpcore.ConnectError as exc:
                last = exc
                continue
            peer = stream.get_extra_info("socket").getpeername()[0]
            if ipaddress.ip_address(peer.split("%")[0]) != address:  # pragma: no cover
                stream.close()
                raise HostRefused(f"connected to {peer}, not the checked {address}")
            return stream
        raise last or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, *args, **kwargs):  # pragma: no cover - never used for URLs
        raise HostRefused("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool that uses the guarded backend. TLS still
    verifies the certificate against the URL's host name (httpcore passes it as SNI)."""

    def __init__(self, settings: Settings):
        super().__init__(retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
            max_connections=1,  # one request at a time per client: polite by construction
            network_backend=GuardedBackend(AddressGuard(settings)),
        )
