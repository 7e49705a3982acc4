// Progress — what the learner has done, kept in $XDG_STATE_HOME/lmlab/progress.json (default ~/.local/state/lmlab).
//
// Recorded per lesson file and the language it was read in ("zh/03-decoding.md"): when it was opened and finished,
// which cells ran, and every quiz answer with whether it was right and how confident the learner said they were — so
// the lab can show "right 7 of 10, said sure 9 times" (predict-then-reveal questions, issue 9). A lesson's two
// languages share their cells and quiz ids, so reading progress merges both: a lesson begun in Chinese shows as
// begun in the English view. The notebook's language (the `l` key) is kept here too, for the next launch.
//
// Several lmlab processes share the file (a notebook open while `exercise check` runs in another terminal), so no
// change is ever written from a stale copy. Every save
//
//   1. takes an advisory lock on progress.json.lock (LabCore/FileLock.swift, a bounded wait)
//   2. re-reads progress.json as it is now
//   3. replays this store's changes since its last save onto it (the `record…`/`updateExercise` calls are kept as
//      changes, not as a finished copy of the file)
//   4. writes the result atomically: a temporary file in the same folder, then rename(2) over the old one, so a crash
//      or Ctrl-C never leaves half a file
//   5. unlocks
//
// Keys this lmlab does not know (fields a newer lmlab added, at any depth) are carried through unchanged. A file of a
// newer `version` is read but never written: a newer lmlab bumps the version only for a change an older writer
// could get wrong (added fields need no bump — they are carried through), so writing it would risk the learner's
// record; the save says so and which lmlab to use. A file that cannot be read as progress (hand-edited, truncated
// by a full disk) is moved aside to progress.json.corrupt-<date> and progress starts again, with a message saying
// where the old file went — never a crash.

import Foundation
import LabCore

/// One answer to a quiz.
public struct QuizAnswer: Codable, Equatable, Sendable {
    public var response: String
    public var correct: Bool
    /// How sure the learner said they were, 0…100; nil when not asked.
    public var confidence: Int?
    public var at: Date

    public init(response: String, correct: Bool, confidence: Int?, at: Date = Date()) {
        self.response = response
        self.correct = correct
        self.confidence = confidence
        self.at = at
    }
}

/// Progress through one lesson file.
public struct LessonProgress: Codable, Equatable, Sendable {
    public var opened: Date?
    public var finished: Date?
    /// Ids of the cells that ran successfully at least once.
    public var cellsRun: [String] = []
    /// Every answer, in order, by quiz id (the first answer is the one that counts for calibration).
    public var quizAnswers: [String: [QuizAnswer]] = [:]

    public init() {}
}

extension LessonProgress {
    /// What is left before `document` is complete: its cells that never ran successfully and its quizzes never
    /// answered (ids, in lesson order). Both empty: the lesson is done.
    public func missing(in document: LessonDocument) -> (cells: [String], quizzes: [String]) {
        (document.cells.map(\.id).filter { !cellsRun.contains($0) },
         document.quizzes.map(\.id).filter { quizAnswers[$0]?.isEmpty ?? true })
    }
}

/// The whole progress file.
public struct LabProgress: Codable, Equatable, Sendable {
    /// The format this lmlab writes; a file with a larger version is read but not written (see the top of the file).
    public static let currentVersion = 1
    public var version = LabProgress.currentVersion
    /// By lesson key: "<lang>/<file>", e.g. "zh/03-decoding.md".
    public var lessons: [String: LessonProgress] = [:]
    /// Exercise name → its state (absent in files written before exercises existed).
    public var exercises: [String: ExerciseState]? = nil
    /// The language the learner last chose in the notebook ("en" / "zh"); nil until they switch.
    public var language: String? = nil

    public init() {}

    public static func key(_ file: String, _ lang: LessonLanguage) -> String { "\(lang.rawValue)/\(file)" }

    /// A lesson's progress in either language, merged: the earliest opening and finish, every cell run, every answer
    /// in the order given. Nil when it was never opened in any language.
    public func lesson(_ file: String) -> LessonProgress? {
        let both = LessonLanguage.allCases.compactMap { lessons[Self.key(file, $0)] }
        guard var merged = both.first else { return nil }
        for other in both.dropFirst() {
            merged.opened = [merged.opened, other.opened].compactMap { $0 }.min()
            merged.finished = [merged.finished, other.finished].compactMap { $0 }.min()
            for id in other.cellsRun where !merged.cellsRun.contains(id) { merged.cellsRun.append(id) }
            for (id, answers) in other.quizAnswers {
                merged.quizAnswers[id] = ((merged.quizAnswers[id] ?? []) + answers).sorted { $0.at < $1.at }
            }
        }
        return merged
    }

