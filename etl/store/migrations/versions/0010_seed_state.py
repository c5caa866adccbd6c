"""seed_state: the digest of the seed last applied, so that a start skips an unchanged seed

Every start of the app and every command upserted the whole catalog (regions, indicators, targets,
measures) from data/seed, about 40 ms of CPU per start on a current database and 11 s over the
test suite (issue 9). The seed now stores a sha256 of what it read (the seed files' bytes, the
seed modules' code, SEED_VERSION) and the migration head, in the seed's own transaction; init_db
skips the seed while both are unchanged. No row (a database seeded before this migration) means
the seed runs once more and writes it.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seed_state",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("migration", sa.String(32), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("seed_state")
