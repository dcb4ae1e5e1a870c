"""The report's charts (plotly figures), one function per chart.

Every function takes the loaded result and the language and returns a ``go.Figure`` with its
own title, so the same figure serves the HTML page and the PNG export for slides. Variants of a
sweep are separate colours, the base variant first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from zengzhi.sim.report_data import (
    FEN_PER_CNY,
    REWARD_TYPES,
    UNITS_PER_POINT,
    FloatArray,
    Result,
    Variant,
    nanmedian,
    quantiles,
    stop_column,
    variant_stats,
)
from zengzhi.sim.report_text import tr

LATIN_FONTS = (
    '"Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", "DejaVu Sans"'
)
CJK_FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"'


def font_stack(lang: str) -> str:
    """System fonts only (nothing is downloaded); CJK first for zh so that Latin glyphs in
    Chinese text match, Latin first for en so that quotes and × stay narrow."""
    first, second = (CJK_FONTS, LATIN_FONTS) if lang == "zh" else (LATIN_FONTS, CJK_FONTS)
    return f"{first}, {second}, sans-serif"


PALETTE = (
    "#1f6fb4",
    "#d1495b",
    "#2e933c",
    "#8e5cc4",
    "#e8871e",
    "#6b4f3a",
    "#d35fb7",
    "#1aa3b8",
    "#6f6f6f",
    "#a8a21c",
)
STOP_COLOUR = "#555555"
LEGEND_OFFSET_PX = 64  # tick labels and axis title


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[k : k + 2], 16) for k in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _layout(
    fig: Any,
    title: str,
    height: int,
    lang: str,
    *,
    hover: str = "x unified",
) -> Any:
    # The legend goes under the x-axis title: a fixed pixel offset below the plot area, as a
    # fraction of the plot area's height; plotly grows the bottom margin to fit the legend.
    top, bottom = 80, 60
    legend_y = -LEGEND_OFFSET_PX / max(height - top - bottom, 100)
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 17}},
        font={"family": font_stack(lang), "size": 13},
        height=height,
        margin={"l": 70, "r": 30, "t": top, "b": bottom},
        hovermode=hover,
        legend={"orientation": "h", "yanchor": "top", "y": legend_y, "x": 0},
    )
    return fig


def short_label(v: Variant) -> str:
    """The label without section prefixes: "economy.exit_multiple=2" → "exit_multiple=2"."""
    return re.sub(r"\b[A-Za-z_]\w*\.(?=[\w.]*\s*=)", "", v.label)


def _name(result: Result, v: Variant, what: str) -> str:
    return what if len(result.variants) == 1 else f"{short_label(v)} · {what}"


def _band(
    fig: Any,
    x: FloatArray,
    mat: FloatArray,
    *,
    result: Result,
    v: Variant,
    lang: str,
    scale: float = 1.0,
    row: int | None = None,
    legend: bool = True,
    fmt: str = ",.4~f",
) -> tuple[float, float]:
    """Median line and 5–95% band across runs (rows of ``mat``); returns the band's extent."""
    if mat.size == 0:
        return (0.0, 0.0)
    p5, p50, p95 = (q * scale for q in quantiles(mat, (5, 50, 95)))
    c = colour(v.index)
    group = f"v{v.index}"
    band = _name(result, v, tr("trace.band", lang))
    kw: dict[str, Any] = {} if row is None else {"row": row, "col": 1}
    fig.add_trace(
        go.Scatter(
            x=x,
            y=p95,
            mode="lines",
            line={"width": 0, "color": c},
            legendgroup=group,
            showlegend=False,
            name=band,
            hoverinfo="skip",
        ),
        **kw,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=p5,
            mode="lines",
            line={"width": 0, "color": c},
            fill="tonexty",
            fillcolor=rgba(c, 0.18),
            legendgroup=group,
            showlegend=legend and len(result.variants) == 1,
            name=band,
            hoverinfo="skip",
        ),
        **kw,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=p50,
            mode="lines",
            line={"width": 2.2, "color": c},
            legendgroup=group,
            showlegend=legend,
            name=tr("trace.median", lang) if len(result.variants) == 1 else short_label(v),
            hovertemplate=f"%{{y:{fmt}}}",
        ),
        **kw,
    )
    return (_finite(np.nanmin, p5), _finite(np.nanmax, p95))


