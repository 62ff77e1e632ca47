"""jobs: background_jobs, the rows behind mail, bulk certificates, ZIPs and daily jobs

Revision ID: b5d1e2f3a4c6
Revises: e5b7c2d9a1f3
Create Date: 2026-11-26 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b5d1e2f3a4c6'
down_revision = 'e5b7c2d9a1f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'background_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=True),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('max_attempts', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.Column('run_after', sa.DateTime(), nullable=True),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'],
                                name=op.f('fk_background_jobs_owner_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_background_jobs')),
        sa.UniqueConstraint('key', name=op.f('uq_background_jobs_key')),
    )
    with op.batch_alter_table('background_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_background_jobs_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_background_jobs_owner_id'), ['owner_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_background_jobs_status'), ['status'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('background_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_background_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_background_jobs_owner_id'))
        batch_op.drop_index(batch_op.f('ix_background_jobs_kind'))
    op.drop_table('background_jobs')
