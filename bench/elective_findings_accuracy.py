#!/usr/bin/env python3
"""Precision and recall of `severn elective clocks` validation findings against the synthetic ICS's
injected reporting errors (truth/rtt_reporting_errors.csv, docs/data-model.md "Ground truth").

Usage: bench/elective_findings_accuracy.py EXTRACT_DIR VALIDATION_LIST_CSV
  EXTRACT_DIR          a `severn synth` output (its truth/rtt_reporting_errors.csv)
  VALIDATION_LIST_CSV  the identifiable validation_list.csv of
                       `severn elective clocks --store S --out D --identifiable --who W --purpose P`
A finding is matched to an injected error by patient pathway id and RTT period."""
import collections
import csv
import sys

EXPECTED = {
    "clock_start_keyed_as_first_appointment": "start_differs",
    "stop_date_off": "stop_date_differs",
    "duplicate_row": "duplicate_reported_period",
    "treated_left_open": "reported_open_but_stopped",
    "dna_not_nullified": "nullified_but_reported",
}

if len(sys.argv) != 3:
    sys.exit(__doc__)
truth = collections.defaultdict(set)
with open(f"{sys.argv[1]}/truth/rtt_reporting_errors.csv", newline="") as f:
    for r in csv.DictReader(f):
        truth[r["error"]].add((r["patient_pathway_id"], r["rtt_period"]))
found = collections.defaultdict(set)
with open(sys.argv[2], newline="") as f:
    for r in csv.DictReader(f):
        found[r["finding"]].add((r["patient_pathway_id"], r["rtt_period"]))
for error, finding in EXPECTED.items():
    t = truth[error]
    if t:
        print(f"{error:42s} {len(t):7d} injected  recall {len(t & found[finding]) / len(t):.4f} (as {finding})")
injected = set().union(*truth.values()) if truth else set()
flagged = set().union(*found.values()) if found else set()
hit = len(injected & flagged)
print(f"pathway periods flagged {len(flagged)}, injected {len(injected)}, both {hit}: "
      f"precision {hit / max(1, len(flagged)):.4f}, recall {hit / max(1, len(injected)):.4f}")
