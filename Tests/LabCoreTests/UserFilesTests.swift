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