def _finite(fn: Callable[[FloatArray], Any], values: FloatArray) -> float:
    if values.size == 0 or bool(np.all(np.isnan(values))):
        return 0.0
    return float(fn(values))


def _count_axis(fig: Any, top: float, row: int | None = None) -> None:
    """A count axis from 0 with whole-number ticks, also when every value is 0."""
    kw: dict[str, Any] = {} if row is None else {"row": row, "col": 1}
    extra: dict[str, Any] = {"dtick": 1} if top < 5 else {}
    fig.update_yaxes(tickformat=",d", range=[0, max(top * 1.08, 5)], **extra, **kw)


def _stop_marker(fig: Any, stop: int | None, lang: str) -> None:
    if stop is None:
        return
    fig.add_vline(x=stop, line_dash="dash", line_color=STOP_COLOUR, line_width=1.2)
    fig.add_annotation(
        x=stop,
        y=1.0,
        xref="x",
        yref="paper",
        text=tr("stop.marker", lang),
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font={"color": STOP_COLOUR, "size": 12},
    )


def _stops(result: Result) -> list[int]:
    return sorted({v.stop_after_day for v in result.variants if v.stop_after_day is not None})


def price_chart(result: Result, lang: str) -> Any:
    fig = go.Figure()
    for v in result.variants:
        if v.n_runs:
            _band(
                fig,
                v.days,
                v.daily["price"],
                result=result,
                v=v,
                lang=lang,
            )
    for stop in _stops(result):
        _stop_marker(fig, stop, lang)
    fig.update_xaxes(title_text=tr("axis.day", lang))
    fig.update_yaxes(title_text=tr("axis.price", lang), rangemode="tozero")
    return _layout(fig, tr("chart.price", lang), 460, lang)


def pool_points_chart(result: Result, lang: str) -> Any:
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.1,
        subplot_titles=(tr("axis.pool", lang), tr("axis.points", lang)),
    )
    for v in result.variants:
        if v.n_runs == 0:
            continue
        x = v.days
        _band(
            fig,
            x,
            v.daily["pool_fen"],
            result=result,
            v=v,
            lang=lang,
            scale=1 / FEN_PER_CNY,
            row=1,
            fmt=",.0f",
        )
        _band(
            fig,
            x,
            v.daily["points_units"],
            result=result,
            v=v,
            lang=lang,
            scale=1 / UNITS_PER_POINT,
            row=2,
            legend=False,
            fmt=",.0f",
        )
    for stop in _stops(result):
        fig.add_vline(x=stop, line_dash="dash", line_color=STOP_COLOUR, line_width=1.2)
    fig.update_xaxes(title_text=tr("axis.day", lang), row=2, col=1)
    fig.update_yaxes(tickformat=",.0f", rangemode="tozero")
    return _layout(fig, tr("chart.pool", lang), 620, lang)


def exits_chart(result: Result, lang: str) -> Any:
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.1,
        subplot_titles=(tr("axis.exits_day", lang), tr("axis.exits_cum", lang)),
    )
    tops = [0.0, 0.0]
    for v in result.variants:
        if v.n_runs == 0:
            continue
        exits = v.daily["exits"]
        x = v.days
        tops[0] = max(
            tops[0], _band(fig, x, exits, result=result, v=v, lang=lang, row=1, fmt=",.0f")[1]
        )
        tops[1] = max(
            tops[1],
            _band(
                fig,
                x,
                np.cumsum(np.nan_to_num(exits), axis=1),
                result=result,
                v=v,
                lang=lang,
                row=2,
                legend=False,
                fmt=",.0f",
            )[1],
        )
    for stop in _stops(result):
        fig.add_vline(x=stop, line_dash="dash", line_color=STOP_COLOUR, line_width=1.2)
    fig.update_xaxes(title_text=tr("axis.day", lang), row=2, col=1)
    _count_axis(fig, tops[0], row=1)
    _count_axis(fig, tops[1], row=2)
    return _layout(fig, tr("chart.exits", lang), 620, lang)


