#!/usr/bin/env python3
"""Consumer checks: Spanmark's exports of a project, loaded by the real tools.

Usage: check_exports.py EXPORT_DIR PROJECT_FOLDER

EXPORT_DIR holds one export per format as run.sh writes them (FORMAT.EXT or
FORMAT/ plus FORMAT.report.json). Sources are read from
PROJECT_FOLDER/sources with newline="" (byte-exact, CRLF kept), so every
offset is checked against the text exactly as Spanmark counts it: Unicode
code points, i.e. Python str indices.

Checks (each prints one line; the last line is "N passed, N failed"):
- csv: RFC 4180 via the csv module; text[start:end] == the text column.
  The CSV rows are the reference set of (document, start, end, label).
- doccano / doccano-rel / labelstudio / w3c: the text (or the source) and
  every span's text[start:end] against the reference and the covered text.
- prodigy: tokens rebuild the text; token_start/token_end bracket the span;
  spaCy Doc(words, spaces) + char_span(alignment_mode="strict") builds every
  span, or the span is listed as misaligned in the fidelity report.
- spacy: the bundled jsonl_to_docbin.py writes a DocBin with spaCy itself;
  it is read back and every span is checked.
- conll / bilou: tokens appear in order in the text; seqeval (strict mode,
  IOB2 / BILOU scheme) finds exactly the entities a lenient reading finds,
  as many as the report says were written.
- hf: datasets.load_dataset("json") with ClassLabel features from tags.json.
- brat: .txt equals the source byte for byte; each T line's fragments,
  joined by a space, equal its text column; notes point at T ids.
"""
import csv
import glob
import json
import os
import subprocess
import sys

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")


