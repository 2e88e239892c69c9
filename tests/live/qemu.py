"""Drives a QEMU virtual machine for the stick's boot test (tests/live/stick.sh):
its serial console (a root shell on the stick) and its monitor, both on
unix sockets, with every byte of the serial console kept in a log file.

No fixed sleeps: every wait polls for what it waits for, up to a timeout
that is generous because the machine is emulated (TCG) on shared cores.
"""
import os
import re
import socket
import subprocess
import threading
import time


class Timeout(Exception):
    pass


class VM:
    def __init__(self, argv, workdir, name):
        self.dir = workdir
        self.name = name
        self.serial_path = os.path.join(workdir, name + ".serial.sock")
        self.monitor_path = os.path.join(workdir, name + ".monitor.sock")
        self.log_path = os.path.join(workdir, name + ".serial.log")
        for p in (self.serial_path, self.monitor_path):
            if os.path.exists(p):
                os.unlink(p)
        argv = list(argv) + [
            "-chardev", "socket,id=ser0,path=%s,server=on,wait=off" % self.serial_path,
            "-serial", "chardev:ser0",
            "-monitor", "unix:%s,server=on,wait=off" % self.monitor_path,
        ]
        self.started = time.time()
        self.proc = subprocess.Popen(argv, stdout=open(os.path.join(workdir, name + ".qemu.out"), "wb"),
                                     stderr=subprocess.STDOUT)
        self.buf = b""
        self.lock = threading.Lock()
        self.log = open(self.log_path, "ab")
        self.ser = self._connect(self.serial_path)
        self.mon = self._connect(self.monitor_path)
        self.mon_buf = b""
        self._monitor_read("(qemu)", 60)
        self.reader = threading.Thread(target=self._read_serial, daemon=True)
        self.reader.start()
        self.token = 0

    def elapsed(self):
        return time.time() - self.started

    def _connect(self, path):
        deadline = time.time() + 60
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                return s
            except OSError:
                s.close()
                if self.proc.poll() is not None:
                    raise RuntimeError("qemu exited with %s before its sockets opened" % self.proc.returncode)
                if time.time() > deadline:
                    raise Timeout("no socket %s" % path)
                time.sleep(0.2)

    def _read_serial(self):
        while True:
            try:
                data = self.ser.recv(65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.buf += data
            self.log.write(data)
            self.log.flush()

    def serial_text(self):
        with self.lock:
            return self.buf.decode("utf-8", "replace")

    def expect(self, pattern, timeout, since=0):
        """Waits until the serial output (from offset since) matches pattern;
        returns (match, end offset)."""
        rx = re.compile(pattern)
        deadline = time.time() + timeout
        while True:
            text = self.serial_text()
            m = rx.search(text, since)
            if m:
                return m, m.end()
            if self.proc.poll() is not None:
                raise RuntimeError("qemu exited (%s) while waiting for %r" % (self.proc.returncode, pattern))
            if time.time() > deadline:
                raise Timeout("%s: no %r on the serial console after %d s" % (self.name, pattern, timeout))
            time.sleep(0.5)

    def send(self, data):
        self.ser.sendall(data.encode() if isinstance(data, str) else data)

    def sh(self, cmd, timeout=300):
        """Runs cmd in the guest's serial root shell; returns (status, output)."""
        self.token += 1
        t = "%d_%d" % (os.getpid(), self.token)
        # markers printed by the shell, not the echoed input: split by an
        # empty string ("" is whole in itself, whatever quotes cmd holds)
        self.send('echo __BEG""IN_%s__; ( %s ) 2>&1; echo __EN""D_%s_$?__\n' % (t, cmd, t))
        m, _ = self.expect(r"(?s)__BEGIN_%s__\r?\n(.*?)__END_%s_(\d+)__" % (t, t), timeout, since=0)
        out = m.group(1).replace("\r\n", "\n")
        return int(m.group(2)), out

    def _monitor_read(self, until, timeout):
        self.mon.settimeout(1)
        deadline = time.time() + timeout
        while until.encode() not in self.mon_buf:
            try:
                data = self.mon.recv(65536)
                if not data:
                    break
                self.mon_buf += data
            except socket.timeout:
                pass
            if time.time() > deadline:
                raise Timeout("monitor: no %r" % until)
        out, _, self.mon_buf = self.mon_buf.partition(until.encode())
        return out.decode("utf-8", "replace")

    def monitor(self, cmd, timeout=60):
        self.mon.sendall((cmd + "\n").encode())
        return self._monitor_read("(qemu)", timeout)

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Timeout("%s: still running after %d s" % (self.name, timeout))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
