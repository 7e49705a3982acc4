// DiskSpace — free bytes on the file system that holds a folder (statvfs), checked before a download starts so
// a 700 MB checkpoint does not fail at 95 % on a full disk.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum DiskSpace {
    /// Bytes available to an unprivileged user (f_bavail × f_frsize) on the file system of `folder`, or of its
    /// nearest existing parent when the folder does not exist yet. Nil when statvfs fails.
    public static func available(at folder: URL) -> Int64? {
        var url = folder.standardizedFileURL
        while !FileManager.default.fileExists(atPath: url.path) {
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        var stats = statvfs()
        guard statvfs(url.path, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }
}
