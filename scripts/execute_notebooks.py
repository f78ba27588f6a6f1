"""Execute notebooks side by side (one kernel each, one process) and save them as HTML.

    python scripts/execute_notebooks.py --output-dir reports/html notebooks/*.ipynb

What `jupyter nbconvert --execute --to html` does for each notebook, but with all kernels
running at once, so the report takes about as long as its slowest notebook, without one
nbconvert process per notebook.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from traitlets.config import Config


async def execute(path: Path, kernel_name: str) -> nbformat.NotebookNode:
    """Run one notebook; its kernel talks over local sockets in a folder of its own (no TCP
    port listens, and the kernel does not warn about unencrypted TCP)."""
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="policylab-kernel-") as sockets:
        local = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "kernel")}})
        client = NotebookClient(notebook, kernel_name=kernel_name, config=local,
                                resources={"metadata": {"path": str(path.parent)}})
        await client.async_execute()
    return notebook


async def execute_all(paths: list[Path], kernel_name: str) -> list[nbformat.NotebookNode]:
    return await asyncio.gather(*(execute(path, kernel_name) for path in paths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--output-dir", type=Path, required=True)
    parser.add_argument("--kernel", default="policylab")
    args = parser.parse_args()
    notebooks = asyncio.run(execute_all(args.notebooks, args.kernel))
    args.output_dir.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter()
    for path, notebook in zip(args.notebooks, notebooks):
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem, "path": str(path.parent)}})
        (args.output_dir / f"{path.stem}.html").write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main()
