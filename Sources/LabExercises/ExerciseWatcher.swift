// ExerciseWatcher — the rustlings loop's ears: which of the learner's exercise files changed since the last look.
// It compares contents, not modification times (an editor that saves twice within a second, or a clock that jumps,
// must neither hide nor invent a change); the files are a few hundred bytes, so reading them 4× a second costs
// nothing. `lmlab exercise watch` polls it every `interval` seconds, so a save is seen within that time.
import Foundation
import Lab
import LabCore

public final class ExerciseWatcher {
    public let files: [URL]
    /// Seconds between looks (the latency of a re-check, before compiling).
    public let interval: Double
    private var seen: [URL: Data?]

    /// Remembers the current contents of `files` (a missing file counts as "no contents").
    public init(files: [URL], interval: Double = 0.25) {
        self.files = files
        self.interval = interval
        seen = Dictionary(uniqueKeysWithValues: files.map { ($0, FileManager.default.contents(atPath: $0.path)) })
    }

    /// The files whose contents differ from the last look (a file that disappeared counts once it is back).
    public func changed() -> [URL] {
        var out: [URL] = []
        for url in files {
            let now = FileManager.default.contents(atPath: url.path)
            if now != seen[url] ?? nil, now != nil { out.append(url) }
            seen[url] = now
        }
        return out
    }

    /// Waits until some file changes, `stop()` says to stop (then []), or `timeout` seconds pass (then []).
    public func next(timeout: Double = .infinity, stop: () -> Bool = { false }) -> [URL] {
        let start = DispatchTime.now().uptimeNanoseconds
        while !stop() {
            let found = changed()
            if !found.isEmpty { return found }
            if Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 > timeout { return [] }
            usleep(UInt32(interval * 1e6))
        }
        return []
    }
}

/// `lmlab exercise watch`: every save of one of `entries`' files checks it again (`check`, which prints the verdict),
/// until Ctrl-C or `checks` checks. A check that throws (a compile error) is shown and the watch goes on.
public enum ExerciseWatch {
    /// - Throws: `ExerciseError` in a lesson cell (`inCell`): a watch runs until Ctrl-C, which a cell cannot wait for.
    public static func refuseInCell(_ inCell: Bool, lang: LessonLanguage) throws {
        guard inCell else { return }
        throw ExerciseError(lang == .zh
            ? "`exercise watch` 会一直运行到 Ctrl-C，课程单元格无法等待它。HINT：在笔记本旁边的终端里运行 `lmlab exercise watch`。"
            : "`exercise watch` runs until Ctrl-C, which a lesson cell cannot wait for. "
                + "HINT: run `lmlab exercise watch` in a terminal beside the notebook.")
    }

    public static func run(_ entries: [ExerciseEntry], catalog: ExerciseCatalog, checks: Int?, lang: LessonLanguage,
                           check: (ExerciseEntry, URL) throws -> Void) throws {
        let say = { (en: String, zh: String) in lang == .zh ? zh : en }
        let byFile = Dictionary(uniqueKeysWithValues: entries.map { (catalog.workFile($0).standardizedFileURL, $0) })
        let watcher = ExerciseWatcher(files: Array(byFile.keys))
        Cancellation.reset()
        Cancellation.installInterruptHandler()
        print(say("Watching \(entries.count) exercise file\(entries.count == 1 ? "" : "s") in \(catalog.directory.path). Save one to check it; Ctrl-C stops.",
                  "正在监视 \(catalog.directory.path) 中的 \(entries.count) 个练习文件。保存即检查；Ctrl-C 停止。"))
        fflush(stdout)
        var done = 0
        while checks.map({ done < $0 }) ?? true {
            let changed = watcher.next(stop: { Cancellation.isRequested })
            if changed.isEmpty { break }                         // Ctrl-C
            for url in changed {
                guard let entry = byFile[url.standardizedFileURL] else { continue }
                print("\n── " + say("saved", "已保存") + " \(url.lastPathComponent) ──")
                fflush(stdout)
                do { try check(entry, url) } catch is CancellationRequested {
                    return                                       // Ctrl-C during a check ends the watch
                } catch {
                    print("\(error)")                            // a compile error: show it and keep watching
                }
                fflush(stdout)
                done += 1
            }
        }
    }
}
