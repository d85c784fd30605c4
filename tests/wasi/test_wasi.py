"""The `rubrica` CLI as a WASI module under PyPI's `wasmtime`, against the native CLI.

Each command is run twice from the repository root with the same arguments: by the native
binary, and by the module with the root preopened read-only as `.`. Standard output must be the
same bytes, the exit codes the same, and standard error the same text (less the one timing line
of a stream). Hostile scripts must end in one of the corpus's expected codes in both.

    RUBRICA_WASM=target/wasm32-wasip1/release/rubrica.wasm RUBRICA_NATIVE=target/debug/rubrica \\
        python tests/wasi/test_wasi.py -v

(`cargo xtask test --only WASI` builds both and runs this.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import unittest
from pathlib import Path

from score import Rubrica, Run

ROOT = Path(__file__).resolve().parents[2]
MODULE = Path(os.environ.get("RUBRICA_WASM", ROOT / "target/wasm32-wasip1/release/rubrica.wasm"))
NATIVE = Path(os.environ.get("RUBRICA_NATIVE", ROOT / "target/debug/rubrica"))
# Generated inputs, inside the preopened root so both runs read them by the same relative path.
SCRATCH = "target/wasi-test"
EXAMPLES = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("examples/*.json"))
# How many shipped rubrics rate each kind of record (a rubric's `record`, observations when absent).
RUBRICS_BY_FORMAT: dict[str, int] = {}
for _meta in ROOT.glob("rubrics/*/rubric.json"):
    _format = json.loads(_meta.read_text(encoding="utf-8")).get("record", "rubrica.observation/1")
    RUBRICS_BY_FORMAT[_format] = RUBRICS_BY_FORMAT.get(_format, 0) + 1


def record_format(example: str) -> str:
    return json.loads((ROOT / example).read_text(encoding="utf-8"))["format"]
MALFORMED = ["tests/malformed/age-huge.json", "tests/malformed/duplicate-child-ids.json"]
# The last line of a stream on stderr carries its time: `3 records scored, 0 rejected in 0.0s`.
TIMING = re.compile(rb" in [0-9]+\.[0-9]s\n\Z")

module: Rubrica


def setUpModule() -> None:
    global module
    for needed in (MODULE, NATIVE):
        if not needed.is_file():
            raise unittest.SkipTest(f"{needed} is missing; run `cargo xtask test --only WASI`")
    started = time.monotonic()
    module = Rubrica(MODULE)
    print(f"module {MODULE.name}: {MODULE.stat().st_size} bytes, compiled by wasmtime in "
          f"{time.monotonic() - started:.1f}s", file=sys.stderr)
    shutil.rmtree(ROOT / SCRATCH, ignore_errors=True)
    (ROOT / SCRATCH).mkdir(parents=True)


def native(args: list[str], stdin: bytes = b"") -> Run:
    done = subprocess.run(
        [str(NATIVE), *args], cwd=ROOT, input=stdin, capture_output=True, env={}, timeout=120
    )
    return Run(done.returncode, done.stdout, done.stderr)


def wasi(args: list[str], stdin: bytes = b"") -> Run:
    return module.run(args, directory=ROOT, stdin=stdin)


def one_line(path: str) -> str:
    return json.dumps(json.loads((ROOT / path).read_text(encoding="utf-8")), ensure_ascii=False)


def write(path: str, text: str) -> str:
    (ROOT / path).parent.mkdir(parents=True, exist_ok=True)
    (ROOT / path).write_text(text, encoding="utf-8")
    return path


class SameAsNative(unittest.TestCase):
    maxDiff = 4000

    def same(self, args: list[str], stdin: bytes = b"", stderr: bool = True) -> Run:
        """Runs `args` both ways; asserts the same stdout bytes, exit code and (unless told
        otherwise) stderr. Returns the module's run."""
        theirs, ours = native(args, stdin), wasi(args, stdin)
        shown = " ".join(args)
        self.assertEqual(ours.code, theirs.code, f"exit code of `rubrica {shown}`\n"
                         f"native stderr: {theirs.stderr!r}\nWASI stderr: {ours.stderr!r}")
        if ours.stdout != theirs.stdout:
            self.assertEqual(ours.stdout.decode(errors="replace"),
                             theirs.stdout.decode(errors="replace"), f"stdout of `rubrica {shown}`")
            self.fail(f"stdout of `rubrica {shown}` differs in bytes, not in text")
        if stderr:
            self.assertEqual(TIMING.sub(b"\n", ours.stderr).decode(errors="replace"),
                             TIMING.sub(b"\n", theirs.stderr).decode(errors="replace"),
                             f"stderr of `rubrica {shown}`")
        return ours


