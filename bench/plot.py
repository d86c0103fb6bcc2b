#!/usr/bin/env python3
"""Draws the benchmarks' plots in docs/img/ (through an SVG and librsvg's rsvg-convert, Debian's librsvg2-bin)
from the numbers written down next to them:

    python3 bench/plot.py delivery    # delivery.png from delivery.csv: per case, the direct-write ceiling
                                      # and usermesh's rate, as bars (columns: case, series, per_second)
    python3 bench/plot.py propagation # propagation.png from propagation.csv, the same way
    python3 bench/plot.py reconcile   # reconcile-heap.png from reconcile-heap.csv: heap against users
                                      # listed, one line per series (columns: series, users_listed, mb)

Plain Python, no plotting library: the machine that runs the benchmarks has none.
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "docs", "img")
COLOURS = ["#9e9e9e", "#e57373", "#1e88e5", "#43a047"]


def delivery():
    bars("delivery", "Delivery rate against the direct-write ceiling (4 writes at once), per second")


def propagation():
    bars("propagation", "Propagation to two targets against the ceiling, users/s per target")


def bars(name, title):
    """NAME.png from NAME.csv: per case, one bar per series (columns: case, series, per_second)."""
    rows = list(csv.DictReader(open(os.path.join(DOCS, name + ".csv"))))
    cases, series = [], []
    for row in rows:
        if row["case"] not in cases:
            cases.append(row["case"])
        if row["series"] not in series:
            series.append(row["series"])
    rate = {(r["case"], r["series"]): float(r["per_second"]) for r in rows}
    top = max(rate.values()) * 1.1
    bar, gap, left, width = 18, 14, 230, 420
    height = 60 + len(cases) * (len(series) * bar + gap) + 30
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
           % (left + width + 90, height), '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="14" font-weight="bold">%s</text>' % title]
    for i, one in enumerate(series):
        out.append('<rect x="%d" y="32" width="12" height="12" fill="%s"/><text x="%d" y="43">%s</text>'
                   % (10 + i * 240, COLOURS[i % len(COLOURS)], 26 + i * 240, one))
    y = 60
    for case in cases:
        out.append('<text x="10" y="%d">%s</text>' % (y + len(series) * bar / 2 + 4, case))
        for i, one in enumerate(series):
            value = rate.get((case, one))
            if value is None:
                continue
            w = width * value / top
            out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/><text x="%.1f" y="%d">%.1f</text>'
                       % (left, y + i * bar, w, bar - 3, COLOURS[i % len(COLOURS)], left + w + 4, y + i * bar + 12,
                          value))
        y += len(series) * bar + gap
    out.append("</svg>")
    write_png(name + ".png", out)


def reconcile():
    rows = list(csv.DictReader(open(os.path.join(DOCS, "reconcile-heap.csv"))))
    series = []
    for row in rows:
        if row["series"] not in series:
            series.append(row["series"])
    xs = sorted({int(r["users_listed"]) for r in rows})
    top_x = max(xs) * 1.05
    top_y = max(max(float(r["mb"]) for r in rows), 128) * 1.15
    left, top, width, height = 60, 70, 560, 300
    px = lambda x: left + width * x / top_x
    py = lambda y: top + height - height * y / top_y
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
           % (left + width + 40, top + height + 50), '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="14" font-weight="bold">Reconcile dry run: heap against users listed'
           ' (3 sites)</text>']
    for i, name in enumerate(series):
        row = 32 + (i // 2) * 16  # two to a row
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>'
                   '<text x="%d" y="%d">%s</text>' % (10 + (i % 2) * 330, row + 6, 30 + (i % 2) * 330, row + 6,
                                                      line_colour(name), line_dash(name), 34 + (i % 2) * 330,
                                                      row + 10, name))
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (left, top + height, left + width,
                                                                          top + height))
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (left, top, left, top + height))
    out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#9e9e9e" stroke-dasharray="6,4"/>'
               '<text x="%d" y="%.1f" fill="#757575">-Xmx128m</text>' % (left, py(128), left + width, py(128),
                                                                           left + 4, py(128) - 4))
    for y in range(0, int(top_y), 50 if top_y > 200 else 25):
        out.append('<text x="%d" y="%.1f" text-anchor="end">%d MB</text>' % (left - 4, py(y) + 4, y))
    for x in xs:
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (px(x), top + height + 16,
                                                                           "{:,}".format(x)))
    out.append('<text x="%d" y="%d" text-anchor="middle">users listed</text>' % (left + width / 2,
                                                                                top + height + 36))
    for i, name in enumerate(series):
        points = sorted((int(r["users_listed"]), float(r["mb"])) for r in rows if r["series"] == name)
        colour = line_colour(name)
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" stroke-dasharray="%s" points="%s"/>'
                   % (colour, line_dash(name), " ".join("%.1f,%.1f" % (px(x), py(y)) for x, y in points)))
        for x, y in points:
            out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/><text x="%.1f" y="%.1f">%g</text>'
                       % (px(x), py(y), colour, px(x) + 5, py(y) - 5, y))
    out.append("</svg>")
    write_png("reconcile-heap.png", out)


def line_colour(series):
    """Red for the code before a change, blue for the code now."""
    return "#e57373" if series.startswith("before") else "#1e88e5"


def line_dash(series):
    """Solid for a limit that held (-Xmx), dashed for a measurement under a larger heap."""
    return "6,4" if "after a GC" in series else "none"


def write_png(name, svg_lines):
    with tempfile.TemporaryDirectory() as tmp:
        svg = os.path.join(tmp, "plot.svg")
        open(svg, "w").write("\n".join(svg_lines) + "\n")
        if not shutil.which("rsvg-convert"):
            raise SystemExit("rsvg-convert is needed to draw the PNG: apt-get install librsvg2-bin")
        subprocess.run(["rsvg-convert", "-o", os.path.join(DOCS, name), svg], check=True)


if __name__ == "__main__":
    plots = {"delivery": delivery, "propagation": propagation, "reconcile": reconcile}
    if len(sys.argv) != 2 or sys.argv[1] not in plots:
        raise SystemExit("usage: python3 bench/plot.py delivery|propagation|reconcile")
    plots[sys.argv[1]]()
