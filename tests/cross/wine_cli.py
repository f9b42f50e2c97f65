"""cachescope-cli.exe under Wine, against the Linux build, on caches made by
Python's diskcache (run with /usr/bin/python3 by scripts/cross-windows.sh).

Every case runs the same command with both builds, each on its own copy of
the same cache, and expects the same exit status and the same bytes on
stdout (paths in findings differ only by their separator). Writes are read
back by Python. Prints one PASS/FAIL line a case and a summary; exits 1 on
any failure.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time

import diskcache

PAST = 1_000_000_000.0  # expiry moved into the past (2001), never a short live expiry
BIG_TEXT = "line one\nline two ü\n" * 4000  # stored in a file, text mode
BIG_BYTES = bytes(range(256)) * 300  # stored in a file, binary mode
PICKLED = {"a": [1, 2.5, None], "b": ("x", b"y")}


def make_cache(directory, **settings):
    """Every kind of key and value, tags, a Unicode key, two expired entries."""
    with diskcache.Cache(directory, **settings) as cache:
        cache.set("text", "hello wörld", tag="t1")
        cache.set(b"bytes-key", b"\x00\x01\xff\r\n", tag="t1")
        cache.set(42, 4242)
        cache.set(1.5, 2.5)
        cache.set(("tuple", 1), PICKLED, tag="t2")
        cache.set("big-text", BIG_TEXT)
        cache.set("big-bytes", BIG_BYTES)
        cache.set("ключ", "значение")
        cache.set("old1", "x" * 50000, expire=3600)
        cache.set("old2", "y", expire=3600)
    with sqlite3.connect(os.path.join(directory, "cache.db")) as db:
        db.execute("UPDATE Cache SET expire_time = ? WHERE key IN ('old1', 'old2')", (PAST,))
    db.close()


def python_view(directory):
    """What Python sees: every live key with its value, sorted by repr."""
    with diskcache.Cache(directory) as cache:
        items = []
        for key in cache.iterkeys():
            items.append((repr(key), repr(cache.get(key, default="<missing>"))))
        return sorted(items)


class Runner:
    def __init__(self, wine, exe, linux, work):
        self.wine, self.exe, self.linux, self.work = wine, exe, linux, work
        self.results = []

    def windows(self, *args, cwd=None, timeout=120):
        return self._run([self.wine, self.exe, *args], cwd, timeout)

    def native(self, *args, cwd=None):
        return self._run([self.linux, *args], cwd, 120)

    @staticmethod
    def _run(command, cwd, timeout):
        done = subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
        return done.returncode, done.stdout, done.stderr

    def fresh(self, name, maker=make_cache, **settings):
        """A new case directory holding one cache, copied as lin/ and win/."""
        case = os.path.join(self.work, name)
        shutil.rmtree(case, ignore_errors=True)
        os.makedirs(case)
        maker(os.path.join(case, "lin"), **settings)
        shutil.copytree(os.path.join(case, "lin"), os.path.join(case, "win"), symlinks=True)
        return case

    def case(self, name, function):
        start = time.monotonic()
        try:
            problem = function()
        except Exception as error:  # a broken case is a failure, not a crash of the run
            problem = f"{type(error).__name__}: {error}"
        seconds = time.monotonic() - start
        self.results.append((name, problem))
        print(f"{'PASS' if not problem else 'FAIL'}  {name}  ({seconds:.1f}s)" + (f"\n      {problem}" if problem else ""),
              flush=True)


def differ(what, linux, windows):
    """None when the two (status, stdout) agree, else a short description."""
    if linux[0] != windows[0]:
        return f"{what}: exit {linux[0]} on Linux, {windows[0]} under Wine; stderr {windows[2][:300]!r}"
    if linux[1] != windows[1]:
        at = next((i for i, (a, b) in enumerate(zip(linux[1], windows[1])) if a != b), min(len(linux[1]), len(windows[1])))
        return (f"{what}: stdout differs at byte {at}: Linux {linux[1][max(0, at - 40):at + 40]!r}, "
                f"Wine {windows[1][max(0, at - 40):at + 40]!r}")
    return None


def same(runner, case, *args, on=None, separators=False):
    """Runs `args` with both builds, "@" standing for the cache directory:
    each build on its own copy (lin/, win/), or both on `on` when given."""
    lin_dir, win_dir = (on, on) if on else ("lin", "win")
    linux = runner.native(*[lin_dir if a == "@" else a for a in args], cwd=case)
    windows = runner.windows(*[win_dir if a == "@" else a for a in args], cwd=case)
    if separators:  # findings name paths: only the separator and the copy's name may differ
        windows = (windows[0], windows[1].replace(b"\\\\", b"/").replace(b"\\", b"/").replace(b"win/", b"lin/"), windows[2])
        linux = (linux[0], linux[1].replace(b"\\\\", b"/"), linux[2])
    return differ(" ".join(args), linux, windows), linux, windows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wine", required=True)
    parser.add_argument("--exe", required=True)
    parser.add_argument("--linux", required=True)
    parser.add_argument("--work", required=True)
    options = parser.parse_args()
    os.makedirs(options.work, exist_ok=True)
    r = Runner(options.wine, os.path.abspath(options.exe), os.path.abspath(options.linux), os.path.abspath(options.work))
    read = r.fresh("read")  # read-only cases share lin/ (inspection never writes)
    # The first program started beside a fresh persistent wineserver has been
    # seen to stall (in Wine, before the program runs); later ones start at
    # once. So a first run that does not finish in 20 s is given up on.
    for attempt in (1, 2, 3):
        try:
            r.windows("--version", timeout=20)
            break
        except subprocess.TimeoutExpired:
            print(f"note: Wine's first start stalled; retrying ({attempt})", flush=True)

    def version():
        problem, linux, windows = same(r, read, "--version", on="lin")
        if problem: return problem
        if not windows[1].endswith(b"\n") or b"\r" in windows[1]: return f"line ending {windows[1]!r}"

    def info():
        for args in (("info", "@"), ("--json", "info", "@"), ("stats", "@")):
            problem, _, _ = same(r, read, *args, on="lin")
            if problem: return problem

    def info_windows_path():
        """An absolute path with a drive letter and backslashes, as Windows users type it."""
        absolute = "Z:" + os.path.join(read, "lin").replace("/", "\\")
        status, out, err = r.windows("--json", "info", absolute)
        if status != 0: return f"exit {status}: {err!r}"
        shown = json.loads(out)
        if shown["directory"] != absolute: return f"directory shown as {shown['directory']!r}, given {absolute!r}"
        _, linux_out, _ = r.native("--json", "info", os.path.join(read, "lin"))
        expected = json.loads(linux_out)
        shown["directory"] = expected["directory"]
        if shown != expected: return f"info differs: {shown} != {expected}"

    def listing():
        for args in (("--json", "ls", "@"), ("ls", "@"), ("--json", "ls", "@", "--sort", "size", "--desc"),
                     ("--json", "ls", "@", "--tag", "t1"), ("--json", "ls", "@", "--expired"),
                     ("export", "@")):
            problem, _, _ = same(r, read, *args, on="lin")
            if problem: return problem

    keys = ["text", "b'bytes-key'", "42", "1.5", "('tuple', 1)", "big-text", "big-bytes", "ключ", "old1", "missing"]

    def get_each():
        for key in keys:
            for args in (("get", "@", key), ("--json", "get", "@", key), ("get", "@", key, "--raw")):
                problem, _, _ = same(r, read, *args, on="lin")
                if problem: return problem

    def get_values_are_pythons():
        expected = {"text": b"hello w\xc3\xb6rld", "b'bytes-key'": b"\x00\x01\xff\r\n", "big-bytes": BIG_BYTES,
                    "big-text": BIG_TEXT.encode(), "ключ": "значение".encode()}
        for key, value in expected.items():
            status, out, err = r.windows("get", "lin", key, "--raw", cwd=read)
            if status != 0 or out != value: return f"get {key} --raw: exit {status}, {len(out)} bytes, {err!r}"

    def get_output_unicode_name():
        target = os.path.join(read, "значение-ü.bin")
        status, _, err = r.windows("get", "lin", "big-bytes", "--output", "значение-ü.bin", cwd=read)
        if status != 0: return f"exit {status}: {err!r}"
        with open(target, "rb") as f:
            if f.read() != BIG_BYTES: return "the --output file does not hold the value"

    def windows_separators():
        """A cache whose rows name files as Python on Windows writes them (ab\\cd\\x.val)."""
        case = r.fresh("separators")
        for copy in ("lin", "win"):
            with sqlite3.connect(os.path.join(case, copy, "cache.db")) as db:
                db.execute("UPDATE Cache SET filename = replace(filename, '/', '\\') WHERE filename IS NOT NULL")
            db.close()
        for key, value in (("big-text", BIG_TEXT.encode()), ("big-bytes", BIG_BYTES)):
            for run in (r.native, r.windows):
                status, out, err = run("get", "win", key, "--raw", cwd=case)
                if status != 0 or out != value: return f"get {key}: exit {status}, {len(out)} bytes, {err!r}"
        problem, _, _ = same(r, case, "--json", "check", "@", separators=True)
        return problem

    def unicode_directory():
        case = os.path.join(r.work, "unicode")
        shutil.rmtree(case, ignore_errors=True)
        os.makedirs(case)
        make_cache(os.path.join(case, "кэш ü"))
        for args in (("--json", "info", "кэш ü"), ("--json", "ls", "кэш ü"), ("get", "кэш ü", "big-text"),
                     ("check", "кэш ü")):
            problem, _, _ = same(r, case, *args, on="кэш ü")
            if problem: return problem

    def set_read_back():
        case = r.fresh("set")
        with open(os.path.join(case, "small.bin"), "wb") as f:
            f.write(b"\x00\r\n\x1a\xff")
        with open(os.path.join(case, "big.txt"), "w", encoding="utf-8", newline="") as f:
            f.write(BIG_TEXT)
        writes = [("s", ("set", "win", "s", "wörld\n")), ("i", ("set", "win", "i", "7", "--int")),
                  ("f", ("set", "win", "f", "0.1", "--float")), ("b", ("set", "win", "b", "--bytes-file", "small.bin")),
                  ("ключ2", ("set", "win", "ключ2", "значение2", "--tag", "тег")),
                  ("big", ("set", "win", "big", "--text-file", "big.txt"))]
        for _, args in writes:
            status, _, err = r.windows(*args, cwd=case)
            if status != 0: return f"{' '.join(args)}: exit {status}, {err!r}"
        with diskcache.Cache(os.path.join(case, "win")) as cache:
            got = {key: cache.get(key) for key in ("s", "i", "f", "b", "ключ2")}
            tag = cache.get("ключ2", tag=True)[1]
        want = {"s": "wörld\n", "i": 7, "f": 0.1, "b": b"\x00\r\n\x1a\xff", "ключ2": "значение2"}
        if got != want: return f"Python reads {got!r}, expected {want!r}"
        if tag != "тег": return f"Python reads the tag as {tag!r}"
        # The large text went to a value file named and written as Python on
        # Windows does: backslashes in the name, CRLF inside. Python on Linux
        # cannot follow such a name; both builds of the CLI read it back.
        with sqlite3.connect(os.path.join(case, "win", "cache.db")) as db:
            (name,) = db.execute("SELECT filename FROM Cache WHERE key = 'big'").fetchone()
        db.close()
        if "\\" not in name: return f"value file name {name!r}: not as Python on Windows names it"
        with open(os.path.join(case, "win", *name.split("\\")), "rb") as f:
            if f.read() != BIG_TEXT.replace("\n", "\r\n").encode(): return "value file is not UTF-8 text with CRLF"
        for run in (r.native, r.windows):
            status, out, err = run("get", "win", "big", "--raw", cwd=case)
            if status != 0 or out.replace(b"\r\n", b"\n") != BIG_TEXT.encode(): return f"get big: exit {status} {err!r}"
            status, out, _ = run("--json", "get", "win", "big", cwd=case)
            if status != 0 or json.loads(out)["value_repr"] != repr(BIG_TEXT): return "get --json big is not the text"

    def damaged(case):
        """Damage both copies the same way: a file gone, a file too long, an
        unknown file, an empty directory."""
        for copy in ("lin", "win"):
            base = os.path.join(case, copy)
            with sqlite3.connect(os.path.join(base, "cache.db")) as db:
                rows = dict(db.execute("SELECT key, filename FROM Cache WHERE filename IS NOT NULL"))
            db.close()
            os.remove(os.path.join(base, rows["big-bytes"]))
            with open(os.path.join(base, rows["big-text"]), "ab") as f:
                f.write(b"more")
            os.makedirs(os.path.join(base, "zz", "empty"))
            with open(os.path.join(base, "stray.val"), "wb") as f:
                f.write(b"?")

    def check():
        case = r.fresh("check")
        damaged(case)
        for args in (("check", "@"), ("--json", "check", "@")):
            problem, _, _ = same(r, case, *args, separators=True)
            if problem: return problem

    def check_fix():
        case = r.fresh("fix")
        damaged(case)
        problem, _, _ = same(r, case, "--json", "check", "@", "--fix", separators=True)
        if problem: return problem
        with diskcache.Cache(os.path.join(case, "win")) as cache:
            import warnings
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                cache.check()
        if caught: return "Python's check() after the fix under Wine: " + "; ".join(str(w.message) for w in caught)
        if python_view(os.path.join(case, "lin")) != python_view(os.path.join(case, "win")):
            return "the two fixed copies hold different entries"

    def removal(command, settings=None, expected_left=None):
        """The command on two copies, and Python's own method on a third: all three must agree."""
        def run():
            case = r.fresh(command, **(settings or {}))
            shutil.copytree(os.path.join(case, "lin"), os.path.join(case, "py"))
            for args in (("--json", command, "@", "--dry-run"), ("--json", command, "@")):
                problem, _, _ = same(r, case, *args)
                if problem: return problem
            with diskcache.Cache(os.path.join(case, "py")) as cache:
                getattr(cache, command)()
            py, lin, win = (python_view(os.path.join(case, copy)) for copy in ("py", "lin", "win"))
            if lin != win: return f"after {command}: the Linux copy holds {len(lin)} entries, the Wine copy {len(win)}"
            if win != py: return f"after {command}: Python's {command}() leaves {len(py)} entries, the Wine build {len(win)}"
            if expected_left is not None and len(win) != expected_left:
                return f"after {command}: {len(win)} entries, expected {expected_left}"
            files = sorted(os.path.relpath(os.path.join(d, f), os.path.join(case, "win"))
                           for d, _, names in os.walk(os.path.join(case, "win")) for f in names if not f.startswith("cache.db"))
            with sqlite3.connect(os.path.join(case, "win", "cache.db")) as db:
                named = sorted(row[0] for row in db.execute("SELECT filename FROM Cache WHERE filename IS NOT NULL"))
            db.close()
            if files != named: return f"after {command}: value files {files}, rows name {named}"
        return run

    def fanout():
        case = os.path.join(r.work, "fanout")
        shutil.rmtree(case, ignore_errors=True)
        with diskcache.FanoutCache(os.path.join(case, "f"), shards=4) as cache:
            for i in range(40):
                cache.set(("k", i), "v" * (i * 1000))
        for args in (("--json", "info", "f"), ("--json", "ls", "f"), ("get", "f", "('k', 39)"), ("--json", "check", "f")):
            problem, _, _ = same(r, case, *args, on="f")
            if problem: return problem

    r.case("--version, LF only", version)
    r.case("info, info --json, stats", info)
    r.case("info Z:\\...\\dir (drive letter, backslashes)", info_windows_path)
    r.case("ls, ls --json (sorted, filtered), export", listing)
    r.case("get of str/bytes/int/float/pickled/file/Unicode keys (text, --json, --raw)", get_each)
    r.case("get --raw gives Python's bytes", get_values_are_pythons)
    r.case("get --output to a Unicode file name", get_output_unicode_name)
    r.case("value files named with backslashes", windows_separators)
    r.case("a cache in a Unicode directory", unicode_directory)
    r.case("set under Wine, read back by Python", set_read_back)
    r.case("check of a damaged cache", check)
    r.case("check --fix, then Python's check() is clean", check_fix)
    r.case("expire, as Python's expire()", removal("expire", expected_left=8))
    r.case("cull, as Python's cull()", removal("cull", {"size_limit": 150000, "cull_limit": 0}))
    r.case("clear, as Python's clear()", removal("clear", expected_left=0))
    r.case("FanoutCache: info, ls, get, check", fanout)

    failed = [name for name, problem in r.results if problem]
    print(f"\n{len(r.results) - len(failed)} passed, {len(failed)} failed" + (": " + "; ".join(failed) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
