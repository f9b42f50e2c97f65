#!/usr/bin/env python3
"""The inspector against DB Browser for SQLite on the same cache, as a user sees them.

Run by gui_vs_dbbrowser.sh, which starts the X server (Xvfb) this talks to.
Each application is launched on its own copy of the cache with a fresh HOME,
and measured from the outside, by the same method for both:

  rows shown   launch to the first screen frame that shows the table's rows
               (the frame whose amount of drawn text is within 10 % of the
               settled window's; every frame that differed is saved, so the
               judgement can be checked by eye)
  idle         launch to the last CPU tick of the process before 0.5 s
               without one (/proc/PID/stat, all threads)
  sort         a click on the "size" column's header to the screen settling
  last row     Ctrl+End in the table to the screen settling (placeholders such as
               "loading..." are not the row: settling waits for the process's CPU too)
  resident     VmRSS when idle after all of that, and VmHWM (the peak)

"Settling" is the last change of the screen before it stays the same for
SETTLE seconds with the process idle; the figure is that last change's time, so the wait itself is
not counted. The screen is read with XGetImage through ctypes, so nothing
beyond python3 and libX11 is needed.
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import shutil
import struct
import subprocess
import sys
import time
import zlib

SETTLE = 1.5       # seconds without a screen change that count as settled
SAMPLE_STRIDE = 4  # bytes per BGRX pixel: every pixel's blue byte is counted, every third compared


class XScreen:
    """Grabs the root window of $DISPLAY as BGRX bytes."""

    class _XImage(ctypes.Structure):
        _fields_ = [('width', ctypes.c_int), ('height', ctypes.c_int), ('xoffset', ctypes.c_int),
                    ('format', ctypes.c_int), ('data', ctypes.c_void_p), ('byte_order', ctypes.c_int),
                    ('bitmap_unit', ctypes.c_int), ('bitmap_bit_order', ctypes.c_int),
                    ('bitmap_pad', ctypes.c_int), ('depth', ctypes.c_int),
                    ('bytes_per_line', ctypes.c_int), ('bits_per_pixel', ctypes.c_int)]

    def __init__(self, width, height):
        lib = ctypes.CDLL(ctypes.util.find_library('X11') or 'libX11.so.6')
        lib.XOpenDisplay.restype = ctypes.c_void_p
        lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        lib.XDefaultRootWindow.restype = ctypes.c_ulong
        lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        lib.XGetImage.restype = ctypes.POINTER(self._XImage)
        lib.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                                  ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
        lib.XFree.argtypes = [ctypes.c_void_p]
        self._lib = lib
        self._display = lib.XOpenDisplay(None)
        if not self._display:
            raise SystemExit('cannot open the X display ' + os.environ.get('DISPLAY', '(DISPLAY unset)'))
        self._root = lib.XDefaultRootWindow(self._display)
        self.width, self.height = width, height

    def grab(self):
        image = self._lib.XGetImage(self._display, self._root, 0, 0, self.width, self.height, 0xFFFFFFFF, 2)
        if not image:
            raise SystemExit('XGetImage failed')
        bpl = image.contents.bytes_per_line
        data = ctypes.string_at(image.contents.data, bpl * self.height)
        self._lib.XFree(image.contents.data)
        self._lib.XFree(ctypes.cast(image, ctypes.c_void_p))
        return Frame(data, bpl, self.width, self.height)


class Frame:
    def __init__(self, data, bpl, width, height):
        self.data, self.bpl, self.width, self.height = data, bpl, width, height
        self.sample = data[::SAMPLE_STRIDE * 3]  # what "the screen changed" compares

    def write_png(self, path):
        rows = bytearray()
        for y in range(self.height):
            line = self.data[y * self.bpl:y * self.bpl + self.width * 4]
            rgb = bytearray(self.width * 3)
            rgb[0::3], rgb[1::3], rgb[2::3] = line[2::4], line[1::4], line[0::4]
            rows += b'\0' + rgb

        def chunk(kind, body):
            return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))
        header = struct.pack('>IIBBBBB', self.width, self.height, 8, 2, 0, 0, 0)
        with open(path, 'wb') as f:
            f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(bytes(rows), 1))
                    + chunk(b'IEND', b''))


# The byte values that count as dark (text, lines, icons) in a pixel's blue channel.
_DELETE_DARK = bytes(range(110))


def ink_of(frame):
    """How many pixels are dark: a measure of how much text is drawn."""
    blue = frame.data[0::SAMPLE_STRIDE]
    return len(blue) - len(blue.translate(None, _DELETE_DARK))


def cpu_ticks(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])


def memory_kb(pid):
    found = {}
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith(('VmRSS:', 'VmHWM:')):
                found[line.split(':')[0]] = int(line.split()[1])
    return found


def xdotool(*args):
    return subprocess.run(['xdotool', *args], capture_output=True, text=True).stdout.strip()


class Session:
    """One application under measurement: its process, the screen, the frames seen."""

    def __init__(self, name, argv, home, screen, out_dir):
        self.name, self.screen, self.out_dir = name, screen, out_dir
        os.makedirs(out_dir, exist_ok=True)
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, '.config'),
                   XDG_RUNTIME_DIR=os.path.join(home, 'runtime'))
        os.makedirs(env['XDG_RUNTIME_DIR'], mode=0o700, exist_ok=True)
        self.start = time.monotonic()
        self.process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.frames = []  # (seconds since start, Frame) for every frame that differed from the one before
        # CPU ticks of the process (all threads) and when they last changed, sampled by every wait,
        # so that "idle" is the last tick seen since launch and not bounded below by the waits.
        self.ticks, self.last_tick = 0, 0.0

    def sample_cpu(self):
        current = cpu_ticks(self.process.pid)
        if current != self.ticks:
            self.ticks, self.last_tick = current, self.now()

    def now(self):
        return time.monotonic() - self.start

    def watch_until_settled(self, since, limit=60.0, quiet=0.5):
        """Frames from `since` (seconds since start) until SETTLE seconds without change and `quiet`
        seconds without a CPU tick of the process; returns the time of the last change (or `since`
        when nothing changed). The CPU condition matters: a table can sit on "loading..." placeholders
        for longer than SETTLE while its rows are still being read, and that is not settled."""
        last_sample = self.frames[-1][1].sample if self.frames else None
        last_change = since
        self.sample_cpu()
        while ((self.now() - last_change < SETTLE or self.now() - self.last_tick < quiet)
               and self.now() - since < limit):
            if self.process.poll() is not None:
                raise SystemExit(f'{self.name} exited with status {self.process.returncode}')
            frame = self.screen.grab()
            t = self.now()
            if frame.sample != last_sample:
                self.frames.append((t, frame))
                last_sample, last_change = frame.sample, t
            self.sample_cpu()
        return last_change

    def idle_since_start(self, quiet=0.5, limit=60.0):
        """The time of the last CPU tick (10 ms each) before `quiet` seconds without one."""
        self.sample_cpu()
        while self.now() - self.last_tick < quiet and self.now() < limit:
            time.sleep(0.01)
            self.sample_cpu()
        return self.last_tick

    def window(self):
        """The application's main window: the largest visible one of its process."""
        for _ in range(500):
            ids = xdotool('search', '--onlyvisible', '--pid', str(self.process.pid)).split()
            if ids:
                return max(ids, key=lambda w: geometry(w)[2] * geometry(w)[3])
            time.sleep(0.01)
        raise SystemExit(f'{self.name} showed no window')

    def save(self, label, frame=None):
        frame = frame or self.screen.grab()
        path = os.path.join(self.out_dir, f'{label}.png')
        frame.write_png(path)
        return path

    def stop(self):
        self.process.kill()
        self.process.wait()


