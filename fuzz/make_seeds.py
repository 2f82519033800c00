#!/usr/bin/env python3
"""Writes fuzz/seeds/<target>/ from the sample project and the golden
exports: real files, truncated, deeply nested, BOM, conflict markers, huge
strings. Run from the repository root; the output is committed."""
import os, shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "fuzz", "seeds")
P = os.path.join(ROOT, "projects", "harbour-fire")
G = os.path.join(ROOT, "tests", "golden")
HUGE = "x" * 60_000

def rd(*p):
    with open(os.path.join(*p), "rb") as f:
        return f.read()

def put(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def variants(target, real, nest_open, nest_close):
    put(target, "real", real)
    for k, frac in enumerate((0.1, 0.5, 0.9)):
        put(target, f"truncated-{k}", real[: int(len(real) * frac)])
    put(target, "bom", b"\xef\xbb\xbf" + real)
    lines = real.split(b"\n")
    mid = len(lines) // 2
    put(target, "conflict-markers", b"\n".join(lines[:mid] + [b"<<<<<<< HEAD", b"=======", b">>>>>>> theirs"] + lines[mid:]))
    put(target, "deep-nesting", nest_open * 5000 + nest_close * 5000)
    put(target, "empty", b"")

shutil.rmtree(SEEDS, ignore_errors=True)

# Project loader.
proj = rd(P, "harbour-fire.spanmark.ron")
variants("project_loader", proj, b"[", b"]")
put("project_loader", "huge-string", proj.replace(b'name: "Port', ('name: "' + HUGE + ' Port').encode(), 1))
put("project_loader", "newer-version", proj.replace(b"format_version: 1,", b"format_version: 9,\n    future: (x: [1, 2]),"))
put("project_loader", "utf16-offsets", b'(format_version: 1, offset_unit: "utf16", name: "x")')
put("project_loader", "packed", proj.replace(b"    annotations: [\n", b'    embedded_sources: [\n        (doc: 1, text: "Fire\\r\\n\\u{1f600} \\"q\\""),\n        (doc: 9, text: "unknown"),\n    ],\n    annotations: [\n', 1))
put("project_loader", "minimal", b'(format_version: 1, offset_unit: "unicode_scalar_value", name: "x")')
put("project_loader", "out-of-range", proj.replace(b"start: 179, end: 225,", b"start: 179, end: 18446744073709551615,"))

# Source decoder.
for n in ("dailybuzz", "fire-service-statement", "meridian-ledger"):
    put("source_decoder", n, rd(P, "sources", n + ".txt"))
t = "«Ω» 👨🏻‍🚒 e\u0301 שלום مرحبا 中文\r\nline\rx\n"
put("source_decoder", "utf16le", b"\xff\xfe" + t.encode("utf-16-le"))
put("source_decoder", "utf16be", b"\xfe\xff" + t.encode("utf-16-be"))
put("source_decoder", "utf16-odd", b"\xff\xfe" + t.encode("utf-16-le")[:-1])
put("source_decoder", "utf32", b"\xff\xfe\x00\x00" + t.encode("utf-32-le"))
put("source_decoder", "utf8-bom", b"\xef\xbb\xbf" + t.encode())
put("source_decoder", "latin1", "Straße in München, Grüße aus Köln".encode("latin-1"))
put("source_decoder", "nul", b"a\x00b")
put("source_decoder", "huge-line", HUGE.encode())
put("source_decoder", "empty", b"")

# Path policy.
for i, p in enumerate(["sources/a.txt", "sources/sub", "sources/out/passwd", "../x", "/etc/passwd",
                       "C:/Windows/win.ini", "\\\\server\\share\\x", "sources/CON", "sources/nul.txt",
                       "a//b", "./a", "sources/a.txt\0", "sources/\u00e9\u0301.txt", "x" * 5000, ""]):
    put("path_policy", f"p{i}", p.encode())

# Importers.
imports = {
    "import_doccano": (rd(G, "doccano", "harbour-fire.jsonl"), b"[", b"]"),
    "import_prodigy": (rd(G, "prodigy", "harbour-fire.jsonl"), b"[", b"]"),
    "import_labelstudio": (rd(G, "labelstudio", "harbour-fire.json"), b"[", b"]"),
    "import_csv": (rd(G, "csv", "harbour-fire.csv"), b'"', b'"'),
    "import_w3c": (rd(G, "w3c", "harbour-fire.jsonld"), b"{\"a\":", b"}"),
}
for target, (real, o, c) in imports.items():
    variants(target, real, o, c)
    put(target, "huge-string", real.replace(b"Port", HUGE.encode(), 1))
put("import_labelstudio", "predictions", rd(G, "labelstudio-predictions", "harbour-fire.json"))
put("import_doccano", "rel", rd(G, "doccano-rel", "harbour-fire.jsonl"))
put("import_doccano", "emoji-offsets", '{"text": "👨🏻‍🚒 fire e\u0301", "label": [[0, 4, "claim"], [5, 9, "quote"], [3, 99, "x"]]}\n')
for n in ("dailybuzz", "meridian-ledger", "fire-service-statement"):
    ann, txt = rd(G, "brat", n + ".ann"), rd(G, "brat", n + ".txt")
    put("import_brat", n, ann + b"\x00" + txt)
ann, txt = rd(G, "brat", "dailybuzz.ann"), rd(G, "brat", "dailybuzz.txt")
put("import_brat", "truncated", ann[: len(ann) // 2] + b"\x00" + txt)
put("import_brat", "bom", b"\xef\xbb\xbf" + ann + b"\x00\xef\xbb\xbf" + txt)
put("import_brat", "fragments", b"T1\tclaim 0 5;6 10;99999999999999999999 3\tx\nR1\tRel Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes T1\tn\\no\n\x00hello world\r\n")
put("import_brat", "huge-string", b"T1\tclaim 0 3\t" + HUGE.encode() + b"\x00abc")
