"""program_coordinators: coordinators limited to some programs

Revision ID: 7a3e1c9b2d40
Revises: 5d1c7a2e9b40
Create Date: 2026-11-26 04:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '7a3e1c9b2d40'
down_revision = '5d1c7a2e9b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'program_coordinators',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.ForeignKeyConstraint(['program_id'], ['programs.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('program_id', 'user_id'),
    )
    with op.batch_alter_table('program_coordinators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_coordinators_user_id'), ['user_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('program_coordinators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_coordinators_user_id'))
    op.drop_table('program_coordinators')