CELL = 16  # pixels: the grid on which a frame is compared with the settled one


def cell_ink(frame, box):
    """Dark pixels in each CELL x CELL square of `box` (x, y, width, height)."""
    x0, y0, w, h = box
    cells = []
    for top in range(y0, y0 + h - CELL + 1, CELL):
        counts = [0] * (w // CELL)
        for y in range(top, top + CELL, 2):  # every other line is plenty for text
            line = frame.data[y * frame.bpl + x0 * 4:y * frame.bpl + (x0 + w) * 4:4]  # blue bytes
            for i in range(len(counts)):
                part = line[i * CELL:(i + 1) * CELL]
                counts[i] += len(part) - len(part.translate(None, _DELETE_DARK))
        cells += counts
    return cells


def first_frame_like(frames, final, box, tolerance=0.02):
    """The first frame that differs from the settled one in at most `tolerance` of the window's
    cells (a cell differs when its dark pixels differ by more than a third): a window whose table
    is still empty differs in every cell of the rows, one that only changed a label does not."""
    target = cell_ink(final, box)
    for t, frame in frames:
        cells = cell_ink(frame, box)
        differing = sum(1 for a, b in zip(cells, target) if abs(a - b) > max(2, b / 3))
        if differing <= tolerance * len(target):
            return t, frame
    return frames[-1]


def geometry(window):
    """(x, y, width, height) of an X window."""
    out = subprocess.run(['xwininfo', '-id', window], capture_output=True, text=True).stdout
    value = {}
    for line in out.splitlines():
        key, _, rest = line.strip().partition(':')
        value[key] = rest.strip()
    return (int(value['Absolute upper-left X']), int(value['Absolute upper-left Y']),
            int(value['Width']), int(value['Height']))


def clip(box, screen):
    x, y, w, h = box
    return (x, y, min(w, screen.width - x), min(h, screen.height - y))


def measure(name, argv, home, screen, out_dir, layout, answer_dialog=False):
    """Launch, rows shown, idle, sort, last row, memory: one application's figures."""
    s = Session(name, argv, home, screen, out_dir)
    figures = {'application': name, 'command': ' '.join(argv)}
    try:
        settled = s.watch_until_settled(0.0)
        window = s.window()
        shown_at, shown = first_frame_like(s.frames, s.frames[-1][1], clip(geometry(window), screen))
        figures['rows_shown_s'] = round(shown_at, 3)
        figures['rows_shown_frame'] = s.save('1-rows-shown', shown)
        figures['launch_settled_s'] = round(settled, 3)
        figures['idle_s'] = round(s.idle_since_start(), 3)
        for i, (t, frame) in enumerate(s.frames):
            frame.write_png(os.path.join(out_dir, f'launch-frame-{i:02d}-{int(t * 1000):05d}ms.png'))
        figures['rss_after_launch_kb'] = memory_kb(s.process.pid)['VmRSS']

        if answer_dialog:
            # DB Browser asks "The database is currently busy: reading rows. Do you want to abort that
            # other operation?" when its cell editor wants the database during the first count; a user
            # answers No (the default button).
            xdotool('key', 'Return')
        xdotool('windowmove', window, '0', '0')
        xdotool('windowsize', window, str(layout['width']), str(layout['height']))
        s.watch_until_settled(s.now())
        s.save('2-ready')

        x, y = layout['size_header']
        xdotool('mousemove', str(x), str(y))
        clicked = s.now()
        xdotool('click', '1')
        figures['sort_s'] = round(s.watch_until_settled(clicked) - clicked, 3)
        figures['sort_frame'] = s.save('3-sorted-by-size')

        x, y = layout['first_cell']
        xdotool('mousemove', str(x), str(y), 'click', '1')
        s.watch_until_settled(s.now())
        pressed = s.now()
        xdotool('key', 'ctrl+End')
        figures['last_row_s'] = round(s.watch_until_settled(pressed) - pressed, 3)
        figures['last_row_frame'] = s.save('4-last-row')

        s.idle_since_start(limit=s.now() + 30)
        memory = memory_kb(s.process.pid)
        figures['rss_end_kb'] = memory['VmRSS']
        figures['peak_rss_kb'] = memory['VmHWM']
    finally:
        s.stop()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--cache', required=True, help='a cache directory made by python-diskcache')
    parser.add_argument('--cachescope', required=True, help='the cachescope executable')
    parser.add_argument('--out', required=True, help='where the copies, screenshots and results go')
    parser.add_argument('--screen', default='1920x1200')
    parser.add_argument('--skip-dbbrowser', action='store_true', help='measure cachescope only')
    args = parser.parse_args()

    width, height = (int(v) for v in args.screen.split('x'))
    screen = XScreen(width, height)
    os.makedirs(args.out, exist_ok=True)
    # Each application gets its own copy, so neither reads pages the other left in a WAL, and
    # neither can change what the other sees.
    copy = os.path.join(args.out, 'cache-copy')
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(args.cache, copy)
    db_copy = os.path.join(args.out, 'dbbrowser-copy.db')
    shutil.copyfile(os.path.join(args.cache, 'cache.db'), db_copy)
    subprocess.run(['sync'])

    # Both windows are made 1900x1150 at the top left before the sort; the coordinates below are of
    # that layout at the default font (checked on the saved 2-ready.png screenshots).
    window = {'width': 1900, 'height': 1150}
    runs = []
    ours = measure('cachescope', [args.cachescope, copy], os.path.join(args.out, 'home-cachescope'), screen,
                   os.path.join(args.out, 'cachescope'),
                   dict(window, size_header=(562, 124), first_cell=(351, 144)))
    runs.append(ours)
    if not args.skip_dbbrowser:
        theirs = measure('DB Browser for SQLite', ['sqlitebrowser', '-R', '-t', 'Cache', db_copy],
                         os.path.join(args.out, 'home-dbbrowser'), screen, os.path.join(args.out, 'dbbrowser'),
                         dict(window, size_header=(1012, 151), first_cell=(229, 202)), answer_dialog=True)
        runs.append(theirs)

    # A click or key that changed nothing on the screen means the layout's coordinates missed
    # (another font, another version): the figure would be the time of nothing.
    missed = [f"{r['application']}: {what}" for r in runs for what, key in (('sort', 'sort_s'), ('last row', 'last_row_s'))
              if not r.get(key)]
    with open(os.path.join(args.out, 'gui-side-by-side.json'), 'w') as f:
        json.dump(runs, f, indent=2)
    rows = [('launch to rows shown', 'rows_shown_s', 's'), ('launch to idle', 'idle_s', 's'),
            ('sort by size (unindexed)', 'sort_s', 's'), ('Ctrl+End to the last row', 'last_row_s', 's'),
            ('resident after launch', 'rss_after_launch_kb', 'MB'), ('resident at the end', 'rss_end_kb', 'MB'),
            ('peak resident', 'peak_rss_kb', 'MB')]
    print('| | ' + ' | '.join(r['application'] for r in runs) + ' |')
    print('|---|' + '---|' * len(runs))
    for label, key, unit in rows:
        cells = []
        for r in runs:
            value = r.get(key)
            cells.append('-' if value is None else (f'{value / 1024:.0f} MB' if unit == 'MB' else f'{value:.3f} s'))
        print(f'| {label} | ' + ' | '.join(cells) + ' |')
    print(f'\nscreenshots and every launch frame: {args.out}/cachescope/, {args.out}/dbbrowser/')
    if missed:
        sys.exit('nothing changed on the screen after: ' + ', '.join(missed) + ' (see the screenshots)')


if __name__ == '__main__':
    main()
