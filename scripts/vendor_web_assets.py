"""Vendor the web page's front-end files from the npm registry into the package.

Field missions run offline, so every script and style the web application serves is shipped
inside ``logistics/web/static/vendor``. This script fetches each pinned package with ``npm pack``
(the registry's own client), checks the tarball against the registry's integrity hash, copies the
files the pages use and records, beside them in ``VENDORED.json``, each package's version,
licence, tarball integrity and the SHA-256 of every copied file.

Run it again to change a version (edit ``PACKAGES``); ``--check`` verifies the files in place
against the record without fetching anything.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "logistics" / "web" / "static" / "vendor"
RECORD = VENDOR / "VENDORED.json"


@dataclass(frozen=True)
class Package:
    """An npm package and the files of its tarball (paths under ``package/``) the pages use."""

    name: str
    version: str
    files: tuple[str, ...]


PACKAGES = (
    Package(
        "leaflet",
        "1.9.4",
        (
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/marker-icon.png",
            "dist/images/marker-shadow.png",
            "dist/images/layers.png",
            "LICENSE",
        ),
    ),
    Package(
        "swagger-ui-dist",
        "5.32.0",
        ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "LICENSE"),
    ),
)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(package: Package, work: Path) -> tuple[Path, dict[str, str]]:
    """``npm pack`` the package into ``work``; return the tarball and npm's description of it."""
    spec = f"{package.name}@{package.version}"
    done = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(work)],
        check=True,
        capture_output=True,
        text=True,
        cwd=work,
    )
    (info,) = json.loads(done.stdout)
    tarball = work / info["filename"]
    algorithm, _, digest = info["integrity"].partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if actual != digest:
        raise SystemExit(f"{spec}: the tarball does not match the registry's integrity hash")
    return tarball, {"integrity": info["integrity"], "tarball": info["filename"]}


def licence(tarball: Path) -> str:
    """The ``license`` field of the package's own ``package.json``."""
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/package.json")
        if member is None:
            raise SystemExit(f"{tarball.name} has no package.json")
        return str(json.load(member).get("license", "unknown"))


def copy_files(package: Package, tarball: Path) -> dict[str, str]:
    """Copy the package's listed files under ``VENDOR/<name>/``; return path -> SHA-256."""
    target = VENDOR / package.name
    shutil.rmtree(target, ignore_errors=True)
    hashes: dict[str, str] = {}
    with tarfile.open(tarball) as archive:
        for name in package.files:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"{package.name}@{package.version} has no {name}")
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(member.read())
            hashes[f"{package.name}/{name}"] = sha256(path)
    return hashes


def vendor() -> None:
    """Fetch every package and write the files and their record."""
    record: dict[str, object] = {"source": "https://registry.npmjs.org", "packages": []}
    packages: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        for package in PACKAGES:
            tarball, info = fetch(package, Path(folder))
            packages.append(
                {
                    "name": package.name,
                    "version": package.version,
                    "license": licence(tarball),
                    **info,
                    "files": copy_files(package, tarball),
                }
            )
    record["packages"] = packages
    RECORD.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"vendored {len(packages)} packages into {VENDOR}")


def check() -> int:
    """Compare the vendored files with the record; print each mismatch; 0 when all match."""
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    bad = [
        name
        for package in record["packages"]
        for name, digest in package["files"].items()
        if not (VENDOR / name).is_file() or sha256(VENDOR / name) != digest
    ]
    for name in bad:
        print(f"{name}: missing or changed since it was vendored")
    return 1 if bad else 0


def main() -> None:
    """Vendor the packages, or with ``--check`` verify the files in place."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify, do not fetch")
    if parser.parse_args().check:
        sys.exit(check())
    vendor()


if __name__ == "__main__":
    main()
