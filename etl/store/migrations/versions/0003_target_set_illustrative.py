"""target_sets.illustrative: a set made up for the demo (shown labelled, never the default view)

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN with a constant default: SQLite and PostgreSQL both take it in place
    # (a batch "move and copy" would drop target_sets, which targets reference)
    op.add_column("target_sets", sa.Column("illustrative", sa.Boolean(), nullable=False,
                                           server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("target_sets") as batch:
        batch.drop_column("illustrative")
