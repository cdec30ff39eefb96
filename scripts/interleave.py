#!/usr/bin/env python3
"""Compares builds of `split_scale` on a host whose speed drifts.

    python3 scripts/interleave.py BIN[,BIN...] STACKS ROUNDS [OUT_DIR]

Each round runs every binary once, in a fresh random order, with
`--stacks STACKS --out OUT_DIR` (default /tmp/split-interleave, removed
before each run, as hyperfine's --prepare would), and times the whole process
from spawn to exit. Because the binaries take turns, a slow spell of the host
falls on all of them alike, which back-to-back hyperfine runs cannot promise.
Prints the median, 10th and 90th percentiles and minimum of each binary, the
first two rounds left out as warm-up when there are more than five.

Build a second binary from another commit with a worktree and its own target
directory, for example:

    git worktree add /tmp/old c9c011e
    CARGO_TARGET_DIR=/tmp/old-target cargo build --release --example split_scale \\
        --manifest-path /tmp/old/Cargo.toml
"""

import os
import random
import shutil
import statistics
import sys
import time


def main() -> int:
    if len(sys.argv) not in (4, 5):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    binaries = sys.argv[1].split(",")
    stacks, rounds = sys.argv[2], int(sys.argv[3])
    out = sys.argv[4] if len(sys.argv) == 5 else "/tmp/split-interleave"
    for b in binaries:
        if not os.access(b, os.X_OK):
            print(f"error: {b} is not an executable file", file=sys.stderr)
            return 2
    devnull = os.open(os.devnull, os.O_WRONLY)
    times: dict[str, list[float]] = {b: [] for b in binaries}
    for _ in range(rounds):
        order = binaries[:]
        random.shuffle(order)
        for b in order:
            shutil.rmtree(out, ignore_errors=True)
            start = time.perf_counter_ns()
            pid = os.posix_spawn(
                b,
                [b, "--stacks", stacks, "--out", out],
                os.environ,
                file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 2)],
            )
            _, status = os.waitpid(pid, 0)
            elapsed = (time.perf_counter_ns() - start) / 1e6
            if os.waitstatus_to_exitcode(status) != 0:
                print(f"error: {b} failed with status {status}", file=sys.stderr)
                return 1
            times[b].append(elapsed)
    for b in binaries:
        runs = sorted(times[b][2:] if rounds > 5 else times[b])
        at = lambda q: runs[int(q * (len(runs) - 1))]  # noqa: E731
        print(
            f"{b}  stacks={stacks}  median {statistics.median(runs):.1f}  "
            f"p10 {at(0.1):.1f}  p90 {at(0.9):.1f}  min {runs[0]:.1f} ms  ({len(runs)} runs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
