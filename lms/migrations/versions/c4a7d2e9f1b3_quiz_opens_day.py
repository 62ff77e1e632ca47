"""A quiz may open a number of days after the start of the person's angkatan.

Revision ID: c4a7d2e9f1b3
Revises: b5e8d2c47a10
"""

import sqlalchemy as sa
from alembic import op

revision = "c4a7d2e9f1b3"
down_revision = "b5e8d2c47a10"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("quizzes") as batch:
        batch.add_column(sa.Column("opens_day", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("quizzes") as batch:
        batch.drop_column("opens_day")
