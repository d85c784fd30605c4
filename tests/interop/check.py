"""Checks Rubrica's exports with tools nobody here wrote. Run by `cargo xtask test --only exports`.

    python check.py lrs DIR XAPI.json...          POST to a Ralph LRS on loopback, read back, compare
    python check.py csv EXPORT.csv REPORT.json... Python's csv module against the report JSON
    python check.py schema SCHEMA.json DOC.json   jsonschema (format checks on) against a schema

Each prints one summary line and exits 1 with the problems on stderr when a check fails.
"""

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


# --- LRS ------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lrs(workdir, files):
    import requests

    ralph = os.path.join(os.path.dirname(sys.executable), "ralph")
    workdir = os.path.abspath(workdir)
    app_dir = os.path.join(workdir, "app")
    data_dir = os.path.join(workdir, "data")
    os.makedirs(data_dir, exist_ok=True)
    env = dict(os.environ, RALPH_RUNSERVER_BACKEND="fs", RALPH_APP_DIR=app_dir)
    user, password = "rubrica", "exports-check"
    auth_file = os.path.join(app_dir, "auth.json")
    if os.path.exists(auth_file):
        os.remove(auth_file)
    subprocess.run(
        [ralph, "auth", "-u", user, "-p", password, "-s", "all", "-M", "mailto:lrs@example.org", "-w"],
        env=env, check=True, capture_output=True,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(workdir, "ralph.log"), "w")
    server = subprocess.Popen(
        [ralph, "runserver", "-b", "fs", "--fs-default-directory-path", data_dir,
         "-h", "127.0.0.1", "-p", str(port)],
        # In its own folder: the server watches its working folder for changes.
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir,
    )
    try:
        session = requests.Session()
        session.auth = (user, password)
        session.headers["X-Experience-API-Version"] = "1.0.3"
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                fail(f"the LRS stopped while starting (exit {server.returncode}); see {log.name}")
            try:
                status = session.get(f"{base}/whoami", timeout=2).status_code
                if status == 200:
                    break
                if status in (401, 403):
                    fail(f"the LRS refused the credentials written for it ({status}); see {log.name}")
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                fail(f"the LRS was not ready within 60 s; see {log.name}")
            time.sleep(0.3)

        # Ralph's file backend writes its file once: every statement goes in one POST.
        sent = []
        for path in files:
            with open(path, encoding="utf-8") as f:
                sent.extend((path, s) for s in json.load(f))
        statements = [s for _, s in sent]
        r = session.post(f"{base}/xAPI/statements", json=statements, timeout=60)
        if r.status_code != 200:
            fail(f"the LRS answered {r.status_code}: {r.text[:500]}")
        ids = r.json()
        if ids != [s["id"] for s in statements]:
            fail(f"the LRS stored ids {ids}, the exports have {[s['id'] for s in statements]}")
        posted = 0
        for path, s in sent:
            got = session.get(f"{base}/xAPI/statements", params={"statementId": s["id"]}, timeout=30)
            if got.status_code != 200:
                fail(f"{path}: reading {s['id']} back: {got.status_code} {got.text[:300]}")
            back = got.json()
            if "statements" in back:
                back = back["statements"][0]
            for added in ("stored", "authority", "version"):
                back.pop(added, None)
            if back != s:
                fail(f"{path}: statement {s['id']} came back different:\n"
                     f"sent {json.dumps(s, sort_keys=True)}\ngot  {json.dumps(back, sort_keys=True)}")
            posted += 1

        # The LRS must refuse a broken statement (the check can fail): no verb, and an actor
        # without any identifier.
        broken = dict(statements[0])
        broken["id"] = "00000000-0000-4000-8000-000000000001"
        del broken["verb"]
        broken["actor"] = {"objectType": "Agent", "name": "someone"}
        r = session.post(f"{base}/xAPI/statements", json=[broken], timeout=30)
        if not 400 <= r.status_code < 500:
            fail(f"the LRS did not refuse a statement without a verb (answered {r.status_code})")
        print(f"Ralph LRS: {posted} statements posted, read back and identical; a broken one refused ({r.status_code})")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


