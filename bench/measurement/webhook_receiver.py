"""The fan-out bench's receiving systems: one asyncio HTTP/1.1 server on loopback, in its own
process (so it does not share the worker's interpreter), that checks every request's
Standard Webhooks signature against the secret of the subscription its path names
(``/s/<n>``), answers 204 (401 when the signature is wrong) and keeps counts, read with
``GET /count``.

Run: ``python bench/measurement/webhook_receiver.py <port> <secrets.json>``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import sys

COUNTS = {"ok": 0, "bad": 0}


def _check(keys: list[bytes], path: str, headers: dict[str, str], body: bytes) -> bool:
    try:
        key = keys[int(path.rsplit("/", 1)[1])]
    except (ValueError, IndexError):
        return False
    signed = f"{headers.get('webhook-id')}.{headers.get('webhook-timestamp')}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(expected, s) for s in headers.get("webhook-signature", "").split()
    )


async def _serve(
    keys: list[bytes], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _version = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            if method == "GET":
                text = json.dumps(COUNTS).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(text), text))
            elif _check(keys, path, headers, body):
                COUNTS["ok"] += 1
                writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
            else:
                COUNTS["bad"] += 1
                writer.write(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port: int, secrets_file: str) -> None:
    with open(secrets_file) as fh:
        keys = [base64.b64decode(s.removeprefix("whsec_")) for s in json.load(fh)]
    server = await asyncio.start_server(lambda r, w: _serve(keys, r, w), "127.0.0.1", port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
