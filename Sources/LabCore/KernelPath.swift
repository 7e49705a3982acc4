// KernelPath — where a path leads, decided as the kernel decides it when it opens or creates the file: one part at
// a time from the left, an existing symbolic link followed before the next part is read, so a ".." after a link
// goes up from the link's target, not from the link. Foundation's `standardizedFileURL` drops "LINK/.." by name
// first: for `<models>/tiny-ernie/LINK/../x` it answers `<models>/tiny-ernie/x` while the bytes land beside LINK's
// target (hostile-input audit 14, F1). The cell policy (Lab's ProjectPaths.isInside) and `createFolder` decide on
// this path, so what is checked, what is created and what the writer's kernel opens are one place.
//
// A part that does not exist is taken as named (it is created as a plain folder or file, and a ".." after it comes
// back out of it, as `mkdir -p` goes); a link that points nowhere is followed all the same, since creating a file
// through it creates its target.

import Foundation

public enum KernelPath {
    /// Links followed at most (Linux's MAXSYMLINKS); more is a loop, where the kernel says ELOOP.
    static let maximumLinks = 40

    /// `url` as an absolute path free of symbolic links, "." and "..", resolved in the kernel's order; nil when its
    /// links loop (or more than 40 are followed).
    public static func resolve(_ url: URL) -> URL? {
        var pending = Array(url.absoluteURL.path.split(separator: "/").map(String.init).reversed())
        var parts: [String] = []                                      // resolved so far: real folders, no links
        var links = 0
        while let part = pending.popLast() {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            let path = "/" + (parts + [part]).joined(separator: "/")
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else {
                parts.append(part)
                continue
            }
            links += 1
            guard links <= maximumLinks, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path)
            else { return nil }
            if target.hasPrefix("/") { parts = [] }
            pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
        }
        return URL(fileURLWithPath: "/" + parts.joined(separator: "/"))
    }
}
