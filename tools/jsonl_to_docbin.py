#!/usr/bin/env python3
"""Build a spaCy DocBin (.spacy) from Spanmark's spaCy JSONL export.

Usage: python jsonl_to_docbin.py EXPORT.jsonl OUT.spacy [--lang en] [--spans-key sc]

Needs spaCy 3.x (no trained model: a blank pipeline supplies the vocab).

Each Doc is built from the exported tokens with Doc(vocab, words, spaces),
so the tokenization is exactly Spanmark's and the text is reproduced byte for
byte. Every span is made with doc.char_span(start, end, label,
alignment_mode="strict"); offsets are Unicode code points (Python str
indices). All spans go to doc.spans[SPANS_KEY] (overlaps allowed); doc.ents
is set too when a document's spans do not overlap (doc.ents cannot hold
overlaps; export with --overlaps longest|first to get ents everywhere).
A span that spaCy rejects is printed and counted; the exit code is 1 then.
"""
import argparse
import json
import sys

import spacy
from spacy.tokens import Doc, DocBin


def build(nlp, line, spans_key, problems):
    words = [t["text"] for t in line["tokens"]]
    spaces = [bool(t["ws"]) for t in line["tokens"]]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    if doc.text != line["text"]:
        problems.append(f"{line['meta']['document']}: tokens do not rebuild the text")
        return doc
    spans = []
    for s in line["spans"]:
        span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict")
        if span is None:
            problems.append(
                f"{line['meta']['document']}: span {s['start']}..{s['end']} {s['label']} is not on token boundaries"
            )
            continue
        spans.append(span)
    doc.spans[spans_key] = spans
    ordered = sorted(spans, key=lambda x: (x.start, x.end))
    if all(a.end <= b.start for a, b in zip(ordered, ordered[1:])):
        doc.ents = ordered
    return doc


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl")
    ap.add_argument("out")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--spans-key", default="sc")
    args = ap.parse_args(argv)
    nlp = spacy.blank(args.lang)
    db = DocBin(store_user_data=True)
    problems = []
    count = 0
    with open(args.jsonl, encoding="utf-8") as f:
        for raw in f:
            if raw.strip():
                db.add(build(nlp, json.loads(raw), args.spans_key, problems))
                count += 1
    db.to_disk(args.out)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"wrote {count} doc(s) to {args.out}; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
