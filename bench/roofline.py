#!/usr/bin/python3
"""Draws docs/performance-roofline.svg from the files bench/compare.py wrote: for each measured
configuration, the GFLOP/s that datamux and the eager model achieved at each N, against the
rate of a large matrix product measured in the same runs (the horizontal line: the roof).

  /usr/bin/python3 bench/roofline.py bench/results/*.json --out docs/performance-roofline.svg

Standard library only, so it runs wherever the measurements were taken.
"""
import argparse
import json
import math
from xml.sax.saxutils import escape

PANEL_W, PANEL_H = 300, 220
MARGIN_L, MARGIN_T, MARGIN_B = 52, 34, 40
COLORS = {"datamux": "#1f77b4", "eager": "#ff7f0e"}


def panel(result, x0, y0, top):
    rows = result["rows"]
    ns = [row["n"] for row in rows]
    parts = []
    title = f"{result['preset']} {result['mode']} (B={result['batch']}, L={result['seq']})"
    parts.append(f'<text x="{x0 + PANEL_W / 2}" y="{y0 - 12}" text-anchor="middle" '
                 f'font-size="12">{escape(title)}</text>')
    parts.append(f'<rect x="{x0}" y="{y0}" width="{PANEL_W}" height="{PANEL_H}" fill="none" '
                 f'stroke="#999"/>')

    def x_of(index):
        return x0 + PANEL_W * (index + 0.5) / len(ns)

    def y_of(value):
        return y0 + PANEL_H * (1 - value / top)

    for tick in range(0, int(top) + 1, max(1, int(top / 5 / 10) * 10 or 10)):
        y = y_of(tick)
        parts.append(f'<line x1="{x0 - 4}" y1="{y:.1f}" x2="{x0}" y2="{y:.1f}" stroke="#999"/>')
        parts.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{tick}</text>')
    for index, n in enumerate(ns):
        parts.append(f'<text x="{x_of(index):.1f}" y="{y0 + PANEL_H + 14}" text-anchor="middle" '
                     f'font-size="10">N={n}</text>')
    gemm = sum(row["gemm_gflops_per_s"] for row in rows) / len(rows)
    parts.append(f'<line x1="{x0}" y1="{y_of(gemm):.1f}" x2="{x0 + PANEL_W}" y2="{y_of(gemm):.1f}" '
                 f'stroke="#d62728" stroke-dasharray="5,3"/>')
    parts.append(f'<text x="{x0 + PANEL_W - 4}" y="{y_of(gemm) - 4:.1f}" text-anchor="end" '
                 f'font-size="10" fill="#d62728">matrix product {gemm:.0f} GFLOP/s</text>')
    bar = PANEL_W / len(ns) / 3
    for offset, which in ((-0.5, "datamux"), (0.5, "eager")):
        for index, row in enumerate(rows):
            value = row[f"{which}_gflops_per_s"]
            x = x_of(index) + offset * bar - bar / 2
            parts.append(f'<rect x="{x:.1f}" y="{y_of(value):.1f}" width="{bar:.1f}" '
                         f'height="{y0 + PANEL_H - y_of(value):.1f}" fill="{COLORS[which]}">'
                         f'<title>{which} N={row["n"]}: {value:.1f} GFLOP/s</title></rect>')
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y_of(value) - 2:.1f}" text-anchor="middle" '
                         f'font-size="8">{value:.0f}</text>')
    return parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="files written by bench/compare.py --out")
    parser.add_argument("--out", required=True)
    parser.add_argument("--columns", type=int, default=2)
    args = parser.parse_args()
    results = [json.load(open(path)) for path in args.results]
    top = max(max(row["gemm_gflops_per_s"], row["datamux_gflops_per_s"], row["eager_gflops_per_s"])
              for result in results for row in result["rows"])
    top = math.ceil(top * 1.1 / 10) * 10
    columns = min(args.columns, len(results))
    rows = math.ceil(len(results) / columns)
    width = columns * (PANEL_W + MARGIN_L + 20) + 20
    height = rows * (PANEL_H + MARGIN_T + MARGIN_B) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="20" y="18" font-size="13">Achieved GFLOP/s (analytic FLOPs / time) '
             f'against the matrix-product rate of the same run</text>']
    for which, color in COLORS.items():
        x = 20 + (0 if which == "datamux" else 100)
        parts.append(f'<rect x="{x}" y="26" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{x + 14}" y="35" font-size="11">{which}</text>')
    for index, result in enumerate(results):
        column, row = index % columns, index // columns
        x0 = 20 + MARGIN_L + column * (PANEL_W + MARGIN_L + 20)
        y0 = 40 + MARGIN_T + row * (PANEL_H + MARGIN_T + MARGIN_B)
        parts.extend(panel(result, x0, y0, top))
        parts.append(f'<text x="{x0 - 38}" y="{y0 + PANEL_H / 2}" font-size="10" '
                     f'transform="rotate(-90 {x0 - 38} {y0 + PANEL_H / 2})" text-anchor="middle">'
                     f'GFLOP/s</text>')
    parts.append("</svg>")
    with open(args.out, "w") as out:
        out.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
