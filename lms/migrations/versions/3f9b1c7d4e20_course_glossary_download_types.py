"""content: a course's glossary and list of downloads, and room for the long content types of Office downloads

Revision ID: 3f9b1c7d4e20
Revises: b5d1e2f3a4c6
Create Date: 2026-11-26 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '3f9b1c7d4e20'
down_revision = 'b5d1e2f3a4c6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses') as batch:
        batch.add_column(sa.Column('glossary', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('downloads', sa.JSON(), nullable=True))
    with op.batch_alter_table('course_assets') as batch:
        batch.alter_column('content_type', existing_type=sa.String(length=50),
                           type_=sa.String(length=120), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('course_assets') as batch:
        batch.alter_column('content_type', existing_type=sa.String(length=120),
                           type_=sa.String(length=50), existing_nullable=False)
    with op.batch_alter_table('courses') as batch:
        batch.drop_column('downloads')
        batch.drop_column('glossary')