class Score(SameAsNative):
    def test_each_example_as_json(self) -> None:
        for example in EXAMPLES:
            with self.subTest(example):
                run = self.same(["score", example, "--format", "json"])
                self.assertEqual(run.code, 0)
                report = json.loads(run.stdout)
                self.assertEqual(report["format"], "rubrica.report/1")
                # Only the rubrics of the record's kind rate it: the six practices an observation.
                rated_by = RUBRICS_BY_FORMAT[record_format(example)]
                self.assertEqual([p["type"] for p in report["practices"]], ["success"] * rated_by)

    def test_each_example_as_text(self) -> None:
        for example in EXAMPLES:
            with self.subTest(example):
                run = self.same(["score", example])
                self.assertEqual(run.code, 0)
                self.assertIn(b"Strengths", run.stdout)

    def test_the_examples(self) -> None:
        formats = sorted(record_format(e) for e in EXAMPLES)
        self.assertEqual(formats, ["rubrica.family-partnership/1"] + ["rubrica.observation/1"] * 3
                         + ["rubrica.ta-reflection/1"],
                         "examples/ holds the center infant room, the mixed-age toddler room, the "
                         "family child care home and one reflection of each kind")
        self.assertEqual(RUBRICS_BY_FORMAT["rubrica.observation/1"], 6)

    def test_malformed_record(self) -> None:
        for args in (["score", MALFORMED[0], "--format", "json"], ["score", MALFORMED[0]]):
            with self.subTest(args[-1]):
                run = self.same(args)
                self.assertEqual(run.code, 2)
                self.assertIn(b"R0104", run.stdout + run.stderr)


class Stream(SameAsNative):
    @classmethod
    def setUpClass(cls) -> None:
        lines = [one_line(e) for e in EXAMPLES]
        cls.three = write(f"{SCRATCH}/three.jsonl", "".join(f"{line}\n" for line in lines))
        bad = one_line(MALFORMED[0])
        cls.with_bad = write(f"{SCRATCH}/with-bad-line.jsonl",
                             f"{lines[0]}\n{bad}\n\n{lines[1]}\n{lines[2]}\n")

    def test_json_lines_file(self) -> None:
        run = self.same(["score", self.three, "--format", "json"])
        self.assertEqual(run.code, 0)
        reports = [json.loads(line) for line in run.stdout.splitlines()]
        self.assertEqual([r["record"] for r in reports],
                         [json.loads(one_line(e))["id"] for e in EXAMPLES])

    def test_json_lines_as_text(self) -> None:
        self.assertEqual(self.same(["score", self.three]).code, 0)

    def test_json_lines_from_stdin(self) -> None:
        stdin = (ROOT / self.three).read_bytes()
        run = self.same(["score", "-", "--format", "json"], stdin=stdin)
        self.assertEqual(len(run.stdout.splitlines()), len(EXAMPLES))

    def test_jobs_on_a_host_without_threads(self) -> None:
        # WASI preview 1 has no threads: the module scores on one, in the same order.
        run = self.same(["score", self.three, "--format", "json", "--jobs", "2"])
        self.assertEqual(run.stdout, wasi(["score", self.three, "--format", "json"]).stdout)

    def test_a_bad_line_among_good_ones(self) -> None:
        run = self.same(["score", self.with_bad, "--format", "json"])
        self.assertEqual(run.code, 2)
        answers = [json.loads(line) for line in run.stdout.splitlines()]
        self.assertEqual([a.get("type", "report") for a in answers],
                         ["report", "failure", "report", "report"])
        self.assertEqual(answers[1]["line"], 2)


