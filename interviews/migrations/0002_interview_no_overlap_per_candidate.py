"""PostgreSQL refuses two scheduled interviews of one candidate that overlap.

In SQL rather than a model ExclusionConstraint so that SQLite (the embedded default) still
migrates; the service checks the same rule first to explain it to the leader.
"""

from django.db import migrations


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE interviews_interview ADD CONSTRAINT interview_no_overlap_per_candidate "
        "EXCLUDE USING gist (candidate_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
        "WHERE (status = 'scheduled' AND candidate_id IS NOT NULL)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE interviews_interview DROP CONSTRAINT interview_no_overlap_per_candidate"
    )


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
