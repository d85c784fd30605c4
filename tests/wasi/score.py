"""Runs the `rubrica` CLI compiled to WASI (`wasm32-wasip1`) under PyPI's `wasmtime`.

The module gets its arguments, one preopened directory (read-only unless asked otherwise),
stdin/stdout/stderr as files, and nothing else: no environment variables, no network, no
inherited streams. Exit codes are those of the native CLI (0 ok, 1 findings, 2 input errors).

As a program, from the repository root:

    python tests/wasi/score.py target/wasm32-wasip1/release/rubrica.wasm \\
        score examples/center-infants.json --format json

prints what the module wrote and exits with its code.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import wasmtime


@dataclass
class Run:
    """What one run of the module came to."""

    code: int
    stdout: bytes
    stderr: bytes


class Rubrica:
    """The module compiled once; each `run` instantiates it afresh in its own store.

    Beside the engine's own limits, the host bounds each run: `limit_seconds` of wall time
    (wasmtime's epoch interruption) and `memory_bytes` of linear memory. A run past either
    raises `wasmtime.Trap`; the engine's limits end hostile scripts well before (a memory flood
    peaks at about 66 MiB, a loop at the 200 ms deadline).
    """

    def __init__(
        self,
        module_path: str | os.PathLike[str],
        limit_seconds: int = 120,
        memory_bytes: int = 256 * 1024 * 1024,
    ) -> None:
        config = wasmtime.Config()
        config.epoch_interruption = True
        self.engine = wasmtime.Engine(config)
        self.module = wasmtime.Module.from_file(self.engine, str(module_path))
        self.linker = wasmtime.Linker(self.engine)
        self.linker.define_wasi()
        self.limit_seconds = limit_seconds
        self.memory_bytes = memory_bytes
        # One epoch a second, for every store of this engine.
        ticker = threading.Thread(target=self._tick, daemon=True)
        ticker.start()

    def _tick(self) -> None:
        while True:
            time.sleep(1.0)
            self.engine.increment_epoch()

    def run(
        self,
        args: list[str],
        directory: str | os.PathLike[str] = ".",
        stdin: bytes = b"",
        writable: bool = False,
    ) -> Run:
        """Runs `rubrica ARGS` with `directory` preopened as the module's `.`: relative paths in
        `args` are read from there, and nothing outside it can be opened."""
        with tempfile.TemporaryDirectory(prefix="rubrica-wasi-") as tmp:
            stdin_path, stdout_path, stderr_path = (
                os.path.join(tmp, name) for name in ("stdin", "stdout", "stderr")
            )
            Path(stdin_path).write_bytes(stdin)
            wasi = wasmtime.WasiConfig()
            wasi.argv = ["rubrica", *args]
            wasi.preopen_dir(str(directory), ".", writable)
            wasi.stdin_file = stdin_path
            wasi.stdout_file = stdout_path
            wasi.stderr_file = stderr_path
            store = wasmtime.Store(self.engine)
            store.set_wasi(wasi)
            store.set_epoch_deadline(self.limit_seconds)
            store.set_limits(memory_size=self.memory_bytes)
            instance = self.linker.instantiate(store, self.module)
            start = instance.exports(store)["_start"]
            try:
                start(store)
                code = 0  # `main` returned 0: WASI's `_start` returns without `proc_exit`
            except wasmtime.ExitTrap as exit_trap:
                code = exit_trap.code
            return Run(code, Path(stdout_path).read_bytes(), Path(stderr_path).read_bytes())


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: score.py MODULE.wasm RUBRICA-ARGS...", file=sys.stderr)
        return 2
    stdin = b"" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.buffer.read()
    run = Rubrica(argv[0]).run(argv[1:], stdin=stdin)
    sys.stdout.buffer.write(run.stdout)
    sys.stderr.buffer.write(run.stderr)
    return run.code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
