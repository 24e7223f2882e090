#!/usr/bin/env python3
"""Makes the fuzz targets' seed corpora and dictionaries (run by scripts/fuzz.sh).

Seeds come from the tests (the string literals of their sources, the fixture files under
config/), from ../shared (recorded provider bodies and the providers' documented examples,
read in place, never copied into the repository) and from tests/fuzz/seeds/<target>/.
Targets that read a selector byte first (README.md) get each seed once per useful selector.
Each target's dictionary is tests/fuzz/dicts/*.dict for its kind of input plus every JSON
key found in its own seeds.

usage: make_seeds.py REPO SHARED OUT   (writes OUT/seeds/<target>/ and OUT/dicts/<target>.dict)
"""

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

BIG = 64 * 1024  # larger recorded bodies are cut down to their first few records
KEEP = 3  # records kept of each array of a cut-down body
MAX_SEED = 256 * 1024
MAX_KEYS = 400

RAW_STRING = re.compile(r'R"([^()\\\s"]{0,16})\((.*?)\)\1"', re.S)
CHAR_LITERAL = re.compile(r"'(?:[^'\\\n]|\\.)'")
STRING_RUN = re.compile(r'"(?:[^"\\\n]|\\.)*"(?:\s*"(?:[^"\\\n]|\\.)*")*')
ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)", re.S)
SIMPLE_ESCAPES = {"n": b"\n", "r": b"\r", "t": b"\t", "0": b"\0", "\\": b"\\", '"': b'"',
                  "'": b"'", "?": b"?", "a": b"\a", "b": b"\b", "f": b"\f", "v": b"\v"}


def c_string(literal_run):
    """The bytes of adjacent C string literals ("a\\n" "b"), escapes decoded."""
    out = bytearray()
    for piece in re.findall(r'"((?:[^"\\\n]|\\.)*)"', literal_run):
        at = 0
        for match in ESCAPE.finditer(piece):
            out += piece[at:match.start()].encode()
            code = match.group(1)
            if code[0] == "x":
                out.append(int(code[1:], 16))
            elif code[0] in "01234567" and code != "0":
                out.append(int(code, 8) & 0xFF)
            else:
                out += SIMPLE_ESCAPES.get(code, code.encode())
            at = match.end()
        out += piece[at:].encode()
    return bytes(out)


def literals(paths):
    """(raw strings, ordinary string literals with a line end) of C++ sources."""
    raws, plains = [], []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        raws += [m.group(2).encode() for m in RAW_STRING.finditer(text)]
        rest = CHAR_LITERAL.sub("' '", RAW_STRING.sub('""', text))
        for run in STRING_RUN.finditer(rest):
            value = c_string(run.group(0))
            if b"\n" in value or b"\r" in value:
                plains.append(value)
    return raws, plains


def sources(repo, *folders):
    return sorted(p for folder in folders for p in (repo / folder).glob("*.cpp"))


def files(folder, pattern="*"):
    return sorted(p for p in Path(folder).glob(pattern) if p.is_file()) if folder.is_dir() else []


def cut_down(value):
    if isinstance(value, list):
        return [cut_down(v) for v in value[:KEEP]]
    if isinstance(value, dict):
        return {k: cut_down(v) for k, v in value.items()}
    return value


def body(path):
    """A recorded body as a seed: as it is, or its first records when it is large."""
    data = path.read_bytes()
    if len(data) <= BIG:
        return data
    try:
        value = json.loads(data)
    except ValueError:
        return data[:BIG]
    return json.dumps(cut_down(value), ensure_ascii=False, separators=(",", ":")).encode()


def json_blocks(markdown):
    """The ```json examples of a document."""
    if not markdown.is_file():
        return []
    text = markdown.read_text(encoding="utf-8")
    return [m.group(1).encode() for m in re.finditer(r"```json\n(.*?)```", text, re.S)]


def records_as_ndjson(data):
    """Every object of every array of a JSON body, one compact object a line."""
    try:
        value = json.loads(data)
    except ValueError:
        return None
    lines = []

    def walk(v):
        if isinstance(v, list):
            lines.extend(json.dumps(x, ensure_ascii=False) for x in v if isinstance(x, dict))
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)

    walk(value)
    return ("\n".join(lines[:8]) + "\n").encode() if lines else None


