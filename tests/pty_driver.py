"""Drive kanbao in a real pty for tests/reliability.rs.

usage: pty_driver.py CONFIG.json RESULT.json
CONFIG: {"argv": [...], "env": {...}, "rows": 30, "cols": 100, "steps": [[kind, arg], ...]}
  ["wait", secs]       read output for secs
  ["keys", text]       type text, then read for 0.3 s
  ["probe", name]      record whether the pty is in raw mode now (ICANON off)
  ["signal", "TERM"]   send a signal to the child
  ["hangup", null]     close the master side, as a dropped SSH connection does
RESULT: {"code": exit status or "timeout", "out": everything written, "canon_after": bool,
         "echo_after": bool, "probes": {name: raw?}}
"""
import fcntl, json, os, select, signal, struct, subprocess, sys, termios, time

cfg = json.load(open(sys.argv[1]))
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ,
            struct.pack("HHHH", cfg.get("rows", 30), cfg.get("cols", 100), 0, 0))
env = dict(os.environ)
env.update({"TERM": "xterm-256color"})
env.update(cfg.get("env", {}))


def own_terminal():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


p = subprocess.Popen(cfg["argv"], stdin=slave, stdout=slave, stderr=slave, env=env,
                     preexec_fn=own_terminal, close_fds=True)
buf = b""
closed = False
probes = {}


def pump(secs):
    global buf
    end = time.time() + secs
    while time.time() < end and not closed:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            buf += chunk


for kind, arg in cfg["steps"]:
    if kind == "wait":
        pump(arg)
    elif kind == "keys":
        os.write(master, arg.encode())
        pump(0.3)
    elif kind == "probe":
        probes[arg] = not (termios.tcgetattr(slave)[3] & termios.ICANON)
    elif kind == "signal":
        os.kill(p.pid, getattr(signal, "SIG" + arg))
    elif kind == "hangup":
        os.close(master)
        closed = True

code = "timeout"
end = time.time() + 15
while time.time() < end:
    if not closed:
        pump(0.1)
    else:
        time.sleep(0.1)
    if p.poll() is not None:
        code = p.returncode
        break
else:
    p.kill()
if not closed:
    pump(0.3)
try:
    lflag = termios.tcgetattr(slave)[3]
except termios.error:  # after a hangup the terminal is gone
    lflag = 0
json.dump({"code": code, "out": buf.decode("utf-8", "replace"),
           "canon_after": bool(lflag & termios.ICANON), "echo_after": bool(lflag & termios.ECHO),
           "probes": probes}, open(sys.argv[2], "w"))