# --- CSV ------------------------------------------------------------------------------------

COLUMNS = ["record", "observed_on", "setting", "practice", "rubric", "rubric_version",
           "practice_status", "practice_score", "indicator", "indicator_title", "kind", "outcome",
           "level", "label", "scale_min", "scale_max", "evidence", "note", "reason",
           "engine_version"]


def unguard(cell):
    """What a text cell held before the exporter defused a formula."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def number(value):
    if value is None:
        return ""
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def check_csv(csv_path, report_paths):
    with open(csv_path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if rows[0] != COLUMNS:
        fail(f"{csv_path}: header {rows[0]}")
    body = rows[1:]
    expected = []
    for path in report_paths:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        for p in report["practices"]:
            if p["type"] != "success":
                continue
            r = p["result"]
            for ind in r["indicators"]:
                expected.append({
                    "record": report["record"], "observed_on": report["observed_on"],
                    "setting": report["setting"], "practice": r["rubric"]["practice"],
                    "rubric": r["rubric"]["id"], "rubric_version": r["rubric"]["version"],
                    "practice_status": r["status"], "practice_score": number(r["score"]),
                    "indicator": ind["id"], "indicator_title": ind["title"], "kind": ind["kind"],
                    "outcome": ind["outcome"], "level": number(ind["level"]),
                    "label": ind["label"] or "", "scale_max": str(r["scale_max"]),
                    "evidence": "\n".join(ind["evidence"]), "note": ind.get("note") or "",
                    "reason": ind.get("reason") or "",
                })
    if len(body) != len(expected):
        fail(f"{csv_path}: {len(body)} rows, the reports have {len(expected)} indicators")
    for i, (row, want) in enumerate(zip(body, expected), start=2):
        if len(row) != len(COLUMNS):
            fail(f"{csv_path}:{i}: {len(row)} fields")
        got = dict(zip(COLUMNS, row))
        for key, value in want.items():
            if unguard(got[key]) != value:
                fail(f"{csv_path} row {i} `{key}`: {got[key]!r}, the report has {value!r}")
        for key in COLUMNS:
            if got[key].startswith(FORMULA_START):
                fail(f"{csv_path} row {i} `{key}` starts a formula: {got[key]!r}")
    print(f"Python csv: {len(body)} rows of {csv_path} match the reports field by field")


# --- JSON Schema ----------------------------------------------------------------------------

def schema(schema_path, doc_path):
    import jsonschema

    with open(schema_path, encoding="utf-8") as f:
        s = json.load(f)
    with open(doc_path, encoding="utf-8") as f:
        doc = json.load(f)
    cls = jsonschema.validators.validator_for(s)
    cls.check_schema(s)
    validator = cls(s, format_checker=cls.FORMAT_CHECKER)
    # Formats are checked only by the packages that know them (rfc3339-validator for date-time).
    for needed in ("uuid", "date-time"):
        if needed not in validator.format_checker.checkers:
            fail(f"jsonschema cannot check the `{needed}` format here; install its package")
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        print(f"{doc_path} /{'/'.join(map(str, e.absolute_path))}: {e.message}", file=sys.stderr)
    if errors:
        fail(f"{doc_path}: {len(errors)} problem(s) against {schema_path}")
    # The schema can fail: a document with its first string made a number must be refused.
    broken = json.loads(json.dumps(doc))
    target = broken[0]["score"] if isinstance(broken, list) else broken["CFDocument"]
    target["identifier" if "identifier" in target else "userId"] = 7
    if validator.is_valid(broken):
        fail(f"{schema_path} accepted a broken copy of {doc_path}")
    from importlib.metadata import version

    print(f"jsonschema {version('jsonschema')}: {doc_path} is valid against "
          f"{os.path.basename(schema_path)}, formats checked")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        fail(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "lrs":
        lrs(args[0], args[1:])
    elif command == "csv":
        check_csv(args[0], args[1:])
    elif command == "schema":
        schema(args[0], args[1])
    else:
        fail(__doc__)
