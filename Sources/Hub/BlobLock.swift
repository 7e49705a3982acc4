// BlobLock — the lock huggingface_hub's `filelock` takes on a blob while it writes it, taken the same way here.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive flock(2) on `.locks/models--ORG--NAME/<blob>.lock`, held while one blob is written. huggingface_hub's
/// `filelock` takes the same lock on the same path, so lmlab and Python tools never write one blob at once.
final class BlobLock {
    private var fd: Int32

    /// Blocks until the lock is free.
    ///
    /// - Throws: `HubError.fileSystem` when the lock file cannot be created.
    init(_ url: URL) throws {
        try HubCache.createFolder(url.deletingLastPathComponent())
        fd = open(url.path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw HubError.fileSystem(path: url.path, reason: String(cString: strerror(errno))) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            close(fd)
            throw HubError.fileSystem(path: url.path, reason: reason)
        }
    }

    func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
