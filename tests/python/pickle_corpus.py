#!/usr/bin/env python3
"""Writes the reference corpus tst_pickle checks the C++ pickle code against.

Usage: pickle_corpus.py OUTDIR [--seeds]

OUTDIR/values.jsonl    one value per line: its pickles (protocols 0-5, plain
                       and through pickletools.optimize), Python's repr() of
                       what pickle.loads gives back, and type().__name__.
OUTDIR/keys.jsonl      key literals and the bytes diskcache stores for them:
                       pickletools.optimize(pickle.dumps(literal_eval(text), p)).
OUTDIR/literals.jsonl  texts and repr(ast.literal_eval(text)), or null when
                       literal_eval refuses the text.
OUTDIR/seeds/          with --seeds: every pickle as a file, for the fuzzer.

Text that may hold lone surrogates travels as base64 of UTF-8 with
"surrogatepass", so JSON parsers cannot mangle it.
"""
import ast
import base64
import collections
import datetime
import decimal
import enum
import fractions
import json
import math
import os
import pathlib
import pickle
import pickletools
import random
import re
import sys
import uuid


def b64(data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return base64.b64encode(data).decode("ascii")


class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Slotted:
    __slots__ = ("a",)

    def __init__(self):
        self.a = 1


def scalars(rng):
    values = [None, True, False, Ellipsis, NotImplemented]
    ints = [0, 1, -1, 127, 128, 255, 256, -128, -129, -256, -257, 65535, 65536, -65536,
            2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32, 2**63 - 1, 2**63, -2**63, -2**63 - 1,
            2**64, -2**64, 10**30, -10**30, 2**1000, -(2**1000) + 1, 7**400]
    for k in range(1, 12):
        ints += [2**(8 * k) - 1, 2**(8 * k - 1), -2**(8 * k - 1), -2**(8 * k - 1) - 1]
    ints += [rng.randrange(-2**200, 2**200) for _ in range(20)]
    floats = [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 100.0, 1e15, 1e16, 1e17, 1e-4, 1e-5, 1e-7,
              123456789012345.0, 1234567890123456.0, 1.2345678901234567e16, 1e22, 1e23,
              float("inf"), float("-inf"), float("nan"), 5e-324, 1.7976931348623157e308,
              2.2250738585072014e-308, 1 / 3, 2 / 3, 9007199254740993.0, 0.30000000000000004,
              12345.678, 1e100, -1e-100]
    floats += [rng.uniform(-1e6, 1e6) for _ in range(30)]
    floats += [math.ldexp(rng.random(), rng.randrange(-1070, 1020)) for _ in range(30)]
    complexes = [1j, -1j, 1 + 2j, -1.5 - 2.5j, complex(0.0, -0.0), complex(-0.0, 1.0),
                 complex(float("inf"), float("nan")), 1e16j, complex(1e-5, 1e16), complex(0, 0)]
    return values + ints + floats + complexes


def random_text(rng, length):
    ranges = [(0x20, 0x7e), (0, 0x1f), (0x7f, 0xff), (0x100, 0x24f), (0x370, 0x3ff), (0x600, 0x6ff),
              (0x2000, 0x206f), (0x3000, 0x30ff), (0xd800, 0xdfff), (0xe000, 0xe0ff), (0xfff0, 0xffff),
              (0x1f300, 0x1f6ff), (0xe0000, 0xe007f), (0x10fff0, 0x10ffff), (0x30000, 0x3134f)]
    out = []
    for _ in range(length):
        lo, hi = rng.choice(ranges)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def texts(rng):
    values = ["", "a", "é", "€", "it's", 'say "hi"', "both ' and \"", "\n\t\r\\", "\x7f", "\xa0", "\xad",
              "\u2028", "\u200b", "\ufeff", "\ud800", "\udfff", "a\ud800b", "\U0001f600", "\U000e0001",
              "\u0378", "\ue000", "\U0010ffff", "\u0300", "x" * 300, "ü" * 200, "line1\nline2"]
    values.append("".join(chr(c) for c in range(0, 0x100)))
    values += [random_text(rng, rng.randint(1, 40)) for _ in range(80)]
    data = [b"", b"a", b"'", b'"', b"'\"", bytes(range(256)), b"\x00" * 300]
    data += [bytes(rng.randrange(256) for _ in range(rng.randint(1, 40))) for _ in range(20)]
    return values + data + [bytearray(), bytearray(b"abc"), bytearray(range(256))]


def containers(rng, atoms):
    shared = [1, 2]
    values = [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [1], [[]], {}, {"a": 1}, {1: "a", 2: "b"},
              {(1, 2): [3]}, [shared, shared], (shared, shared), {"x": shared, "y": shared},
              {1, 2, 3}, set(), frozenset(), frozenset({1}), frozenset({"a", "b"}), {1: {2: {3: {}}}},
              [list(range(1500))], tuple(range(1200)), {i: str(i) for i in range(1200)}, set(range(1100)),
              [None, True, 1.5, "s", b"b"], ((((),),),)]
    for _ in range(60):
        values.append(nested(rng, atoms, 3))
    selfref = []
    selfref.append(selfref)
    selfdict = {}
    selfdict["me"] = selfdict
    inner = []
    outer = (inner,)
    inner.append(outer)
    mutual_a, mutual_b = [], []
    mutual_a.append(mutual_b)
    mutual_b.append(mutual_a)
    values += [selfref, selfdict, outer, [mutual_a, mutual_b], [selfref, selfref]]
    return values


def nested(rng, atoms, depth):
    kind = rng.randrange(5) if depth > 0 else 5
    size = rng.randint(0, 4)
    if kind == 0:
        return [nested(rng, atoms, depth - 1) for _ in range(size)]
    if kind == 1:
        return tuple(nested(rng, atoms, depth - 1) for _ in range(size))
    if kind == 2:
        return {rng.choice(["k", "key", "é", 1, 2.5, None, (1, "t")]): nested(rng, atoms, depth - 1)
                for _ in range(size)}
    if kind == 3:
        return [rng.choice(atoms) for _ in range(size)]
    return rng.choice(atoms)


def library_values():
    utc = datetime.timezone.utc
    values = [
        datetime.datetime(2024, 1, 2, 3, 4, 5, 6), datetime.datetime(2024, 1, 2), datetime.datetime(1, 1, 1),
        datetime.datetime(9999, 12, 31, 23, 59, 59, 999999), datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc),
        datetime.datetime(2024, 11, 3, 1, 30, fold=1),
        datetime.datetime(2024, 1, 2, 0, 0, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=-5), "EST")),
        datetime.date(2024, 2, 29), datetime.date(1, 1, 1), datetime.time(), datetime.time(1, 2),
        datetime.time(1, 2, 3), datetime.time(1, 2, 3, 4), datetime.time(23, 59, tzinfo=utc), datetime.time(1, fold=1),
        datetime.timedelta(), datetime.timedelta(days=1), datetime.timedelta(seconds=1.5),
        datetime.timedelta(days=-1), datetime.timedelta(microseconds=-1), datetime.timedelta(weeks=3, hours=1),
        utc, datetime.timezone(datetime.timedelta(minutes=90), "X"), datetime.timezone(-datetime.timedelta(hours=3)),
        decimal.Decimal("1.5"), decimal.Decimal("-0"), decimal.Decimal("NaN"), decimal.Decimal("1E+10"),
        decimal.Decimal("3.14159265358979323846264338327950288"), decimal.Decimal("-Infinity"),
        uuid.UUID(int=0), uuid.UUID(int=2**128 - 1), uuid.UUID("12345678-1234-5678-1234-567812345678"),
        uuid.uuid5(uuid.NAMESPACE_DNS, "example.com"),
        collections.OrderedDict(), collections.OrderedDict([("a", 1), ("b", [2])]),
        collections.defaultdict(list, {"a": [1]}), collections.defaultdict(None), collections.defaultdict(int),
        collections.deque(), collections.deque([1, 2, 3]), collections.deque([1], maxlen=3), collections.deque(maxlen=0),
        collections.Counter(), collections.Counter("abracadabra"), collections.Counter({"x": 2.5, "y": -1}),
        fractions.Fraction(1, 3), fractions.Fraction(-5), fractions.Fraction(0), fractions.Fraction(10**20, 3),
        pathlib.PurePosixPath("/a/b"), pathlib.PurePosixPath("."), pathlib.PurePosixPath("rel/x.txt"),
        pathlib.PosixPath("/tmp"), pathlib.PureWindowsPath("C:/a/b"), pathlib.PureWindowsPath("rel\\x"),
        pathlib.PurePosixPath("//net/share"),
        range(5), range(1, 10, 2), range(-3), slice(1, 2, None), slice(None),
        re.compile("a+"), re.compile(b"x"), re.compile("It's"),
        ValueError("x"), KeyError("k"), Exception(), RuntimeError("a", 1),
        int, str, dict, len, type(None),
        complex(1, 2), bytearray(b"\x00'"),
    ]
    try:
        import zoneinfo
        values += [zoneinfo.ZoneInfo("UTC"), datetime.datetime(2024, 6, 1, 12, tzinfo=zoneinfo.ZoneInfo("UTC"))]
    except Exception:
        pass
    return values


