"""Every broken, altered or misdirected file is refused whole, with its own message, changing nothing."""

import json

import pytest

from sync import enrol, importer, package, receipt
from sync import keys as node_keys
from sync.codec import b64, canonical, unb64
from sync.errors import (PackageAltered, PackageDamaged, PackageForeign, PackageMisaddressed, PackageNewerFormat,
                         PackageReplayedChanged, PackageResigned, PackageTruncated, PackageUnknownSender,
                         PackageWrongSigner, ReceiptBeyondSent, ReceiptForged, ReceiptInvalid, ReceiptMisaddressed)

from tests.sync.conftest import add_case, dump


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(package, "CHUNK_SIZE", 128)


@pytest.fixture
def built(tree, small_chunks):
    for _ in range(3):
        add_case(tree.commune)
    data = package.build(tree.commune)[0].data
    parsed = package.parse(data)
    assert len(_chunks(parsed)) >= 4, "the test needs several chunks"
    return data


def _regions(data: bytes) -> dict[str, tuple[int, int]]:
    """Byte ranges of each part of a package file."""
    parsed = package.parse(data)
    header_len = int.from_bytes(data[9:13], "big")
    start = 13 + header_len
    regions = {"header": (13, start), "sealed_key": (start, start + 80), "stream_header": (start + 80, start + 104)}
    offset = start + 104
    for n, (chunk_start, chunk_end) in enumerate(_chunk_spans(parsed)):
        regions[f"chunk_{n}"] = (offset + chunk_start, offset + chunk_end)
    regions["signature"] = (len(data) - 64, len(data))
    return regions


def _chunk_spans(parsed) -> list[tuple[int, int]]:
    body = parsed.body[104:]
    spans, offset = [], 0
    while offset < len(body):
        length = int.from_bytes(body[offset:offset + 4], "big")
        spans.append((offset, offset + 4 + length))
        offset += 4 + length
    return spans


def _chunks(parsed) -> list[bytes]:
    body = parsed.body[104:]
    return [body[a:b] for a, b in _chunk_spans(parsed)]


def _resign(data: bytes, signing_key, *, header_changes=None, chunks=None) -> bytes:
    """What a node holding `signing_key` could make of someone's package."""
    parsed = package.parse(data)
    header = {**parsed.header, **(header_changes or {})}
    body = parsed.body if chunks is None else parsed.body[:104] + b"".join(chunks)
    header["body_length"] = len(body)
    header_bytes = canonical(header)
    signed = package.MAGIC + bytes([package.FORMAT]) + len(header_bytes).to_bytes(4, "big") + header_bytes + body
    return signed + signing_key.sign(signed).signature


def _refused(session, data, error):
    before = dump(session)
    with pytest.raises(error) as caught:
        importer.import_package(session, data)
    assert dump(session) == before
    assert caught.value.vi and caught.value.en and caught.value.vi != caught.value.en
    return caught.value


def test_every_truncated_prefix_is_refused_as_truncated(tree, built):
    before = dump(tree.province)
    for size in range(0, len(built)):
        with pytest.raises(PackageTruncated):
            importer.import_package(tree.province, built[:size])
    assert dump(tree.province) == before
    importer.import_package(tree.province, built)  # the whole file still imports


def test_a_flipped_bit_in_each_part_is_refused(tree, built):
    for name, (start, end) in _regions(built).items():
        position = (start + end) // 2
        if name == "header":  # a bit inside the package id: still valid JSON, still the same length
            position = built.index(package.parse(built).header["package_id"].encode()) + 3
        damaged = bytearray(built)
        damaged[position] ^= 0x01
        _refused(tree.province, bytes(damaged), PackageAltered)


def test_swapped_chunks_are_refused_on_the_way_and_even_when_re_signed_by_the_sender(tree, built):
    parsed = package.parse(built)
    chunks = _chunks(parsed)
    swapped = [chunks[1], chunks[0], *chunks[2:]]
    on_the_way = built[:len(built) - 64 - sum(map(len, chunks))] + b"".join(swapped) + built[-64:]
    _refused(tree.province, on_the_way, PackageAltered)
    sender_key = node_keys.current(tree.commune, node_keys.SIGNING).private
    _refused(tree.province, _resign(built, sender_key, chunks=swapped), PackageDamaged)


def test_a_stream_without_its_final_chunk_is_truncated_even_if_signed(tree, built):
    chunks = _chunks(package.parse(built))
    sender_key = node_keys.current(tree.commune, node_keys.SIGNING).private
    _refused(tree.province, _resign(built, sender_key, chunks=chunks[:-1]), PackageTruncated)


def test_package_re_signed_by_another_enrolled_commune_is_refused(tree, built):
    thief = node_keys.current(tree.commune2, node_keys.SIGNING)
    header = package.parse(built).header
    as_own = {"from": {**header["from"], "id": tree.commune2.origin, "code": "TN02", "name": "Xã Bên Cạnh"},
              "sender_key_id": thief.key_id}
    error = _refused(tree.province, _resign(built, thief.private, header_changes=as_own), PackageResigned)
    assert "ký lại" in error.vi
    _refused(tree.province, _resign(built, thief.private, header_changes={"sender_key_id": thief.key_id}),
             PackageWrongSigner)
    _refused(tree.province, _resign(built, thief.private), PackageAltered)