    /// The state of an exercise (a fresh one when it was never touched).
    public func exercise(_ name: String) -> ExerciseState { exercises?[name] ?? ExerciseState() }

    public mutating func updateExercise(_ name: String, _ change: (inout ExerciseState) -> Void) {
        var all = exercises ?? [:]
        var state = all[name] ?? ExerciseState()
        change(&state)
        all[name] = state
        exercises = all
    }

    /// First answers to every quiz: how many were right, and the mean stated confidence of the right and wrong ones.
    public var calibration: (answered: Int, right: Int, meanConfidenceRight: Double?, meanConfidenceWrong: Double?) {
        let firsts = lessons.values.flatMap { $0.quizAnswers.values.compactMap(\.first) }
        func mean(_ xs: [Int]) -> Double? { xs.isEmpty ? nil : Double(xs.reduce(0, +)) / Double(xs.count) }
        return (firsts.count, firsts.filter(\.correct).count,
                mean(firsts.filter(\.correct).compactMap(\.confidence)), mean(firsts.filter { !$0.correct }.compactMap(\.confidence)))
    }
}

/// Reads and writes progress.json.
public final class ProgressStore {
    public let fileURL: URL
    /// The progress as last read, with this store's unsaved changes applied.
    public private(set) var progress: LabProgress
    /// A message for the learner from loading (the file was corrupt and moved aside, or is from a newer lmlab), shown once.
    public private(set) var notice: String?
    /// Changes since the last save, replayed onto the file's current contents by `save()`.
    private var changes: [(inout LabProgress) -> Void] = []
    /// The time in the name of a moved-aside corrupt file (tests pass a fixed one).
    private let now: Date

    /// The learner's store, its loading notice (a corrupt file moved aside, a newer lmlab's) given to `show` once.
    public static func showingNotice(_ show: (String) -> Void) -> ProgressStore {
        let store = ProgressStore()
        if let notice = store.notice { show(notice) }
        return store
    }

    /// The folder: $XDG_STATE_HOME/lmlab, or ~/.local/state/lmlab.
    public static func defaultDirectory(environment: [String: String] = LabEnvironment.current) -> URL {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty {
            return URL(fileURLWithPath: state).appendingPathComponent("lmlab")
        }
        let home = UserHome.path(environment: environment)
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/lmlab")
    }

    /// progress.json.lock, beside the file: every writer of progress.json holds it while it reads, changes and writes.
    public var lockURL: URL { fileURL.appendingPathExtension("lock") }

    /// Loads `<directory>/progress.json`; a missing file is empty progress, a corrupt one is moved aside (see `notice`).
    public init(directory: URL = ProgressStore.defaultDirectory(), now: Date = Date()) {
        fileURL = directory.appendingPathComponent("progress.json")
        self.now = now
        progress = LabProgress()
        var read = readFile()
        if read.corrupt != nil {
            // Moving the file aside is a write: under the lock (when the folder allows one), after a second look.
            let lock = try? FileLock(lockURL, timeout: 5)
            defer { lock?.release() }
            read = readMovingCorruptAside()
        }
        progress = read.progress
        notice = read.notice
    }

    /// What `readFile` found.
    private struct FileContents {
        var progress = LabProgress()
        /// The file's JSON as read, with keys this lmlab does not know; nil when there was no readable file.
        var json: Any?
        /// Set when the file is from a newer lmlab (read, never written).
        var newerVersion: Int?
        /// Why the file could not be read as progress.
        var corrupt: Error?
        var notice: String?
    }

    /// Reads progress.json as it is on disk now.
    private func readFile() -> FileContents {
        guard let data = FileManager.default.contents(atPath: fileURL.path) else { return FileContents() }
        let json = try? JSONSerialization.jsonObject(with: data)
        if let version = (json as? [String: Any])?["version"] as? Int, version > LabProgress.currentVersion {
            return FileContents(progress: (try? Self.decode(data)) ?? LabProgress(), json: json, newerVersion: version,
                                notice: Self.newerVersionMessage(fileURL, version))
        }
        do { return FileContents(progress: try Self.decode(data), json: json) } catch { return FileContents(corrupt: error) }
    }

    /// `readFile`, with a corrupt file moved aside (call with the lock held).
    private func readMovingCorruptAside() -> FileContents {
        var read = readFile()
        if let error = read.corrupt { read.notice = moveAside(because: error) }
        return read
    }