def json_keys(data, keys):
    try:
        value = json.loads(data)
    except ValueError:
        return

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                keys.add(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(value)


def schema_words(path, words):
    """Property names and enum words of a JSON Schema."""
    if not path.is_file():
        return

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k in ("properties", "patternProperties") and isinstance(x, dict):
                    words.update(x.keys())
                elif k == "enum" and isinstance(x, list):
                    words.update(e for e in x if isinstance(e, str))
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(json.loads(path.read_text(encoding="utf-8")))


def dict_entry(text):
    out = []
    for byte in text.encode():
        ch = chr(byte)
        if ch in '\\"':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append("\\x%02X" % byte)
    return '"' + "".join(out) + '"'


def one_stream(fragment):
    """A rest-json test's stream fragment ("entity": ...) as a whole mapping (record_test.cpp)."""
    return (b'{"provider": "Test", "time_zone": "Europe/Paris", "streams": [{"name": "s", ' +
            fragment + b"}]}")


def main(repo, shared, out):
    repo, shared, out = Path(repo), Path(shared), Path(out)
    recorded = shared / "recorded"
    docs = shared / "providers"
    seeds = {}  # target -> list of (bytes, selector prefixes)

    def add(target, data, *prefixes):
        if data is None:
            return
        for prefix in prefixes or (b"",):
            seeds.setdefault(target, []).append(prefix + data)

    # config: the shipped configs and the config tests' texts.
    for path in [repo / "config/demo.json"] + files(repo / "config/examples", "*.json"):
        add("config", path.read_bytes())
    raws, _ = literals(sources(repo, "hub/tests/config"))
    for raw in raws:
        add("config", raw)

    # rest-json mapping: the presets and the rest-json tests' mappings.
    for path in files(repo / "config/providers", "*.json"):
        add("rest-json-mapping", path.read_bytes())
    raws, _ = literals(sources(repo, "plugins/rest-json/tests"))
    for raw in raws:
        stripped = raw.lstrip()
        if stripped.startswith(b'"entity"') or stripped.startswith(b'"name"'):
            add("rest-json-mapping", one_stream(raw))
        elif b'"streams"' in raw:
            add("rest-json-mapping", raw)
        else:  # a page body of the record tests: read by every preset
            add("rest-json-page", raw, b"a", b"b", b"c", b"i")
    for block in json_blocks(docs / "partner-crms.md"):
        add("rest-json-page", block, b"a", b"b", b"c", b"i")
    for path in files(recorded / "hubspot", "*.json"):
        add("rest-json-page", body(path), b"c")

    # normalizer: the record JSON tests' records, as each entity.
    raws, _ = literals(sources(repo, "hub/tests/model"))
    for raw in raws:
        if raw.lstrip().startswith(b"{"):
            add("normalizer", raw, b"c", b"o", b"p", b"s", b"m")

    # CSV and NDJSON readers: the readers' tests, the demo spreadsheets, recorded records.
    _, plains = literals(sources(repo, "connectors/files/tests"))
    for text in plains:
        add("csv-reader", text, b",0", b",1")
        add("ndjson-reader", text, b"0", b"1")
    for path in files(repo / "config/demo-data", "*.csv"):
        add("csv-reader", path.read_bytes(), b",0", b",1")
        add("file-import", path.read_bytes(), b"2" if "opportunit" in path.name else b"0")
    for path in files(recorded / "mailchimp") + files(recorded / "salesforce") + files(
            recorded / "hubspot"):
        lines = records_as_ndjson(body(path))
        add("ndjson-reader", lines, b"0")
        add("file-import", lines, b"1", b"3")

    # file-import: the plugin's tests' files, by their look.
    raws, plains = literals(sources(repo, "plugins/file-import/tests"))
    for text in raws + plains:
        if text.lstrip().startswith(b"{"):
            add("file-import", text, b"1", b"3")
        elif b"," in text or b";" in text:
            add("file-import", text, b"0", b"2", b"6")

    # Provider pages: the plugins' tests, recorded bodies, the documented examples.
    for target, folder, names in [
        ("connect-scouting-page", "plugins/connect-scouting/tests", []),
        ("mailchimp-page", "plugins/mailchimp/tests", ["mailchimp"]),
        ("salesforce-page", "plugins/salesforce/tests", ["salesforce"]),
    ]:
        raws, _ = literals(sources(repo, folder))
        for raw in raws:
            add(target, raw)
        for name in names:
            for path in files(recorded / name):
                if path.suffix == ".json":
                    add(target, body(path))
    for block in json_blocks(docs / "connect-feed.md"):
        add("connect-scouting-page", block)

    # The project's own seeds.
    own = repo / "tests/fuzz/seeds"
    for folder in sorted(p for p in own.iterdir() if p.is_dir()) if own.is_dir() else []:
        for path in files(folder):
            add(folder.name, path.read_bytes())

    targets_file = out / "tests/fuzz/targets.txt"
    targets = targets_file.read_text().split() if targets_file.is_file() else sorted(seeds)
    base_dicts = {
        "config": ["json", "config"],
        "rest-json-mapping": ["json", "rest-json-mapping"],
        "csv-reader": ["csv"],
        "file-import": ["json", "csv"],
    }
    schemas = {"config": "campaign-hub.schema.json",
               "rest-json-mapping": "rest-json-mapping.schema.json"}
    for target in targets:
        folder = out / "seeds" / target
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        keys = set()
        schema_words(repo / "config" / schemas.get(target, "-"), keys)
        count = 0
        for data in seeds.get(target, []):
            if len(data) > MAX_SEED:
                continue
            name = hashlib.sha1(data).hexdigest()
            if (folder / name).exists():
                continue
            (folder / name).write_bytes(data)
            count += 1
            for start in (0, 1):
                json_keys(data[start:], keys)
        lines = []
        for name in base_dicts.get(target, ["json"]):
            lines += (repo / "tests/fuzz/dicts" / (name + ".dict")).read_text().splitlines()
        lines += [dict_entry(k) for k in sorted(keys, key=lambda k: (len(k), k))[:MAX_KEYS]
                  if 0 < len(k) <= 64]
        (out / "dicts").mkdir(parents=True, exist_ok=True)
        (out / "dicts" / (target + ".dict")).write_text("\n".join(lines) + "\n")
        print("%-22s %4d seeds, %3d keys in its dictionary" % (target, count, len(keys)))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
