// FileLock and createFolder: a held lock keeps a second holder out (two opens in one process, as two processes
// would), the wait is bounded and says who to look for, a released lock is free again; a folder that cannot be made
// is a message naming the path, what is there and the fix — never Foundation's "NSCocoaErrorDomain Code=…"
// (an unwritable folder: ProgressTests and LabCLITests/NothingLostTests).
import Foundation
import Testing
@testable import LabCore

/// A new empty folder under the temporary directory (this target's tests remove it when done).
func tempDir(_ tag: String) throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

@Test func aHeldLockKeepsOthersOutForABoundedTime() throws {
    let dir = try tempDir("lock")
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("progress.json.lock")
    let first = try FileLock(url)
    let start = Date()
    #expect {
        _ = try FileLock(url, timeout: 0.3)
    } throws: { error in
        print("\(error)")
        return "\(error)".contains(url.path) && "\(error)".contains("held this lock") && "\(error)".contains("HINT:")
    }
    let waited = Date().timeIntervalSince(start)
    #expect(waited >= 0.3 && waited < 10, "waited \(waited) s")
    first.release()
    let second = try FileLock(url, timeout: 0.3)     // free again
    second.release()
}

@Test func createFolderNamesAFileInTheWay() throws {
    let dir = try tempDir("folder")
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("model.bin")
    try Data("x".utf8).write(to: file)
    #expect {
        try createFolder(file, for: "train --out")
    } throws: { error in
        print("\(error)")
        return "\(error)" == "\(file.path): is a file, not a folder (a folder is needed here for train --out). HINT: pass a folder path (it is created when missing), or move the file away."
    }
    #expect {
        try createFolder(file.appendingPathComponent("inner/deeper"), for: "train --out")
    } throws: { error in
        "\(error)".hasPrefix("\(file.path): is a file, so \(file.path)/inner/deeper cannot be made inside it")
    }
    let made = dir.appendingPathComponent("a/b/c")
    try createFolder(made, for: "a test")
    try createFolder(made, for: "a test")           // existing: fine
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: made.path, isDirectory: &isDirectory) && isDirectory.boolValue)
}

@Test func foundationErrorsBecomePlainReasons() {
    let missing = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileReadNoSuchFile.rawValue)
    #expect(fileSystemReason(missing) == "no such file or folder")
    let exists = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteFileExists.rawValue)
    #expect(fileSystemReason(exists) == "a file of that name is in the way")
    let denied = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteUnknown.rawValue,
                         userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))])
    #expect(fileSystemReason(denied).hasPrefix(String(cString: strerror(EACCES))))
    #expect(fileSystemReason(denied).contains("not writable"))
    // What Data.write throws on Linux: the POSIX reason is a POSIXError inside the Cocoa error.
    let notAFolder = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteUnknown.rawValue,
                             userInfo: [NSUnderlyingErrorKey: POSIXError(.ENOTDIR)])
    #expect(fileSystemReason(notAFolder) == String(cString: strerror(ENOTDIR)))
}
