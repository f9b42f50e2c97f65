"""Prints the bytes the library stores for a key given as a Python literal
(pickle + pickletools.optimize), as hex.

usage: interop_pickle_key.py LITERAL [PROTOCOL]
"""
import ast
import pickle
import pickletools
import sys

protocol = int(sys.argv[2]) if len(sys.argv) > 2 else pickle.HIGHEST_PROTOCOL
key = ast.literal_eval(sys.argv[1])
print(pickletools.optimize(pickle.dumps(key, protocol=protocol)).hex())
