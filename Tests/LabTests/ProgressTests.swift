// Progress: round trip through progress.json, atomic writes (no temporary left behind), a corrupt file moved aside
// with a message instead of a crash, and the quiz calibration numbers.
import Foundation
import Testing
@testable import Lab

private func tempDir() throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-progress-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

@Test func progressRoundTripsThroughTheFile() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let t = Date(timeIntervalSince1970: 1_800_000_000)
    let store = ProgressStore(directory: dir)
    #expect(store.notice == nil && store.progress.lessons.isEmpty)
    store.recordOpened("03-decoding.md", .zh, at: t)
    store.recordOpened("03-decoding.md", .zh, at: t.addingTimeInterval(60))   // first opening is kept
    store.recordCellRun("03-decoding.md", .zh, cellID: "greedy")
    store.recordCellRun("03-decoding.md", .zh, cellID: "greedy")
    store.recordAnswer("03-decoding.md", .zh, quizID: "q1", answer: QuizAnswer(response: "a", correct: true, confidence: 90, at: t))
    store.recordAnswer("03-decoding.md", .zh, quizID: "q2", answer: QuizAnswer(response: "c", correct: false, confidence: 70, at: t))
    store.recordAnswer("03-decoding.md", .zh, quizID: "q2", answer: QuizAnswer(response: "b", correct: true, confidence: 40, at: t))
    store.recordFinished("03-decoding.md", .zh, at: t)
    try store.save()

    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(names == ["progress.json"], "only progress.json, no temporary file: \(names)")
    let again = ProgressStore(directory: dir)
    #expect(again.notice == nil)
    #expect(again.progress == store.progress)
    let p = try #require(again.lesson("03-decoding.md", .zh))
    #expect(p.opened == t && p.finished == t && p.cellsRun == ["greedy"])
    #expect(again.lesson("03-decoding.md", .en) == nil)
    let c = again.progress.calibration
    // First answers count: q1 right at 90, q2 wrong at 70.
    #expect(c.answered == 2 && c.right == 1 && c.meanConfidenceRight == 90 && c.meanConfidenceWrong == 70)
}

@Test func aCorruptFileIsMovedAsideAndProgressStartsAfresh() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("progress.json")
    try Data("{\"version\": 1, \"lessons\": {\"en/01.md\": ".utf8).write(to: file)   // truncated
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let store = ProgressStore(directory: dir, now: now)
    let notice = try #require(store.notice)
    print(notice)
    #expect(notice.contains("could not be read") && notice.contains("progress.json.corrupt-2027"))
    #expect(store.progress.lessons.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: file.path))
    let aside = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("progress.json.corrupt-") }
    #expect(aside.count == 1)
    #expect(try String(contentsOf: dir.appendingPathComponent(aside[0]), encoding: .utf8).hasPrefix("{\"version\": 1"))
    // The fresh store saves over the old name, and a second corrupt file gets its own name.
    store.recordOpened("01.md", .en)
    try store.save()
    try Data("not json".utf8).write(to: file)
    let third = ProgressStore(directory: dir, now: now)
    #expect(third.notice != nil)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("progress.json.corrupt-") }.count == 2)
}

@Test func theStateFolderFollowsXDG() {
    #expect(ProgressStore.defaultDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).path == "/s/lmlab")
    #expect(ProgressStore.defaultDirectory(environment: ["HOME": "/h"]).path == "/h/.local/state/lmlab")
}

@Test func anUnwritableFolderIsAnErrorNamingTheFix() throws {
    let store = ProgressStore(directory: URL(fileURLWithPath: "/proc/lmlab-cannot-write"))
    #expect(throws: ProgressError.self) { try store.save() }
    do { try store.save() } catch { #expect("\(error)".contains("HINT: check that /proc/lmlab-cannot-write is writable")) }
}