def _pooled_share(v: Variant, column: str) -> FloatArray:
    """Σ column ÷ Σ positions per cohort across runs (NaN for a cohort with no positions)."""
    num = np.nansum(v.cohorts[column], axis=0)
    den = np.nansum(v.cohorts["positions"], axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    return out


def cohort_exit_chart(result: Result, lang: str) -> Any:
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=(tr("axis.days_to_exit", lang), tr("axis.share_exited", lang)),
    )
    for v in result.variants:
        if v.cohort_days.size == 0:
            continue
        x = v.cohort_days
        c = colour(v.index)
        group = f"v{v.index}"
        for col, dash, key in (
            ("days_to_exit_p50", "solid", "trace.p50"),
            ("days_to_exit_p90", "dot", "trace.p90"),
        ):
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=nanmedian(v.cohorts[col], axis=0),
                    mode="lines+markers",
                    line={"color": c, "dash": dash, "width": 2},
                    legendgroup=group,
                    name=_name(result, v, tr(key, lang)),
                    hovertemplate="%{y:.0f}",
                    connectgaps=False,
                ),
                row=1,
                col=1,
            )
        fig.add_trace(
            go.Bar(
                x=x,
                y=_pooled_share(v, "exited"),
                marker_color=rgba(c, 0.75),
                legendgroup=group,
                showlegend=False,
                name=_name(result, v, tr("axis.share_exited", lang)),
                hovertemplate="%{y:.1%}",
            ),
            row=2,
            col=1,
        )
    for stop in _stops(result):
        fig.add_vline(x=stop, line_dash="dash", line_color=STOP_COLOUR, line_width=1.2)
    fig.update_xaxes(title_text=tr("axis.cohort", lang), row=2, col=1)
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], row=2, col=1)
    fig.update_layout(barmode="group")
    return _layout(fig, tr("chart.cohort_exit", lang), 620, lang)


def multiples_chart(result: Result, lang: str) -> Any:
    fig = make_subplots(
        rows=1,
        cols=3,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=("1×", "2×", "3×"),
    )
    for v in result.variants:
        if v.cohort_days.size == 0:
            continue
        for k in (1, 2, 3):
            fig.add_trace(
                go.Bar(
                    x=v.cohort_days,
                    y=_pooled_share(v, f"reached_{k}x"),
                    marker_color=colour(v.index),
                    legendgroup=f"v{v.index}",
                    showlegend=k == 1,
                    name=short_label(v) if len(result.variants) > 1 else tr("axis.share", lang),
                    hovertemplate="%{y:.1%}",
                ),
                row=1,
                col=k,
            )
    fig.update_xaxes(title_text=tr("axis.cohort", lang))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_yaxes(title_text=tr("axis.share", lang), row=1, col=1)
    fig.update_layout(barmode="group")
    return _layout(fig, tr("chart.multiples", lang), 460, lang, hover="closest")


def rewards_chart(result: Result, lang: str) -> Any:
    fig = go.Figure()
    labels = [tr(f"reward.{t}", lang) for t in REWARD_TYPES]
    total = 0.0
    for v in result.variants:
        means = variant_stats(result, v).rewards_fen
        ys = [means[t] / FEN_PER_CNY for t in REWARD_TYPES]
        total += float(np.nansum(ys))
        fig.add_trace(
            go.Bar(
                x=labels,
                y=ys,
                name=short_label(v),
                marker_color=colour(v.index),
                hovertemplate="¥%{y:,.2f}",
                showlegend=len(result.variants) > 1,
            )
        )
    if total == 0:
        fig.update_yaxes(range=[0, 1], showticklabels=False)
        fig.add_annotation(
            text=tr("reward.none", lang),
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": 15, "color": STOP_COLOUR},
        )
    fig.update_yaxes(title_text=tr("axis.cny", lang), tickformat=",.0f", rangemode="tozero")
    fig.update_layout(barmode="group")
    return _layout(fig, tr("chart.rewards", lang), 420, lang, hover="closest")


