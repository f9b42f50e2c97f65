"""Python reads a Deque and an Index (written by the C++ engine) through the
library and prints their contents in order, their settings and what the
library's check() says of them.

usage: collections_read.py DEQUE_DIRECTORY INDEX_DIRECTORY
"""
import sys
import warnings

import diskcache

from interop_common import dump, encode


def checked(cache):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cache.check()
    return [str(warning.message) for warning in caught]


deque_dir, index_dir = sys.argv[1], sys.argv[2]
deque = diskcache.Deque(directory=deque_dir)
index = diskcache.Index(index_dir)

dump({
    "deque": [encode(value, none_is_null=False) for value in deque],
    "deque_reversed": [encode(value, none_is_null=False) for value in reversed(deque)],
    "deque_len": len(deque),
    "deque_policy": deque.cache.eviction_policy,
    "deque_check": checked(deque.cache),
    "index": [{"key": encode(key, none_is_null=False), "value": encode(value, none_is_null=False)}
              for key, value in index.items()],
    "index_len": len(index),
    "index_policy": index.cache.eviction_policy,
    "index_check": checked(index.cache),
})