    private static func decode(_ data: Data) throws -> LabProgress {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(LabProgress.self, from: data)
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static func newerVersionMessage(_ file: URL, _ version: Int) -> String {
        Learner.text(
            "\(file.path) is version \(version), written by a newer lmlab; this one writes version \(LabProgress.currentVersion), "
                + "so it shows that progress but records nothing new (writing would drop what it does not understand). "
                + "HINT: use the newer lmlab, or move the file away to start a new record with this one.",
            "\(file.path) 是第 \(version) 版，由更新的 lmlab 写出；这个 lmlab 写的是第 \(LabProgress.currentVersion) 版，"
                + "所以它会显示其中的进度，但不记录新进度（写入会丢掉它不理解的内容）。"
                + "HINT：用更新的 lmlab，或把这个文件挪走，用这个 lmlab 从头记录。")
    }

    /// Moves the unreadable progress.json to progress.json.corrupt-<date>; returns the message for the learner.
    private func moveAside(because error: Error) -> String {
        let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
        var aside = fileURL.path + ".corrupt-" + stamp
        var n = 1
        while FileManager.default.fileExists(atPath: aside) { n += 1; aside = fileURL.path + ".corrupt-\(stamp)-\(n)" }
        do {
            try FileManager.default.moveItem(atPath: fileURL.path, toPath: aside)
            return Learner.text(
                "\(fileURL.path) could not be read (\(Self.reason(error))); it was moved to \(aside) and progress starts afresh.",
                "\(fileURL.path) 读不了（\(Self.reason(error))）；它已被移到 \(aside)，进度从头开始。")
        } catch {
            return Learner.text(
                "\(fileURL.path) could not be read and could not be moved aside (\(fileSystemReason(error))); progress starts afresh and will overwrite it.",
                "\(fileURL.path) 读不了，也挪不走（\(fileSystemReason(error))）；进度从头开始，并会覆盖它。")
        }
    }

    private static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return "not valid JSON: \(c.debugDescription)"
        case DecodingError.keyNotFound(let k, _): return "missing field \(k.stringValue)"
        case DecodingError.typeMismatch(_, let c): return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "\(error)"
        }
    }

    /// Writes this store's changes into progress.json: under the lock, onto the file as it is now, atomically.
    /// Afterwards `progress` is the file's new contents (other processes' changes included).
    ///
    /// - Throws: `ProgressError` naming the file and the fix when the folder cannot be written, the lock stays held,
    ///   or the file is from a newer lmlab.
    public func save() throws {
        try modify { _ in }
    }

    /// Applies `change` to progress.json as it is now and saves at once, under the lock; returns what `change`
    /// returned. For a change that depends on the current value (the next hint to show), so that two processes
    /// doing it at once both count. Unsaved changes of this store are saved with it.
    ///
    /// - Throws: as `save()`; nothing is written then.
    @discardableResult
    public func modify<T>(_ change: (inout LabProgress) throws -> T) throws -> T {
        let dir = fileURL.deletingLastPathComponent()
        func failure(_ error: Error) -> ProgressError {
            let hint = (error as? FileSystemProblem)?.hint ?? Learner.text(
                "check that \(dir.path) is writable, or set XDG_STATE_HOME to a writable folder.",
                "确认 \(dir.path) 可写，或把 XDG_STATE_HOME 设为一个可写的文件夹。")
            return ProgressError(description: Learner.text(
                "\(fileURL.path): cannot save progress: \(fileSystemReason(error)). HINT: \(hint)",
                "\(fileURL.path)：保存不了进度：\(fileSystemReason(error))。HINT：\(hint)"))
        }
        let lock: FileLock
        do {
            try createFolder(dir, for: Learner.text("the progress file", "进度文件"))
            lock = try FileLock(lockURL)
        } catch {
            throw failure(error)
        }
        defer { lock.release() }
        let read = readMovingCorruptAside()
        if let version = read.newerVersion { throw ProgressError(description: Self.newerVersionMessage(fileURL, version)) }
        if let moved = read.notice { notice = moved }
        var updated = read.progress
        for c in changes { c(&updated) }
        let result = try change(&updated)
        updated.version = LabProgress.currentVersion
        var saved = updated
        do {
            var json = try JSONSerialization.jsonObject(with: Self.encoder().encode(updated))
            if let old = read.json {
                let understood = try JSONSerialization.jsonObject(with: Self.encoder().encode(read.progress))
                json = carryUnknownKeys(from: old, understood: understood, into: json)
            }
            var data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            data.append(0x0A)
            saved = try Self.decode(data)           // what the file will hold (dates to the second)
            let temp = dir.appendingPathComponent(".progress.json.\(ProcessInfo.processInfo.processIdentifier).tmp")
            try data.write(to: temp)
            try syncToDisk(temp.path, purpose: Learner.text("the progress file", "进度文件"))
            guard rename(temp.path, fileURL.path) == 0 else {
                let e = errno
                try? FileManager.default.removeItem(at: temp)
                throw POSIXError(POSIXErrorCode(rawValue: e) ?? .EIO)
            }
            try syncToDisk(dir.path, purpose: Learner.text("the progress file's folder entry", "进度文件的目录项"))
        } catch {
            throw failure(error)
        }
        progress = saved
        changes = []
        return result
    }

    /// Records `change` for the next save and applies it to `progress` now.
    private func record(_ change: @escaping (inout LabProgress) -> Void) {
        change(&progress)
        changes.append(change)
    }

    private func update(_ file: String, _ lang: LessonLanguage, _ change: @escaping (inout LessonProgress) -> Void) {
        let key = LabProgress.key(file, lang)
        record { all in
            var p = all.lessons[key] ?? LessonProgress()
            change(&p)
            all.lessons[key] = p
        }
    }

    /// The state of an exercise (a fresh one when it was never touched).
    public func exercise(_ name: String) -> ExerciseState { progress.exercise(name) }

    public func updateExercise(_ name: String, _ change: @escaping (inout ExerciseState) -> Void) {
        record { $0.updateExercise(name, change) }
    }

    /// The lesson's progress in both its languages (LabProgress.lesson).
    public func lesson(_ file: String) -> LessonProgress? { progress.lesson(file) }

    /// The notebook's language as the learner last chose it, if they ever did.
    public var chosenLanguage: LessonLanguage? { progress.language.flatMap(LessonLanguage.init(rawValue:)) }

    /// The learner's language for the notebook and the REPL: LMLAB_LANG when set, else the one chosen last with `l`
    /// in the notebook, else the locale's.
    public func learnerLanguage(environment: [String: String] = LabEnvironment.current) -> LessonLanguage {
        environment["LMLAB_LANG"].flatMap { $0.isEmpty ? nil : LessonLanguage.fromEnvironment(["LMLAB_LANG": $0]) }
            ?? chosenLanguage ?? .fromEnvironment(environment)
    }

    public func recordLanguage(_ lang: LessonLanguage) {
        record { $0.language = lang.rawValue }
    }

    public func recordOpened(_ file: String, _ lang: LessonLanguage, at date: Date = Date()) {
        update(file, lang) { if $0.opened == nil { $0.opened = date } }
    }

    public func recordFinished(_ file: String, _ lang: LessonLanguage, at date: Date = Date()) {
        update(file, lang) { $0.finished = date }
    }

    public func recordCellRun(_ file: String, _ lang: LessonLanguage, cellID: String) {
        update(file, lang) { if !$0.cellsRun.contains(cellID) { $0.cellsRun.append(cellID) } }
    }

    public func recordAnswer(_ file: String, _ lang: LessonLanguage, quizID: String, answer: QuizAnswer) {
        update(file, lang) { $0.quizAnswers[quizID, default: []].append(answer) }
    }
}

/// `new` (what this lmlab encodes) with the keys of `old` (the file as read) that `understood` (what this lmlab
/// decoded from it, encoded again) lacks — fields of a newer lmlab, at any depth. A key that this lmlab knows and
/// the change removed stays removed; arrays are matched by position (progress arrays only grow at their end).
func carryUnknownKeys(from old: Any, understood: Any?, into new: Any) -> Any {
    if let old = old as? [String: Any], var out = new as? [String: Any] {
        let known = understood as? [String: Any]
        for (key, value) in old {
            if let mine = out[key] {
                out[key] = carryUnknownKeys(from: value, understood: known?[key], into: mine)
            } else if known?[key] == nil {
                out[key] = value
            }
        }
        return out
    }
    if let old = old as? [Any], var out = new as? [Any] {
        let known = understood as? [Any]
        for i in 0..<min(old.count, out.count) {
            out[i] = carryUnknownKeys(from: old[i], understood: known.flatMap { i < $0.count ? $0[i] : nil }, into: out[i])
        }
        return out
    }
    return new
}

/// Progress could not be saved; the message names the file and the fix.
public struct ProgressError: Error, CustomStringConvertible {
    public let description: String
}
