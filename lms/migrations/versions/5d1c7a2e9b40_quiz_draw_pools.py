"""quizzes: draw pools; review option after_last_attempt

Revision ID: 5d1c7a2e9b40
Revises: d11f82d57e41
Create Date: 2026-11-26 03:10:00

"after_close" used to mean "after the quiz closes or after the last attempt"; that is now
"after_last_attempt", and "after_close" means only "after the quiz closes". Stored quizzes
keep their behaviour until their files are synced again.
"""
from alembic import op
import sqlalchemy as sa


revision = '5d1c7a2e9b40'
down_revision = 'd11f82d57e41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draw_pools', sa.JSON(), nullable=True))
    for column in ('review_score', 'review_answers', 'review_feedback'):
        op.execute(f"UPDATE quizzes SET {column} = 'after_last_attempt' "
                   f"WHERE {column} = 'after_close'")


def downgrade():
    for column in ('review_score', 'review_answers', 'review_feedback'):
        op.execute(f"UPDATE quizzes SET {column} = 'after_close' "
                   f"WHERE {column} = 'after_last_attempt'")
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_column('draw_pools')
