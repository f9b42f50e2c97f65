"""Inputs for tst_decode, made by the real libraries: a JSONDisk cache, a
Django FileBasedCache directory, small hand-made images and a zlib bomb.
Prints a JSON manifest of what each holds, as Python sees it.

usage: decode_make.py DIRECTORY
"""
import datetime
import decimal
import hashlib
import json
import os
import pickle
import struct
import sys
import zlib

import diskcache

root = sys.argv[1]


def canonical(value):
    """The JSON text the test compares against: the structure Python loads."""
    return json.dumps(value, sort_keys=True)


def make_jsondisk():
    directory = os.path.join(root, 'jsondisk')
    values = {
        'config': {'name': 'cachescope', 'version': [1, 2, 3], 'nested': {'deep': {'er': [True, False, None]}}},
        'unicode': {'text': 'h\u00e9llo \u2603 \U0001f600', 'tab\tkey': 'line\nbreak "quoted" \\ back'},
        'numbers': [0, -1, 1.5, -2.25e-05, 1e+300, 123456789],
        'empty': [{}, [], ''],
        'plain': 'just a string',
        'number': 42,
        # Longer than disk_min_file_size: a mode-2 file holding the zlib stream.
        'large': [{'index': i, 'label': hashlib.sha256(b'%d' % i).hexdigest()} for i in range(1500)],
    }
    with diskcache.Cache(directory, disk=diskcache.JSONDisk, disk_compress_level=6) as cache:
        for key, value in values.items():
            cache[key] = value
        cache[('tuple', 7)] = {'key': 'a tuple key becomes a JSON list'}
    expected = [{'key': canonical(k), 'value': canonical(v)} for k, v in values.items()]
    expected.append({'key': canonical(['tuple', 7]), 'value': canonical({'key': 'a tuple key becomes a JSON list'})})
    return {'directory': directory, 'items': expected}


def make_django():
    from django.conf import settings
    directory = os.path.join(root, 'django')
    settings.configure(CACHES={'default': {
        'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache', 'LOCATION': directory}})
    from django.core.cache import cache
    values = {
        'dict': ({'a': 1, 'b': [1, 2.5, None], 'c': ('t', b'\x00\xff')}, 300),
        'text': ('h\u00e9llo \u2603', None),
        'big': (2**100 + 7, 60),
        'when': (datetime.datetime(2024, 5, 17, 12, 30, 45, 123456), 3600),
        'money': (decimal.Decimal('12.50'), 10),
        'nothing': (None, 30),
    }
    items = []
    for key, (value, timeout) in values.items():
        cache.set(key, value, timeout)
        path = cache._key_to_file(key)
        with open(path, 'rb') as f:
            expiry = pickle.load(f)
        items.append({'file': os.path.basename(path), 'repr': repr(value), 'type': type(value).__name__,
                      'expiry': None if expiry is None else expiry.hex()})
    return {'directory': directory, 'items': items}


def png_chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)


def make_png(width, height):
    # One filter byte per row, then RGB pixels.
    raw = b''.join(b'\x00' + b''.join(bytes([(x * 40) % 256, (y * 60) % 256, 128]) for x in range(width))
                   for y in range(height))
    ihdr = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', ihdr) + png_chunk(b'IDAT', zlib.compress(raw)) + png_chunk(b'IEND', b'')


def make_gif(width, height):
    # A two-colour global table and one image of uncompressed-ish LZW data
    # (a clear code, then pixels of colour 0, then the end code).
    header = b'GIF89a' + struct.pack('<HHBBB', width, height, 0x80, 0, 0) + b'\x00\x00\x00\xff\xff\xff'
    image = b',' + struct.pack('<HHHHB', 0, 0, width, height, 0)
    lzw = bytes([0x02, 0x02, 0x44, 0x01, 0x00])  # min code size 2, one sub-block, terminator
    return header + image + lzw + b';'


def make_bmp(width, height, top_down):
    row = b''.join(bytes([x % 256, 0, 255]) for x in range(width))
    row += b'\x00' * ((4 - len(row) % 4) % 4)
    pixels = row * height
    info = struct.pack('<IiiHHIIiiII', 40, width, -height if top_down else height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    header = b'BM' + struct.pack('<IHHI', 14 + len(info) + len(pixels), 0, 0, 14 + len(info))
    return header + info + pixels


def make_images():
    directory = os.path.join(root, 'images')
    os.makedirs(directory)
    images = {
        'tiny.png': (make_png(3, 2), 'PNG', 3, 2),
        'wide.png': (make_png(300, 1), 'PNG', 300, 1),
        'dot.gif': (make_gif(5, 4), 'GIF', 5, 4),
        'up.bmp': (make_bmp(7, 3, False), 'BMP', 7, 3),
        'down.bmp': (make_bmp(2, 9, True), 'BMP', 2, 9),
        'icon.svg': (b'<?xml version="1.0"?>\n<!-- an icon -->\n<svg xmlns="http://www.w3.org/2000/svg" width="8" '
                     b'height="8"><rect width="8" height="8"/></svg>\n', 'SVG', 0, 0),
    }
    out = []
    for name, (data, kind, width, height) in images.items():
        with open(os.path.join(directory, name), 'wb') as f:
            f.write(data)
        out.append({'file': name, 'format': kind, 'width': width, 'height': height})
    return {'directory': directory, 'items': out}


def make_bomb():
    # 80 MiB of JSON (an array padded with spaces) in about 80 KiB: past the
    # decoder's default 64 MiB bound for inflating.
    path = os.path.join(root, 'bomb.zz')
    with open(path, 'wb') as f:
        f.write(zlib.compress(b'[' + b' ' * (80 << 20) + b']', 9))
    return path


json.dump({'jsondisk': make_jsondisk(), 'django': make_django(), 'images': make_images(), 'bomb': make_bomb()}, sys.stdout)
sys.stdout.write('\n')
