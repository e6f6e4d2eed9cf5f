"""Run code in a Jupyter server's kernel over its websocket, as a browser would (legacy JSON protocol).

Used by the Binder configuration test (a message bigger than tornado's default limit) and the hub tests (a user's
own kernel saving work and trying to read another user's)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import urllib.request
import uuid
from dataclasses import dataclass, field


@dataclass
class Outcome:
    status: str | None = None          # execute_reply status: "ok" / "error"; None if the socket closed first
    stdout: str = ""
    error: str = ""                    # ename: evalue of an error, if any
    closed: str = ""                   # why the socket closed early, if it did
    outputs: list = field(default_factory=list)


def start_kernel(base: str, token: str) -> str:
    """POST {base}/api/kernels; returns the kernel id."""
    req = urllib.request.Request(f"{base}/api/kernels", data=b"{}", method="POST",
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())["id"]


def _message(code: str, session: str) -> tuple[str, str]:
    msg_id = uuid.uuid4().hex
    return msg_id, json.dumps({
        "header": {"msg_id": msg_id, "username": "npq-test", "session": session, "msg_type": "execute_request",
                   "version": "5.3", "date": dt.datetime.now(dt.timezone.utc).isoformat()},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    })


async def _execute(ws_url: str, token: str, code: str, timeout: float) -> Outcome:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    conn = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": f"token {token}"},
                                                       connect_timeout=timeout, request_timeout=timeout),
                                   max_message_size=256 * 1024 * 1024)
    msg_id, payload = _message(code, uuid.uuid4().hex)
    out = Outcome()
    try:
        await conn.write_message(payload)
        replied = idle = False
        while not (replied and idle):
            raw = await asyncio.wait_for(conn.read_message(), timeout)
            if raw is None:
                out.closed = f"closed by the server (code {conn.close_code}, {conn.close_reason!r})"
                return out
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "execute_reply":
                out.status, replied = content["status"], True
                if content["status"] == "error":
                    out.error = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "stream" and content.get("name") == "stdout":
                out.stdout += content["text"]
            elif kind == "error":
                out.error = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "status" and content.get("execution_state") == "idle":
                idle = True
    finally:
        conn.close()
    return out


def execute(base: str, token: str, kernel_id: str, code: str, timeout: float = 60) -> Outcome:
    """Run ``code`` in the kernel behind ``base`` (an http:// server URL, e.g. http://127.0.0.1:N/user/ada)."""
    ws_url = base.replace("http://", "ws://", 1) + f"/api/kernels/{kernel_id}/channels"
    return _run(_execute(ws_url, token, code, timeout))


def _run(coro):
    """asyncio.run, also from a test whose thread already runs an event loop (Playwright's sync API leaves one
    running in the pytest session): then the coroutine runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class KernelChannel:
    """One open websocket to a kernel (``/api/kernels/<id>/channels``), speaking the Jupyter messaging protocol as a
    page does: send on a channel, read every message the kernel sends (binary frames with buffers included).

    Used by bench/load.py, whose light visitors open a Voila page over HTTP and then talk to its kernel — widget
    states, the workbook key, a button click — with no browser."""

    def __init__(self, conn, session: str):
        self.conn = conn
        self.session = session

    @classmethod
    async def open(cls, ws_url: str, headers: dict[str, str] | None = None, timeout: float = 60) -> "KernelChannel":
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        session = uuid.uuid4().hex
        sep = "&" if "?" in ws_url else "?"
        conn = await websocket_connect(HTTPRequest(f"{ws_url}{sep}session_id={session}", headers=headers or {},
                                                   connect_timeout=timeout, request_timeout=timeout),
                                       max_message_size=256 * 1024 * 1024)
        return cls(conn, session)

    async def send(self, channel: str, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        await self.conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": "npq-bench", "session": self.session, "msg_type": msg_type,
                       "version": "5.3", "date": dt.datetime.now(dt.timezone.utc).isoformat()},
            "parent_header": {}, "metadata": metadata or {}, "channel": channel, "buffers": [],
            "content": content,
        }))
        return msg_id

    async def comm_msg(self, comm_id: str, data: dict) -> str:
        return await self.send("shell", "comm_msg", {"comm_id": comm_id, "data": data})

    async def recv(self, timeout: float) -> dict | None:
        """The next message (None once the socket is closed). Binary frames (messages with buffers) are decoded:
        a count n, n offsets (big-endian uint32), the JSON message, then its buffers."""
        raw = await asyncio.wait_for(self.conn.read_message(), timeout)
        if raw is None:
            return None
        if isinstance(raw, bytes):
            import struct

            n = struct.unpack("!I", raw[:4])[0]
            offsets = list(struct.unpack(f"!{n}I", raw[4:4 + 4 * n])) + [len(raw)]
            msg = json.loads(raw[offsets[0]:offsets[1]].decode("utf-8"))
            msg["buffers"] = [raw[offsets[i]:offsets[i + 1]] for i in range(1, n)]
            return msg
        return json.loads(raw)

    def close(self) -> None:
        self.conn.close()
