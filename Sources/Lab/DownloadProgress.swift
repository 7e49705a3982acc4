// DownloadProgress — how `lmlab download` shows Hub's download events: on a terminal the current file's bar redrawn
// in place (10 times a second at most), elsewhere (logs, CI, pipes) one quiet line per file start and end. It draws
// through the one ProgressLine, as training runs do.
import Foundation
import Hub
import LabCore

public final class DownloadProgress: @unchecked Sendable {
    public let line: ProgressLine
    private let lock = NSLock()
    private var meter: TransferMeter?
    private var lastDraw: TimeInterval = 0

    public init(line: ProgressLine = ProgressLine()) {
        self.line = line
    }

    private static func now() -> TimeInterval { ProcessInfo.processInfo.systemUptime }

    /// Shows one event (Downloader's `onEvent`).
    public func handle(_ event: DownloadEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .resolved(_, _, let commit, let files, let bytes):
            line.emit(Learner.text("commit \(commit.prefix(12)): \(files.count) files, \(ByteCount.format(bytes)) to download",
                                  "提交 \(commit.prefix(12))：\(files.count) 个文件，要下载 \(ByteCount.format(bytes))"))
        case .fileStarted(let file, let size, let offset):
            meter = TransferMeter(file: file, total: size, initial: offset, startTime: Self.now())
            let sizeText = " (\(ByteCount.format(size)))"
            if !line.interactive {
                line.emit(offset > 0 ? Learner.text("resuming \(file) at \(ByteCount.format(offset))\(sizeText)",
                                                    "从 \(ByteCount.format(offset)) 处接着下载 \(file)\(sizeText)")
                                     : Learner.text("fetching \(file)\(sizeText)", "下载 \(file)\(sizeText)"))
            }
        case .progress(_, let received, _):
            guard line.interactive, var m = meter else { return }
            let t = Self.now()
            m.update(received: received, at: t)
            meter = m
            if t - lastDraw >= 0.1 || received == m.total { draw(m.line()); lastDraw = t }
        case .fileRetrying(let file, let reason):
            line.emit("\(file): \(reason)")
        case .fileDone(let file, let size, let verified, let fromCache):
            if line.interactive, let m = meter, m.file == file { draw(m.line()) }
            let how = fromCache ? Learner.text("already in the cache", "缓存里已有")
                : verified ? Learner.text("SHA-256 verified", "SHA-256 已核对") : Learner.text("size checked", "大小已核对")
            line.emit("✓ \(file) \(ByteCount.format(size)) " + Learner.text("(\(how))", "（\(how)）"))
            meter = nil
        }
    }

    private func draw(_ text: String) {
        line.draw(text)                                     // cut to the terminal's width there
    }
}
