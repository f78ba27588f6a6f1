"""Execute notebooks side by side (one kernel each, one process); save them as HTML, or in place.

    python scripts/execute_notebooks.py --output-dir reports/html notebooks/*.ipynb
    python scripts/execute_notebooks.py --inplace notebooks/*.ipynb

What `jupyter nbconvert --execute --to html` does for each notebook, but with all kernels
running at once, so the report takes about as long as its slowest notebook, without one
nbconvert process per notebook.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbconvert.preprocessors import CoalesceStreamsPreprocessor
from traitlets.config import Config


async def execute(path: Path, kernel_name: str) -> nbformat.NotebookNode:
    """Run one notebook; its kernel talks over local sockets in a folder of its own (no TCP
    port listens, and the kernel does not warn about unencrypted TCP)."""
    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="policylab-kernel-") as sockets:
        local = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "kernel")}})
        client = NotebookClient(notebook, kernel_name=kernel_name, config=local, record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        await client.async_execute()
    # A print may reach the client as one stream message or as two (text, then its newline), as the
    # kernel happens to flush: merge them, so that every run stores the same outputs.
    notebook, _ = CoalesceStreamsPreprocessor().preprocess(notebook, {})
    return notebook


async def execute_all(paths: list[Path], kernel_name: str, save: Callable[[Path, nbformat.NotebookNode], None]) -> None:
    """Run the notebooks side by side; save each as soon as it is done, in one writer thread, so that
    saving (the HTML conversion takes some CPU) overlaps the kernels still running."""
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=1) as writer:
        async def run(path: Path) -> None:
            notebook = await execute(path, kernel_name)
            await loop.run_in_executor(writer, save, path, notebook)

        await asyncio.gather(*(run(path) for path in paths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--output-dir", type=Path, help="write each notebook as HTML here")
    target.add_argument("--inplace", action="store_true", help="store the outputs in the notebooks themselves")
    parser.add_argument("--kernel", default="policylab")
    args = parser.parse_args()
    if args.inplace:
        def save(path: Path, notebook: nbformat.NotebookNode) -> None:
            path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    else:
        args.output_dir.mkdir(parents=True, exist_ok=True)
        exporter = HTMLExporter()

        def save(path: Path, notebook: nbformat.NotebookNode) -> None:
            body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": path.stem, "path": str(path.parent)}})
            (args.output_dir / f"{path.stem}.html").write_text(body, encoding="utf-8")
    asyncio.run(execute_all(args.notebooks, args.kernel, save))


if __name__ == "__main__":
    main()
