#!/usr/bin/env python3
"""A fault-injecting HTTP proxy on 127.0.0.1 for the S3 tests.

It forwards each request to an upstream S3 server (moto) and, at random with a fixed seed,
instead:
  - answers 500 InternalError or 503 SlowDown without forwarding   (--error-rate)
  - forwards, then cuts the connection in the middle of the reply   (--cut-rate)
  - drops the connection after reading the request, answering nothing (--drop-rate)
  - waits up to --delay-ms before forwarding                        (--delay-rate)
GET /__stats answers the counts as JSON (not forwarded), so tests can check that faults
really happened; GET /__set?error-rate=1.0&... changes the rates while running. The first line printed on stdout is the port it listens on.

Usage: fault_proxy.py --upstream 127.0.0.1:PORT [--port 0] [--error-rate 0.2] ...
Only the standard library is used.
"""
import argparse
import asyncio
import json
import random
import sys

STATS = {"requests": 0, "forwarded": 0, "errors": 0, "cuts": 0, "drops": 0, "delays": 0}

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


def reply(status, reason, body):
    return (b"HTTP/1.1 %d %s\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n"
            b"Connection: close\r\n\r\n" % (status, reason, len(body))) + body


async def handle(reader, writer, args, rng):
    try:
        try:
            head, body = await read_request(reader)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            return
        if head.startswith(b"GET /__set?"):
            # Changes the fault rates at run time: GET /__set?error-rate=1.0&cut-rate=0
            query = head.split(b" ", 2)[1].split(b"?", 1)[1].decode()
            for pair in query.split("&"):
                name, _, value = pair.partition("=")
                setattr(args, name.replace("-", "_"), float(value))
            writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            await writer.drain()
            return
        if head.startswith(b"GET /__stats "):
            data = json.dumps(STATS).encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                         % len(data) + data)
            await writer.drain()
            return
        STATS["requests"] += 1
        roll = rng.random()
        if roll < args.error_rate:
            STATS["errors"] += 1
            if rng.random() < 0.5:
                writer.write(reply(503, b"Slow Down", SLOWDOWN))
            else:
                writer.write(reply(500, b"Internal Server Error", INTERNAL))
            await writer.drain()
            return
        roll -= args.error_rate
        if roll < args.drop_rate:
            STATS["drops"] += 1
            return  # close without a word
        roll -= args.drop_rate
        cut = roll < args.cut_rate
        if rng.random() < args.delay_rate:
            STATS["delays"] += 1
            await asyncio.sleep(rng.uniform(0, args.delay_ms) / 1000.0)

        up_reader, up_writer = await asyncio.open_connection(args.upstream_host, args.upstream_port)
        up_writer.write(with_connection_close(head) + body)
        await up_writer.drain()
        response = await up_reader.read()  # upstream closes after one answer
        up_writer.close()
        STATS["forwarded"] += 1
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
            return
        writer.write(response)
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--upstream", required=True, help="host:port of the real server")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--error-rate", type=float, default=0.0)
    p.add_argument("--cut-rate", type=float, default=0.0)
    p.add_argument("--drop-rate", type=float, default=0.0)
    p.add_argument("--delay-rate", type=float, default=0.0)
    p.add_argument("--delay-ms", type=float, default=100.0)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    args.upstream_host, _, port = args.upstream.rpartition(":")
    args.upstream_port = int(port)
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
