#!/usr/bin/env python3
"""Draws a dashboard's layout from its JSON file: every panel where its gridPos puts it, with its title, its
visualisation as a sketch, and the datasource it reads. No Grafana needed, so the README picture can be redrawn
whenever a dashboard changes:

    python3 apps/grafana/render_layout.py apps/grafana/dashboards/ecs/run.json apps/grafana/run-dashboard.png

Draws an SVG and turns it into the PNG with rsvg-convert (Debian package librsvg2-bin). Standard library only.
"""
import json
import math
import os
import subprocess
import sys
import tempfile
from xml.sax.saxutils import escape

COLUMN = 52          # Grafana's grid is 24 columns wide
ROW = 32             # and counts height in rows of 30 px plus margin
GAP = 6
HEADER = 96          # title and variables above the grid
MARGIN = 16

BACKGROUND, PANEL, BORDER, TEXT, MUTED = "#111217", "#181b1f", "#2c3235", "#d8d9da", "#8e9196"
SERIES = ["#73bf69", "#f2cc0c", "#5794f2", "#ff9830", "#b877d9"]
DATASOURCES = {
    "grafana-postgresql-datasource": "PostgreSQL",
    "prometheus": "Prometheus",
    "cloudwatch": "CloudWatch",
}


def panels(items):
    for item in items:
        yield item
        yield from panels(item.get("panels", []))


def box(panel):
    pos = panel["gridPos"]
    x = MARGIN + pos["x"] * COLUMN
    y = HEADER + pos["y"] * ROW
    return x, y, pos["w"] * COLUMN - GAP, pos["h"] * ROW - GAP


def text(x, y, content, size=13, color=TEXT, weight="normal", anchor="start"):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="DejaVu Sans, sans-serif" font-size="{size}" '
            f'font-weight="{weight}" fill="{color}" text-anchor="{anchor}">{escape(content)}</text>')


def fit(content, width, size):
    """Cuts a title to what fits in width at about 0.6 em per character."""
    room = int(width / (size * 0.6))
    return content if len(content) <= room else content[: max(room - 1, 1)] + "…"


def series_count(panel):
    kind = panel.get("type")
    return 3 if kind == "timeseries" else 1


STAT_VALUES = [("Status", "COMPLETED"), ("User", "alice"), ("received / expected", "6 / 60"), ("Readings received", "6"),
               ("End reason", "finished"), ("Active runs", "1"), ("Temperature", "19.8 / 21.4 / 23.1")]


def stat_value(title):
    return next((value for key, value in STAT_VALUES if key in title), "3")


def sketch(panel, x, y, w, h, seed):
    """A visualisation's likeness, drawn from fixed numbers so that the picture only changes with the layout."""
    kind = panel["type"]
    top, bottom = y + 30, y + h - 26
    left, right = x + 12, x + w - 12
    out = []
    if kind == "timeseries":
        for s in range(series_count(panel)):
            points = []
            for i in range(25):
                px = left + (right - left) * i / 24
                wave = math.sin(i / 3.0 + s * 1.7 + seed) * 0.3 + math.sin(i / 1.3 + s) * 0.08
                py = top + (bottom - top) * (0.5 - wave + (s - 1) * 0.12)
                points.append(f"{px:.1f},{py:.1f}")
            out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{SERIES[s]}" stroke-width="2"/>')
    elif kind == "stat":
        out.append(text(x + w / 2, (top + bottom) / 2 + 12, stat_value(panel["title"]),
                        size=min(30, max(14, h / 4)), color=SERIES[0], weight="bold", anchor="middle"))
    elif kind == "gauge":
        cx, cy = x + w / 2, bottom - 4
        r = min(w / 2 - 20, bottom - top - 6)
        out.append(f'<path d="M {cx - r:.1f} {cy:.1f} A {r:.1f} {r:.1f} 0 0 1 {cx + r:.1f} {cy:.1f}" fill="none" '
                   f'stroke="{BORDER}" stroke-width="12"/>')
        end = math.pi * (1 - 0.1)
        out.append(f'<path d="M {cx - r:.1f} {cy:.1f} A {r:.1f} {r:.1f} 0 0 1 {cx + r * math.cos(end):.1f} '
                   f'{cy - r * math.sin(end):.1f}" fill="none" stroke="{SERIES[3]}" stroke-width="12"/>')
        out.append(text(cx, cy - 6, "10 %", size=18, color=TEXT, weight="bold", anchor="middle"))
    elif kind == "bargauge":
        bars = 3
        for b in range(bars):
            by = top + b * (bottom - top) / bars + 4
            length = (right - left) * (0.9 - 0.2 * b)
            out.append(f'<rect x="{left}" y="{by:.1f}" width="{length:.1f}" height="{(bottom - top) / bars - 10:.1f}" '
                       f'fill="{SERIES[b]}" rx="2"/>')
    elif kind == "table":
        lines = max(1, int((bottom - top) / 20))
        for line in range(lines):
            ly = top + 14 + line * 20
            color = MUTED if line == 0 else BORDER
            out.append(f'<line x1="{left}" y1="{ly}" x2="{right}" y2="{ly}" stroke="{color}" stroke-width="{2 if line == 0 else 1}"/>')
    return out