def test_package_addressed_to_another_province_is_refused(tree):
    other = tree.node("HY", kind="province", name="Tỉnh Hưng Yên", parent=None, profile="hung_yen")
    theirs = tree.node("HY01", kind="commune", name="Xã Hưng Yên", parent="HY")
    tree.enrol(other, theirs)
    add_case(theirs)
    data = package.build(theirs)[0].data
    error = _refused(tree.province, data, PackageMisaddressed)
    assert "HY" in error.vi


def test_package_from_a_commune_the_province_never_accepted_is_refused(tree):
    stranger = tree.node("TN77", kind="commune", name="Xã Lạ", parent="TB")
    enrol.import_profile(stranger, enrol.export_profile(tree.province, tree.files / "p"))
    add_case(stranger)
    _refused(tree.province, package.build(stranger)[0].data, PackageUnknownSender)


def test_foreign_and_newer_files_are_refused(tree, built):
    _refused(tree.province, b"%PDF-1.7 not a package at all", PackageForeign)
    _refused(tree.province, b"", PackageTruncated)
    name, data = receipt.build(tree.province, tree.commune.origin)
    _refused(tree.province, data, PackageForeign)
    newer = bytearray(built)
    newer[8] = package.FORMAT + 1
    _refused(tree.province, bytes(newer), PackageNewerFormat)


def test_same_package_id_with_other_content_is_refused(tree, built):
    importer.import_package(tree.province, built)
    sender_key = node_keys.current(tree.commune, node_keys.SIGNING).private
    chunks = _chunks(package.parse(built))
    different = _resign(built, sender_key, header_changes={"created": "2030-01-01"}, chunks=chunks)
    _refused(tree.province, different, PackageReplayedChanged)


def test_crash_in_the_middle_of_applying_leaves_the_database_as_before(tree, built, monkeypatch):
    def write_then_fail(conn, table, records, **kw):
        original(conn, table, records, **kw)
        raise OSError("power cut after the cases were written")

    original = importer.store_many
    monkeypatch.setattr(importer, "store_many", write_then_fail)
    before = dump(tree.province)
    with pytest.raises(OSError):
        importer.import_package(tree.province, built)
    assert dump(tree.province) == before
    monkeypatch.setattr(importer, "store_many", original)
    assert importer.import_package(tree.province, built).applied == 3


# --- receipts ---------------------------------------------------------------------------------------------
def _receipt_for_commune(tree):
    add_case(tree.commune)
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    return receipt.build(tree.province, tree.commune.origin, [result])[1]


def _receipt_refused(session, data, error):
    before = dump(session)
    with pytest.raises(error):
        receipt.apply(session, data)
    assert dump(session) == before


def _sign(key_pair, envelope) -> str:
    return b64(key_pair.private.sign(receipt._signed_bytes(envelope["header"], unb64(envelope["sealed"]))).signature)


def test_forged_receipt_is_refused_and_the_watermark_stays(tree):
    genuine = json.loads(_receipt_for_commune(tree))
    # A receipt made by someone holding another key (here: the neighbouring commune's) in the province's name.
    forger = node_keys.current(tree.commune2, node_keys.SIGNING)
    forged = dict(genuine, header={**genuine["header"], "sender_key_id": forger.key_id})
    forged["signature"] = _sign(forger, forged)
    _receipt_refused(tree.commune, json.dumps(forged).encode(), ReceiptForged)
    same_key_id = dict(forged, header=genuine["header"])
    same_key_id["signature"] = _sign(forger, same_key_id)
    _receipt_refused(tree.commune, json.dumps(same_key_id).encode(), ReceiptForged)
    flipped = bytearray(unb64(genuine["sealed"]))
    flipped[10] ^= 1
    _receipt_refused(tree.commune, json.dumps(dict(genuine, sealed=b64(bytes(flipped)))).encode(), ReceiptForged)
    _receipt_refused(tree.commune, b"not json", ReceiptInvalid)
    assert package.acked_seq(tree.commune, tree.province.origin) == 0
    receipt.apply(tree.commune, json.dumps(genuine).encode())
    assert package.acked_seq(tree.commune, tree.province.origin) > 0


def test_receipt_for_another_commune_is_refused(tree):
    data = _receipt_for_commune(tree)
    _receipt_refused(tree.commune2, data, ReceiptMisaddressed)


def test_a_receipt_confirming_more_than_was_ever_sent_loses_nothing(tree):
    # Confirming beyond what this machine has is what a parent says to a child that restored a backup: the child
    # numbers its changes from above that mark and resends everything (tests/sync/test_restore_reconciles.py).
    case = add_case(tree.commune)
    result = importer.import_package(tree.province, package.build(tree.commune)[0].data)
    tree.province.store.execute("UPDATE sync_inbox SET seq_to = 999")
    _, data = receipt.build(tree.province, tree.commune.origin, [result])
    shown = receipt.apply(tree.commune, data)
    assert shown["rolled_back"] and package.acked_seq(tree.commune, tree.province.origin) == 999
    again = package.build(tree.commune)[0]
    assert again.seq_from == 1000 and again.records == 1
    assert ReceiptBeyondSent.reason == "receipt_beyond_sent"
    assert importer.import_package(tree.province, again.data).unchanged == 1
    assert tree.province.cases.get(case["id"])["rev"] == case["rev"]