# Values whose repr Python cannot give deterministically (addresses) or
# that the C++ side shows symbolically; still decoded and typed.
def symbolic_values():
    return [Point(1, "a"), Slotted(), Color.RED, [Color.GREEN], Point]


def has_set(value, seen=None):
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return False
    seen.add(id(value))
    if isinstance(value, (set, frozenset)) and len(value) > 1:
        return True
    if isinstance(value, dict):
        return any(has_set(k, seen) or has_set(v, seen) for k, v in value.items())
    if isinstance(value, (list, tuple, collections.deque)):
        return any(has_set(v, seen) for v in value)
    return False


def guess_protocol(data):
    first = next(pickletools.genops(data))[0]
    if first.name == "PROTO":
        return data[1]
    return min(1, max(op.proto for op, _, _ in pickletools.genops(data)))


def pickles_of(value):
    out = []
    for protocol in range(0, 6):
        try:
            data = pickle.dumps(value, protocol=protocol)
        except Exception:
            continue
        out.append((str(protocol), data))
        out.append(("opt%d" % protocol, pickletools.optimize(data)))
    return out


def value_record(index, value, deterministic):
    entries = []
    for label, data in pickles_of(value):
        loaded = pickle.loads(data)
        text = repr(loaded)
        entries.append({"label": label, "pickle": b64(data), "repr": b64(text),
                        "type": type(loaded).__name__, "protocol": guess_protocol(data)})
    det = deterministic and " at 0x" not in repr(value)
    return {"id": index, "deterministic": det, "set_order": has_set(value), "pickles": entries}


