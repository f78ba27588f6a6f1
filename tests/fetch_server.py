"""Test helpers for downloads: a real HTTP server on 127.0.0.1, a synthetic registry, synthetic PDFs.

Import the fixtures into a test module (``from fetch_server import server, ...``). Nothing
here touches the internet: the synthetic registry's official URLs are on ``example.invalid``
(a reserved name that never resolves) and every test fetches through the loopback mirror.
"""

from __future__ import annotations

import ctypes
import hashlib
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

import policylab.sources
from conftest import CORPUS, US_PDF  # noqa: F401 - re-exported for the fetch tests
from conftest import needs_us_pdf as needs_corpus  # noqa: F401

FAST = {"timeout": (1.0, 1.0), "retries": 0, "backoff": 0.01}  # fetch options that keep failing tests short


# --------------------------------------------------------------------------- synthetic documents

_FILLER = ["Alpha beta gamma delta epsilon zeta eta theta iota kappa.",
           "Lambda mu nu xi omicron pi rho sigma tau upsilon phi chi."]


def _text(pdf, page, size: float, x: float, y: float, text: str) -> None:
    obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(size))
    buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
    pdfium_c.FPDFPage_InsertObject(page.raw, obj)


def make_pdf(path: Path, pages: list[list[tuple[float, str]]]) -> Path:
    """A PDF whose pages hold the given (font size, line) pairs, top to bottom."""
    pdf = pdfium.PdfDocument.new()
    for lines in pages:
        page = pdf.new_page(612, 792)
        y = 720.0
        for size, text in lines:
            _text(pdf, page, size, 72, y, text)
            y -= size * 1.4
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    pdf.save(str(path))
    pdf.close()
    return path


def make_plan_pdf(path: Path, title: str = "Synthetic Test Plan") -> Path:
    """A small PDF the PDF reader accepts: a cover, then two parts with invented filler text."""
    body = [(11, line) for line in _FILLER]
    return make_pdf(path, [[(28, title)],
                           [(24, "Pillar I: Testing Things")] + body + [(18, "A Section Heading")] + body,
                           [(24, "Pillar II: More Things")] + body])


def make_flat_pdf(path: Path) -> Path:
    """A PDF with text but no headings: read as two flat paragraphs, too short for a plan."""
    return make_pdf(path, [[(11, line) for line in _FILLER * 3]])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- registry

_ENTRY = """\
  - plan_id: {plan_id}
    language: {language}
    original: {original}
    country: XXX
    title_en: Test plan {plan_id}
    title_original: Test plan {plan_id}
    producer: Nobody
    date_published: "2025-01-01"
    document_type: action plan
    url_main: https://example.invalid/{plan_id}
    url_download: https://example.invalid/files/{filename}
    format: pdf
    sha256: {sha256}
    license: test
    citation: test
"""


@pytest.fixture(scope="session")
def plan_pdfs(tmp_path_factory) -> dict[str, bytes]:
    """Bytes of synthetic documents: three distinct valid plans, a flat PDF and a text file.

    "a" is the registered file of xx-known-2025, so it is refused as the file of any other plan."""
    folder = tmp_path_factory.mktemp("pdfs")
    return {"a": make_plan_pdf(folder / "a.pdf", "Synthetic Plan A").read_bytes(),
            "b": make_plan_pdf(folder / "b.pdf", "Synthetic Plan B").read_bytes(),
            "c": make_plan_pdf(folder / "c.pdf", "Synthetic Plan C").read_bytes(),
            "flat": make_flat_pdf(folder / "flat.pdf").read_bytes(),
            "text": b"Just a note, not a plan.\n"}


@pytest.fixture
def fake_registry(tmp_path, monkeypatch, plan_pdfs):
    """Replace the registry with synthetic plans:

    - xx-known-2025: hash recorded (the bytes of plan_pdfs["a"]), file plan-a.pdf
    - xx-tofu-2025: no hash (trust on first use), file plan-b.pdf
    - xx-multi-2025: zh-Hans original (multi-zh.pdf) and an en edition (multi-en.pdf), no hashes
    """
    entries = [("xx-known-2025", "en", "true", "plan-a.pdf", sha256(plan_pdfs["a"])),
               ("xx-tofu-2025", "en", "true", "plan-b.pdf", "null"),
               ("xx-multi-2025", "zh-Hans", "true", "multi-zh.pdf", "null"),
               ("xx-multi-2025", "en", "false", "multi-en.pdf", "null")]
    fields = ("plan_id", "language", "original", "filename", "sha256")
    path = tmp_path / "sources.yaml"
    path.write_text("version: 1\nsources:\n" + "".join(_ENTRY.format(**dict(zip(fields, e, strict=True))) for e in entries), encoding="utf-8")
    sources = policylab.sources.read_registry(path)
    monkeypatch.setattr(policylab.sources, "registry", lambda: sources)
    return sources


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    """An empty data home, set through $POLICYLAB_DATA; no mirror from the environment."""
    home = tmp_path / "home"
    monkeypatch.setenv("POLICYLAB_DATA", str(home))
    monkeypatch.delenv("POLICYLAB_MIRROR", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return home


def files_in(folder: Path) -> list[str]:
    """Every file under a folder, hidden ones (partial downloads) included, as relative paths."""
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- HTTP server


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0  # seconds before answering
    truncate_to: int | None = None  # announce the full length, send this many bytes, hang up
    redirect: str | None = None  # path to redirect to (302)
    fail_times: int = 0  # answer 500 this many times first
    headers: list[tuple[str, str]] | None = None  # send these headers instead of the usual ones
    endless: bool = False  # send the body again and again, without a Content-Length
    drip: float = 0.0  # send the body one byte at a time, this many seconds apart


class FileServer:
    """A threaded HTTP server on 127.0.0.1 serving routes set by the test; it counts requests."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                name = self.path.lstrip("/")
                owner.requests.append(name)
                route = owner.routes.get(name)
                if route is None:
                    return self._send(404, b"not found")
                if route.fail_times > 0:
                    route.fail_times -= 1
                    return self._send(500, b"server error")
                if route.delay:
                    time.sleep(route.delay)
                if route.redirect:
                    self.send_response(302)
                    self.send_header("Location", route.redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if route.truncate_to is not None:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body[:route.truncate_to])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return None
                if route.headers is not None or route.endless or route.drip:
                    return self._stream(route)
                return self._send(route.status, route.body)

            def _stream(self, route):
                self.send_response(route.status)
                default = [] if route.endless else [("Content-Length", str(len(route.body)))]
                for name, value in default if route.headers is None else route.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.close_connection = True
                try:
                    while route.endless:
                        self.wfile.write(route.body)
                    for byte in route.body if route.drip else [route.body]:
                        self.wfile.write(bytes([byte]) if route.drip else byte)
                        self.wfile.flush()
                        time.sleep(route.drip)
                except OSError:
                    pass  # the client gave up

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):  # a client that gave up: not news
                pass

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, name: str, body: bytes = b"", **options) -> str:
        self.routes[name] = Route(body=body, **options)
        return f"{self.url}/{name}"

    def count(self, name: str) -> int:
        return self.requests.count(name)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = FileServer()
    yield srv
    srv.stop()


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