def after_stop_chart(result: Result, lang: str) -> Any | None:
    """Price (relative to the stop day) and exits after orders stop; None without a stop."""
    stopped = [(v, col) for v in result.variants if (col := stop_column(v)) is not None]
    if not stopped:
        return None
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=(tr("axis.price_change", lang), tr("axis.exits_cum", lang)),
    )
    lo = hi = top = 0.0
    for v, stop in stopped:
        price = v.daily["price"][:, stop:]
        with np.errstate(invalid="ignore", divide="ignore"):
            rel = price / price[:, :1] - 1.0
        exits = np.cumsum(np.nan_to_num(v.daily["exits"][:, stop + 1 :]), axis=1)
        exits = np.concatenate([np.zeros((exits.shape[0], 1)), exits], axis=1)
        x = v.days[stop:] - v.days[stop]
        low, high = _band(fig, x, rel, result=result, v=v, lang=lang, row=1, fmt="+.2%")
        lo, hi = min(lo, low), max(hi, high)
        _, t = _band(fig, x, exits, result=result, v=v, lang=lang, row=2, legend=False, fmt=",.0f")
        top = max(top, t)
    fig.update_xaxes(title_text=tr("axis.days_after_stop", lang), row=2, col=1)
    # A flat price must look flat: the scale starts at 0% and spans at least +5%.
    fig.update_yaxes(tickformat="+.1%", range=[lo - 0.005, max(hi, 0.05) * 1.1], row=1, col=1)
    _count_axis(fig, top, row=2)
    return _layout(fig, tr("chart.after_stop", lang), 600, lang)


def stuck_chart(result: Result, lang: str) -> Any:
    fig = go.Figure()
    labels = [short_label(v) for v in result.variants]
    stats = [variant_stats(result, v) for v in result.variants]
    fig.add_trace(
        go.Bar(
            x=labels,
            y=[s.stuck_spend_fen / FEN_PER_CNY for s in stats],
            name=tr("trace.spend", lang),
            marker_color="#8a8a8a",
            hovertemplate="¥%{y:,.0f}",
        )
    )
    fig.add_trace(
        go.Bar(
            x=labels,
            y=[s.stuck_value_fen / FEN_PER_CNY for s in stats],
            name=tr("trace.value", lang),
            marker_color=[colour(v.index) for v in result.variants],
            hovertemplate="¥%{y:,.0f}",
        )
    )
    fig.update_yaxes(title_text=tr("axis.cny", lang), tickformat=",.0f", rangemode="tozero")
    fig.update_layout(barmode="group")
    return _layout(fig, tr("chart.stuck", lang), 420, lang, hover="closest")


@dataclass(frozen=True)
class Chart:
    """One chart of the page: its element id, section, PNG file name and builder."""

    id: str
    section: str  # key of its heading in report_text
    caption: str  # key of its caption
    png: str
    build: Callable[[Result, str], Any]


CHARTS: tuple[Chart, ...] = (
    Chart("chart-price", "sec.price", "cap.price", "01-price.png", price_chart),
    Chart("chart-pool", "sec.pool", "cap.pool", "02-pool-points.png", pool_points_chart),
    Chart("chart-exits", "sec.exits", "cap.exits", "03-exits.png", exits_chart),
    Chart(
        "chart-cohort-exit",
        "sec.cohort_exit",
        "cap.cohort_exit",
        "04-time-to-exit.png",
        cohort_exit_chart,
    ),
    Chart("chart-multiples", "sec.multiples", "cap.multiples", "05-multiples.png", multiples_chart),
    Chart("chart-rewards", "sec.rewards", "cap.rewards", "06-rewards.png", rewards_chart),
    Chart(
        "chart-after-stop",
        "sec.after_stop",
        "cap.after_stop",
        "07-after-stop.png",
        after_stop_chart,
    ),
    Chart("chart-stuck", "sec.stuck", "cap.stuck", "08-stuck.png", stuck_chart),
)
