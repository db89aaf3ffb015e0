"""Migrations that would break the release still running during a rolling deploy are refused.

On NAIS the migration job runs first; then old and new pods serve side by side until the
rollout ends (and a rollback runs the old release on the new schema). So a migration may only
add what the old code can ignore. Dropping or renaming a table or column, adding a NOT NULL
column without a database default (Django drops the default it used to fill existing rows, and
the old code's INSERTs then fail), or making a column NOT NULL breaks it. Such a change is made
in two releases (docs/decisions.md, "Migrations in a rolling deploy"); the second, which drops
or tightens what the first stopped using, says so in its migration::

    rolling_deploy = "two releases: <which release stopped using it>"

``makemigrations --check`` (make lint) catches a model change without its migration.
"""

from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

OUR_APPS = {"accounts", "audit", "interviews", "outbox", "panels", "reports", "rosters"}

# Migrations from before the first production release: there was no running release to break.
BEFORE_FIRST_RELEASE = {
    "interviews.0003_office_consent_renewal_months",
    "panels.0005_panel_calendar_sequence",
}

DESTRUCTIVE = (
    migrations.RemoveField,
    migrations.DeleteModel,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.AlterModelTable,
)


def _problems(loader: MigrationLoader, key: tuple[str, str]) -> list[str]:
    migration = loader.disk_migrations[key]
    if getattr(migration, "rolling_deploy", ""):
        return []
    parents = [parent.key for parent in loader.graph.node_map[key].parents]
    before = loader.project_state(nodes=parents, at_end=True) if parents else ProjectState()
    found = []
    for operation in migration.operations:
        name = type(operation).__name__
        if isinstance(operation, DESTRUCTIVE):
            found.append(f"{name} {operation.describe()}")
        elif isinstance(operation, migrations.AddField):
            field = operation.field
            if (
                not field.many_to_many
                and not field.null
                and field.db_default is models.NOT_PROVIDED
            ):
                found.append(f"{name} NOT NULL without db_default: {operation.describe()}")
        elif isinstance(operation, migrations.AlterField):
            model = before.models.get((key[0], operation.model_name_lower))
            old = model.fields.get(operation.name) if model else None
            if old is not None and old.null and not operation.field.null:
                found.append(f"{name} makes a column NOT NULL: {operation.describe()}")
    return found


def _our_migrations() -> tuple[MigrationLoader, list[tuple[str, str]]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return loader, sorted(key for key in loader.disk_migrations if key[0] in OUR_APPS)


def test_no_migration_breaks_the_release_that_still_runs_during_a_rolling_deploy():
    loader, keys = _our_migrations()

    unsafe = {
        f"{app}.{name}": problems
        for app, name in keys
        if f"{app}.{name}" not in BEFORE_FIRST_RELEASE
        and (problems := _problems(loader, (app, name)))
    }

    assert unsafe == {}, (
        "These migrations would break the old pods during a rolling deploy; make the change in "
        "two releases and mark the second with rolling_deploy = '...' (docs/decisions.md)"
    )


def test_the_check_finds_a_dropped_column_and_a_not_null_column_without_a_default():
    loader, keys = _our_migrations()
    last = max(key for key in keys if key[0] == "accounts")
    probe = type(
        "Migration",
        (migrations.Migration,),
        {
            "dependencies": [last],
            "operations": [
                migrations.RemoveField(model_name="user", name="nav_ident"),
                migrations.AddField(
                    model_name="user", name="team", field=models.CharField(max_length=20)
                ),
                migrations.AddField(
                    model_name="user",
                    name="unit",
                    field=models.CharField(max_length=20, db_default="NAV"),
                ),
            ],
        },
    )("9999_probe", "accounts")
    loader.disk_migrations[("accounts", "9999_probe")] = probe
    loader.graph.add_node(("accounts", "9999_probe"), probe)
    loader.graph.add_dependency(probe, ("accounts", "9999_probe"), last)

    problems = _problems(loader, ("accounts", "9999_probe"))
    probe.rolling_deploy = "two releases: 2027.1 stopped reading nav_ident"

    assert len(problems) == 2
    assert problems[0].startswith("RemoveField")
    assert "NOT NULL without db_default" in problems[1]
    assert _problems(loader, ("accounts", "9999_probe")) == []
