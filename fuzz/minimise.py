#!/usr/bin/env python3
"""Shrinks a target's corpus to few files that still reach every edge any of them reached.

`cargo fuzz cmin` keeps every file that adds a feature (edges with hit counts), which leaves
hundreds to thousands of files per target. This keeps edges only and picks files greedily (most
new edges first, the smaller file on a tie): each file's edges come from a one-file libFuzzer
merge run (`-merge=1 -use_counters=0`) whose control file lists them.

Usage (after `cargo fuzz build -O -a <target>` and `cargo fuzz cmin -O -a <target>`):
    python3 minimise.py <target>
It replaces `corpus/<target>/` with the chosen files.
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def edges(binary, path, work):
    """The edges one input reaches, from a merge control file."""
    single, out, control = (os.path.join(work, n) for n in ("in", "out", "control"))
    for d in (single, out):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    # An existing control file makes libFuzzer resume that merge instead of starting this one.
    if os.path.exists(control):
        os.remove(control)
    shutil.copy(path, single)
    subprocess.run(
        [binary, "-merge=1", "-use_counters=0", f"-merge_control_file={control}",
         "-timeout=10", out, single],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    found = set()
    with open(control) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] == "FT":
                found.update(map(int, parts[2:]))
    return found


def main(target):
    binary = os.path.join(HERE, "target/x86_64-unknown-linux-gnu/release", target)
    corpus = os.path.join(HERE, "corpus", target)
    names = sorted(os.listdir(corpus))
    with tempfile.TemporaryDirectory() as work:
        reach = {n: edges(binary, os.path.join(corpus, n), work) for n in names}
        sizes = {n: os.path.getsize(os.path.join(corpus, n)) for n in names}
        covered, chosen = set(), []
        while True:
            best = max(names, key=lambda n: (len(reach[n] - covered), -sizes[n]))
            if not reach[best] - covered:
                break
            covered |= reach[best]
            chosen.append(best)
        keep = os.path.join(work, "keep")
        os.makedirs(keep)
        for n in chosen:
            shutil.copy(os.path.join(corpus, n), keep)
        shutil.rmtree(corpus)
        shutil.copytree(keep, corpus)
    print(f"{target}: {len(names)} files -> {len(chosen)}, {len(covered)} edges")


if __name__ == "__main__":
    main(sys.argv[1])
