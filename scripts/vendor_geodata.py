"""Fetch the country outlines the plan map draws, and the GeoJSON schema the tests check against.

Both come from the npm registry as package tarballs, pinned to a version, checked against the
registry's SHA-512 integrity and recorded with their SHA-256, licence and attribution:

- ``world-atlas`` (ISC; data from Natural Earth, public domain): ``countries-50m.json``, a
  TopoJSON of every country at 1:50 million, into ``logistics/data/geo/`` (shipped with the
  package, so maps draw offline);
- ``geojson-schema`` (MIT; the schemas published at geojson.org): ``FeatureCollection.json``
  into ``tests/data/geojson-schema/`` (used by the tests only).

Run from the repository root: ``python scripts/vendor_geodata.py``. The files it writes are
committed; run it again only to move to another version.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REGISTRY = "https://registry.npmjs.org"
ROOT = Path(__file__).resolve().parent.parent

NATURAL_EARTH_ATTRIBUTION = (
    "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com "
    "(public domain); country outlines at 1:50m scale, converted to TopoJSON by the "
    "world-atlas package."
)


@dataclass(frozen=True)
class Vendored:
    """One file taken from one npm package, and where it goes."""

    package: str
    version: str
    member: str
    """Path of the file inside the tarball's ``package/`` folder."""
    folder: Path
    licence_member: str | None
    """The tarball's licence file, if it has one (else the licence named in package.json)."""
    attribution: str


VENDORED = (
    Vendored(
        package="world-atlas",
        version="2.0.2",
        member="countries-50m.json",
        folder=ROOT / "logistics" / "data" / "geo",
        licence_member="LICENSE",
        attribution=NATURAL_EARTH_ATTRIBUTION,
    ),
    Vendored(
        package="geojson-schema",
        version="1.0.5",
        member="FeatureCollection.json",
        folder=ROOT / "tests" / "data" / "geojson-schema",
        licence_member=None,
        attribution="JSON Schema for GeoJSON (RFC 7946), as published at geojson.org/schema.",
    ),
)


def fetch(url: str) -> bytes:
    """The body of an HTTPS GET (the npm registry only)."""
    if not url.startswith(REGISTRY + "/"):
        raise ValueError(f"{url} is not on the npm registry")
    with urllib.request.urlopen(url, timeout=60) as response:
        body: bytes = response.read()
    return body


def package_metadata(package: str, version: str) -> dict[str, Any]:
    """The registry's record of one version of a package (its ``dist`` has tarball and integrity)."""
    metadata: dict[str, Any] = json.loads(fetch(f"{REGISTRY}/{package}/{version}"))
    return metadata


def check_integrity(tarball: bytes, integrity: str) -> None:
    """Raise ``ValueError`` unless ``tarball`` matches the registry's ``sha512-…`` integrity."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise ValueError(f"unexpected integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if actual != expected:
        raise ValueError("the tarball does not match the registry's integrity hash")


def read_member(tarball: bytes, member: str) -> bytes:
    """One regular file of an npm tarball (whose files sit under ``package/``)."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        info = archive.getmember(f"package/{member}")
        if not info.isfile():
            raise ValueError(f"{member} is not a regular file in the tarball")
        handle = archive.extractfile(info)
        if handle is None:
            raise ValueError(f"{member} cannot be read from the tarball")
        return handle.read()


def vendor(item: Vendored) -> Path:
    """Download, check and write one vendored file and its ``VENDORED.json`` record."""
    metadata = package_metadata(item.package, item.version)
    url = metadata["dist"]["tarball"]
    tarball = fetch(url)
    check_integrity(tarball, metadata["dist"]["integrity"])
    content = read_member(tarball, item.member)
    licence_text = (
        read_member(tarball, item.licence_member).decode() if item.licence_member else None
    )
    item.folder.mkdir(parents=True, exist_ok=True)
    target = item.folder / item.member
    target.write_bytes(content)
    record = {
        "package": item.package,
        "version": item.version,
        "tarball": url,
        "tarball_sha512_integrity": metadata["dist"]["integrity"],
        "tarball_sha256": hashlib.sha256(tarball).hexdigest(),
        "repository": metadata.get("repository", {}).get("url"),
        "files": {item.member: {"sha256": hashlib.sha256(content).hexdigest()}},
        "licence": metadata.get("license"),
        "licence_text": licence_text,
        "attribution": item.attribution,
        "vendored_by": "scripts/vendor_geodata.py",
    }
    (item.folder / "VENDORED.json").write_text(
        json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return target


def main() -> None:
    """Vendor every file in ``VENDORED`` and say where each went."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.parse_args()
    for item in VENDORED:
        target = vendor(item)
        print(f"{item.package}@{item.version}: {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
