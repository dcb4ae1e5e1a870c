"""PNG export of the report's charts, for slides, through headless Chromium (Playwright).

The page is the report itself, opened from a ``file:`` URL with every other request aborted, so
the export works offline and shows exactly what the page shows. Each chart is rendered by
plotly.js's own ``Plotly.toImage`` at a slide size (16:9, 2× scale), not screenshotted.

Chromium is found in this order: ``$ZENGZHI_CHROMIUM``, ``$BROWSER_PATH``, ``chromium``,
``chromium-browser``, ``google-chrome`` on ``$PATH``; failing those, Playwright's own download.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--no-default-browser-check",
)
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
SLIDE_WIDTH = 1280
SLIDE_HEIGHT = 720
SLIDE_SCALE = 2
RENDER_TIMEOUT_MS = 60_000

_TO_IMAGE = """async ([id, width, height, scale]) => {
  const gd = document.getElementById(id);
  return await Plotly.toImage(gd, {format: 'png', width, height, scale});
}"""


class PngExportError(RuntimeError):
    """Chromium is missing or a chart could not be rendered."""


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable, or None (then Playwright's own, if installed)."""
    for var in ("ZENGZHI_CHROMIUM", "BROWSER_PATH"):
        value = os.environ.get(var)
        if value and Path(value).is_file():
            return value
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def offline_page() -> Iterator[tuple[Any, list[str]]]:
    """A headless Chromium page that aborts, and records, every non-local request."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a declared dependency
        raise PngExportError("PNG export needs the 'playwright' package") from exc

    blocked: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(
                executable_path=find_chromium(), args=list(CHROMIUM_ARGS), headless=True
            )
        except PlaywrightError as exc:
            raise PngExportError(
                "cannot start headless Chromium for PNG export; install it (Debian: "
                "apt-get install chromium) or set ZENGZHI_CHROMIUM to its path: "
                f"{str(exc).splitlines()[0]}"
            ) from exc
        try:
            context = browser.new_context(service_workers="block")
            context.route("**/*", route)
            page = context.new_page()
            page.on("websocket", lambda ws: blocked.append(ws.url))
            yield page, blocked
        finally:
            browser.close()


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_pngs(
    html_path: Path,
    charts: Sequence[tuple[str, str]],
    png_dir: Path,
    *,
    width: int = SLIDE_WIDTH,
    height: int = SLIDE_HEIGHT,
    scale: int = SLIDE_SCALE,
) -> list[Path]:
    """Render each ``(element id, file name)`` chart of the page at ``html_path`` to a PNG."""
    png_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with offline_page() as (page, blocked):
        page.goto(html_path.resolve().as_uri(), wait_until="load", timeout=RENDER_TIMEOUT_MS)
        for element_id, file_name in charts:
            page.wait_for_selector(
                f"#{element_id} .main-svg", state="attached", timeout=RENDER_TIMEOUT_MS
            )
            url = page.evaluate(_TO_IMAGE, [element_id, width, height, scale])
            prefix = "data:image/png;base64,"
            if not isinstance(url, str) or not url.startswith(prefix):
                raise PngExportError(f"chart {element_id}: Plotly.toImage gave no PNG")
            path = png_dir / file_name
            _write_atomic(path, base64.b64decode(url[len(prefix) :]))
            written.append(path)
        if blocked:
            raise PngExportError(f"the report tried to load outside resources: {blocked[:5]}")
    return written


def screenshot_page(
    html_path: Path, out_png: Path, *, width: int = 1280, height: int | None = None
) -> Path:
    """Screenshot the rendered report (all charts drawn) for docs: the whole page, or its top
    ``height`` pixels. Raises ``PngExportError`` if the page tried to load anything outside."""
    with offline_page() as (page, blocked):
        page.set_viewport_size({"width": width, "height": height or 900})
        page.goto(html_path.resolve().as_uri(), wait_until="load", timeout=RENDER_TIMEOUT_MS)
        page.wait_for_function(
            "[...document.querySelectorAll('.plotly-graph-div')]"
            ".every(gd => gd.querySelector('.main-svg'))",
            timeout=RENDER_TIMEOUT_MS,
        )
        if blocked:
            raise PngExportError(f"the report tried to load outside resources: {blocked[:5]}")
        out_png.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(out_png, page.screenshot(full_page=height is None, type="png"))
    return out_png
