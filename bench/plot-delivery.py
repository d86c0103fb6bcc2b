#!/usr/bin/env python3
"""Draws docs/img/delivery.png (through an SVG and librsvg's rsvg-convert, Debian's librsvg2-bin) from the rates in
docs/img/delivery.csv: per case, the direct-write ceiling and usermesh's rate, as bars.

    python3 bench/plot-delivery.py

CSV columns: case, series, per_second (series: ceiling, usermesh before, usermesh now, ...).
Plain Python, no plotting library: the machine that runs the benchmarks has none.
"""
import csv
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "docs", "img")
COLOURS = ["#9e9e9e", "#e57373", "#1e88e5", "#43a047"]


def main():
    rows = list(csv.DictReader(open(os.path.join(DOCS, "delivery.csv"))))
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
           '<text x="10" y="20" font-size="14" font-weight="bold">Delivery rate against the direct-write'
           ' ceiling (4 writes at once), per second</text>']
    for i, name in enumerate(series):
        out.append('<rect x="%d" y="32" width="12" height="12" fill="%s"/><text x="%d" y="43">%s</text>'
                   % (10 + i * 240, COLOURS[i % len(COLOURS)], 26 + i * 240, name))
    y = 60
    for case in cases:
        out.append('<text x="10" y="%d">%s</text>' % (y + len(series) * bar / 2 + 4, case))
        for i, name in enumerate(series):
            value = rate.get((case, name))
            if value is None:
                continue
            w = width * value / top
            out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/><text x="%.1f" y="%d">%.1f</text>'
                       % (left, y + i * bar, w, bar - 3, COLOURS[i % len(COLOURS)], left + w + 4, y + i * bar + 12,
                          value))
        y += len(series) * bar + gap
    out.append("</svg>")
    with tempfile.TemporaryDirectory() as tmp:
        svg = os.path.join(tmp, "delivery.svg")
        open(svg, "w").write("\n".join(out) + "\n")
        if not shutil.which("rsvg-convert"):
            raise SystemExit("rsvg-convert is needed to draw the PNG: apt-get install librsvg2-bin")
        subprocess.run(["rsvg-convert", "-o", os.path.join(DOCS, "delivery.png"), svg], check=True)


if __name__ == "__main__":
    main()
