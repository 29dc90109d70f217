"""A scripted OpenAI-compatible (and Ollama /api/chat) server on 127.0.0.1, for tests.

It replays fixed completions in order (the last one repeats), records every request (JSON body
and headers) and can be slow or fail on purpose. Real HTTP on a real socket, so the real
llama-index/openai/ollama clients run unchanged, including SSE and NDJSON streaming.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    text: str = ""
    delay_s: float = 0.0  # wait before answering (the slow-endpoint case)
    status: int = 200
    respond: Callable[[dict], str] | None = None  # computes the text from the request body


def free_port() -> int:
    """A port nothing listens on (bound then released), for the connection-refused case too."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pieces(text: str) -> list[str]:
    """Split like a tokenizer would: small deltas, whitespace kept, so joining restores text."""
    words = text.split(" ")
    return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        fake = self.server.fake
        with fake.lock:
            fake.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
            reply = fake.replies[min(len(fake.requests), len(fake.replies)) - 1]
        if reply.delay_s:
            fake.released.wait(reply.delay_s)  # stop() cuts the wait short
        if reply.status != 200:
            return self._send(reply.status, "application/json",
                              json.dumps({"error": {"message": "scripted failure"}}).encode())
        ollama = self.path.startswith("/api/")
        text = reply.respond(body) if reply.respond else reply.text
        if body.get("stream"):
            return self._stream(text, body.get("model", "m"), ollama)
        if ollama:
            payload = {"model": body.get("model"), "created_at": "2024-01-01T00:00:00Z",
                       "message": {"role": "assistant", "content": text}, "done": True,
                       "done_reason": "stop"}
        else:
            payload = {"id": "cmpl-1", "object": "chat.completion", "created": int(time.time()),
                       "model": body.get("model", "m"),
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": text}}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
        self._send(200, "application/json", json.dumps(payload).encode())

    def _send(self, status: int, ctype: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, text: str, model: str, ollama: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson" if ollama else "text/event-stream")
        self.send_header("Connection", "close")  # end of body = end of connection, no chunking
        self.end_headers()
        self.close_connection = True
        for piece in _pieces(text):
            if ollama:
                event = {"model": model, "created_at": "2024-01-01T00:00:00Z",
                         "message": {"role": "assistant", "content": piece}, "done": False}
                line = json.dumps(event) + "\n"
            else:
                event = {"id": "cmpl-1", "object": "chat.completion.chunk", "created": 0,
                         "model": model, "choices": [{"index": 0, "finish_reason": None,
                                                      "delta": {"content": piece}}]}
                line = f"data: {json.dumps(event)}\n\n"
            self.wfile.write(line.encode())
            self.wfile.flush()
        if ollama:
            done = {"model": model, "created_at": "2024-01-01T00:00:00Z",
                    "message": {"role": "assistant", "content": ""}, "done": True,
                    "done_reason": "stop"}
            self.wfile.write((json.dumps(done) + "\n").encode())
        else:
            end = {"id": "cmpl-1", "object": "chat.completion.chunk", "created": 0, "model": model,
                   "choices": [{"index": 0, "finish_reason": "stop", "delta": {}}]}
            self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: "FakeLLMServer"

    def handle_error(self, request, client_address) -> None:
        pass  # a client that timed out and hung up is expected here, not a test failure


class FakeLLMServer:
    """Use as a context manager: `with FakeLLMServer([Reply("... [1]")]) as srv: srv.url`."""

    def __init__(self, replies: list[Reply | str]):
        self.replies = [r if isinstance(r, Reply) else Reply(r) for r in replies] or [Reply()]
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.released = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Base URL for the OpenAI-compatible backend; Ollama's is `root`."""
        return f"{self.root}/v1"

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "FakeLLMServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
