"""A static server for a built site, answering the way GitHub Pages does.

- Serves `root` at the server root (the site's site_url has the root path).
- `/dir` redirects to `/dir/`, and `/dir/` serves `/dir/index.html`.
- A missing path gets the root `404.html` with status 404 (GitHub Pages ignores the
  per-language copies: overrides/404.html forwards the visitor to them by script).
- Threaded, bound to 127.0.0.1 on a free port, silent; used by the browser tests and by
  `python3 dev.py audit` (tools/audit.py).
- With gzip=True, text files are sent gzip-compressed to clients that accept it, as GitHub
  Pages does (the audit measures transferred bytes and load time with it).

    with serve(site_dir) as base_url:   # "http://127.0.0.1:PORT/"
        ...
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator


class _Handler(SimpleHTTPRequestHandler):
    # Real hosts send these types; Python's table lacks a few, depending on the platform.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".json": "application/json",
                      ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json",
                      ".xml": "application/xml", ".txt": "text/plain"}

    compress = False
    COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map")

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and not (path / "index.html").is_file():
            return self._not_found()
        if not path.exists():
            return self._not_found()
        if path.is_dir() and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # the redirect to the slashed URL
        file = path / "index.html" if path.is_dir() else path
        if (self.compress and file.suffix in self.COMPRESSED
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(file.read_bytes(), compresslevel=6)
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", self.guess_type(str(file)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def _not_found(self):
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"<h1>404</h1>"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return None
        return io.BytesIO(body)

    def end_headers(self):
        # Every run sees the files of this build, never a cached earlier one.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that closes a connection early (navigation, shutdown) is not an error.
        pass


@contextlib.contextmanager
def serve(root: Path, host: str = "127.0.0.1", port: int = 0, gzip: bool = False) -> Iterator[str]:
    """Serve `root` on host:port (port 0: a free one) for the duration of the block."""
    handler = functools.partial(type("Handler", (_Handler,), {"compress": gzip}), directory=str(root))
    server = _Server((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, name="static-site", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