def read_exact(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def main(out, project_dir):
    sources = {os.path.basename(p): read_exact(p) for p in glob.glob(os.path.join(project_dir, "sources", "*"))}
    by_path = {f"sources/{k}": v for k, v in sources.items()}
    reports = {}
    for p in glob.glob(os.path.join(out, "*.report.json")):
        reports[os.path.basename(p)[: -len(".report.json")]] = json.load(open(p, encoding="utf-8"))

    # CSV: the reference set.
    ref = {}
    with open(os.path.join(out, "csv.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    bad = [r for r in rows if sources[r["document"]][int(r["start"]):int(r["end"])] != r["text"]]
    for r in rows:
        ref[(r["document"], int(r["start"]), int(r["end"]), r["label"])] = r
    check("csv: text[start:end] == text column", rows and not bad, f"{len(rows)} rows, {len(bad)} bad")
    check("csv: header", list(rows[0].keys()) == ["document", "start", "end", "label", "text", "note", "author", "created"])

    # doccano
    for fmt in ("doccano", "doccano-rel"):
        lines = [json.loads(l) for l in open(os.path.join(out, f"{fmt}.jsonl"), encoding="utf-8")]
        problems, n = [], 0
        for line in lines:
            doc = line["document"]
            if line["text"] != sources[doc]:
                problems.append(f"{doc}: text differs from the source")
            spans = line.get("label") or [[e["start_offset"], e["end_offset"], e["label"]] for e in line.get("entities", [])]
            for s, e, l in spans:
                n += 1
                if (doc, s, e, l) not in ref:
                    problems.append(f"{doc} {s}..{e} {l} not in the reference")
            for e in line.get("entities", []):
                r = ref.get((doc, e["start_offset"], e["end_offset"], e["label"]))
                if r and (e.get("note") or "") != r["note"]:
                    problems.append(f"{doc} {e['id']}: note differs")
        check(f"{fmt}: offsets match the text", not problems and n == len(rows), f"{n} spans; {problems[:3]}")

    # Label Studio
    for fmt in ("labelstudio",):
        tasks = json.load(open(os.path.join(out, f"{fmt}.json"), encoding="utf-8"))
        problems, n = [], 0
        for t in tasks:
            text, doc = t["data"]["text"], t["data"]["document"]
            if text != sources[doc]:
                problems.append(f"{doc}: text differs")
            for a in t.get("annotations", []) + t.get("predictions", []):
                for r in a["result"]:
                    v = r["value"]
                    n += 1
                    if text[v["start"]:v["end"]] != v["text"] or (doc, v["start"], v["end"], v["labels"][0]) not in ref:
                        problems.append(f"{doc} {r['id']}")
        check(f"{fmt}: text[start:end] == value.text", not problems and n == len(rows), f"{n} results; {problems[:3]}")

    # W3C
    coll = json.load(open(os.path.join(out, "w3c.jsonld"), encoding="utf-8"))
    problems = []
    items = coll["first"]["items"]
    for a in items:
        text = by_path[a["target"]["source"]]
        q, p = a["target"]["selector"]
        s, e = p["start"], p["end"]
        label = next(b["value"] for b in a["body"] if b["purpose"] == "tagging")
        if text[s:e] != q["exact"] or not text[:s].endswith(q["prefix"]) or not text[e:].startswith(q["suffix"]):
            problems.append(a["id"])
        if (os.path.basename(a["target"]["source"]), s, e, label) not in ref:
            problems.append(a["id"] + " not in reference")
    check("w3c: position and quote selectors agree", not problems and len(items) == coll["total"] == len(rows), f"{len(items)} annotations; {problems[:3]}")

    # brat
    problems, n = [], 0
    for ann in sorted(glob.glob(os.path.join(out, "brat", "*.ann"))):
        txt = read_exact(ann[:-4] + ".txt")
        doc = next((k for k, v in sources.items() if v == txt), None)
        if doc is None:
            problems.append(f"{ann}: .txt differs from every source")
            continue
        tids = set()
        for line in read_exact(ann).split("\n"):
            if not line:
                continue
            cols = line.split("\t", 2)
            if cols[0].startswith("T"):
                n += 1
                tids.add(cols[0])
                label, offs = cols[1].split(" ", 1)
                frags = [tuple(map(int, f.split(" "))) for f in offs.split(";")]
                if " ".join(txt[a:b] for a, b in frags) != cols[2]:
                    problems.append(f"{doc} {cols[0]}: text column differs")
                if "\n" in cols[2] or "\r" in cols[2]:
                    problems.append(f"{doc} {cols[0]}: line break in text column")
            elif cols[0].startswith("#") and cols[1].split(" ")[1] not in tids:
                problems.append(f"{doc} {cols[0]}: note target unknown")
    check("brat: fragments == text column, .txt byte-exact", not problems and n == len(rows), f"{n} T lines; {problems[:3]}")

    import spacy
    from spacy.tokens import Doc, DocBin

    nlp = spacy.blank("en")

    # Prodigy: tokens, spaCy strict char_span.
    lines = [json.loads(l) for l in open(os.path.join(out, "prodigy.jsonl"), encoding="utf-8")]
    misaligned = {(e["document"], *e["range"], e["label"]) for e in reports["prodigy"]["entries"] if e["kind"] == "misaligned"}
    problems, built, reported, native = [], 0, 0, 0
    for line in lines:
        text, doc_name = line["text"], line["meta"]["document"]
        toks = line["tokens"]
        rebuilt = "".join(t["text"] + (" " if t["ws"] else "") for t in toks)
        if rebuilt != text or any(text[t["start"]:t["end"]] != t["text"] for t in toks):
            problems.append(f"{doc_name}: tokens do not rebuild the text")
        doc = Doc(nlp.vocab, words=[t["text"] for t in toks], spaces=[t["ws"] for t in toks])
        own = nlp.make_doc(text)
        for s in line["spans"]:
            if toks[s["token_start"]]["start"] > s["start"] or toks[s["token_end"]]["end"] < s["end"]:
                problems.append(f"{doc_name} {s['start']}..{s['end']}: token_start/token_end do not bracket the span")
            if own.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict") is not None:
                native += 1
            if doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="strict") is not None:
                built += 1
            elif (doc_name, s["start"], s["end"], s["label"]) in misaligned:
                reported += 1
            else:
                problems.append(f"{doc_name} {s['start']}..{s['end']} {s['label']}: misaligned and not reported")
    total = sum(len(l["spans"]) for l in lines)
    check(
        "prodigy: spaCy char_span(strict) builds every span or the report lists it",
        not problems and total == len(rows),
        f"{built} built, {reported} reported misaligned, of {total}; {native} also align with spaCy's own English tokenizer; {problems[:3]}",
    )

    # spaCy DocBin through the bundled helper.
    jsonl = glob.glob(os.path.join(out, "spacy", "*.jsonl"))[0]
    spacy_file = os.path.join(out, "spacy", "train.spacy")
    proc = subprocess.run([sys.executable, os.path.join(out, "spacy", "jsonl_to_docbin.py"), jsonl, spacy_file], capture_output=True, text=True)
    check("spacy: jsonl_to_docbin.py builds the DocBin", proc.returncode == 0, (proc.stdout + proc.stderr).strip())
    docs = list(DocBin().from_disk(spacy_file).get_docs(nlp.vocab))
    expected = [json.loads(l) for l in open(jsonl, encoding="utf-8")]
    problems = []
    for d, line in zip(docs, expected):
        if d.text != line["text"] or d.text != sources[line["meta"]["document"]]:
            problems.append(f"{line['meta']['document']}: text differs")
        got = sorted((s.start_char, s.end_char, s.label_) for s in d.spans["sc"])
        want = sorted((s["start"], s["end"], s["label"]) for s in line["spans"])
        if got != want:
            problems.append(f"{line['meta']['document']}: spans differ")
    snapped = sum(1 for e in reports["spacy"]["entries"] if e["kind"] == "snapped")
    check(
        "spacy: DocBin reads back with every span",
        len(docs) == len(expected) and not problems,
        f"{len(docs)} docs, {sum(len(d.spans['sc']) for d in docs)} spans ({snapped} snapped, reported), {sum(len(d.ents) for d in docs)} ents; {problems[:3]}",
    )

    # CoNLL / BILOU with seqeval.
    from seqeval.metrics import classification_report
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import BILOU, IOB2, Entities

    for fmt, scheme in (("conll", IOB2), ("bilou", BILOU)):
        docs_tokens, sents, cur, problems = [], [], [], []
        for line in open(os.path.join(out, f"{fmt}.conll"), encoding="utf-8"):
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                docs_tokens.append([])
                continue
            if not line:
                if cur:
                    sents.append(cur)
                cur = []
                continue
            cols = line.split(" ")
            if len(cols) != 4:
                problems.append(f"bad line {line!r}")
                continue
            cur.append(cols[3])
            docs_tokens[-1].append(cols[0])
        if cur:
            sents.append(cur)
        tags = [t for s in sents for t in s]
        strict = Entities(sents, scheme).entities
        n_strict = sum(len(e) for e in strict)
        # get_entities reads IOB2 and IOBES; BILOU's U/L are IOBES's S/E.
        iobes = [[{"U": "S", "L": "E"}.get(t[0], t[0]) + t[1:] for t in s] for s in sents]
        lenient = len(get_entities(iobes))
        written = reports[fmt]["written"]
        classification_report(sents, sents, mode="strict", scheme=scheme, zero_division=0)
        for toks, (name, text) in zip(docs_tokens, [(d, sources[d]) for d in sources_in_order(lines)]):
            pos = 0
            for t in toks:
                i = text.find(t, pos)
                if i < 0 or text[pos:i].strip():
                    problems.append(f"{name}: token {t!r} not next in the text")
                    break
                pos = i + len(t)
        check(
            f"{fmt}: seqeval ({scheme.__name__}, strict) accepts the tags",
            not problems and n_strict == lenient == written and len(docs_tokens) == len(lines),
            f"{len(sents)} sentences, {len(tags)} tokens, {n_strict} entities (report: {written}); {problems[:3]}",
        )

    # Hugging Face datasets.
    from datasets import ClassLabel, Features, Sequence, Value, load_dataset

    tags = json.load(open(os.path.join(out, "hf", "tags.json"), encoding="utf-8"))
    data = glob.glob(os.path.join(out, "hf", "*.jsonl"))[0]
    features = Features({"id": Value("string"), "document": Value("string"), "tokens": Sequence(Value("string")), "ner_tags": Sequence(ClassLabel(names=tags))})
    ds = load_dataset("json", data_files={"train": data}, features=features)["train"]
    names = [[tags[i] for i in row] for row in ds["ner_tags"]]
    ents = sum(len(e) for e in Entities(names, IOB2).entities)
    check(
        "hf: datasets.load_dataset(json) with ClassLabel tags",
        len(ds) > 0 and all(len(a) == len(b) for a, b in zip(ds["tokens"], ds["ner_tags"])) and ents == reports["hf"]["written"],
        f"{len(ds)} rows, {len(tags)} tags, {ents} entities",
    )

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def sources_in_order(prodigy_lines):
    return [l["meta"]["document"] for l in prodigy_lines]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
