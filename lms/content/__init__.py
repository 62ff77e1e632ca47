"""The content layer: course_content/ read, checked and stored, above every feature.

`lms.sources` below (problems, YAML with lines, one folder loader); the kinds each
register a loader and a sync (lms.content.kinds); this package composes them into one
tree (lms.content.tree), one check (lms.content.check) and one sync (lms.content.sync).
"""

from lms.content.sync import SyncReport, known_courses, sync_tree
from lms.content.tree import ContentTree, load_tree

__all__ = ["ContentTree", "SyncReport", "known_courses", "load_tree", "sync_tree"]
