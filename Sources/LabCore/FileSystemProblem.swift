// FileSystemProblem — a file or folder the lab could not create, read or replace, said in words.
//
// Foundation's own errors print as "Error Domain=NSCocoaErrorDomain Code=516 …" (516 a file exists where a folder
// was wanted, 260 no such file, 512/513 could not write). Code that writes where the learner pointed it (`--out`, the
// state folder, a checkpoint) turns them into one of these: the path, what was found there, and what to do.

import Foundation

public struct FileSystemProblem: Error, CustomStringConvertible, Equatable {
    public let path: String
    /// What was found, e.g. "a file, not a folder" or "permission denied".
    public let found: String
    /// What to do about it (the text after HINT:).
    public let hint: String

    public init(path: String, found: String, hint: String) {
        self.path = path
        self.found = found
        self.hint = hint
    }

    public var description: String { Learner.text("\(path): \(found). HINT: \(hint)", "\(path)：\(found)。HINT：\(hint)") }
}

/// Creates `folder` and its missing parents, or says what is in the way. The parts are found as the kernel will find
/// them when the caller writes into `folder` (`KernelPath`: a link is followed before a ".." after it), so the folder
/// made is the one written into.
///
/// - Parameter purpose: what the folder is for, quoted in the message in the learner's language ("train --out",
///   "the progress file").
/// - Throws: `FileSystemProblem` when a file stands where a folder is needed, or a parent cannot be written.
public func createFolder(_ folder: URL, for purpose: String) throws {
    // Walk down from the deepest part that exists, making each missing folder, so the message names the one that failed.
    var missing: [URL] = []
    let target = KernelPath.resolve(folder) ?? folder.standardizedFileURL   // nil: links loop, and mkdir says so
    var existing = target
    var isDirectory: ObjCBool = false
    while !FileManager.default.fileExists(atPath: existing.path, isDirectory: &isDirectory) {
        missing.append(existing)
        let parent = existing.deletingLastPathComponent()
        if parent.path == existing.path { break }
        existing = parent
    }
    if FileManager.default.fileExists(atPath: existing.path), !isDirectory.boolValue {
        let what = existing.path == target.path
            ? Learner.text("is a file, not a folder", "是文件，不是文件夹")
            : Learner.text("is a file, so \(folder.path) cannot be made inside it", "是文件，没法在里面建 \(folder.path)")
        throw FileSystemProblem(path: existing.path,
                                found: Learner.text("\(what) (a folder is needed here for \(purpose))", "\(what)（\(inChinese(purpose, afterPunctuation: true))需要这里是文件夹）"),
                                hint: Learner.text("pass a folder path (it is created when missing), or move the file away.",
                                                   "给一个文件夹路径（不存在时会创建），或把这个文件挪走。"))
    }
    for dir in missing.reversed() where mkdir(dir.path, 0o755) != 0 && errno != EEXIST {
        let e = errno
        throw FileSystemProblem(path: dir.path, found: Learner.text("cannot create this folder for \(purpose): \(posixReason(e))",
                                                                    "无法为\(inChinese(purpose))创建这个文件夹：\(posixReason(e))"),
                                hint: writableHint(dir.deletingLastPathComponent(), errno: e))
    }
}

/// What a file of `mode` (stat or fstat) is when it is not a regular file — "a FIFO (named pipe)", "a character
/// device", … — or nil for a regular file. Readers ask before reading (`readRegularFile`, MappedFile), so a FIFO
/// never blocks them and a device is not called a permission problem.
public func nonRegularFileKind(mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return "a folder"
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFSOCK: return "a socket"
    default: return "a special file"
    }
}

/// Why `readRegularFile` read nothing. Each reader words it in its own error: `notRegularFile` as "FILE: is a FIFO
/// (named pipe), not a regular file", the others as its "cannot read FILE: REASON".
public enum RegularFileRefusal: Error, Equatable {
    /// Not a regular file: what stands there (`nonRegularFileKind`).
    case notRegularFile(found: String)
    /// More bytes than the reader's limit.
    case tooLarge(bytes: Int, limit: Int)
    /// Foundation could not read it (no such file, permission denied, …): its words.
    case unreadable(reason: String)

    /// The refusal in the words a reader's "cannot read" message quotes.
    public var reason: String {
        switch self {
        case .notRegularFile(let found): return "is \(found), not a regular file"
        case .tooLarge(let bytes, let limit): return "\(bytes) bytes, more than the \(limit) read"
        case .unreadable(let reason): return reason
        }
    }
}

