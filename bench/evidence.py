"""Time the streamed evidence hash against bare hashing and copying of the same bytes.

    python bench/evidence.py [--mib 256] [--repeat 3]

Streams a generated file of --mib MiB through `tracker.evidence.service.stream_to_folder`
(the copy to the evidence folder with its SHA-256 computed on the way) and, as the baseline
in the same process, hashes and writes the same chunks with hashlib and a plain file. Prints
one JSON line with both CPU times (medians over --repeat runs, `time.process_time`), their
ratio, and the peak Python memory of the streamed copy (tracemalloc), which must stay a few
chunks however large the file.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from tracker.evidence.service import CHUNK_SIZE, stream_to_folder


class Generated(io.RawIOBase):
    """`size` bytes made on the fly, so that the benchmark holds none of them."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.left)
        buffer[:count] = b"\x5a" * count
        self.left -= count
        return count


def streamed(size: int, folder: Path) -> float:
    started = time.process_time()
    result = stream_to_folder(io.BufferedReader(Generated(size)), {"INSTANCE": str(folder)})
    elapsed = time.process_time() - started
    result.path.unlink()
    return elapsed


def bare(size: int, folder: Path) -> float:
    started = time.process_time()
    digest = hashlib.sha256()
    stream = io.BufferedReader(Generated(size))
    with open(folder / "bare.bin", "wb") as handle:
        while chunk := stream.read(CHUNK_SIZE):
            digest.update(chunk)
            handle.write(chunk)
    digest.hexdigest()
    elapsed = time.process_time() - started
    (folder / "bare.bin").unlink()
    return elapsed


def peak_memory(size: int, folder: Path) -> int:
    tracemalloc.start()
    result = stream_to_folder(io.BufferedReader(Generated(size)), {"INSTANCE": str(folder)})
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result.path.unlink()
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = args.mib * 1024 * 1024

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        streamed_s = statistics.median(streamed(size, folder) for _ in range(args.repeat))
        bare_s = statistics.median(bare(size, folder) for _ in range(args.repeat))
        peak = peak_memory(size, folder)

    print(
        json.dumps(
            {
                "bench": "evidence",
                "file_mib": args.mib,
                "streamed_hash_s": round(streamed_s, 3),
                "bare_hash_and_copy_s": round(bare_s, 3),
                "ratio": round(streamed_s / bare_s, 2) if bare_s else None,
                "streamed_peak_python_mib": round(peak / 1024 / 1024, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
