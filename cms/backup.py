"""Backups that restore: the database, the media files and the certificate signing keys.

`manage.py backup --output DIR` writes, in this order (so every file a database row names is
already on disk when the files are copied):

- `database.dump`: PostgreSQL's `pg_dump --format=custom` (one consistent snapshot, taken
  while the site serves), or for SQLite the online backup API's copy, `database.sqlite3`;
- `media.tar.gz`: MEDIA_ROOT (local-disk media; with LMS_S3_BUCKET the object store keeps its
  own copies, e.g. bucket versioning or `mc mirror`, and the manifest says media are not here);
- `keys.enc`: the signing key files (the active one and retired ones), encrypted with a key
  derived (scrypt) from LMS_BACKUP_PASSPHRASE (Fernet: AES-128-CBC + HMAC-SHA256); a key given
  in LMS_CERT_SIGNING_KEY lives in the environment's own secret store and is not copied;
- `manifest.json`: what is there, its SHA-256, the database engine and the last migrations.

`manage.py restore --input DIR` checks every checksum and the passphrase first, refuses a
database that already has tables, then loads the dump, unpacks the media and writes the key
files (mode 0600). Public keys are in the database, so old certificates verify from the dump
alone; the private keys let the restored site keep issuing and signing credentials.
"""

import base64
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
SCRYPT = {"n": 2**15, "r": 8, "p": 1}


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fernet(passphrase: str, salt: bytes) -> Fernet:
    if len(passphrase) < 12:
        raise BackupError("LMS_BACKUP_PASSPHRASE must be set, 12 characters or more.")
    kdf = Scrypt(salt=salt, length=32, **SCRYPT)
    return Fernet(base64.urlsafe_b64encode(kdf.derive(passphrase.encode())))


def _pg_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def _key_files() -> list[Path]:
    path = Path(settings.LMS_CERT_SIGNING_KEY_FILE)
    if not path.parent.is_dir():
        return []
    return sorted(p for p in path.parent.glob(path.name + "*") if p.is_file())


def backup(output: Path, passphrase: str) -> dict:
    output.mkdir(parents=True, exist_ok=True)
    if any(output.iterdir()):
        raise BackupError(f"{output} is not empty: give a new directory for each backup.")
    salt = os.urandom(16)
    fernet = _fernet(passphrase, salt)  # fails before anything is written
    files = {}
    if connection.vendor == "postgresql":
        name = "database.dump"
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--dbname={_pg_url()}",
                f"--file={output / name}",
            ],
            check=True,
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        name = "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(output / name)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:  # pragma: no cover - the settings allow only these two
        raise BackupError(f"no backup for the {connection.vendor} database")
    files["database"] = name

    media_included = settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    if media_included:
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(output / "media.tar.gz", "w:gz") as archive:
            if media_root.is_dir():
                for child in sorted(media_root.iterdir()):
                    archive.add(child, arcname=child.name, filter=_skip_incoming)
        files["media"] = "media.tar.gz"

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for path in _key_files():
            archive.add(path, arcname=path.name)
    (output / "keys.enc").write_bytes(fernet.encrypt(buffer.getvalue()))
    files["keys"] = "keys.enc"

    recorder = MigrationRecorder(connection)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "media_included": media_included,
        "key_file": Path(settings.LMS_CERT_SIGNING_KEY_FILE).name,
        "key_files": [p.name for p in _key_files()],
        "scrypt": {**SCRYPT, "salt": base64.b64encode(salt).decode()},
        "migrations": {
            app: name
            for app, name in recorder.migration_qs.order_by("applied").values_list("app", "name")
        },
        "files": {role: {"name": n, "sha256": _sha256(output / n)} for role, n in files.items()},
    }
    (output / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _skip_incoming(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    return None if "/.incoming" in f"/{info.name}" else info


def restore(source: Path, passphrase: str) -> dict:
    manifest_path = source / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(f"{source} holds no manifest.json: not a Học Số backup.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for role, entry in manifest["files"].items():
        path = source / entry["name"]
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"{entry['name']} ({role}) is missing or damaged: checksum mismatch.")
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"this backup is of a {manifest['database']} database, "
            f"the target is {connection.vendor}."
        )
    scrypt = manifest["scrypt"]
    try:
        keys_tar = _fernet(passphrase, base64.b64decode(scrypt["salt"])).decrypt(
            (source / manifest["files"]["keys"]["name"]).read_bytes()
        )
    except InvalidToken:
        raise BackupError("wrong LMS_BACKUP_PASSPHRASE: the keys cannot be decrypted.") from None
    if connection.introspection.table_names():
        raise BackupError("the target database is not empty: restore into a new database.")

    dump = source / manifest["files"]["database"]["name"]
    if connection.vendor == "postgresql":
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={_pg_url()}",
                str(dump),
            ],
            check=True,
            capture_output=True,
        )
    else:
        connection.close()
        shutil.copyfile(dump, connection.settings_dict["NAME"])

    if manifest["media_included"]:
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / manifest["files"]["media"]["name"], "r:gz") as archive:
            archive.extractall(media_root, filter="data")  # no links out, no absolute paths

    # The active key file becomes this site's LMS_CERT_SIGNING_KEY_FILE, retired ones
    # (`<name>.<kid>`) go beside it under the same rule.
    target = Path(settings.LMS_CERT_SIGNING_KEY_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    primary = manifest["key_file"]
    with tarfile.open(fileobj=io.BytesIO(keys_tar)) as archive:
        for member in archive.getmembers():
            name = member.name
            if not member.isfile() or "/" in name or not name.startswith(primary):
                raise BackupError(f"unexpected entry {name!r} in the keys archive")
            path = target.with_name(target.name + name[len(primary) :])
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(archive.extractfile(member).read())
    return manifest
