"""The simulation report: a self-contained HTML page, zh-CN and English, and PNGs for slides."""

from __future__ import annotations

import json
import os
import re
import struct
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import plotly.offline
import pytest
from report_fixtures import LINT, make_result

from zengzhi.sim import report_png
from zengzhi.sim.report import ResultError, write_report
from zengzhi.sim.report_charts import CHARTS
from zengzhi.sim.report_png import LOCAL_SCHEMES, PngExportError, find_chromium

SECTIONS = (
    "summary",
    "risk",
    "lint",
    "price",
    "pool",
    "exits",
    "cohort-exit",
    "multiples",
    "rewards",
    "after-stop",
    "stuck",
    "config",
)
CHART_IDS = [c.id for c in CHARTS]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def result_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 variants (exit 3× and 2×), 3 runs, 60 days, orders stop after day 40."""
    return make_result(tmp_path_factory.mktemp("result"))


@pytest.fixture(scope="module")
def pages(result_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("report")
    paths = {}
    for lang in ("en", "zh"):
        paths[lang] = out / f"report-{lang}.html"
        write_report(result_dir, paths[lang], lang=lang)
    return paths


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- offline: nothing outside the page --------------------------------------------------------

REMOTE = re.compile(r"^\s*(https?:|//|ftp:|ws:|wss:)", re.IGNORECASE)
RESOURCE_ATTRS = {"src", "href", "srcset", "data", "poster", "action", "xlink:href", "background"}


class _Loads(HTMLParser):
    """Every attribute of the markup that could make a browser fetch something, and every
    inline style (scripts are raw text to the parser, so URL strings inside plotly's code are
    not mistaken for loads)."""

    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []
        self.tags: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in RESOURCE_ATTRS and value and REMOTE.match(value):
                self.remote.append(f"<{tag} {name}={value}>")
            if name == "style" and value:
                self.styles.append(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _loads(html: str) -> _Loads:
    parser = _Loads()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_makes_no_outside_loads(pages: dict[str, Path], lang: str) -> None:
    html = _text(pages[lang])
    found = _loads(html)
    assert found.remote == []
    assert "link" not in found.tags  # no stylesheets, icons or preloads at all
    assert not any(re.search(r"url\(|@import", s, re.IGNORECASE) for s in found.styles)
    # every <script> is inline
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    # a Content-Security-Policy forbids any load the markup might still cause
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_plotly_is_embedded_once(pages: dict[str, Path]) -> None:
    html = _text(pages["en"])
    bundle = plotly.offline.get_plotlyjs()
    assert html.count(bundle[:400]) == 1
    assert html.count("Plotly.newPlot(") == len(CHART_IDS)


# --- content ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sections_and_charts_present(pages: dict[str, Path], lang: str) -> None:
    html = _text(pages[lang])
    for section in SECTIONS:
        assert f'id="{section}"' in html, section
    for chart_id in CHART_IDS:
        assert f'id="{chart_id}"' in html, chart_id


def test_english_summary_has_spec_1_7_numbers(pages: dict[str, Path]) -> None:
    html = _text(pages["en"])
    assert '<html lang="en">' in html
    assert "Not a promise of returns" in html
    assert "If orders stop, the price stops" in html
    # exit price factor 3 / (0.30 × 0.70) = 14.3, and 14.29² ≈ 204 times the sales
    assert "14.3 × p" in html
    assert "204 times the sales" in html
    assert "After the 20% exit fee, an exit pays about 2.4× the spend" in html
    assert "Orders stop after day 40." in html
    assert "Final price: median" in html
    # sweep: both variants, base first
    assert html.index("exit_multiple=2") > html.index(">base<")
    assert "9.5×" in html  # exit factor of the 2× variant: 2 / 0.21


def test_chinese_page(pages: dict[str, Path]) -> None:
    html = _text(pages["zh"])
    assert '<html lang="zh-CN">' in html
    assert "这不是收益承诺" in html
    assert "订单一旦停止，价格也随之停止" in html
    assert "14.3 × p" in html and "204 倍" in html
    assert "盈利池" in html and "出局" in html
    assert "Not a promise of returns" not in html


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lint_findings_table(pages: dict[str, Path], lang: str) -> None:
    html = _text(pages[lang])
    assert html.count('<tr class="finding">') == len(LINT)
    for finding in LINT:
        assert finding["rule"] in html
        message = finding["message_zh"] if lang == "zh" else finding["message_en"]
        other = finding["message_en"] if lang == "zh" else finding["message_zh"]
        # messages are HTML-escaped (one contains < and >)
        assert message.replace("<", "&lt;").replace(">", "&gt;") in html
        assert other.replace("<", "&lt;").replace(">", "&gt;") not in html
    assert "indirect_rate" in html
    assert "《禁止传销条例》第七条" in html
    assert ("错误" if lang == "zh" else ">error<") in html


def test_never_claims_guaranteed_returns(pages: dict[str, Path]) -> None:
    for lang, path in pages.items():
        text = re.sub(r"<script.*?</script>", "", _text(path), flags=re.DOTALL)
        text = re.sub(r"<[^>]+>", " ", text).lower()
        if lang == "en":
            for m in re.finditer(r"guarantee", text):
                window = text[max(0, m.start() - 40) : m.start()]
                assert re.search(r"\b(not|nothing|never|no)\b", window), window
        else:
            for m in re.finditer("保证|稳赚|保本|返本", text):
                assert "不构成" in text[max(0, m.start() - 10) : m.start()], text[m.start() - 20 :]


def test_no_stop_no_plan_no_findings(tmp_path: Path) -> None:
    result = make_result(tmp_path / "r", stop=None, plan=None, lint=[], multiples=(3,), runs=2)
    out = tmp_path / "out.html"
    write_report(result, out)
    html = _text(out)
    assert "Orders continue to the end of the horizon." in html
    assert "Orders never stop in this scenario" in html
    assert 'id="chart-after-stop"' not in html
    assert "no distribution plan" in html
    assert "No findings." in html
    assert html.count("Plotly.newPlot(") == len(CHART_IDS) - 1


def test_exit_disabled(tmp_path: Path) -> None:
    result = make_result(tmp_path / "r", multiples=(0,), runs=2, days=20, stop=None)
    out = tmp_path / "out.html"
    write_report(result, out, lang="zh-CN")
    html = _text(out)
    assert "强制出局已关闭" in html
    assert "× p" not in html


# --- failures leave nothing that looks complete -------------------------------------------------


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_unfinished_result_is_refused(tmp_path: Path, result_dir: Path) -> None:
    out_dir = tmp_path / "out"
    with pytest.raises(ResultError):
        write_report(tmp_path / "missing", out_dir / "r.html")
    partial = tmp_path / "partial"
    make_result(partial, runs=1, days=10, multiples=(3,))
    manifest = json.loads((partial / "manifest.json").read_text())
    (partial / "manifest.json").write_text(json.dumps(dict(manifest, complete=False)))
    with pytest.raises(ResultError, match="not complete"):
        write_report(partial, out_dir / "r.html")
    assert not (out_dir / "r.html").exists()


def test_unknown_language(result_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        write_report(result_dir, tmp_path / "r.html", lang="fr")
    assert _leftovers(tmp_path) == []


def test_failed_png_export_leaves_no_page(
    result_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> list[Path]:
        raise PngExportError("no browser")

    monkeypatch.setattr(report_png, "export_pngs", broken)
    out = tmp_path / "r.html"
    out.parent.mkdir(exist_ok=True)
    with pytest.raises(PngExportError):
        write_report(result_dir, out, png_dir=tmp_path / "png")
    assert _leftovers(tmp_path) == []


def test_existing_report_is_replaced_whole(result_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("old")
    write_report(result_dir, out)
    assert _text(out).startswith("<!DOCTYPE html>")
    assert _leftovers(tmp_path) == ["r.html"]


# --- in a real browser ---------------------------------------------------------------------


def _need_browser() -> None:
    """Browser tests may skip locally when Chromium is missing, never in CI."""
    if find_chromium() is None and os.environ.get("CI") != "true":
        pytest.skip("Chromium not installed (apt-get install chromium); required when CI=true")


def _render_offline(html: Path) -> None:
    """Open a report in headless Chromium, refusing any request that is not local, and check
    that every chart drew something."""
    _need_browser()
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=find_chromium(), args=list(report_png.CHROMIUM_ARGS)
        )
        try:
            page = browser.new_page()
            page.route("**/*", route)
            page.on(
                "request",
                lambda req: None if req.url.startswith(LOCAL_SCHEMES) else outside.append(req.url),
            )
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on(
                "console",
                lambda msg: errors.append(msg.text) if msg.type == "error" else None,
            )
            page.goto(html.as_uri(), wait_until="load")
            for chart_id in CHART_IDS:
                page.wait_for_selector(f"#{chart_id} .plotly .main-svg", timeout=30_000)
            counts = page.evaluate(
                """ids => ids.map(id => [
                    document.querySelectorAll('#' + id + ' .plotly .main-svg').length,
                    document.querySelectorAll('#' + id + ' .plotly path, #' + id
                        + ' .plotly rect').length])""",
                CHART_IDS,
            )
            # nothing on the page leads outside: no "Share chart" upload, no plotly.com logo
            outward = page.evaluate(
                """() => [...document.querySelectorAll('.modebar-btn')]
                    .map(b => b.getAttribute('data-title') || '')
                    .filter(t => /share|cloud|plotly/i.test(t))
                    .concat([...document.querySelectorAll('a[href]')]
                        .map(a => a.getAttribute('href'))
                        .filter(h => !h.startsWith('#')))"""
            )
        finally:
            browser.close()
    assert outside == []
    assert errors == []
    assert outward == []
    for chart_id, (svgs, marks) in zip(CHART_IDS, counts, strict=True):
        assert svgs >= 1, chart_id
        assert marks > 0, chart_id  # something was drawn


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_renders_offline_in_chromium(pages: dict[str, Path], lang: str) -> None:
    _render_offline(pages[lang])


@pytest.mark.browser
def test_example_report_renders_offline(tmp_path: Path) -> None:
    """The acceptance case: a real example scenario, simulated and reported by the CLI."""
    from typer.testing import CliRunner

    from zengzhi.cli import app

    scenario = Path(__file__).resolve().parents[2] / "examples" / "scenarios" / "slump.toml"
    html = tmp_path / "slump.html"
    result = CliRunner().invoke(
        app,
        ["simulate", str(scenario), "--runs", "3", "--workers", "1", "-q",
         "--out", str(tmp_path / "out"), "--report", str(html)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    _render_offline(html)


@pytest.mark.browser
def test_png_export(result_dir: Path, tmp_path: Path) -> None:
    _need_browser()
    png_dir = tmp_path / "png"
    out = tmp_path / "report.html"
    write_report(result_dir, out, png_dir=png_dir)
    assert out.is_file()
    files = sorted(png_dir.iterdir())
    assert [f.name for f in files] == sorted(c.png for c in CHARTS)
    for f in files:
        data = f.read_bytes()
        assert data.startswith(PNG_SIGNATURE), f.name
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (2560, 1440), f.name
        assert len(data) > 20_000, f.name  # a drawn chart, not a blank image
    assert sorted(p.name for p in tmp_path.iterdir()) == ["png", "report.html"]


@pytest.mark.browser
def test_png_export_without_browser_fails_cleanly(
    result_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_png, "find_chromium", lambda: str(tmp_path / "no-chromium"))
    with pytest.raises(PngExportError, match="cannot start headless Chromium"):
        write_report(result_dir, tmp_path / "r.html", png_dir=tmp_path / "png")
    assert not (tmp_path / "r.html").exists()


def test_edge_results_still_render(tmp_path: Path) -> None:
    """One run of one day stopping on day 0; many variants; a variant with no rows."""
    tiny = make_result(tmp_path / "tiny", runs=1, days=1, stop=0, multiples=(3,))
    manifest = json.loads((tiny / "manifest.json").read_text())
    manifest["variants"].append({"index": 7, "label": "empty", "params": {}})
    (tiny / "manifest.json").write_text(json.dumps(manifest))
    write_report(tiny, tmp_path / "tiny.html")
    html = _text(tmp_path / "tiny.html")
    assert 'id="chart-after-stop"' not in html  # no day after the stop
    assert ">empty<" in html
    many = make_result(tmp_path / "many", runs=1, days=5, stop=2, multiples=(3, 2) * 6)
    write_report(many, tmp_path / "many.html", lang="zh")
    assert _text(tmp_path / "many.html").count("Plotly.newPlot(") == len(CHART_IDS)
