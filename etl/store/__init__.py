"""The SQL store: models, migrations, seed, loading, and the read queries (the only SQL)."""
