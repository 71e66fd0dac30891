"""kg.distributed: extraction on a Dask cluster gives the graph a local build gives.

The cluster is a ``LocalCluster`` in this process (threads, TCP), so the test needs no other
machine; the tasks, their arguments and results still travel through Dask's serialisation.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg

distributed = pytest.importorskip("distributed")

from typer.testing import CliRunner  # noqa: E402

from kg.cli import app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
        dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(EXAMPLES.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def local_turtle(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("local")
    kg.build([corpus], out, html=False, validate=False)
    return (out / "graph.ttl").read_bytes()


def test_dask_build_is_identical_to_the_local_build(
    cluster: distributed.LocalCluster, corpus: Path, local_turtle: bytes, tmp_path: Path
) -> None:
    assert cluster.scheduler_address.startswith("tcp://")
    report = kg.build([corpus], tmp_path, html=False, validate=False,
                      scheduler=cluster.scheduler_address, batch_size=1)
    assert report.articles_read == 4
    assert [(Path(source).name, reason) for source, reason in report.articles_skipped] == [
        ("empty.txt", "empty file")]
    assert (tmp_path / "graph.ttl").read_bytes() == local_turtle


def test_cli_scheduler_option(
    cluster: distributed.LocalCluster, corpus: Path, local_turtle: bytes, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path), "--no-html",
                                 "--no-validate", "--quiet",
                                 "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "graph.ttl").read_bytes() == local_turtle


def test_cli_refuses_workers_with_a_scheduler(corpus: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path),
                                 "--workers", "2", "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "not both" in result.output


def test_unreachable_scheduler_is_a_build_error(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kg.distributed.CONNECT_TIMEOUT_S", 1)
    with pytest.raises(kg.BuildError, match="cannot connect to the Dask scheduler"):
        kg.build([corpus], tmp_path / "out", html=False, validate=False,
                 scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "out").exists()
