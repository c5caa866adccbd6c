"""The method's named constants: every threshold and code of the progress method, named once.

The engine (etl/progress/assess.py) computes with them; the wording catalogue (etl/wording) and
docs/method.md interpolate them (tests/test_progress.py checks the document against them), so a
change here changes every sentence that states it.

Method: the CAGR-ratio measure of Statistics Canada as implemented by Open SDG (sdg-build,
ProgressMeasure.py); docs/method.md explains it in plain words.
"""
from __future__ import annotations

# thresholds of R = observed CAGR / |required CAGR| (Open SDG's defaults for targets with a value)
ON_TRACK = 0.95  # R >= ON_TRACK: on track
ACCELERATION = 0.60  # ACCELERATION <= R < ON_TRACK: acceleration needed; 0 <= R < ACCELERATION: limited

EPSILON = 1e-9  # float comparisons of values read from files
FULL_COVERAGE = 100.0  # a full-coverage target is met at 100%
NATIONAL_RATIO_TARGET = 1.0  # a national-average target: region / nation reaches 1
MIN_ANNUAL_POINTS = 2  # points from the base year on needed for a growth rate

# status codes, best first (the order of the summary and the legends)
ACHIEVED = "achieved"
ON_TRACK_CLASS = "on_track"
ACCELERATION_NEEDED = "acceleration_needed"
LIMITED = "limited_progress"
DETERIORATING = "deteriorating"
NOT_ACHIEVED = "not_achieved"
INSUFFICIENT = "insufficient_data"
STATUSES = (ACHIEVED, ON_TRACK_CLASS, ACCELERATION_NEEDED, LIMITED, DETERIORATING, NOT_ACHIEVED,
            INSUFFICIENT)
GOOD_STATUSES = (ACHIEVED, ON_TRACK_CLASS)  # "met or on track" in the headline

# status code -> icon (shown with the status's words, never colour alone)
ICONS = {ACHIEVED: "✔", ON_TRACK_CLASS: "▲", ACCELERATION_NEEDED: "►", LIMITED: "▼",
         DETERIORATING: "✖", NOT_ACHIEVED: "✖", INSUFFICIENT: "?"}

# verdict kinds: final (the target year's whole-year value is known), partial (only part of the
# target year is known), projection (the target year's value is not known)
FINAL = "final"
PARTIAL = "partial"
PROJECTION = "projection"

# kinds of target (targets.kind)
AT_LEAST = "at_least"
APPROXIMATELY = "approximately"
FULL_COVERAGE_KIND = "full_coverage"
NATIONAL_AVERAGE = "national_average"
TARGET_KINDS = (AT_LEAST, APPROXIMATELY, FULL_COVERAGE_KIND, NATIONAL_AVERAGE)

# where the assessed value stands (Standing.kind)
STANDING_KINDS = ("share_covered", "within_tolerance", "full_coverage", "ratio_to_target",
                  "ratio_to_national", "fell_back")


def status_order(code: str) -> int:
    return STATUSES.index(code)
