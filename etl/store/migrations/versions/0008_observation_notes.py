"""observations.notes: what the file says about a value besides its number

Qualifiers such as 现价, 初步核算 or 快报 in an indicator's label or the table's title, and the long
template's 备注 column, were recorded in the batch's notes only; a value now carries its own (issue
10, class 7: "record them in the value's notes").

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.add_column(sa.Column("notes", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("notes")
