"""certificate completion snapshot; quizzes in course order (pre-test first, post-test last)

Revision ID: c7d1e2f3a4b5
Revises: 5f0c2a9d7e11
Create Date: 2026-11-26 03:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7d1e2f3a4b5'
down_revision = '5f0c2a9d7e11'
branch_labels = None
depends_on = None

# The same order as lms.quizzes.sync.KIND_ORDER. Positions used to follow file names,
# which put posttest.yml before pretest.yml; an unchanged course is not synced again,
# so existing rows are reordered here (relative order within a kind is kept).
REORDER = sa.text(
    "UPDATE quizzes SET position = position + 1000 * (CASE kind "
    "WHEN 'pretest' THEN 0 WHEN 'practice' THEN 1 WHEN 'exam' THEN 2 "
    "WHEN 'posttest' THEN 3 ELSE 2 END)")


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completion', sa.JSON(), nullable=True))
    op.execute(REORDER)


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('completion')
