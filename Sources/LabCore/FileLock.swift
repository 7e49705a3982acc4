// FileLock — an advisory flock(2) on a small lock file, so processes that read-modify-write one file (progress.json:
// a notebook, `exercise check` and `exercise hint` at once) take turns instead of overwriting each other's changes.
//
//   lock   open <file>.lock (created), flock(LOCK_EX | LOCK_NB), retried every 10 ms up to `timeout`
//   ...    re-read the file, change it, write it atomically (temporary file + rename)
//   unlock flock(LOCK_UN), close — or the process ends and the kernel drops the lock (a crash never leaves it held)
//
// The wait is bounded: a holder stopped under a debugger (or with Ctrl-Z) gives a clear error instead of a hang.
// Advisory means only code that takes the lock is kept out; every writer of the guarded file must use it.

import Foundation

public final class FileLock {
    public let url: URL
    private var fd: Int32

    /// Takes the exclusive lock on `url` (creating the file and its folder), waiting at most `timeout` seconds.
    ///
    /// - Throws: `FileSystemProblem` naming the lock file when it cannot be created or stays held by another process.
    public init(_ url: URL, timeout: Double = 30) throws {
        self.url = url
        try createFolder(url.deletingLastPathComponent(), for: Learner.text("the lock \(url.lastPathComponent)", "锁 \(url.lastPathComponent)"))
        fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno)), folder = url.deletingLastPathComponent().path
            throw FileSystemProblem(path: url.path, found: Learner.text("cannot create the lock file: \(reason)", "无法创建锁文件：\(reason)"),
                                    hint: Learner.text("check that \(folder) is writable.", "确认 \(folder) 可写。"))
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let e = errno
            if e == EINTR { continue }
            guard e == EWOULDBLOCK, Date() < deadline else {
                close(fd)
                fd = -1
                let found = e == EWOULDBLOCK
                    ? Learner.text("another process has held this lock for more than \(Int(timeout)) s",
                                   "另一个进程占着这把锁已超过 \(Int(timeout)) 秒")
                    : Learner.text("cannot lock: \(String(cString: strerror(e)))", "无法加锁：\(String(cString: strerror(e)))")
                throw FileSystemProblem(path: url.path, found: found, hint: Learner.text(
                    "find the other lmlab (a stopped job? `jobs`, `fg`) and let it finish or quit it, then try again.",
                    "找到另一个 lmlab（被暂停的作业？`jobs`、`fg`），让它结束或退出它，然后再试。"))
            }
            usleep(10_000)
        }
    }

    /// Releases the lock (also done on deinit).
    public func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
