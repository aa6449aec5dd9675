"""Files made by the first release must import with every later one (STYLE "Storage")."""

import shutil
from pathlib import Path

import pytest

from app.node import Node
from sync import importer, receipt

GOLDEN = Path(__file__).resolve().parent / "data" / "golden_v1"
PASSWORD = "golden-v1"


@pytest.fixture
def golden(tmp_path):
    shutil.copytree(GOLDEN, tmp_path / "golden")
    province = Node.open(tmp_path / "golden" / "province").login("admin", PASSWORD)
    commune = Node.open(tmp_path / "golden" / "commune").login("admin", PASSWORD)
    yield province, commune, tmp_path / "golden" / "package.pkg.binhan"
    province.close()
    commune.close()


def test_golden_v1_package_imports_and_its_receipt_confirms(golden):
    province, commune, package_file = golden
    result = importer.import_package(province, package_file)
    assert (result.records, result.applied, result.kept_aside) == (4, 4, [])
    case = province.cases.find_by_code("TN01-2025-00001")
    assert case["origin"] == commune.origin and case["intake"]["reported_on"] == "2025-03"
    assert province.store.scalar("SELECT count(*) FROM activities") == 1
    _, data = receipt.build(province, commune.origin, [result])
    assert receipt.apply(commune, data)["acknowledged_through"] == result.seq_to
