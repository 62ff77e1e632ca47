"""cancelled live sessions stay for the calendar feed; announcement mails opt-out

Revision ID: 5f0c2a9d7e11
Revises: bb6bcb93f880
Create Date: 2026-11-26 03:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '5f0c2a9d7e11'
down_revision = 'bb6bcb93f880'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announcement_mails', sa.Boolean(),
                                      server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('announcement_mails')
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')
