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
