"""Keys and tags of every kind of text, through the real library.

  reliability_keys.py list            the keys and tags, as JSON, writing nothing
  reliability_keys.py write DIRECTORY stores key i -> value i with tag i, prints the list
  reliability_keys.py verify DIRECTORY reads every key back (value and tag), checks
                                      len() and check(); exit status 1 on any difference

Keys are encoded for C++ as {"type", "hex"}: str as its UTF-8, bytes as
themselves, anything else as its pickle (protocol 5, optimized as diskcache
stores pickled keys) so both sides can name exactly the same key.
"""
import json
import pickle
import pickletools
import sys
import warnings

import diskcache

MB = 1 << 20

KEYS = [
    "",                          # empty str
    b"",                         # empty bytes
    "a\x00b",                    # NUL inside text
    b"\x00",                     # a lone NUL byte
    b"a\x00b\x00",               # NULs inside bytes
    b"\xff\xfe\x80 not utf-8",   # invalid UTF-8
    b"\xed\xa0\x80",             # a surrogate's UTF-8 form, as bytes
    "\u00e9\u4e2d\U0001F600",    # multi-byte UTF-8 text
    "\u202eright-to-left",       # a bidi control character
    "line\nbreak\ttab\r",        # control characters
    ("\ud800", "lone surrogate"),  # a str that is not valid UTF-8: Python pickles the tuple
    ("\udfff",),
    "k" * MB,                    # 1 MB of text
    b"\x01" * MB,                # 1 MB of bytes
]

TAGS = [None, "", b"", "t\x00ag", b"\xff\xfe", "\u4e2d", "t" * MB]


def encode(value):
    if value is None:
        return None
    if type(value) is str:
        return {"type": "str", "hex": value.encode("utf-8").hex()}
    if type(value) is bytes:
        return {"type": "bytes", "hex": value.hex()}
    data = pickletools.optimize(pickle.dumps(value, protocol=5))
    return {"type": "pickle", "hex": data.hex()}


def listing():
    return [{"key": encode(k), "tag": encode(TAGS[i % len(TAGS)]), "value": i} for i, k in enumerate(KEYS)]


mode = sys.argv[1]
if mode == "list":
    json.dump(listing(), sys.stdout)
elif mode == "write":
    with diskcache.Cache(sys.argv[2]) as cache:
        for i, key in enumerate(KEYS):
            cache.set(key, i, tag=TAGS[i % len(TAGS)])
    json.dump(listing(), sys.stdout)
elif mode == "verify":
    problems = []
    with diskcache.Cache(sys.argv[2]) as cache:
        for i, key in enumerate(KEYS):
            got = cache.get(key, default=KeyError, tag=True)
            if got != (i, TAGS[i % len(TAGS)]):
                problems.append("key %d (%r...): got %r" % (i, repr(key)[:40], repr(got)[:80]))
        if len(cache) != len(KEYS):
            problems.append("len %d != %d" % (len(cache), len(KEYS)))
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            problems += ["check: %s" % w.message for w in cache.check()]
    for p in problems:
        print(p, file=sys.stderr)
    print(json.dumps({"keys": len(KEYS), "problems": len(problems)}))
    sys.exit(1 if problems else 0)
