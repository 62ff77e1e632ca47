"""records: a program's final-grade settings (the final_grade section of its file)

Revision ID: b5e8d2c47a10
Revises: 7c3e5a91d2f4
Create Date: 2026-11-26 06:00:00

Programs synced before this migration have none until the next `lms content sync`.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b5e8d2c47a10'
down_revision = '7c3e5a91d2f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('records', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_column('records')
