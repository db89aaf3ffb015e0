"""A small reverse proxy that plays NAIS's ingress in front of the web instances (make prod).

It terminates TLS (a certificate made for 127.0.0.1 and localhost at start), forwards each
request to the next web instance that accepts a connection (round robin; an instance that
refuses is skipped for a few seconds, and a request is only ever tried elsewhere when nothing
of it was sent), and sets the headers the ingress sets:

- ``X-Forwarded-For``: the client's address appended to what the client sent, as ingress-nginx
  does (``$proxy_add_x_forwarded_for``); the application trusts only the last entry
  (one trusted proxy), so a client cannot pick its own address;
- ``X-Forwarded-Proto: https`` and ``X-Forwarded-Host``.

Like the ``nav.no`` and ``ansatt.nav.no`` ingresses it answers 404 itself for any path that
holds ``/internal``, ``/metrics`` or ``/actuator``: those are for the kubelet and Prometheus.

One request per client connection (``Connection: close``), which keeps the framing trivial and
is plenty for a demo and a test. Each request is logged as one JSON line (no query string, and
the representatives' link tokens cut off) with the instance that served it.
"""

import argparse
import asyncio
import datetime
import itertools
import json
import ssl
import sys
import time
from pathlib import Path

BLOCKED = ("/internal", "/metrics", "/actuator")
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}
MAX_HEAD = 64 * 1024
DOWN_SECONDS = 5.0
UPSTREAM_TIMEOUT = 120.0


def certificate_make(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for a week."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "navpanel make prod")])
    now = datetime.datetime.now(datetime.UTC)
    import ipaddress

    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "proxy.crt", directory / "proxy.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def _log(**fields: object) -> None:
    fields["time"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")
    fields.setdefault("logger", "proxy")
    print(json.dumps(fields), flush=True)


def _loggable(path: str) -> str:
    """The path without its query, and a link's token cut off (``/r/plass/…``)."""
    path = path.split("?", 1)[0]
    if path.startswith("/r/"):
        return "/".join(path.split("/")[:3]) + "/…"
    return path


def _simple(status: int, reason: str) -> bytes:
    body = f"{status} {reason}\n".encode()
    return (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


class Proxy:
    def __init__(self, upstreams: list[tuple[str, int]]) -> None:
        self.upstreams = upstreams
        self.turn = itertools.cycle(range(len(upstreams)))
        self.down_until = [0.0] * len(upstreams)

    def _order(self) -> list[int]:
        """Every instance once, starting with the next in turn; those that just refused last."""
        first = next(self.turn)
        order = [(first + n) % len(self.upstreams) for n in range(len(self.upstreams))]
        now = time.monotonic()
        return sorted(order, key=lambda i: self.down_until[i] > now)

    async def _connect(self) -> tuple[int, asyncio.StreamReader, asyncio.StreamWriter] | None:
        for index in self._order():
            host, port = self.upstreams[index]
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(host, port), timeout=3
                )
            except (OSError, TimeoutError):
                self.down_until[index] = time.monotonic() + DOWN_SECONDS
                continue
            return index, reader, writer
        return None

    async def handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        started = time.monotonic()
        peer = client_w.get_extra_info("peername")[0]
        method = path = "-"
        status = 0
        upstream = None
        try:
            try:
                head = await asyncio.wait_for(client_r.readuntil(b"\r\n\r\n"), timeout=30)
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, path, _version = lines[0].split(" ", 2)
            headers = [tuple(line.split(":", 1)) for line in lines[1:] if ":" in line]
            headers = [(name.strip(), value.strip()) for name, value in headers]
            names = {name.lower(): value for name, value in headers}
            if any(blocked in path.split("?", 1)[0] for blocked in BLOCKED):
                status = 404
                client_w.write(_simple(404, "Not Found"))
                return
            if "chunked" in names.get("transfer-encoding", "").lower():
                status = 411
                client_w.write(_simple(411, "Length Required"))
                return
            body = await client_r.readexactly(int(names.get("content-length", "0") or 0))
            forwarded_for = ", ".join(
                part for part in (names.get("x-forwarded-for", ""), peer) if part
            )
            outgoing = [
                (name, value)
                for name, value in headers
                if name.lower() not in HOP_BY_HOP
                and not name.lower().startswith("x-forwarded-")
                and name.lower() != "forwarded"
            ]
            outgoing += [
                ("X-Forwarded-For", forwarded_for),
                ("X-Forwarded-Proto", "https"),
                ("X-Forwarded-Host", names.get("host", "")),
                ("Connection", "close"),
            ]
            request = f"{method} {path} HTTP/1.1\r\n" + "".join(
                f"{name}: {value}\r\n" for name, value in outgoing
            )
            connected = await self._connect()
            if connected is None:
                status = 502
                client_w.write(_simple(502, "Bad Gateway"))
                return
            index, up_r, up_w = connected
            upstream = f"{self.upstreams[index][0]}:{self.upstreams[index][1]}"
            try:
                up_w.write(request.encode("latin-1") + b"\r\n" + body)
                await up_w.drain()
                first = await asyncio.wait_for(up_r.readuntil(b"\r\n"), UPSTREAM_TIMEOUT)
                status = int(first.split(b" ", 2)[1])
                client_w.write(first)
                while chunk := await asyncio.wait_for(up_r.read(65536), UPSTREAM_TIMEOUT):
                    client_w.write(chunk)
                    await client_w.drain()
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError, IndexError):
                # The instance died or hung mid-request: a 502 if the client has nothing yet.
                if status == 0:
                    status = 502
                    client_w.write(_simple(502, "Bad Gateway"))
                else:
                    status = -status
            finally:
                up_w.close()
        except (OSError, ValueError):
            pass
        finally:
            if method != "-":
                _log(
                    peer=peer,
                    method=method,
                    path=_loggable(path),
                    upstream=upstream,
                    status=status,
                    ms=round((time.monotonic() - started) * 1000, 1),
                )
            try:
                await client_w.drain()
                client_w.close()
            except OSError:
                pass


async def serve(listen: tuple[str, int], upstreams: list[tuple[str, int]], tls: Path) -> None:
    cert, key = certificate_make(tls)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    proxy = Proxy(upstreams)
    server = await asyncio.start_server(
        proxy.handle, listen[0], listen[1], ssl=context, limit=MAX_HEAD, backlog=512
    )
    _log(message=f"proxy listening on https://{listen[0]}:{listen[1]}", upstreams=upstreams)
    async with server:
        await server.serve_forever()


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=_address, required=True)
    parser.add_argument("--upstream", type=_address, action="append", required=True)
    parser.add_argument("--tls-dir", type=Path, required=True)
    arguments = parser.parse_args()
    try:
        asyncio.run(serve(arguments.listen, arguments.upstream, arguments.tls_dir))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
