#!/usr/bin/env python3
"""Reads meson test logs (testlog.json, one JSON object per line; the fuzz
phase writes the same form) and prints the line CI reads:
'N passed, N failed, N skipped', summed over every log given, after the name
of each test that failed. A log that is missing counts as one failure.

With --phase NAME, prints 'NAME: passed N, failed N, skipped N' instead,
which is not that line: .ci/run prints one such line per phase and, last,
the one line over all of them.

Exits 1 when any test failed or none ran."""
import argparse
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--phase")
parser.add_argument("logs", nargs="+")
args = parser.parse_args()

counts = {"passed": 0, "failed": 0, "skipped": 0}
failed = []
for path in args.logs:
    try:
        with open(path, encoding="utf-8") as log:
            for line in log:
                line = line.strip()
                if not line:
                    continue
                entry = json.loads(line)
                result = entry.get("result", "")
                if result in ("OK", "EXPECTEDFAIL"):
                    counts["passed"] += 1
                elif result == "SKIP":
                    counts["skipped"] += 1
                else:
                    counts["failed"] += 1
                    failed.append(f"{entry.get('name', '?')} ({result})")
    except OSError as error:
        print(f"no test log: {error}", file=sys.stderr)
        counts["failed"] += 1
        failed.append(f"{path} (missing)")

for name in failed:
    print(f"failed: {name}")
if args.phase:
    print(f"{args.phase}: passed {counts['passed']}, failed {counts['failed']}, "
          f"skipped {counts['skipped']}")
else:
    print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
sys.exit(1 if counts["failed"] or counts["passed"] == 0 else 0)
