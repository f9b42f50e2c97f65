"""Python writes a Deque and an Index the way an application would (both
ends of the deque, deletes in the middle, replaced and re-added keys) and
prints what the library itself then reads from them, in order, for the C++
engine to compare against.

usage: collections_write.py DEQUE_DIRECTORY INDEX_DIRECTORY
"""
import collections
import sys

import diskcache

from interop_common import dump, encode

deque_dir, index_dir = sys.argv[1], sys.argv[2]

deque = diskcache.Deque(directory=deque_dir)
deque.append("first")
deque.appendleft(b"\x00front\xff")
deque.append(42)
deque.appendleft(-2.5)
deque.append("doomed, at the back")
deque.appendleft("doomed, at the front")
deque.append((1, "tuple", None))
deque.appendleft({"a": [1, 2.5, None]})
deque.append(b"B" * 40000)            # a binary value file
deque.appendleft("placeholder")
deque.append("Tëxt\n" * 8000)          # a text value file
deque.appendleft(2**70)
deque.append(True)
del deque[3]                           # "doomed, at the front"
del deque[-5]                          # "doomed, at the back"
deque[1] = "replaced"                  # was "placeholder"
deque.extendleft(["L1", "L2"])         # L2 ends up first

index = diskcache.Index(index_dir)
index["text"] = "value"
index[b"\x01bytes"] = b"\x00\xff"
index[7] = 7.25
index[-1.5] = [1, "list"]
index[("user", 42)] = {"name": "Ada"}
index["removed"] = "gone soon"
index[None] = "none key"
index[2**70] = "big int key"
index["replaced"] = "old"
index["moved"] = 1
index["big"] = b"\xab" * 50000
del index["removed"]
index["replaced"] = "new, same place"
del index["moved"]
index["moved"] = 2                     # re-added: now last
index.push("queued")                   # key 8: the raw int key 7 is in the queue range

dump({
    "deque": [encode(value, none_is_null=False) for value in deque],
    "index": [{"key": encode(key, none_is_null=False), "value": encode(value, none_is_null=False)}
              for key, value in index.items()],
})
