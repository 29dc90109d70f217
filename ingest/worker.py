"""Read files in a worker process with a time limit, so one hostile file cannot hang ingest.

A thread cannot be stopped from outside, but a process can: on timeout the worker is killed,
the file is reported, and a fresh worker serves the next file. `spawn` (not fork) because the
parent holds torch and tokenizer threads whose locks a forked child could inherit mid-use.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from llama_index.core import Document

from ingest.readers import ReaderError, read_file


log = logging.getLogger(__name__)
STARTUP_TIMEOUT_S = 180  # importing the readers in a fresh process is slow on a busy machine


def _ready(reader) -> bool:
    return callable(reader)  # unpickling `reader` imported its module: the worker is warm


class ReaderPool:
    def __init__(self, timeout_s: float, reader=read_file):
        self.timeout_s = timeout_s
        self.reader = reader  # a module-level function: it is pickled to the worker
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
            # Start the worker now, so its start-up never counts against a file's time limit.
            self._pool.submit(_ready, self.reader).result(timeout=STARTUP_TIMEOUT_S)
        return self._pool

    def _start_or_fall_back(self) -> ProcessPoolExecutor | None:
        """A worker, or None (read in-process, no time limit) if none can start here — e.g.
        a script without an `if __name__ == "__main__"` guard breaks `spawn`."""
        try:
            return self._executor()
        except (BrokenProcessPool, FutureTimeout, OSError) as exc:
            log.warning("reader worker could not start (%s); reading without a time limit",
                        type(exc).__name__)
            self._discard()
            self.timeout_s = 0
            return None

    def _discard(self) -> None:
        if self._pool is not None:
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.kill()
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def read(self, path: Path) -> list[Document]:
        pool = self._start_or_fall_back() if self.timeout_s else None
        if pool is None:
            return self.reader(path)
        future = pool.submit(self.reader, path)
        try:
            return future.result(timeout=self.timeout_s)
        except FutureTimeout:
            self._discard()
            raise ReaderError(path, f"took longer than {self.timeout_s:g} s to read; skipped")
        except BrokenProcessPool:
            self._discard()
            raise ReaderError(path, "the reader crashed on this file (malformed input?)")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def __enter__(self) -> "ReaderPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