def key_texts(rng):
    texts = ["None", "True", "False", "0", "1", "-1", "255", "256", "65535", "65536", "-65536",
             str(2**31 - 1), str(2**31), str(-2**31), str(-2**31 - 1), str(2**63 - 1), str(-2**63),
             str(2**70), str(-2**63 - 1), str(2**64), str(-2**64), str(10**100), str(-(2**2048)),
             "1.5", "-0.0", "0.0", "1e308", "1e-320", "1j", "1+2j", "(1j, 2j)", "(1j, 1j)", "...",
             "(..., ...)", "''", "'a'", "'é'", "'€'", "'\\ud800'", "'\\U0001f600'", "b''", "b'x'", "b'\\xff'",
             "(1, 'a')", "('a', 'a')", "('ab', 'ab')", "('é', 'é')", "('€', '€')", "('', '')", "(b'', b'')",
             "(b'x', b'x')", "(b'xy', b'xy')", "(b'x', 1.5, None)", "(b'x', b'y')", "(b'ab', b'cd')",
             "(b'a', 'a')", "('latin1', b'ab')", "('builtins', 1j)", "((1, 2), (3, (4, 5)))", "((), ())",
             "(1, 2, 3, 4, 5)", "((('deep',),),)", "('a', ('a', ('a',)))", "(None, True, False)",
             repr("x" * 255), repr("x" * 256), repr("y" * 70000), repr(b"z" * 70000), repr("é" * 40000),
             repr(("a" * 65530, "b")), repr(("q" * 65536, "r" * 10)), repr(tuple(range(300))),
             repr(tuple("s%d" % i for i in range(300))), repr(tuple(["same"] * 3)), "(1.5, 2.5, 1.5)"]
    for _ in range(40):
        texts.append(repr(key_tuple(rng, 3)))
    return texts


def key_tuple(rng, depth):
    atoms = [None, True, False, 0, -7, 300, 2**40, -2**70, 1.25, "k", "key", "é", "\u20ac", b"", b"b", b"bytes", ""]
    items = []
    for _ in range(rng.randint(0, 4)):
        if depth > 0 and rng.random() < 0.3:
            items.append(key_tuple(rng, depth - 1))
        else:
            items.append(rng.choice(atoms))
    return tuple(items)


