"""Where export files live: storage every process shares, chosen by the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SHOW_STORAGE = (
    "import django, json; django.setup(); "
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(json.dumps([type(s).__module__ + '.' + type(s).__name__, "
    "getattr(s, 'bucket_name', None) or str(getattr(s, 'location', ''))]))"
)


def _default_storage(**environment: str) -> list[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"NAVPANEL_EXPORTS_BUCKET", "MEDIA_ROOT", "NAVPANEL_VAR_DIR"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="navpanel.settings_production", SECRET_KEY="x" * 50, **environment
    )
    result = subprocess.run(
        [sys.executable, "-c", SHOW_STORAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_production_keeps_export_files_in_the_configured_gcs_bucket():
    storage = _default_storage(NAVPANEL_EXPORTS_BUCKET="navpanel-exports-prod")

    assert storage == ["storages.backends.gcloud.GoogleCloudStorage", "navpanel-exports-prod"]


def test_without_a_bucket_export_files_go_under_the_shared_media_root(tmp_path):
    storage = _default_storage(MEDIA_ROOT=str(tmp_path / "bucket"))

    assert storage == [
        "django.core.files.storage.filesystem.FileSystemStorage",
        str(tmp_path / "bucket"),
    ]


def test_by_default_export_files_go_under_the_processs_var_dir(tmp_path):
    storage = _default_storage(NAVPANEL_VAR_DIR=str(tmp_path))

    assert storage == [
        "django.core.files.storage.filesystem.FileSystemStorage",
        str(tmp_path / "media"),
    ]
