#!/usr/bin/env python3
"""A tiny hostile "S3" server on 127.0.0.1 for the S3 client's limits (no moto needed).

Every request gets the answer of one --mode:
  list-endless       ListObjectsV2 pages that are always truncated, with fresh tokens and
                     ever larger keys
  list-repeat-token  truncated pages that always hand out the same continuation token
  list-backwards     truncated pages with fresh tokens that replay the same keys
  list-empty         truncated pages with fresh tokens and no keys at all
  list-too-many      one page with more keys than max-keys asked for
  list-huge          one page far larger than any real page (9 MiB)
  list-doctype       a page with a DOCTYPE that declares entities ("billion laughs")
  list-entities      one honest page whose keys need entities: &amp; &lt; numeric
                     references above 127 (decimal and hex) and raw UTF-8
  object-endless     200 to a GET with a body that never ends (chunked)
  error-endless      404 with an error body that never ends
  headers-endless    header lines without end
The first line printed on stdout is the port. GET /__stats answers {"requests": N}.
Only the standard library is used.
"""
import argparse
import asyncio
import json
import sys
import urllib.parse

STATS = {"requests": 0}

# Keys of the list-entities page, as stored, and how the page spells them.
# In key order, as S3 lists them.
ENTITY_KEYS = [
    ("<x>", "&lt;x&gt;"),
    ("a&b", "a&amp;b"),
    ("caf\u00e9", "caf&#233;"),
    ("na\u00efve-\u20ac", "na\u00efve-\u20ac"),  # raw UTF-8 in the document
    ("quote\"'", "quote&quot;&apos;"),
    ("smile-\U0001F600", "smile-&#x1F600;"),
]


def page(keys, truncated, token=None):
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult '
             'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix>']
    for k in keys:
        parts.append("<Contents><Key>%s</Key><Size>4194304</Size></Contents>" % k)
    parts.append("<IsTruncated>%s</IsTruncated>" % ("true" if truncated else "false"))
    if token is not None:
        parts.append("<NextContinuationToken>%s</NextContinuationToken>" % token)
    parts.append("</ListBucketResult>")
    return "".join(parts).encode()


def answer(status, body, extra=b""):
    reason = {200: b"OK", 404: b"Not Found"}.get(status, b"Whatever")
    return (b"HTTP/1.1 %d %s\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n%s\r\n"
            % (status, reason, len(body), extra)) + body


def list_answer(mode, query):
    token = query.get("continuation-token", ["0"])[0]
    n = int(token) if token.isdigit() else 0
    if mode == "list-endless":
        return answer(200, page(["key-%012d" % n], True, str(n + 1)))
    if mode == "list-repeat-token":
        return answer(200, page(["key-%012d" % n], True, "7"))
    if mode == "list-backwards":
        return answer(200, page(["key-a", "key-b"], True, str(n + 1)))
    if mode == "list-empty":
        return answer(200, page([], True, str(n + 1)))
    if mode == "list-too-many":
        wanted = int(query.get("max-keys", ["1000"])[0])
        return answer(200, page(["key-%06d" % i for i in range(wanted + 1)], False))
    if mode == "list-huge":
        return answer(200, page(["k%09d-%s" % (i, "x" * 900) for i in range(10_000)], False))
    if mode == "list-doctype":
        body = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                b'<ListBucketResult><Contents><Key>&lol2;</Key></Contents>'
                b'<IsTruncated>false</IsTruncated></ListBucketResult>')
        return answer(200, body)
    if mode == "list-entities":
        return answer(200, page([spelled for _, spelled in ENTITY_KEYS], False))
    return None


async def endless(writer, head):
    writer.write(head)
    chunk = b"x" * 65536
    while True:
        writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        await writer.drain()


async def handle(reader, writer, mode):
    try:
        request = await reader.readuntil(b"\r\n\r\n")
        line = request.split(b"\r\n", 1)[0].decode("latin-1")
        method, target, _ = line.split(" ", 2)
        if target.startswith("/__stats"):
            data = json.dumps(STATS).encode()
            writer.write(answer(200, data, b"Connection: close\r\n"))
            await writer.drain()
            return
        STATS["requests"] += 1
        for l in request.split(b"\r\n")[1:]:
            name, _, value = l.partition(b":")
            if name.strip().lower() == b"content-length" and int(value.strip() or 0):
                await reader.readexactly(int(value.strip()))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(target).query)
        if mode.startswith("list-"):
            writer.write(list_answer(mode, query) or answer(404, b""))
        elif mode == "object-endless":
            await endless(writer, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        elif mode == "error-endless":
            await endless(writer, b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n")
        elif mode == "headers-endless":
            writer.write(b"HTTP/1.1 200 OK\r\n")
            i = 0
            while True:
                writer.write(b"X-Filler-%d: %s\r\n" % (i, b"y" * 1000))
                i += 1
                await writer.drain()
        await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mode", required=True)
    args = p.parse_args()
    server = await asyncio.start_server(lambda r, w: handle(r, w, args.mode), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
