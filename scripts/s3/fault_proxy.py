#!/usr/bin/env python3
"""A fault-injecting HTTP proxy on 127.0.0.1 for the S3 tests.

It forwards each request to an upstream S3 server (moto) and, at random with a fixed seed,
instead:
  - answers 500 InternalError or 503 SlowDown without forwarding   (--error-rate;
    --error-status fixes the status, --retry-after adds that header to 503 and 429)
  - forwards, then cuts the connection in the middle of the reply   (--cut-rate)
  - drops the connection after reading the request, answering nothing (--drop-rate)
  - forwards (the server applies the request), then closes the connection without a
    word: the answer is lost                                         (--lose-rate)
  - forwards, then answers 500 InternalError instead of the real answer (--fail-after-rate)
  - waits up to --delay-ms before forwarding                        (--delay-rate)
  - removes If-Match and If-None-Match from every request, as a server that ignores
    conditional requests would (--strip-conditions; only against a server that does not
    check signatures, since those headers are signed)
--match REGEX limits faults to requests whose head (request line and headers) matches,
e.g. '(?i)\r\nif-(none-)?match:' for conditional PUTs; --fault-limit N stops injecting
after N faults. With --keep-alive a client connection serves many exchanges (as real
servers do), so a lost answer hits a reused connection, which curl silently resends on.
GET /__stats answers the counts as JSON (not forwarded), so tests can check that faults
really happened; GET /__set?error-rate=1.0&... changes the rates while running. The first
line printed on stdout is the port it listens on.

Usage: fault_proxy.py --upstream 127.0.0.1:PORT [--port 0] [--error-rate 0.2] ...
Only the standard library is used.
"""
import argparse
import asyncio
import json
import random
import re
import sys

STATS = {"requests": 0, "forwarded": 0, "errors": 0, "cuts": 0, "drops": 0, "delays": 0,
         "losses": 0, "fail_afters": 0}

SLOWDOWN = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
            b'<Message>Please reduce your request rate.</Message></Error>')
INTERNAL = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
            b'<Message>We encountered an internal error. Please try again.</Message></Error>')


