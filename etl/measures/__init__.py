"""The policy's measures (issue 15): measures, responsible units, award rules and tasks as data
(data/seed), an awards register loaded through the same ETL path as the statistics, every award
checked against its rule, and the implementation status of every task.

    models.py    the tables (migration 0004): policies, policy_units, measures, measure_units,
                 award_rules, measure_tasks, task_updates, awards
    seed.py      data/seed/{policies,units,measures,measure_units,award_rules,tasks}.csv -> SQL
    records.py   AwardRow (one award, plain) and the award list's column names
    rules.py     the award rules as plain records and what each rule allows (no database)
    read.py      an award list (xlsx/xls/csv as departments keep it) -> AwardRow records + problems
    checks.py    every award against its rule, the register and the closing rule -> problems
    problems.py  the typed problems of the awards register (codes, wording)
    store.py     plan / apply / refresh_current for awards, inside the ETL's batches
    pipeline.py  check_awards / preview_awards / ingest_awards (the chain, as etl.pipeline does)
    template.py  `python -m etl template --awards OUT.xlsx`
    queries.py   the overview by measure and unit, awards of a measure, tasks (read-only)
    tasks.py     task status updates (with history), from the browser or an uploaded sheet
    demo.py      a deterministic demo awards register and task statuses
    cli.py       `python -m etl measures`
"""
