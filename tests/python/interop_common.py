"""Shared by the interop scripts: a JSON form of Python values that the C++
tests can compare exactly (floats by their hex, big ints as text)."""
import json
import pickle
import sys


def encode(value, protocol=pickle.HIGHEST_PROTOCOL, none_is_null=True):
    """None becomes JSON null (a missing tag) unless none_is_null is False,
    as for values, where the library stores None as a pickle."""
    kind = type(value)
    if value is None and none_is_null:
        return None
    if kind is str:
        return {"type": "str", "text": value}
    if kind is bytes:
        return {"type": "bytes", "hex": value.hex()}
    if kind is int and -2**63 <= value < 2**63:
        return {"type": "int", "int": str(value)}
    if kind is float:
        return {"type": "float", "hex": value.hex(), "repr": repr(value)}
    return {"type": "pickle", "repr": repr(value), "hex": pickle.dumps(value, protocol=protocol).hex()}


def dump(obj):
    json.dump(obj, sys.stdout)
    sys.stdout.write("\n")
