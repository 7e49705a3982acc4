// Progress — what the learner has done, kept in $XDG_STATE_HOME/lmlab/progress.json (default ~/.local/state/lmlab).
//
// Recorded per lesson file (en and zh separately, "zh/03-decoding.md"): when it was opened and finished, which cells
// ran, and every quiz answer with whether it was right and how confident the learner said they were — so the lab can
// show "right 7 of 10, said sure 9 times" (predict-then-reveal questions, issue 9).
//
// The file is written atomically: the new JSON goes to a temporary file in the same folder, then rename(2) replaces
// the old one, so a crash or Ctrl-C never leaves half a file. A file that cannot be read as progress (hand-edited,
// truncated by a full disk) is moved aside to progress.json.corrupt-<date> and progress starts again, with a message
// saying where the old file went — never a crash.

import Foundation

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

/// The whole progress file.
public struct LabProgress: Codable, Equatable, Sendable {
    public var version = 1
    /// By lesson key: "<lang>/<file>", e.g. "zh/03-decoding.md".
    public var lessons: [String: LessonProgress] = [:]
    /// Exercise name → its state (absent in files written before exercises existed).
    public var exercises: [String: ExerciseState]? = nil

    public init() {}

    public static func key(_ file: String, _ lang: LessonLanguage) -> String { "\(lang.rawValue)/\(file)" }

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
    public private(set) var progress: LabProgress
    /// A message for the learner from loading (the file was corrupt and moved aside), shown once.
    public private(set) var notice: String?

    /// The folder: $XDG_STATE_HOME/lmlab, or ~/.local/state/lmlab.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty {
            return URL(fileURLWithPath: state).appendingPathComponent("lmlab")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/lmlab")
    }

    /// Loads `<directory>/progress.json`; a missing file is empty progress, a corrupt one is moved aside (see `notice`).
    public init(directory: URL = ProgressStore.defaultDirectory(), now: Date = Date()) {
        fileURL = directory.appendingPathComponent("progress.json")
        progress = LabProgress()
        guard let data = FileManager.default.contents(atPath: fileURL.path) else { return }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            progress = try decoder.decode(LabProgress.self, from: data)
        } catch {
            let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
            var aside = fileURL.path + ".corrupt-" + stamp
            var n = 1
            while FileManager.default.fileExists(atPath: aside) { n += 1; aside = fileURL.path + ".corrupt-\(stamp)-\(n)" }
            do {
                try FileManager.default.moveItem(atPath: fileURL.path, toPath: aside)
                notice = "\(fileURL.path) could not be read (\(Self.reason(error))); it was moved to \(aside) and progress starts afresh."
            } catch {
                notice = "\(fileURL.path) could not be read and could not be moved aside (\(error.localizedDescription)); progress starts afresh and will overwrite it."
            }
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

    /// Writes progress.json atomically (temporary file in the same folder, then rename).
    /// - Throws: the file-system error, naming the folder, when it cannot be written.
    public func save() throws {
        let dir = fileURL.deletingLastPathComponent()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(progress)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let temp = dir.appendingPathComponent(".progress.json.\(ProcessInfo.processInfo.processIdentifier).tmp")
            guard FileManager.default.createFile(atPath: temp.path, contents: data) else {
                throw CocoaError(.fileWriteUnknown)
            }
            guard rename(temp.path, fileURL.path) == 0 else {
                let e = errno
                try? FileManager.default.removeItem(at: temp)
                throw POSIXError(POSIXErrorCode(rawValue: e) ?? .EIO)
            }
        } catch {
            throw ProgressError(description: "\(fileURL.path): cannot save progress (\(error.localizedDescription)). HINT: check that \(dir.path) is writable, or set XDG_STATE_HOME to a writable folder.")
        }
    }

    private func update(_ file: String, _ lang: LessonLanguage, _ change: (inout LessonProgress) -> Void) {
        let key = LabProgress.key(file, lang)
        var p = progress.lessons[key] ?? LessonProgress()
        change(&p)
        progress.lessons[key] = p
    }

    /// The state of an exercise (a fresh one when it was never touched).
    public func exercise(_ name: String) -> ExerciseState { progress.exercises?[name] ?? ExerciseState() }

    public func updateExercise(_ name: String, _ change: (inout ExerciseState) -> Void) {
        var all = progress.exercises ?? [:]
        var state = all[name] ?? ExerciseState()
        change(&state)
        all[name] = state
        progress.exercises = all
    }

    public func lesson(_ file: String, _ lang: LessonLanguage) -> LessonProgress? { progress.lessons[LabProgress.key(file, lang)] }

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

/// Progress could not be saved; the message names the file and the fix.
public struct ProgressError: Error, CustomStringConvertible {
    public let description: String
}
