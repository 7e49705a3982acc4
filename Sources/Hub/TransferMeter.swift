// TransferMeter — speed, ETA and the one-line progress text of a download ("bytes, speed, ETA").
//
// Speed is bytes received in this run ÷ seconds since the transfer started (bytes already on disk from an
// earlier run are not counted, so a resume does not show a fantastic speed); ETA = bytes left ÷ speed.
// The text is plain Unicode: where and how often it is drawn (a TTY's carriage return, or quiet lines) is the
// CLI's business.

import Foundation
import LabCore

public struct TransferMeter: Sendable {
    public let file: String
    public let total: Int64?
    /// Bytes on disk when the transfer (re)started.
    public let initial: Int64
    public let startTime: TimeInterval
    public private(set) var received: Int64
    public private(set) var now: TimeInterval

    public init(file: String, total: Int64?, initial: Int64, startTime: TimeInterval) {
        self.file = file; self.total = total; self.initial = initial; self.startTime = startTime
        self.received = initial; self.now = startTime
    }

    public mutating func update(received: Int64, at time: TimeInterval) {
        self.received = received
        now = time
    }

    /// Bytes per second over this run; 0 before any time has passed.
    public var bytesPerSecond: Double {
        let dt = now - startTime
        return dt > 0 ? Double(received - initial) / dt : 0
    }

    /// Seconds left at the current speed; nil without a total or a speed.
    public var secondsLeft: Double? {
        guard let total, bytesPerSecond > 0 else { return nil }
        return Double(max(0, total - received)) / bytesPerSecond
    }

    /// `model.safetensors ██████░░░░░░░░  43%  312.0 MB / 721.5 MB  11.2 MB/s  ETA 0:36`, the bar `barWidth` cells.
    public func line(barWidth: Int = 24) -> String {
        var parts = [file]
        if let total, total > 0 {
            let fraction = min(1, max(0, Double(received) / Double(total)))
            let filled = Int((fraction * Double(barWidth)).rounded(.down))
            parts.append(String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled))
            let percent = Int((fraction * 100).rounded(.down))
            parts.append((percent < 10 ? "  " : percent < 100 ? " " : "") + "\(percent)%")
            parts.append("\(ByteCount.format(received)) / \(ByteCount.format(total))")
        } else {
            parts.append(ByteCount.format(received))
        }
        parts.append(bytesPerSecond > 0 ? "\(ByteCount.format(Int64(bytesPerSecond)))/s" : "–/s")
        if let left = secondsLeft { parts.append(Learner.text("ETA ", "剩余 ") + TrainingMeter.clockText(left)) }
        return parts.joined(separator: "  ")
    }
}
