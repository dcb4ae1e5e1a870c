"""The simulation report: one self-contained HTML page (works offline), zh-CN or English.

``write_report(result_dir, out_html)`` reads a finished result directory (``daily.parquet``,
``cohorts.parquet``, ``runs.parquet``, ``manifest.json``; see ``zengzhi.sim.tables``) and writes a
page with the plain-language summary of SPEC 1.7 with this scenario's numbers, a risk statement,
the plan's lint findings and the charts (price, pool and points, exits, time to exit by cohort,
1×/2×/3×, rewards by type, after sales stop, value still held). plotly.js is embedded once,
inline; the page loads nothing from outside (a Content-Security-Policy forbids it). With
``png_dir`` each chart is also exported as a PNG for slides (``zengzhi.sim.report_png``).

The page never describes returns as guaranteed: every number is a simulated outcome.
"""

from __future__ import annotations

import math
import os
import tempfile
from html import escape
from pathlib import Path
from typing import Any

from zengzhi.sim.report_charts import CHARTS, Chart, font_stack, short_label
from zengzhi.sim.report_data import (
    Economy,
    Result,
    ResultError,
    VariantStats,
    load_result,
    variant_stats,
)
from zengzhi.sim.report_text import normalize_lang, tr

__all__ = ["ResultError", "render_html", "write_report"]

# No outside loads of any kind: scripts and styles are inline, images are data:/blob: (plotly's
# own image export), nothing may connect anywhere.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)

CSS = """
:root { --ink: #1d232a; --muted: #5b6570; --line: #d9dee3; --risk: #b3261e; --bg: #fafbfc; }
* { box-sizing: border-box; }
body { margin: 0; font-family: FONT; color: var(--ink); background: var(--bg);
  line-height: 1.55; font-size: 15px; }
main { max-width: 1160px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { margin: 8px 0 4px; font-size: 26px; }
.meta { color: var(--muted); font-size: 13px; margin: 0 0 12px; }
.description { margin: 0 0 4px; font-size: 16px; }
nav { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 13px; margin: 8px 0 18px; }
nav a { color: #1f6fb4; text-decoration: none; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 16px 22px; margin: 0 0 18px; }
h2 { font-size: 20px; margin: 4px 0 12px; }
h3 { font-size: 16px; margin: 18px 0 8px; }
.risk { border: 2px solid var(--risk); background: #fff6f5; border-radius: 8px;
  padding: 10px 16px; margin: 6px 0 14px; }
.risk h3 { color: var(--risk); margin: 4px 0 6px; }
.risk p { margin: 4px 0; }
.risk p:first-of-type { font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left;
  vertical-align: top; }
th { background: #f1f4f7; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 12.5px; }
.sev { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  font-weight: 600; color: #fff; white-space: nowrap; }
.sev-error { background: var(--risk); }
.sev-warning { background: #b26a00; }
figure { margin: 0; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.chart { width: 100%; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
@media (max-width: 800px) { .columns { grid-template-columns: 1fr; } }
footer { color: var(--muted); font-size: 13px; text-align: center; margin-top: 12px; }
@media print { section { break-inside: avoid; } nav { display: none; } }
"""

PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    # No "Share chart…" button: it would upload the chart to Plotly Cloud.
    "showSendToCloud": False,
    "plotlyServerURL": "",
    "modeBarButtonsToRemove": ["sendChartToCloud", "sendDataToCloud", "select2d", "lasso2d"],
}


# --- formatting (display only) --------------------------------------------------------------


def _nan(x: float) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _cny(fen: float) -> str:
    if _nan(fen):
        return "—"
    value = fen / 100
    return f"¥{value:,.0f}" if abs(value) >= 1000 else f"¥{value:,.2f}"


def _pct(x: float, signed: bool = False) -> str:
    if _nan(x):
        return "—"
    if 0 < x < 0.001:
        return "<0.1%"
    if 0.999 < x < 1:
        return ">99.9%"
    return f"{x:+.1%}" if signed else f"{x:.1%}"


def _price(x: float) -> str:
    if _nan(x):
        return "—"
    return f"{x:,.2f}" if x >= 1000 else f"{x:,.4f}"


def _count(x: float) -> str:
    return "—" if _nan(x) else f"{x:,.0f}"


def _times(x: float) -> str:
    return "—" if _nan(x) else f"{x:,.1f}×"


def _dec(d: Any) -> str:
    text = format(d.normalize(), "f") if hasattr(d, "normalize") else str(d)
    return text


def _share(d: Any) -> str:
    return f"{float(d):.0%}" if float(d) * 100 == round(float(d) * 100) else f"{float(d):.1%}"


