"""`python -m etl`: the command line over the pipeline, the store and the progress engine."""
