"""people: academic title, name corrections

Revision ID: d11f82d57e41
Revises: c7d1e2f3a4b5
Create Date: 2026-11-26 02:44:33.706510

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd11f82d57e41'
down_revision = 'c7d1e2f3a4b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('name_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('current_name', sa.String(length=200), nullable=False),
    sa.Column('requested_name', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_name_corrections_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_name_corrections_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_name_corrections_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_name_corrections_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_name_corrections'))
    )
    with op.batch_alter_table('name_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_name_corrections_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_name_corrections_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_name_corrections_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_name_corrections_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('academic_title', sa.String(length=100), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('academic_title')

    with op.batch_alter_table('name_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_name_corrections_user_id'))
        batch_op.drop_index(batch_op.f('ix_name_corrections_status'))
        batch_op.drop_index(batch_op.f('ix_name_corrections_cohort_id'))
        batch_op.drop_index(batch_op.f('ix_name_corrections_certificate_id'))

    op.drop_table('name_corrections')