# --- sections -------------------------------------------------------------------------------


def _spec17(e: Economy, lang: str) -> str:
    common = {
        "pool": _dec(e.pool_share),
        "ratio": _dec(e.point_ratio),
        "value": _share(e.value_share),
    }
    parts = [tr("spec17.price", lang)]
    factor = e.exit_factor
    if factor is None:
        parts.append(tr("spec17.no_exit", lang, fee=_share(e.sell_fee), **common))
    else:
        net = float(e.exit_multiple) * (1 - float(e.exit_fee))
        parts.append(
            tr(
                "spec17.exit",
                lang,
                multiple=_dec(e.exit_multiple),
                factor=f"{factor:.1f}",
                factor2=f"{factor * factor:,.0f}",
                fee=_share(e.exit_fee),
                net=f"{net:.2f}".rstrip("0").rstrip("."),
                **common,
            )
        )
        if e.exit_basis == "total_return":
            parts.append(tr("spec17.basis", lang))
    return "".join(f"<p>{escape(p)}</p>" for p in parts)


def _measured(result: Result, s: VariantStats, lang: str) -> str:
    e = result.base.economy
    items: list[str] = []
    if not _nan(s.price_p50):
        items.append(
            tr(
                "m.price",
                lang,
                p50=_price(s.price_p50),
                p5=_price(s.price_p5),
                p95=_price(s.price_p95),
                growth=f"{s.growth:,.1f}",
                p0=_price(float(e.initial_price)),
            )
        )
    items.append(
        tr(
            "m.sales",
            lang,
            sales=_cny(s.sales_fen),
            orders=_count(s.orders),
            members=_count(s.members),
        )
    )
    if s.positions > 0:
        items.append(
            tr(
                "m.exited",
                lang,
                day=result.horizon_days,
                share=_pct(s.share_exited),
                exits=_count(s.exits),
                positions=_count(s.positions_per_run),
            )
        )
        items.append(
            tr(
                "m.open",
                lang,
                share=_pct(s.share_open),
                ratio=_pct(s.stuck_ratio),
                value=_cny(s.stuck_value_fen),
                spend=_cny(s.stuck_spend_fen),
            )
        )
        r1, r2, r3 = s.reached
        items.append(tr("m.reached", lang, r1=_pct(r1), r2=_pct(r2), r3=_pct(r3)))
        m1, m2, m3 = s.members_reached
        if not _nan(m1):
            items.append(tr("m.members_reached", lang, m1=_pct(m1), m2=_pct(m2), m3=_pct(m3)))
        factor = e.exit_factor
        if factor is not None and not _nan(s.price_p50):
            items.append(
                tr(
                    "m.newcomer",
                    lang,
                    target=_price(factor * s.price_p50),
                    limit=_price(s.price_p50 / factor),
                )
            )
    else:
        items.append(tr("m.no_positions", lang))
    if s.stop is not None and not _nan(s.price_at_stop):
        items.append(
            tr(
                "m.after_stop",
                lang,
                day=s.stop,
                p_stop=_price(s.price_at_stop),
                p_end=_price(s.price_p50),
                change=_pct(s.price_p50 / s.price_at_stop - 1, signed=True)
                if s.price_at_stop
                else "—",
                exits=_count(s.exits_after_stop),
                days=max(0, result.horizon_days - 1 - s.stop),
                open=_count(s.open_at_end),
            )
        )
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def _variant_table(result: Result, stats: list[VariantStats], lang: str) -> str:
    head = "".join(f"<th>{escape(short_label(v))}</th>" for v in result.variants)
    rows: list[tuple[str, list[str]]] = [
        (
            "v.params",
            [
                ", ".join(f"{k} = {val}" for k, val in v.params.items()) or "—"
                for v in result.variants
            ],
        ),
        ("v.factor", [_times(v.economy.exit_factor or math.nan) for v in result.variants]),
        ("v.final_price", [_price(s.price_p50) for s in stats]),
        ("v.growth", [_times(s.growth) for s in stats]),
        ("v.sales", [_cny(s.sales_fen) for s in stats]),
        ("v.exited", [_pct(s.share_exited) for s in stats]),
        ("v.open", [_pct(s.share_open) for s in stats]),
        ("v.stuck", [_pct(s.stuck_ratio) for s in stats]),
        ("v.r1", [_pct(s.reached[0]) for s in stats]),
        ("v.r2", [_pct(s.reached[1]) for s in stats]),
        ("v.r3", [_pct(s.reached[2]) for s in stats]),
        (
            "v.rewards",
            [_cny(sum(x for x in s.rewards_fen.values() if not _nan(x))) for s in stats],
        ),
    ]
    body = "".join(
        f"<tr><th>{escape(tr(key, lang))}</th>"
        + "".join(
            f'<td class="num">{escape(c)}</td>' if key != "v.params" else f"<td>{escape(c)}</td>"
            for c in cells
        )
        + "</tr>"
        for key, cells in rows
    )
    return (
        f"<h3>{escape(tr('sec.variants', lang))}</h3>"
        f"<table><thead><tr><th>{escape(tr('v.metric', lang))}</th>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _summary(result: Result, stats: list[VariantStats], lang: str) -> str:
    m = result.manifest
    base = result.base
    n = len(result.variants)
    variants = (
        tr("scenario.one_variant", lang)
        if n == 1
        else tr("scenario.n_variants", lang, n=n, base=short_label(base))
    )
    scenario = tr(
        "scenario.line",
        lang,
        name=m.get("scenario_name", "?"),
        runs=m.get("runs", stats[0].runs),
        days=result.horizon_days,
        variants=variants,
    )
    stop = (
        tr("scenario.stop", lang, day=base.stop_after_day)
        if base.stop_after_day is not None
        else tr("scenario.no_stop", lang)
    )
    risk = "".join(f"<p>{escape(tr(k, lang))}</p>" for k in ("risk.1", "risk.2", "risk.3"))
    out = [
        f'<section id="summary"><h2>{escape(tr("sec.summary", lang))}</h2>',
        f'<div class="risk" role="note" id="risk"><h3>{escape(tr("sec.risk", lang))}</h3>'
        f"{risk}</div>",
        f"<p>{escape(scenario)} {escape(stop)}</p>",
        _spec17(base.economy, lang),
        f"<h3>{escape(tr('sec.measured', lang))}</h3>",
        _measured(result, stats[0], lang),
    ]
    if n > 1:
        out.append(_variant_table(result, stats, lang))
    out.append("</section>")
    return "".join(out)


def _lint(result: Result, lang: str) -> str:
    m = result.manifest
    findings = m.get("lint") or []
    out = [f'<section id="lint"><h2>{escape(tr("sec.lint", lang))}</h2>']
    if m.get("plan") is None:
        out.append(f"<p>{escape(tr('lint.no_plan', lang))}</p>")
    if not findings:
        out.append(f"<p>{escape(tr('lint.none', lang))}</p>")
    else:
        head = "".join(
            f"<th>{escape(tr(k, lang))}</th>"
            for k in ("lint.severity", "lint.rule", "lint.source", "lint.message", "lint.key")
        )
        rows = []
        for f in findings:
            sev = str(f.get("severity", "warning"))
            sev_key = f"lint.{sev}" if sev in ("error", "warning") else None
            sev_text = tr(sev_key, lang) if sev_key else sev
            message = f.get("message_zh") if lang == "zh" else f.get("message_en")
            message = message or f.get("message_en") or f.get("message_zh") or ""
            key = f.get("key")
            rows.append(
                f'<tr class="finding"><td><span class="sev sev-{escape(sev)}">'
                f"{escape(sev_text)}</span></td>"
                f"<td><code>{escape(str(f.get('rule', '')))}</code></td>"
                f"<td>{escape(str(f.get('source', '')))}</td>"
                f"<td>{escape(str(message))}</td>"
                f"<td>{'<code>' + escape(str(key)) + '</code>' if key else '—'}</td></tr>"
            )
        errors = sum(1 for f in findings if f.get("severity") == "error")
        out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        out.append(
            "<p>"
            + escape(tr("lint.summary", lang, errors=errors, warnings=len(findings) - errors))
            + "</p>"
        )
    out.append("</section>")
    return "".join(out)


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        rows: list[tuple[str, str]] = []
        for k, v in value.items():
            rows += _flatten(v, f"{prefix}.{k}" if prefix else str(k))
        return rows
    if isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
        rows = []
        for i, item in enumerate(value):
            rows += _flatten(item, f"{prefix}[{i}]")
        return rows
    if isinstance(value, list):
        return [(prefix, ", ".join(str(x) for x in value) or "[]")]
    return [(prefix, "—" if value is None else str(value))]


def _kv_table(rows: list[tuple[str, str]], lang: str) -> str:
    body = "".join(
        f"<tr><td><code>{escape(k)}</code></td><td>{escape(v)}</td></tr>" for k, v in rows
    )
    return (
        f"<table><thead><tr><th>{escape(tr('cfg.key', lang))}</th>"
        f"<th>{escape(tr('cfg.value', lang))}</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _config(result: Result, lang: str) -> str:
    m = result.manifest
    plan = m.get("plan")
    plan_html = (
        _kv_table(_flatten(plan), lang)
        if isinstance(plan, dict)
        else f"<p>{escape(tr('lint.no_plan', lang))}</p>"
    )
    return (
        f'<section id="config"><h2>{escape(tr("sec.config", lang))}</h2><div class="columns">'
        f"<div><h3>{escape(tr('cfg.economy', lang))}</h3>"
        f"{_kv_table(_flatten(m.get('economy') or {}), lang)}</div>"
        f"<div><h3>{escape(tr('cfg.plan', lang))}</h3>{plan_html}</div></div></section>"
    )


def _chart_section(chart: Chart, fig: Any, result: Result, lang: str) -> str:
    caption = tr(chart.caption, lang, n=result.cohort_days or "?")
    section_id = chart.id.removeprefix("chart-")
    if fig is None:
        body = f"<p>{escape(tr('cap.no_stop', lang))}</p>"
    else:
        config = dict(
            PLOTLY_CONFIG,
            toImageButtonOptions={
                "format": "png",
                "filename": chart.png.removesuffix(".png"),
                "width": 1280,
                "height": 720,
                "scale": 2,
            },
        )
        div = fig.to_html(full_html=False, include_plotlyjs=False, div_id=chart.id, config=config)
        body = (
            f'<figure class="chart-figure"><div class="chart">{div}</div>'
            f"<figcaption>{escape(caption)}</figcaption></figure>"
        )
    return f'<section id="{section_id}"><h2>{escape(tr(chart.section, lang))}</h2>{body}</section>'


def build_charts(result: Result, lang: str) -> list[tuple[Chart, Any]]:
    """Each chart with its figure (None for "after sales stop" when orders never stop)."""
    return [(chart, chart.build(result, lang)) for chart in CHARTS]


def render_html(result: Result, lang: str = "en") -> tuple[str, list[Chart]]:
    """The page as a string, and the charts it draws (for PNG export)."""
    import plotly.offline

    lang = normalize_lang(lang)
    stats = [variant_stats(result, v) for v in result.variants]
    charts = build_charts(result, lang)
    m = result.manifest
    title = tr("title", lang, name=m.get("scenario_name", "?"))
    meta = tr(
        "generated",
        lang,
        version=m.get("zengzhi_version", "?"),
        created=m.get("created", "?"),
        file=m.get("scenario_file") or "—",
    )
    description = (
        f'<p class="description">{escape(str(m["description"]))}</p>'
        if m.get("description")
        else ""
    )
    nav_items = [("summary", "sec.summary"), ("lint", "sec.lint")]
    nav_items += [(c.id.removeprefix("chart-"), c.section) for c, _ in charts]
    nav_items.append(("config", "sec.config"))
    nav = "".join(f'<a href="#{sid}">{escape(tr(key, lang))}</a>' for sid, key in nav_items)
    body = [
        f'<header><h1>{escape(title)}</h1>{description}<p class="meta">{escape(meta)}</p></header>',
        f"<nav>{nav}</nav>",
        _summary(result, stats, lang),
        _lint(result, lang),
        *(_chart_section(c, fig, result, lang) for c, fig in charts),
        _config(result, lang),
        f"<footer>{escape(tr('risk.1', lang))}</footer>",
    ]
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS.replace('FONT', font_stack(lang))}</style>\n"
        f"<script>{plotly.offline.get_plotlyjs()}</script>\n"
        "</head>\n<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )
    return page, [c for c, fig in charts if fig is not None]


def write_report(
    result_dir: Path, out_html: Path, *, lang: str = "en", png_dir: Path | None = None
) -> None:
    """Write the report of a finished result directory to ``out_html`` (and PNGs to ``png_dir``).

    The page is written to a temporary file next to ``out_html`` and renamed into place only
    when everything (PNG export included) succeeded, so a failed report leaves nothing that looks
    complete. Raises ``ResultError`` for a directory that is not a finished result, ``ValueError``
    for an unknown language and ``report_png.PngExportError`` when PNG export fails.
    """
    lang = normalize_lang(lang)
    result = load_result(Path(result_dir))
    page, charts = render_html(result, lang)
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name ends in .html so that Chromium renders it for the PNG export.
    fd, tmp_name = tempfile.mkstemp(
        dir=out_html.parent, prefix=f".{out_html.name}.", suffix=".tmp.html"
    )
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(page)
            fh.flush()
            os.fsync(fh.fileno())
        if png_dir is not None:
            from zengzhi.sim.report_png import export_pngs

            export_pngs(tmp, [(c.id, c.png) for c in charts], Path(png_dir))
        tmp.chmod(0o644)  # mkstemp makes it 0600; a report is meant to be shared
        os.replace(tmp, out_html)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
