// Progress: round trip through progress.json, atomic writes (no temporary left behind), a corrupt file moved aside
// with a message instead of a crash, and the quiz calibration numbers; nothing lost when several stores (threads here,
// processes in LabCLITests/ProgressProcessTests) change the file at once; a newer lmlab's fields and versions kept.
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
    #expect(names.sorted() == ["progress.json", "progress.json.lock"], "only progress.json and its lock, no temporary file: \(names)")
    let again = ProgressStore(directory: dir)
    #expect(again.notice == nil)
    #expect(again.progress == store.progress)
    let p = try #require(again.lesson("03-decoding.md"))
    #expect(p.opened == t && p.finished == t && p.cellsRun == ["greedy"])
    #expect(again.lesson("04-ngram.md") == nil)
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
    do { try store.save() } catch {
        print(error)
        #expect("\(error)".hasPrefix("/proc/lmlab-cannot-write/progress.json: cannot save progress: "))
        #expect("\(error)".contains("HINT: make /proc writable") && !"\(error)".contains("NSCocoaErrorDomain"))
    }
}

@Test func aReadOnlyStateFolderWithProgressInItSaysSo() throws {
    let dir = try tempDir()
    defer {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        try? FileManager.default.removeItem(at: dir)
    }
    let first = ProgressStore(directory: dir)
    first.recordOpened("01.md", .en)
    try first.save()
    try FileManager.default.removeItem(at: first.lockURL)                    // a folder copied without its lock file
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
    guard geteuid() != 0 else { print("SKIPPED aReadOnlyStateFolderWithProgressInItSaysSo: root writes read-only folders (anUnwritableFolderIsAnErrorNamingTheFix covers it)"); return }
    let store = ProgressStore(directory: dir)
    #expect(store.lesson("01.md")?.opened != nil, "a read-only folder still shows the progress")
    store.recordFinished("01.md", .en)
    #expect {
        try store.save()
    } throws: { error in
        print(error)
        return "\(error)".hasPrefix("\(dir.path)/progress.json: cannot save progress: cannot create the lock file: ")
            && "\(error)".contains("HINT: check that \(dir.path) is writable") && !"\(error)".contains("NSCocoaErrorDomain")
    }
}


@Test func twoStoresOpenAtOnceKeepEachOthersChanges() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let notebook = ProgressStore(directory: dir)          // opened first, saves last, as a notebook left open
    notebook.recordOpened("01-counting.md", .en)
    let exercise = ProgressStore(directory: dir)
    exercise.updateExercise("top_p") { $0.checks += 1 }
    try exercise.save()
    notebook.recordCellRun("01-counting.md", .en, cellID: "bigrams")
    try notebook.save()
    let after = ProgressStore(directory: dir)
    #expect(after.exercise("top_p").checks == 1, "the notebook's save kept the exercise check made meanwhile")
    #expect(after.lesson("01-counting.md")?.cellsRun == ["bigrams"])
    #expect(notebook.progress == after.progress, "a save leaves the store holding the file's new contents")
    // A second save of the same store does not replay changes it already wrote.
    try notebook.save()
    try exercise.save()
    #expect(ProgressStore(directory: dir).exercise("top_p").checks == 1)
}

@Test func threadsEachWithTheirOwnStoreLoseNoUpdate() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let threads = 4, rounds = 25
    let failures = LockedList()
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        for _ in 0..<rounds {
            // A fresh store each time opens and reads the file on its own, as a separate process would.
            let store = ProgressStore(directory: dir)
            store.updateExercise("top_p") { $0.checks += 1 }
            store.recordCellRun("01-counting.md", .en, cellID: "cell-\(t)")
            do { try store.save() } catch { failures.append("\(error)") }
        }
    }
    #expect(failures.items.isEmpty, "\(failures.items)")
    let final = ProgressStore(directory: dir)
    print("\(threads) threads × \(rounds) saves: checks = \(final.exercise("top_p").checks)")
    #expect(final.exercise("top_p").checks == threads * rounds)
    #expect(Set(final.lesson("01-counting.md")?.cellsRun ?? []) == Set((0..<threads).map { "cell-\($0)" }))
}

/// Strings appended from several threads.
private final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return list }
}