class Grants(unittest.TestCase):
    def test_imports_only_wasi_preview1_without_sockets(self) -> None:
        imports = {(i.module, i.name) for i in module.module.imports}
        self.assertEqual({m for m, _ in imports}, {"wasi_snapshot_preview1"})
        self.assertIn(("wasi_snapshot_preview1", "path_open"), imports)
        self.assertEqual([n for _, n in imports if n.startswith("sock_")], [])


class Validate(SameAsNative):
    def test_examples_and_malformed_records(self) -> None:
        run = self.same(["validate", *EXAMPLES, *MALFORMED])
        self.assertEqual(run.code, 2)
        self.assertEqual(run.stdout.count(b"\nok ") + run.stdout.startswith(b"ok "), len(EXAMPLES))
        self.assertEqual(run.stdout.count(b"invalid "), 2)

    def test_missing_file(self) -> None:
        # The OS error's text and number differ (WASI's errno 44 is ENOENT); stdout does not.
        run = self.same(["validate", "examples/no-such-record.json"], stderr=False)
        self.assertEqual(run.code, 2)

    def test_nothing_outside_the_preopened_directory(self) -> None:
        outside = str(ROOT / EXAMPLES[0])  # an absolute path: natively readable, not in WASI
        self.assertEqual(native(["validate", outside]).code, 0)
        run = wasi(["validate", outside])
        self.assertEqual(run.code, 2)
        self.assertIn(b"cannot read file", run.stderr)


class Rubrics(SameAsNative):
    def test_check(self) -> None:
        self.assertEqual(self.same(["check", "rubrics"]).code, 0)

    def test_self_tests(self) -> None:
        run = self.same(["test", "rubrics"])
        self.assertEqual(run.code, 0)
        self.assertRegex(run.stdout.decode(), r"(?:\A|\n)[1-9][0-9]* passed, 0 failed\n\Z")

    def test_coverage_as_json(self) -> None:
        run = self.same(["test", "rubrics", "--coverage", "--format", "json"])
        self.assertIn(b'"summary"', run.stdout)


class Hostile(SameAsNative):
    """Scripts from tests/hostile/ end in their expected codes in the WASI host too: the
    operation limit, the deadline (the clock) and the memory bound (the counting allocator)."""

    EXPECTED = {e["name"]: e["expect_code"].split("|")
                for e in json.loads((ROOT / "tests/hostile/corpus.json").read_text())}

    def contained(self, name: str) -> None:
        folder = f"{SCRATCH}/hostile-{name}"
        rubric = ROOT / folder / "rubrics/hostile"
        rubric.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "tests/hostile/rubric.json", rubric / "rubric.json")
        shutil.copy(ROOT / f"tests/hostile/{name}.rhai", rubric / "rubric.rhai")
        record = json.loads((ROOT / EXAMPLES[0]).read_text(encoding="utf-8"))
        record.setdefault("items", {})["hostile"] = {
            "own-space": {"value": "yes", "method": "observed"}}
        path = write(f"{folder}/record.json", json.dumps(record))
        args = ["score", path, "--rubrics", f"{folder}/rubrics", "--format", "json"]
        started = time.monotonic()
        ours = wasi(args)
        took = time.monotonic() - started
        theirs = native(args)
        codes = []
        for who, run in (("native", theirs), ("WASI", ours)):
            self.assertEqual(run.code, 1, f"{who}: {run.stderr!r}")
            (entry,) = [p for p in json.loads(run.stdout)["practices"] if p["rubric"] == "hostile"]
            self.assertEqual(entry["type"], "failure")
            code = entry["errors"][0]["code"]
            self.assertIn(code, self.EXPECTED[name], f"{who} ended {name} with {code}")
            codes.append(code)
        if codes[0] == codes[1]:
            self.assertEqual(ours.stdout, theirs.stdout)
        print(f"{name}: native {codes[0]}, WASI {codes[1]} in {took:.2f}s ...", end=" ",
              file=sys.stderr)

    def test_infinite_loop(self) -> None:
        self.contained("loop-forever")

    def test_deadline(self) -> None:
        # Few operations, each slow: only the rubric's deadline (the WASI clock) stops it.
        self.contained("heavy-contains")

    def test_memory_flood(self) -> None:
        self.contained("map-of-big-strings")

    def test_exponential_recursion(self) -> None:
        self.contained("exponential-recursion")


if __name__ == "__main__":
    unittest.main()