/// The bytes of the regular file at `url`, refused when it is a FIFO, a device or a folder (a FIFO would block the
/// read, a device never end it) or holds more than `limit` bytes (nil: any size). The file is opened once, without
/// blocking, and judged and read through that one descriptor (fstat), so a file swapped after the check is not what
/// is read; a file that grows while read is cut at limit + 1 bytes and refused. Symbolic links are followed: a
/// config.json linked to /dev/zero is a character device.
public func readRegularFile(_ url: URL, limit: Int? = nil) throws(RegularFileRefusal) -> Data {
    let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { throw .unreadable(reason: posixReason(errno)) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .unreadable(reason: posixReason(errno)) }
    if let found = nonRegularFileKind(mode: info.st_mode) { throw .notRegularFile(found: found) }
    if let limit, info.st_size > limit { throw .tooLarge(bytes: Int(info.st_size), limit: limit) }
    let most = limit.map { $0 + 1 } ?? Int.max
    var data = Data(capacity: min(Int(info.st_size), most))
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while data.count < most {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, most - data.count)) }
        if n < 0, errno == EINTR { continue }
        guard n >= 0 else { throw .unreadable(reason: posixReason(errno)) }
        if n == 0 { break }
        data.append(contentsOf: buffer[0..<n])
    }
    if let limit, data.count > limit { throw .tooLarge(bytes: data.count, limit: limit) }
    return data
}

/// `words` set in Chinese prose: a space on a side where they start or end in Latin letters ("为 train --out 创建",
/// "为检查点创建"), none at the start right after full-width punctuation ("（train --out 需要").
private func inChinese(_ words: String, afterPunctuation: Bool = false) -> String {
    (words.first?.isASCII == true && !afterPunctuation ? " " : "") + words + (words.last?.isASCII == true ? " " : "")
}

/// The reason of a file-system error in plain words: the POSIX message behind a Cocoa or POSIX error.
public func fileSystemReason(_ error: Error) -> String {
    if let problem = error as? FileSystemProblem { return problem.found }
    let ns = error as NSError
    // Foundation on Linux keeps a POSIXError (not an NSError) there: bridge whatever Error it is.
    if let underlying = (ns.userInfo[NSUnderlyingErrorKey] as? Error).map({ $0 as NSError }),
       underlying.domain == NSPOSIXErrorDomain {
        return posixReason(Int32(underlying.code))
    }
    if ns.domain == NSPOSIXErrorDomain { return posixReason(Int32(ns.code)) }
    if ns.domain == NSCocoaErrorDomain {
        switch ns.code {
        case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue: return "no such file or folder"
        case CocoaError.fileWriteFileExists.rawValue: return "a file of that name is in the way"
        case CocoaError.fileReadNoPermission.rawValue, CocoaError.fileWriteNoPermission.rawValue: return "permission denied"
        case CocoaError.fileWriteVolumeReadOnly.rawValue: return "read-only file system"
        case CocoaError.fileWriteOutOfSpace.rawValue: return "no space left on the device"
        case CocoaError.fileReadCorruptFile.rawValue: return "the contents cannot be read"
        default: break
        }
    }
    return "\(error)"
}

/// strerror(3) in lower case, with a word on the usual causes.
func posixReason(_ code: Int32) -> String {
    let text = String(cString: strerror(code))
    switch code {
    case EACCES, EPERM: return text + Learner.text(" (the folder is not writable for you)", "（这个文件夹你没有写权限）")
    case EROFS: return text + Learner.text(" (the folder is on a read-only file system)", "（这个文件夹在只读文件系统上）")
    default: return text
    }
}

/// The fix for a folder that could not be written.
func writableHint(_ folder: URL, errno e: Int32) -> String {
    switch e {
    case ENOSPC, EDQUOT:
        return Learner.text("free some space on the disk that holds \(folder.path), or choose another folder.",
                            "在 \(folder.path) 所在的磁盘上腾出空间，或换一个文件夹。")
    default:
        return Learner.text("make \(folder.path) writable (chmod u+w), or choose a folder you can write.",
                            "让 \(folder.path) 可写（chmod u+w），或换一个你能写的文件夹。")
    }
}

/// Flushes a file's bytes, or a folder's entries, to the disk (fsync(2)) before what follows depends on them: a
/// rename that publishes a file is only as durable as the file's data and the folder's entry, so writers sync the
/// file before the rename and the folder after it. Without it a power cut can leave the new name on an empty file.
///
/// - Throws: `FileSystemProblem` naming the path when it cannot be opened or synced (EINVAL, a file system without
///   fsync for folders, is not an error: there is nothing more to do there).
public func syncToDisk(_ path: String, purpose: String) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        let e = errno
        throw FileSystemProblem(path: path, found: Learner.text("cannot open it to flush \(purpose) to disk: \(posixReason(e))",
                                                                "打不开它，无法把\(inChinese(purpose))写到磁盘：\(posixReason(e))"),
                                hint: writableHint(URL(fileURLWithPath: path).deletingLastPathComponent(), errno: e))
    }
    defer { close(fd) }
    guard fsync(fd) == 0 || errno == EINVAL || errno == EROFS else {
        let e = errno
        throw FileSystemProblem(path: path, found: Learner.text("cannot flush \(purpose) to disk: \(posixReason(e))",
                                                                "无法把\(inChinese(purpose))写到磁盘：\(posixReason(e))"),
                                hint: Learner.text("check the disk (`df -h`, `dmesg`), then save again.",
                                                   "检查磁盘（`df -h`、`dmesg`），然后再保存一次。"))
    }
}
