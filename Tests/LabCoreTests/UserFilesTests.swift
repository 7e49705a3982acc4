// readRegularFile and UserHome: the one stat-then-read that config.json, tokenizer.model, a sharded index and a lesson
// go through (a FIFO, a folder or a file over the limit is refused before a byte is read), and the one home that ~
// means ($HOME before the account's).
import Foundation
import Testing
@testable import LabCore

@Test func readRegularFileRefusesWhatIsNotAFileAndWhatIsTooLong() throws {
    let dir = try tempDir("read")
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("a.json")
    try Data("12345".utf8).write(to: file)
    #expect(try readRegularFile(file) == Data("12345".utf8))
    #expect(try readRegularFile(file, limit: 5) == Data("12345".utf8))
    #expect(throws: RegularFileRefusal.tooLarge(bytes: 5, limit: 4)) { try readRegularFile(file, limit: 4) }
    let fifo = dir.appendingPathComponent("fifo")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    #expect(throws: RegularFileRefusal.notRegularFile(found: "a FIFO (named pipe)")) { try readRegularFile(fifo) }
    #expect(throws: RegularFileRefusal.notRegularFile(found: "a folder")) { try readRegularFile(dir) }
    let missing = #expect(throws: RegularFileRefusal.self) { try readRegularFile(dir.appendingPathComponent("no")) }
    #expect(missing.map { if case .unreadable(let reason) = $0 { !reason.isEmpty } else { false } } == true)
}

@Test func tildeIsHomeFromTheEnvironmentFirst() {
    let env = ["HOME": "/home/u"]
    #expect(UserHome.path(environment: env) == "/home/u")
    #expect(UserHome.path(environment: ["HOME": ""]) == NSHomeDirectory())
    #expect(UserHome.expandingTilde("~", environment: env) == "/home/u")
    #expect(UserHome.expandingTilde("~/m", environment: env) == "/home/u/m")
    #expect(UserHome.expandingTilde("a/~/b", environment: env) == "a/~/b")
    #expect(UserHome.expandingTilde("/abs", home: "/h") == "/abs")
}

/// A stranger's "config.json" of 20 GB is refused before a byte is held; the limit is the file's size, judged on the
/// descriptor that is read.
@Test func aRegularFileOverTheLimitIsRefusedUnread() throws {
    let folder = try tempDir("limit")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("config.json")
    #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
    let handle = try FileHandle(forWritingTo: file)
    try handle.truncate(atOffset: 20 << 30)                      // sparse: 20 GB that take no disk
    try handle.close()
    #expect(throws: RegularFileRefusal.tooLarge(bytes: 20 << 30, limit: 1 << 20)) {
        try readRegularFile(file, limit: 1 << 20)
    }
    try Data("{}".utf8).write(to: file)
    #expect(try readRegularFile(file, limit: 2) == Data("{}".utf8))
    #expect(throws: RegularFileRefusal.tooLarge(bytes: 2, limit: 1)) { try readRegularFile(file, limit: 1) }
}
