"""The fast record encoding writes exactly the bytes of the canonical one, and reads exactly the same."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.codec import canonical, canonical_record, record_reader

# What a record can hold: text (any Unicode but lone surrogates), integers, booleans, null, lists, objects.
_text = st.text(st.characters(blacklist_categories=("Cs",)))
_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_record_bytes_are_the_canonical_bytes(value):
    assert canonical_record(value) == canonical(value)
    line = canonical_record(value)
    assert record_reader(line)(line) == json.loads(line)


def test_values_orjson_refuses_take_the_slow_way_and_read_the_same():
    for value in ({"n": 2**70}, {"rev": -(2**70)}):
        assert canonical_record(value) == canonical(value)
    for line in (b'{"x": NaN}', b'{"n": 123456789012345678901234567890}', b'{"s": "\\ud800"}',
                 b'{"n": [-12345678901234567890]}', b'{"id": "0190c2a4-1234567890123456789-7"}'):
        assert repr(record_reader(line)(line)) == repr(json.loads(line))