async def read_request(reader):
    """Returns (head bytes, body bytes) or None at EOF."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return head, body


def with_connection_close(head):
    """Rewrites the request head so upstream closes after answering (one exchange each)."""
    lines = [l for l in head.split(b"\r\n") if l and not l.lower().startswith(b"connection:")]
    return b"\r\n".join(lines) + b"\r\nConnection: close\r\n\r\n"


def reply(status, reason, body, extra=b""):
    return (b"HTTP/1.1 %d %s\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n"
            b"%sConnection: close\r\n\r\n" % (status, reason, len(body), extra)) + body


def error_reply(args, rng):
    status = int(args.error_status) or (503 if rng.random() < 0.5 else 500)
    extra = b""
    if args.retry_after and status in (503, 429):
        extra = b"Retry-After: %s\r\n" % args.retry_after.encode()
    if status == 500:
        return reply(500, b"Internal Server Error", INTERNAL, extra)
    return reply(status, b"Slow Down" if status == 503 else b"Too Many Requests", SLOWDOWN, extra)


def kept_alive(response, head):
    """The upstream answer (read to EOF) reframed for a persistent connection: no
    Connection header, and a Content-Length when the body was delimited by EOF."""
    header_end = response.find(b"\r\n\r\n")
    if header_end < 0:
        return response
    lines = response[:header_end].split(b"\r\n")
    body = response[header_end + 4:]
    names = [l.split(b":", 1)[0].strip().lower() for l in lines[1:]]
    kept = [lines[0]] + [l for l, n in zip(lines[1:], names) if n != b"connection"]
    status = int(lines[0].split(b" ")[1])
    if (b"content-length" not in names and b"transfer-encoding" not in names
            and not head.startswith(b"HEAD ") and status not in (204, 304)):
        kept.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(kept) + b"\r\n\r\n" + body


async def forward(args, head, body):
    up_reader, up_writer = await asyncio.open_connection(args.upstream_host, args.upstream_port)
    up_writer.write(with_connection_close(head) + body)
    await up_writer.drain()
    response = await up_reader.read()  # upstream closes after one answer
    up_writer.close()
    STATS["forwarded"] += 1
    return response


def without_conditions(head):
    """The request head without If-Match / If-None-Match lines."""
    lines = head.split(b"\r\n")
    kept = [l for l in lines if not re.match(rb"(?i)if-(none-)?match:", l)]
    return b"\r\n".join(kept)


def fault_allowed(args, head):
    if args.fault_limit >= 0 and args.faults_done >= args.fault_limit:
        return False
    return args.match is None or re.search(args.match.encode(), head) is not None


async def handle(reader, writer, args, rng):
    try:
        while await exchange(reader, writer, args, rng) and args.keep_alive:
            pass
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def exchange(reader, writer, args, rng):
    """Serves one request; True if the connection may serve another."""
    try:
        head, body = await read_request(reader)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return False
    if head.startswith(b"GET /__set?"):
        # Changes the fault settings at run time: GET /__set?error-rate=1.0&cut-rate=0
        query = head.split(b" ", 2)[1].split(b"?", 1)[1].decode()
        for pair in query.split("&"):
            name, _, value = pair.partition("=")
            setattr(args, name.replace("-", "_"), float(value))
        writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        await writer.drain()
        return False
    if head.startswith(b"GET /__stats "):
        data = json.dumps(STATS).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                     % len(data) + data)
        await writer.drain()
        return False
    STATS["requests"] += 1
    # The dice are rolled for every request (so a seed gives the same sequence whatever
    # --match selects); a fault happens only where allowed.
    roll = rng.random()
    allowed = fault_allowed(args, head)

    def take(rate):
        nonlocal roll
        hit = roll < rate
        roll -= rate
        if not hit:
            return False
        roll = float("inf")  # one roll picks at most one fault
        if allowed:
            args.faults_done += 1
        return allowed

    if take(args.error_rate):
        STATS["errors"] += 1
        writer.write(error_reply(args, rng))
        await writer.drain()
        return False
    if take(args.drop_rate):
        STATS["drops"] += 1
        return False  # close without a word
    lose = take(args.lose_rate)
    fail_after = not lose and take(args.fail_after_rate)
    cut = not lose and not fail_after and take(args.cut_rate)
    if rng.random() < args.delay_rate:
        STATS["delays"] += 1
        await asyncio.sleep(rng.uniform(0, args.delay_ms) / 1000.0)

    if args.strip_conditions:
        head = without_conditions(head)
    response = await forward(args, head, body)
    if lose:
        STATS["losses"] += 1
        return False  # applied upstream; the answer never comes back
    if fail_after:
        STATS["fail_afters"] += 1
        writer.write(reply(500, b"Internal Server Error", INTERNAL))
        await writer.drain()
        return False
    if cut and len(response) > 64:
        STATS["cuts"] += 1
        # Part of the body (or, for a bodiless answer such as a PUT's, part of the
        # headers: the request took effect but the client never learns it), then the
        # connection dies.
        header_end = response.find(b"\r\n\r\n") + 4
        if len(response) > header_end:
            keep = header_end + (len(response) - header_end) // 2
        else:
            keep = len(response) // 2
        writer.write(response[:keep])
        await writer.drain()
        writer.transport.abort()
        return False
    writer.write(kept_alive(response, head) if args.keep_alive else response)
    await writer.drain()
    return True


async def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--upstream", required=True, help="host:port of the real server")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--error-rate", type=float, default=0.0)
    p.add_argument("--cut-rate", type=float, default=0.0)
    p.add_argument("--drop-rate", type=float, default=0.0)
    p.add_argument("--delay-rate", type=float, default=0.0)
    p.add_argument("--delay-ms", type=float, default=100.0)
    p.add_argument("--lose-rate", type=float, default=0.0)
    p.add_argument("--fail-after-rate", type=float, default=0.0)
    p.add_argument("--error-status", type=float, default=0,
                   help="500, 503 or 429 (default: 500 or 503 at random)")
    p.add_argument("--retry-after", default="", help="Retry-After value on 503/429 replies")
    p.add_argument("--match", default=None, help="regex: faults only for matching request heads")
    p.add_argument("--fault-limit", type=float, default=-1, help="stop after N faults (-1: never)")
    p.add_argument("--keep-alive", action="store_true")
    p.add_argument("--strip-conditions", type=float, default=0,
                   help="1: drop If-Match / If-None-Match headers (a server that ignores them)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    args.upstream_host, _, port = args.upstream.rpartition(":")
    args.upstream_port = int(port)
    args.faults_done = 0
    rng = random.Random(args.seed)
    server = await asyncio.start_server(lambda r, w: handle(r, w, args, rng), "127.0.0.1",
                                        args.port, limit=1 << 20)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
