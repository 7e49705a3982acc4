// ExerciseWatcher — the rustlings loop's ears: which of the learner's exercise files changed since the last look.
// It compares contents, not modification times (an editor that saves twice within a second, or a clock that jumps,
// must neither hide nor invent a change); the files are a few hundred bytes, so reading them 4× a second costs
// nothing. `lmlab exercise watch` polls it every `interval` seconds, so a save is seen within that time.
import Foundation

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
