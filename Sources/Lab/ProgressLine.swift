// ProgressLine — the one way a long run shows how far it has got: one line on stderr, rewritten in place on a
// terminal ("\r", the line, erase to its end), and in a pipe or a captured lesson cell a whole line now and then,
// so a log keeps a readable trace instead of a thousand carriage returns.
//
//   terminal   step 120/3000  loss 3.412 (smoothed 3.58)  9,870 tok/s  ETA 24:41      ← redrawn in place
//   pipe       step 100/3000  loss 3.501 (smoothed 3.62)  9,812 tok/s  ETA 24:55      ← every `every` steps
//
// Training runs (`train …`, `embed train`) report a `TrainingMeter` through `TrainingProgressLine`; while a full-screen
// TrainingPage watches the run (`--explore`), the meter goes to the page instead and the line stays silent. Messages
// that must stay (a file fetched, a run stopped) go through `emit`, which first ends a line drawn in place.

import Foundation
import LabCore

/// One progress line on stderr (or any sink): `draw` redraws it in place, `emit` writes a line that stays.
public final class ProgressLine: @unchecked Sendable {
    /// True when stderr is a terminal: the line is redrawn in place; otherwise only `emit` writes.
    public let interactive: Bool
    /// The terminal's width, read at each draw (it follows a resize); nil when unknown.
    public let columns: () -> Int?
    private let write: (String) -> Void
    private let lock = NSLock()
    private var shown = false

    /// - Parameters:
    ///   - interactive: redraw in place (default: stderr is a terminal).
    ///   - columns: the terminal's width (default: stderr's terminal).
    ///   - write: where the bytes go (default stderr; tests collect them).
    public init(interactive: Bool = isatty(STDERR_FILENO) == 1, columns: @escaping () -> Int? = ProgressLine.terminalColumns,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.interactive = interactive
        self.columns = columns
        self.write = write
    }

    /// Redraws the line in place (on a terminal; in a pipe nothing is written), cut to the terminal's width: a line
    /// that wrapped would go down a row at every redraw ("\r" goes back to the start of its last row only).
    public func draw(_ line: String) {
        guard interactive else { return }
        let line = columns().map { EastAsianWidth.truncate(line, toCells: max(10, $0 - 1)) } ?? line
        lock.lock(); defer { lock.unlock() }
        write("\r" + line + "\u{1B}[K")
        shown = true
    }

    /// The width of the terminal on stderr, where the line is drawn; nil when stderr is no terminal.
    public static func terminalColumns() -> Int? {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Writes `line` as a line of its own, after ending a line drawn in place.
    public func emit(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        if shown { write("\n"); shown = false }
        write(line + "\n")
    }

    /// Ends a line drawn in place, so what is printed next starts on a line of its own.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { write("\n"); shown = false }
    }
}

/// A training run's progress: the meter's line, in place on a terminal, every `every` steps in a pipe — or, while a
/// TrainingPage watches, to the page.
public struct TrainingProgressLine: Sendable {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var current: ((TrainingMeter) -> Void)?

    /// Receives every report while a full-screen page watches the run (`lmlab train … --explore` sets it); the line
    /// stays silent then.
    public static var watcher: ((TrainingMeter) -> Void)? {
        get { lock.lock(); defer { lock.unlock() }; return current }
        set { lock.lock(); current = newValue; lock.unlock() }
    }

    public let line: ProgressLine
    /// Steps between two lines in a pipe; nil: a line at each tenth of the planned steps.
    public let every: Int?
    /// Words before the meter's line ("embed train  "), "" for none.
    public let prefix: String

    public init(every: Int? = 50, prefix: String = "", line: ProgressLine = ProgressLine()) {
        self.every = every.map { max(1, $0) }
        self.prefix = prefix
        self.line = line
    }

    /// Shows the meter's latest sample.
    public func show(_ meter: TrainingMeter) {
        if let watch = Self.watcher { watch(meter); return }
        guard let step = meter.samples.last?.step else { return }
        let every = self.every ?? max(1, meter.totalSteps / 10)
        if line.interactive { line.draw(fitted(meter, width: line.columns())) } else if step % every == 0 { line.emit(prefix + meter.line) }
    }

    /// The meter's line with `prefix`, within `width` cells: the speed goes first, then the average, so the step,
    /// the loss and the time left stay (`embed train` at 60 columns wrapped and scrolled a row per step: w17 walk 3).
    func fitted(_ meter: TrainingMeter, width: Int?) -> String {
        let parts = TrainingMeter.lineParts(meter.samples.last, totalSteps: meter.totalSteps)
        var average = parts.tail.first, rest = Array(parts.tail.dropFirst())     // " (smoothed 3.580)", [speed, ETA]
        func joined() -> String {
            prefix + parts.head + parts.loss + (average ?? "")
                + (rest.isEmpty ? "" : TrainingMeter.fieldGap + rest.joined(separator: TrainingMeter.fieldGap))
        }
        guard let width else { return joined() }
        if EastAsianWidth.cells(joined()) >= width, !rest.isEmpty { rest.removeFirst() }     // the speed
        if EastAsianWidth.cells(joined()) >= width { average = nil }
        return joined()
    }

    /// `show` in the shape TinyErnieTrainer and word2vec report in.
    public func show(_ sample: TrainingSample, _ meter: TrainingMeter) { show(meter) }

    /// Ends the line once the run is over.
    public func finish() { line.finish() }
}
