"""Generate the Python stubs (messages, .pyi, gRPC) from protos/ into libs/gen/.

Also writes libs/gen/partneros/descriptors.binpb: a FileDescriptorSet with source info (the
comments), from which the gateway's OpenAPI document takes its descriptions.
The one way generated code is produced; never edit libs/gen by hand.
Usage: python scripts/gen_protos.py [--out DIR] [--image FILE]
"""
from __future__ import annotations

import argparse
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTOS = ROOT / "protos"
DEFAULT_OUT = ROOT / "libs" / "gen"
DESCRIPTOR_SET = "partneros/descriptors.binpb"


def _include_dirs() -> list[str]:
    from google.api import annotations_pb2  # googleapis-common-protos ships its .proto files
    import grpc_tools

    googleapis = pathlib.Path(annotations_pb2.__file__).resolve().parent.parent.parent
    wkt = pathlib.Path(grpc_tools.__file__).resolve().parent / "_proto"
    return [str(PROTOS), str(googleapis), str(wkt)]


def generate(out: pathlib.Path) -> list[pathlib.Path]:
    """Write stubs for every proto under protos/ into `out`; return the files written."""
    from grpc_tools import protoc

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = sorted(str(p.relative_to(PROTOS)) for p in PROTOS.rglob("*.proto"))
    args = ["protoc", *(f"-I{d}" for d in _include_dirs()),
            f"--python_out={out}", f"--pyi_out={out}", f"--grpc_python_out={out}",
            "--include_source_info", "--include_imports", f"--descriptor_set_out={out / DESCRIPTOR_SET}", *files]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    for d in [out, *[p for p in out.rglob("*") if p.is_dir()]]:
        if d != out:
            (d / "__init__.py").touch()
    return sorted(p for p in out.rglob("*") if p.is_file())


def build_image(path: pathlib.Path) -> None:
    """A descriptor image (imports and comments included) of every proto, for buf lint."""
    from grpc_tools import protoc

    files = sorted(str(p.relative_to(PROTOS)) for p in PROTOS.rglob("*.proto"))
    args = ["protoc", *(f"-I{d}" for d in _include_dirs()), "--include_imports", "--include_source_info",
            f"--descriptor_set_out={path}", *files]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    parser.add_argument("--image", type=pathlib.Path, help="write only a descriptor image to this file")
    ns = parser.parse_args()
    if ns.image:
        build_image(ns.image)
        return
    written = generate(ns.out)
    print(f"generated {len(written)} files into {ns.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
