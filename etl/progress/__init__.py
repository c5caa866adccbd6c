"""The progress engine: where each target stands, whether it is on track, the final verdict."""
