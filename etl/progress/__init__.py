"""The progress engine: where each target stands, whether it is on track, the final verdict.

method.py   the method's constants (thresholds, codes), named once
assess.py   the arithmetic on plain data -> frozen dataclasses (Assessment, Summary, TargetPeriod)
engine.py   reads targets and values (etl/store/queries.py) and assesses them
Words for the results: etl/wording/progress.py.
"""
