#!/usr/bin/python3
"""Runs screenshots/generate.sh into a temporary directory and checks what it
makes (label tui):

  - every expected picture is there, as SVG, text and (with rsvg-convert) PNG;
  - each SVG is well-formed XML with one <text> row per screen row and the
    size of the cell grid (120x36 cells of 8.43 x 17 px);
  - the SVG shows the same text as the text dump of the same screen: the
    tspans of each row, joined, equal that row of the .txt file;
  - each SVG renders with rsvg-convert, to a PNG of twice its size;
  - colour themes use colour, the monochrome one only black and white, and
    each picture shows what it is for (the capacity line on the Sweep chart,
    the pinned column in Compare, the large figure in talk mode).

  check_screenshots.py GENERATE_SH LLMEM_BINARY
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.dom.minidom

COLS, ROWS = 120, 36
CELL_W, CELL_H = 8.43, 17

# name -> strings its text must contain (what the picture is for)
EXPECTED = {
    "memory-llama-3-8b-train": ["Llama 3 8B", "TRAIN", "Weights", "Optimizer", "Fits (per GPU"],
    "infer-llama-3.1-70b-128k": ["Llama 3.1 70B", "INFER", "KV cache", "131072", "Fits (per GPU"],
    "techniques-gpt3-175b": ["GPT-3 175B", "Naive fp32, 1 GPU", "Checkpointing", "together:"],
    "sweep-llama-3.1-70b-seq": ["per-GPU memory vs sequence length", "h100-80gb 80.00 GiB",
                              "tokens on one h100-80gb"],
    "compare-llama-3-8b-recompute": ["[pinned]", "pinned", "current", "delta", "Recompute       full"],
    "memory-mono": ["Llama 3 8B", "Weights"],
    "talk-mode": ["Total memory per GPU", "talk mode", "next"],
    "params-light": ["Non-embedding", "Per layer"],
}

fails = 0


def fail(msg):
    global fails
    fails += 1
    print("FAIL: " + msg)


def node_text(n):
    if n.nodeType == n.TEXT_NODE:
        return n.data
    return "".join(node_text(k) for k in n.childNodes)


def svg_rows(path):
    doc = xml.dom.minidom.parse(path)  # raises on malformed XML
    svg = doc.documentElement
    rows = []
    for t in svg.getElementsByTagName("text"):
        spans = t.getElementsByTagName("tspan")
        xs = [float(s.getAttribute("x")) for s in spans]
        text = "".join(node_text(s) for s in spans).replace("\u00a0", " ")
        # every run starts at its own column
        col = 0
        for s, x in zip(spans, xs):
            if abs(x - col * CELL_W) > 0.011:
                fail("%s: a tspan at x=%s is not at column %d" % (path, x, col))
                break
            col += len(node_text(s))
        rows.append(text)
    colours = set()
    for tag in ("tspan", "rect"):
        for e in svg.getElementsByTagName(tag):
            if e.getAttribute("fill"):
                colours.add(e.getAttribute("fill").lower())
    return svg, rows, colours


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def main():
    gen, binary = sys.argv[1], sys.argv[2]
    out = tempfile.mkdtemp(prefix="llmem-shots-")
    try:
        env = {k: v for k, v in os.environ.items() if k != "NO_PNG"}
        r = subprocess.run(["sh", gen, binary, out], capture_output=True, text=True, env=env)
        if r.returncode != 0:
            fail("generate.sh exited %d: %s" % (r.returncode, r.stderr))
            return
        print(r.stdout, end="")
        have_rsvg = shutil.which("rsvg-convert") is not None
        made = sorted(f[:-4] for f in os.listdir(out) if f.endswith(".svg"))
        for name in EXPECTED:
            if name not in made:
                fail("no %s.svg" % name)
        for name in made:
            svg_path = os.path.join(out, name + ".svg")
            txt_path = os.path.join(out, name + ".txt")
            try:
                svg, rows, colours = svg_rows(svg_path)
            except Exception as e:  # not well-formed
                fail("%s: not valid XML: %s" % (svg_path, e))
                continue
            w, h = float(svg.getAttribute("width")), float(svg.getAttribute("height"))
            if abs(w - round(COLS * CELL_W)) > 1 or h != ROWS * CELL_H:
                fail("%s: %gx%g px is not %dx%d cells" % (name, w, h, COLS, ROWS))
            with open(txt_path, encoding="utf-8") as f:
                txt = f.read().split("\n")
            if txt and txt[-1] == "":
                txt.pop()
            if len(rows) != ROWS or len(txt) != ROWS:
                fail("%s: %d SVG rows, %d text rows, want %d" % (name, len(rows), len(txt), ROWS))
            for i, (a, b) in enumerate(zip(rows, txt)):
                if len(a) != COLS:
                    fail("%s row %d: %d cells in the SVG, want %d" % (name, i, len(a), COLS))
                if a.rstrip(" ") != b:
                    fail("%s row %d differs:\n  svg: %r\n  txt: %r" % (name, i, a.rstrip(), b))
                    break
            screen = "\n".join(txt)
            # no picture shows a model run past its trained context (QA: the
            # 128k pictures used Llama 3 70B, whose context is 8k)
            if "trained context" in "\n".join(txt):
                fail("%s: the screen warns the sequence is past the model's context" % name)
            for want in EXPECTED.get(name, []):
                if want not in screen:
                    fail("%s: no %r on the screen" % (name, want))
            if name.endswith("-mono"):
                extra = colours - {"#000000", "#ffffff"}
                if extra:
                    fail("%s: colours in the monochrome theme: %s" % (name, sorted(extra)))
            elif len(colours) < 6:
                fail("%s: only %d colours" % (name, len(colours)))
            png = os.path.join(out, name + ".png")
            if have_rsvg:
                # generate.sh rendered it; render again to check rsvg's status
                r = subprocess.run(["rsvg-convert", "--format", "png", "--output", png + ".2", svg_path],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    fail("%s: rsvg-convert failed: %s" % (name, r.stderr))
                size = png_size(png) if os.path.exists(png) else None
                if size != (round(2 * w), round(2 * h)):
                    fail("%s: PNG %s, want %dx%d" % (name, size, round(2 * w), round(2 * h)))
        if not have_rsvg:
            print("note: rsvg-convert not installed: SVGs checked as XML only")
        print("%d screenshots checked" % len(made))
    finally:
        shutil.rmtree(out, ignore_errors=True)


main()
print("all passed" if fails == 0 else "%d failed" % fails)
sys.exit(1 if fails else 0)
