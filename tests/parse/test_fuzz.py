"""A small fixed-seed fuzz run: mutated documents give a unit table or a PolicyLabError, never a crash or a hang.

The longer run is ``make fuzz`` (scripts/fuzz_readers.py, with seed and count arguments).
"""

from fuzzing import fuzz


def test_mutated_documents_fail_cleanly(tmp_path):
    failures = fuzz(tmp_path, seed=20261129, count=150)
    assert not failures, "\n\n".join(f"case {f.case} ({f.path.name}):\n{f.problem}" for f in failures)