def render(dashboard, source):
    grid = list(panels(dashboard["panels"]))
    height = HEADER + max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in grid) * ROW + MARGIN
    width = 2 * MARGIN + 24 * COLUMN - GAP
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f'<rect width="{width}" height="{height}" fill="{BACKGROUND}"/>',
           text(MARGIN, 30, f'{dashboard["title"]} dashboard  ·  uid {dashboard["uid"]}', size=20, weight="bold"),
           text(width - MARGIN, 30, f"layout of {source} · values illustrative", size=12, color=MUTED, anchor="end")]
    x = MARGIN
    for variable in dashboard["templating"]["list"]:
        label = variable.get("label") or variable["name"]
        if variable["type"] == "textbox":
            value = "<from the run's link>" if variable["name"] == "runId" else "<typed in>"
        else:
            value = "All ▾" if variable.get("includeAll") else "▾"
        chip = (len(label) + len(value) + 4) * 7.2
        svg.append(f'<rect x="{x}" y="46" width="{chip:.0f}" height="28" rx="3" fill="{PANEL}" stroke="{BORDER}"/>')
        svg.append(text(x + 8, 65, f"{label}  {value}", size=12, color=TEXT))
        x += chip + 8
    svg.append(text(width - MARGIN, 65, f'{dashboard["time"]["from"]} → {dashboard["time"]["to"]}   '
                    f'refresh {dashboard.get("refresh") or "off"}', size=12, color=MUTED, anchor="end"))

    for seed, panel in enumerate(grid):
        px, py, pw, ph = box(panel)
        if panel["type"] == "row":
            svg.append(text(px, py + 20, "▾ " + panel["title"], size=15, weight="bold"))
            continue
        svg.append(f'<rect x="{px}" y="{py}" width="{pw}" height="{ph}" rx="3" fill="{PANEL}" stroke="{BORDER}"/>')
        svg.append(text(px + 10, py + 19, fit(panel["title"], pw - 20, 13), size=13, weight="bold"))
        svg.extend(sketch(panel, px, py, pw, ph, seed))
        source_name = DATASOURCES.get(panel.get("datasource", {}).get("type"), "?")
        svg.append(text(px + pw - 8, py + ph - 8, f'{panel["type"]} · {source_name}', size=10, color=MUTED, anchor="end"))
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: render_layout.py DASHBOARD.json OUT.png")
    source, png = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        dashboard = json.load(f)
    repository = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with tempfile.NamedTemporaryFile("w", suffix=".svg", encoding="utf-8") as svg:
        svg.write(render(dashboard, os.path.relpath(os.path.abspath(source), repository)))
        svg.flush()
        subprocess.run(["rsvg-convert", "--format", "png", "--output", png, svg.name], check=True)


if __name__ == "__main__":
    main()
