#!/usr/bin/env python3
"""Reads meson's testlog.json and prints the line CI reads:
'N passed, N failed, N skipped'. Exits 1 when any test failed or none ran."""
import json
import sys

counts = {"passed": 0, "failed": 0, "skipped": 0}
try:
    with open(sys.argv[1], encoding="utf-8") as log:
        for line in log:
            line = line.strip()
            if not line:
                continue
            result = json.loads(line).get("result", "")
            if result in ("OK", "EXPECTEDFAIL"):
                counts["passed"] += 1
            elif result == "SKIP":
                counts["skipped"] += 1
            else:
                counts["failed"] += 1
except OSError as error:
    print(f"no test log: {error}", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)

print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
sys.exit(1 if counts["failed"] or counts["passed"] == 0 else 0)
