"""The two boots of tests/live/stick.sh (see there).  Usage:
    boot.py WORKDIR OVMF_CODE OVMF_VARS HOST1 HOST2
WORKDIR holds stick.img, suspect1.img, suspect2.img, hot.img, dest.img.
Prints what it checked and how long each boot took; exits 1 on a failed check.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu import VM  # noqa: E402

work, ovmf_code, ovmf_vars, host1, host2 = sys.argv[1:6]
os.chdir(work)
# TCG on shared cores: minutes where real hardware takes seconds
BOOT_TIMEOUT = int(os.environ.get("SHODO_LIVE_BOOT_TIMEOUT", "1800"))
RUN_TIMEOUT = int(os.environ.get("SHODO_LIVE_RUN_TIMEOUT", "1800"))


def check(cond, what):
    if not cond:
        print("FAIL: " + what, flush=True)
        sys.exit(1)
    print("ok: " + what, flush=True)


def qemu_argv(uefi):
    a = ["qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-smp", "1", "-m", "2048",
         # no display adapter: a headless PC (a server on its serial console).  Under
         # emulation the kernel's framebuffer console slows the boot several times;
         # tty1 is still there, and its screen is read from /dev/vcs1
         "-nodefaults", "-vga", "none", "-display", "none", "-no-reboot",
         "-device", "qemu-xhci,id=xhci",
         # the stick: a USB mass-storage device, booted from
         "-drive", "if=none,id=stick,file=stick.img,format=raw",
         "-device", "usb-storage,bus=xhci.0,drive=stick,id=stickdev,serial=SHODOSTICK,removable=on,bootindex=0",
         # the suspects: SATA (MBR) and NVMe (GPT)
         "-device", "ahci,id=ahci",
         "-drive", "if=none,id=s1,file=suspect1.img,format=raw",
         "-device", "ide-hd,bus=ahci.0,drive=s1,serial=SUSPECT1",
         "-drive", "if=none,id=s2,file=suspect2.img,format=raw",
         "-device", "nvme,drive=s2,serial=SUSPECT2",
         # the destination: a USB drive with a SHODO_CASES file system
         "-drive", "if=none,id=dst,file=dest.img,format=raw",
         "-device", "usb-storage,bus=xhci.0,drive=dst,serial=DEST0001"]
    if uefi:
        a += ["-drive", "if=pflash,format=raw,readonly=on,file=" + ovmf_code,
              "-drive", "if=pflash,format=raw,file=" + ovmf_vars]
    return a


def boot_to_shell(vm):
    """Waits for the root shell on the serial console; returns seconds since start."""
    vm.expect(r"shodo login: root \(automatic login\)|root@shodo[^\n]*# ", BOOT_TIMEOUT)
    t = vm.elapsed()
    # quiet the serial shell: no echo, no line editing noise
    vm.send("\n")
    st, _ = vm.sh("stty -echo cols 400 2>/dev/null; export TERM=dumb PS1='# '; true", 120)
    return t


def devices(vm):
    st, out = vm.sh("shodo devices --json")
    if st != 0:
        check(False, "shodo devices --json runs on the stick: %s" % out)
    return json.loads(out[out.index("{"):])["devices"]


def write_fails(vm, dev):
    # a direct, synchronous write of one sector in the middle of the device
    st, out = vm.sh("dd if=/dev/zero of=%s bs=512 count=1 seek=64 oflag=direct conv=notrunc,fsync" % dev)
    return st != 0 and "Operation not permitted" in out


# --- BIOS: the front end, write protection, hot-plug ------------------------
t0 = time.time()
vm = VM(qemu_argv(False), work, "bios")
try:
    # the menu waits a few seconds, then boots the default entry with no key press
    vm.expect(r"shodo: the front end", 300)
    m, _ = vm.expect(r"executed automatically in [1-9]s", 300)
    check(True, "the boot menu counts down a few seconds (%s), then boots the front end with no key press"
          % m.group(0))
    t_shell = boot_to_shell(vm)
    # tty1: the front end lists the suspect disk (its screen, read from /dev/vcs1)
    deadline = time.time() + BOOT_TIMEOUT
    while True:
        st, screen = vm.sh("cat /dev/vcs1 | fold -w 160")
        if "shodo" in screen and "/dev/sda" in screen:
            break
        if time.time() > deadline:
            check(False, "the front end on tty1 (screen: %r)" % screen[:400])
        time.sleep(5)
    t_tui = vm.elapsed()
    check(True, "the front end is on tty1 after %d s (BIOS): %r" % (t_tui, " ".join(screen.split())[:120]))
    st, out = vm.sh("cat /etc/shodo-release")
    check(st == 0 and "SHODO_VERSION=" in out and "DEBIAN_SNAPSHOT=" in out, "/etc/shodo-release on the stick")
    rel = dict(l.split("=", 1) for l in out.splitlines() if "=" in l)
    st, ver = vm.sh("shodo --version")
    check(rel["SHODO_VERSION"] in ver and rel["DEBIAN_SNAPSHOT"] in ver,
          "shodo --version names the stick's shodo %s and Debian archive %s" % (rel["SHODO_VERSION"], rel["DEBIAN_SNAPSHOT"]))
    st, out = vm.sh("dpkg-query -W -f '${Version}' shodo")
    check(out.strip() == rel["SHODO_VERSION"], "dpkg records shodo %s" % out.strip())

    devs = devices(vm)
    byp = {d["path"]: d for d in devs}
    stick = [d for d in devs if d["serial"] == "SHODOSTICK"]
    check(len(stick) == 1 and stick[0]["boot_medium"] and not stick[0]["source_candidate"],
          "the stick is flagged as boot medium and is not a source candidate")
    check(stick[0]["cases_volume"], "the stick carries its SHODO_CASES partition")
    loops = [d for d in devs if d["transport"] == "loop"]
    check(loops and all(d["live_system"] and not d["source_candidate"] for d in loops),
          "the live system's loop device(s) are flagged and not source candidates: %s" % [d["path"] for d in loops])
    suspects = [d for d in devs if d["serial"] in ("SUSPECT1", "SUSPECT2")]
    check(len(suspects) == 2 and all(d["source_candidate"] for d in suspects), "both suspects are source candidates")
    flags = [d["source_candidate"] for d in devs]
    check(flags == sorted(flags, reverse=True), "source candidates are listed first")
    for d in suspects:
        parts = [p["path"] for p in d["partition_list"]]
        check(d["read_only"] and all(p["read_only"] for p in d["partition_list"]),
              "%s (%s) and its partitions %s are read-only in the kernel" % (d["path"], d["serial"], parts))
        for p in [d["path"]] + parts:
            check(write_fails(vm, p), "writing to %s fails (EPERM)" % p)
    dest = [d for d in devs if d["serial"] == "DEST0001"]
    check(dest and dest[0]["cases_volume"] and not dest[0]["read_only"], "the SHODO_CASES destination is writable")
    st, out = vm.sh("shodo-unlock %s --confirm %s" % (stick[0]["path"], stick[0]["path"]))
    check(st != 0 and "boot medium" in out, "shodo-unlock refuses the stick")
    # the stick's partitions: the boot image and the EFI partition read-only,
    # the case partition (SHODO_CASES) writable; none can be unlocked
    sparts = stick[0]["partition_list"]
    cases = [p for p in sparts if p["label"] == "SHODO_CASES"]
    check(len(cases) == 1 and not cases[0]["read_only"], "the stick's case partition %s is writable"
          % [p["path"] for p in cases])
    for p in sparts:
        if p in cases:
            continue
        check(p["read_only"] and write_fails(vm, p["path"]),
              "the stick's %s partition %s is read-only (writes fail)" % (p["fstype"] or "boot", p["path"]))
    for p in sparts:
        st, out = vm.sh("shodo-unlock %s --confirm %s" % (p["path"], p["path"]))
        check(st != 0 and "boot medium" in out, "shodo-unlock refuses the stick's partition %s" % p["path"])
    # tty2: a root shell for experts (its screen, read from /dev/vcs2)
    deadline = time.time() + 300
    while True:
        st, screen2 = vm.sh("cat /dev/vcs2 | fold -w 80")
        if "root@shodo" in screen2:
            break
        if time.time() > deadline:
            check(False, "a root shell on tty2 (screen: %r)" % screen2[:400])
        time.sleep(3)
    check("shodo-unlock" in screen2, "a root shell on tty2 (Alt+F2), with the stick's help text")
    st, out = vm.sh("cat /proc/mounts")
    check(all(d["path"] not in out for d in suspects), "no suspect file system is mounted")

    # a USB disk plugged in after boot
    before = set(byp)
    vm.monitor("drive_add 0 if=none,id=hot,file=hot.img,format=raw")
    vm.monitor("device_add usb-storage,bus=xhci.0,drive=hot,id=hotdev,serial=HOTPLUG1")
    deadline = time.time() + 300
    while True:
        hot = [d for d in devices(vm) if d["serial"] == "HOTPLUG1" and d["partition_list"]]
        if hot:
            break
        if time.time() > deadline:
            check(False, "the hot-plugged disk appears")
        time.sleep(3)
    vm.sh("udevadm settle --timeout=60")
    hot = [d for d in devices(vm) if d["serial"] == "HOTPLUG1"][0]
    check(hot["read_only"] and all(p["read_only"] for p in hot["partition_list"]),
          "the hot-plugged disk %s and its partition are read-only" % hot["path"])
    for p in [hot["path"]] + [p["path"] for p in hot["partition_list"]]:
        check(write_fails(vm, p), "writing to the hot-plugged %s fails (EPERM)" % p)
    st, out = vm.sh("cat /run/shodo/readonly.log")
    check("set read-only" in out and "left writable (label SHODO_CASES)" in out, "the write-protection log")
    # the responder makes every boot of this stick unattended, once for all
    # PCs, in shodo.conf on the stick's case partition (the next boot)
    st, out = vm.sh("printf 'auto = triage,image\\n' >> /cases/stick/shodo.conf && sync && cat /cases/stick/shodo.conf")
    check(st == 0 and "auto = triage,image" in out, "shodo.conf on the stick's case partition asks for unattended runs")
    vm.send("systemctl poweroff\n")
    vm.wait_exit(300)
    t_bios = time.time() - t0
finally:
    vm.kill()
print("time: BIOS boot: root shell at %d s, front end at %d s, whole run %d s" % (t_shell, t_tui, t_bios), flush=True)

# --- UEFI: toram, the unattended triage + image from shodo.conf --------------
t0 = time.time()
vm = VM(qemu_argv(True), work, "uefi")
try:
    # the menu entry that copies the system to RAM (its hotkey); the
    # unattended run comes from shodo.conf
    vm.expect(r"system copied to RAM \(toram\)", 600)
    vm.send("r")
    t_shell = boot_to_shell(vm)
    st, out = vm.sh("cat /proc/cmdline")
    check("toram" in out.split() and "shodo.auto" not in out, "booted with toram, no shodo.auto= on the command line")
    devs = devices(vm)
    stick = [d for d in devs if d["serial"] == "SHODOSTICK"]
    check(len(stick) == 1 and stick[0]["boot_medium"] and not stick[0]["source_candidate"],
          "with toram the stick is still flagged as boot medium and is not a source candidate")
    loops = [d for d in devs if d["transport"] == "loop"]
    check(all(d["live_system"] and not d["source_candidate"] for d in loops),
          "with toram the live system's loop device(s) are flagged and not source candidates: %s"
          % [d["path"] for d in loops])
    cands = sorted(d["serial"] for d in devs if d["source_candidate"] and not d["cases_volume"])
    check(cands == ["SUSPECT1", "SUSPECT2"],
          "with toram the only source candidates besides the SHODO_CASES destination are the suspect disks: %s" % cands)
    # the run's progress is on tty1 and in its log: poll the log
    deadline = time.time() + RUN_TIMEOUT
    while True:
        st, out = vm.sh("cat /run/shodo/auto-*.log 2>/dev/null | grep -o 'result: [A-Z]*'")
        if "result:" in out:
            break
        if time.time() > deadline:
            vm.sh("tail -n 30 /run/shodo/auto-*.log")
            check(False, "the unattended run ends within %d s" % RUN_TIMEOUT)
        time.sleep(10)
    result = out.split()[-1]
    t_done = vm.elapsed()
    deadline = time.time() + 300
    while True:
        st, screen = vm.sh("cat /dev/vcs1 | fold -w 80")
        if "pull the stick" in screen:
            break
        if time.time() > deadline:
            check(False, "the end screen on tty1: %r" % screen[-800:])
        time.sleep(3)
    print(screen, flush=True)
    if result != "DONE":
        print(vm.sh("cat /run/shodo/auto-*.log")[1], flush=True)
    check(result == "DONE" and "####" in screen, "the unattended run ends in DONE (large type on tty1)")
    check(host1 in screen and host2 in screen, "the end screen names both hosts (%s, %s)" % (host1, host2))
    check("MD5" in screen and "SHA-256" in screen, "the end screen shows the hashes")
    check(", 2 disk(s)," in screen, "the run took the two suspect disks, neither the stick nor the live system")
    # the end screen goes to the serial console too (after tty1): let it
    # finish before the next command, whose output it would interleave
    deadline = time.time() + 300
    while vm.serial_text().count("You may pull the stick now") < 2:
        if time.time() > deadline:
            check(False, "the end screen on the serial console")
        time.sleep(2)
    st, out = vm.sh("awk '$2 ~ \"^/cases/\"' /proc/mounts | wc -l")
    check(out.strip() == "0", "the case volumes are unmounted before the stick may be pulled")
    # the responder pulls the stick: the PC powers off
    vm.monitor("device_del stickdev")
    vm.wait_exit(300)
    t_uefi = time.time() - t0
finally:
    vm.kill()
check(True, "pulling the stick powered the PC off")
print("time: UEFI boot: root shell at %d s, unattended run DONE at %d s, whole run %d s" % (t_shell, t_done, t_uefi),
      flush=True)