@Test func fieldsThisLmlabDoesNotKnowSurviveASave() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("progress.json")
    try Data("""
    {"version": 1, "streak": {"days": 4},
     "lessons": {"en/01.md": {"cellsRun": ["a"], "quizAnswers": {"q1": [{"response": "b", "correct": true, "at": "2027-01-15T08:00:00Z", "seconds": 12.5}]}, "bookmark": "cell-3"}},
     "exercises": {"top_p": {"checks": 2, "hintsShown": 1, "passed": "2027-01-15T08:00:00Z", "timeSpent": 300}}}
    """.utf8).write(to: file)
    let store = ProgressStore(directory: dir)
    #expect(store.notice == nil)
    store.recordCellRun("01.md", .en, cellID: "b")
    store.updateExercise("top_p") { $0.passed = nil; $0.checks += 1 }
    try store.save()
    let saved = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    print(String(decoding: try Data(contentsOf: file), as: UTF8.self))
    #expect((saved["streak"] as? [String: Any])?["days"] as? Int == 4)
    let lesson = try #require((saved["lessons"] as? [String: Any])?["en/01.md"] as? [String: Any])
    #expect(lesson["bookmark"] as? String == "cell-3")
    #expect(lesson["cellsRun"] as? [String] == ["a", "b"])
    let answer = try #require(((lesson["quizAnswers"] as? [String: Any])?["q1"] as? [[String: Any]])?.first)
    #expect(answer["seconds"] as? Double == 12.5 && answer["correct"] as? Bool == true)
    let topP = try #require((saved["exercises"] as? [String: Any])?["top_p"] as? [String: Any])
    #expect(topP["timeSpent"] as? Int == 300 && topP["checks"] as? Int == 3)
    #expect(topP["passed"] == nil, "a known field the change cleared stays cleared")
    #expect(ProgressStore(directory: dir).lesson("01.md")?.quizAnswers["q1"]?.first?.correct == true)
}

@Test func aNewerVersionIsReadButNeverOverwritten() throws {
    let dir = try tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("progress.json")
    let original = Data("""
    {"version": 99, "lessons": {"en/01.md": {"cellsRun": ["a"], "quizAnswers": {}, "mastery": 0.8}}, "profiles": ["default"]}
    """.utf8)
    try original.write(to: file)
    let store = ProgressStore(directory: dir)
    let notice = try #require(store.notice)
    print(notice)
    #expect(notice.contains("\(file.path) is version 99") && notice.contains("HINT:"))
    #expect(store.lesson("01.md")?.cellsRun == ["a"], "what this lmlab understands is still shown")
    store.recordCellRun("01.md", .en, cellID: "b")
    #expect {
        try store.save()
    } throws: { error in
        "\(error)".contains("version 99, written by a newer lmlab") && "\(error)".contains("HINT: use the newer lmlab")
    }
    #expect(try Data(contentsOf: file) == original, "the newer file is untouched, byte for byte")
    #expect(!FileManager.default.fileExists(atPath: file.path + ".corrupt"), "and not moved aside as corrupt")
}

@Test func aLessonsTwoLanguagesShareProgressAndTheChosenLanguageIsKept() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-progress-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let t = Date(timeIntervalSince1970: 1_700_000_000)
    let store = ProgressStore(directory: dir)
    #expect(store.chosenLanguage == nil)
    store.recordOpened("03-decoding.md", .zh, at: t.addingTimeInterval(60))
    store.recordCellRun("03-decoding.md", .zh, cellID: "greedy")
    store.recordAnswer("03-decoding.md", .zh, quizID: "q1", answer: QuizAnswer(response: "b", correct: false, confidence: 50, at: t.addingTimeInterval(90)))
    store.recordOpened("03-decoding.md", .en, at: t)
    store.recordCellRun("03-decoding.md", .en, cellID: "beam")
    store.recordCellRun("03-decoding.md", .en, cellID: "greedy")
    store.recordAnswer("03-decoding.md", .en, quizID: "q1", answer: QuizAnswer(response: "a", correct: true, confidence: 80, at: t.addingTimeInterval(120)))
    store.recordLanguage(.zh)
    try store.save()

    let again = ProgressStore(directory: dir)
    let p = try #require(again.lesson("03-decoding.md"))
    #expect(p.opened == t, "the earliest opening in either language")
    #expect(p.cellsRun.sorted() == ["beam", "greedy"], "cells run in Chinese and in English, each once")
    #expect(p.quizAnswers["q1"]?.map(\.response) == ["b", "a"], "answers from both languages, in the order given")
    #expect(again.chosenLanguage == .zh, "the notebook's language survives a restart")
}