LITERALS = [
    "None", "True", "False", "...", "0", "-0", "007" , "00", "1_000", "0x_ff", "0XFF", "0o17", "0b101", "-0b1",
    "1.", ".5", "1e5", "1E-5", "1_0.5e1_0", "1e400", "-1e400", "1e-400", "0.1", "1j", "-1j", "2.5J", "1+2j",
    "-1.5-2.5j", "(1)+2j", "1 + 2j", "(-1)+2j", "+1", "+1.5", "- 1", "(1)", "((1,),)", "1, 2", "1,", "()",
    "(1,)", "[]", "[1, [2, [3]]]", "[1,]", "{}", "{'a': 1, 'a': 2}", "{'a': 1, 'b': 2,}", "{1: 2, 1.0: 3, True: 4}",
    "{1, 2, 3}", "{1, 1, 1.0}", "set()", " 1", "\t[1]", "1 # comment", "[1,\n 2]", "(1,\n# c\n2)", "1\n",
    "'a' 'b'", "'a' \"b\"", "b'x' b'y'", "r'\\d'", "R'\\''", "rb'\\x'", "Br'a'", "u'x'", "U'x'", "'''tri\nple'''",
    "\"\"\"a\"b\"\"\"", "'\\x41\\101\\u00e9\\U0001F600'", "'\\777'", "b'\\777'", "'\\q'", "b'\\u1234'",
    "'\\\\'", "'\\''", "'\\\"'", "'\\a\\b\\f\\n\\r\\t\\v'", "'a\\\nb'", "'\\ud800'", "'é€😀'", "'\\x00'",
    "9" * 4300, "[" * 50 + "]" * 50, "{'k': [1, (2, {3: None})]}", "(b'', '', 0, 0.0, 0j)",
    # not literals
    "abc", "1 +", "f'x'", "F'x'", "inf", "nan", "frozenset()", "set([1])", "2**3", "[1,", "'unterminated",
    "'a\nb'", "01", "1__0", "1_", "0x", "0b2", "0o8", "1e", "None None", "{[1]: 2}", "{1, [2]}", "-True",
    "1+2", "2j+1", "1+2j+3j", "1-(2j)", "--1", "'a' b'b'", "b'é'", "x = 1", "print(1)", "[1] + [2]",
    "{**{}}", "{1: 2, 3}", "(1 2)", "1 if 1 else 2", "lambda: 1", "'\\x4'", "'\\u12'", "'\\U00110000'",
    "1" * 4301, "", "   ", "# only a comment", "ur'x'", "bu'x'", "1\n2", "[1]\n[2]",
]


def literal_record(text):
    try:
        value = ast.literal_eval(text)
    except Exception:
        return {"text": b64(text), "repr": None}
    return {"text": b64(text), "repr": b64(repr(value)), "set_order": has_set(value)}


def write_lines(path, records):
    with open(path, "w", encoding="ascii") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(20240601)
    atoms = scalars(rng) + texts(rng)
    values = [(v, True) for v in atoms + containers(rng, atoms) + library_values()]
    values += [(v, False) for v in symbolic_values()]
    records = [value_record(i, v, det) for i, (v, det) in enumerate(values)]
    write_lines(os.path.join(outdir, "values.jsonl"), records)
    keys = []
    for text in key_texts(rng):
        value = ast.literal_eval(text)
        for protocol in range(2, 6):
            data = pickletools.optimize(pickle.dumps(value, protocol=protocol))
            keys.append({"text": b64(text), "protocol": protocol, "bytes": b64(data)})
    write_lines(os.path.join(outdir, "keys.jsonl"), keys)
    write_lines(os.path.join(outdir, "literals.jsonl"), [literal_record(t) for t in LITERALS])
    if "--seeds" in sys.argv:
        seeds = os.path.join(outdir, "seeds")
        os.makedirs(seeds, exist_ok=True)
        for record in records:
            for entry in record["pickles"]:
                name = "%d-%s.pickle" % (record["id"], entry["label"])
                with open(os.path.join(seeds, name), "wb") as out:
                    out.write(base64.b64decode(entry["pickle"]))
    print("values=%d keys=%d literals=%d" % (len(records), len(keys), len(LITERALS)))


if __name__ == "__main__":
    main()
