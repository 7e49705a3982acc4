// OutputRecorder — the `Output` values a lesson cell's command printed, kept so the notebook can lay them out again
// at the cell's width after a resize (issue #16). While one line of a cell runs, the session binds a recorder
// (@TaskLocal, as `Learner.$columns` is); `PlainRenderer.printed` (what LabCLI's OutputPrinter prints) lays an Output
// out exactly as `render` does and also hands the recorder the value and its text. After the line, each text is
// looked for in what was captured, in order: found, the run keeps it as an `OutputBlock` and
// `CommandRun.output(width:)` renders it anew; not found (stderr printed inside it, say), the captured text stays as
// it is — fd capture is the fallback for stray prints and for width-dependent text printed without an Output.
import Foundation
import LabCore

public final class OutputRecorder: @unchecked Sendable {
    /// The running cell line's recorder; nil outside a lesson session.
    @TaskLocal public static var current: OutputRecorder?

    private struct Printed { var output: Output, width: Int, height: Int?, language: LessonLanguage, text: String }
    private let lock = NSLock()
    private var printed: [Printed] = []

    public init() {}

    /// An Output was printed as `text`, laid out `width` cells wide (pictures `height` rows tall), in the learner's
    /// language of the moment (its labels and notes are worded by `Learner.text` as it is laid out).
    public func record(_ output: Output, width: Int, height: Int?, text: String) {
        let p = Printed(output: output, width: width, height: height, language: Learner.language, text: text)
        lock.lock(); printed.append(p); lock.unlock()
    }

    /// The recorded Outputs found in `captured`, in order, each on whole lines of it and after the one before.
    public func blocks(in captured: String) -> [OutputBlock] {
        lock.lock(); let all = printed; lock.unlock()
        guard !all.isEmpty else { return [] }
        let text = Array(captured.utf8)
        var from = 0, found: [OutputBlock] = []
        for p in all {
            let needle = Array(p.text.utf8)
            guard !needle.isEmpty, let start = Self.onWholeLines(needle, in: text, from: from) else { continue }
            found.append(OutputBlock(range: start..<start + needle.count, output: p.output, width: p.width,
                                     height: p.height, language: p.language))
            from = start + needle.count
        }
        return found
    }

    /// The first offset at or after `from` where `needle` starts a line of `text` and ends one.
    static func onWholeLines(_ needle: [UInt8], in text: [UInt8], from: Int) -> Int? {
        let newline = UInt8(ascii: "\n")
        var start = from
        if start > 0, start <= text.count, text[start - 1] != newline {
            guard let next = text[start...].firstIndex(of: newline) else { return nil }
            start = next + 1
        }
        while start + needle.count <= text.count {
            let end = start + needle.count
            if end == text.count || text[end] == newline, text[start..<end].elementsEqual(needle) { return start }
            guard let next = text[start...].firstIndex(of: newline) else { return nil }
            start = next + 1
        }
        return nil
    }
}

/// An Output a command printed, found in its line's captured text: where (UTF-8 offsets into `CommandRun.output`),
/// the value, and the width, height and language it was laid out in.
public struct OutputBlock: Equatable, Sendable {
    public var range: Range<Int>
    public var output: Output
    public var width: Int
    public var height: Int?
    /// A Chinese cell's table headers, legends and notes stay Chinese when it is laid out again, whatever the
    /// language of the thread that lays it out (the notebook's drawing thread binds none).
    public var language: LessonLanguage
}

extension PlainRenderer {
    /// `render`'s text, also handed to the running cell's recorder (if one is bound) to be laid out again later.
    public static func printed(_ output: Output, width: Int, height: Int? = nil) -> String {
        let text = render(output, width: width, height: height)
        OutputRecorder.current?.record(output, width: width, height: height, text: text)
        return text
    }
}

extension CommandRun {
    /// The output laid out `width` cells wide: each block rendered again at that width, the text between blocks as
    /// it was captured. `output` itself when every block already has that width (or there are none).
    public func output(width: Int) -> String {
        guard blocks.contains(where: { $0.width != width }) else { return output }
        let bytes = Array(output.utf8)
        var text = "", at = 0
        for block in blocks {
            guard block.range.lowerBound >= at, block.range.upperBound <= bytes.count else { return output }
            text += String(decoding: bytes[at..<block.range.lowerBound], as: UTF8.self)
            text += block.width == width ? String(decoding: bytes[block.range], as: UTF8.self)
                : Learner.$language.withValue(block.language) {
                    PlainRenderer.render(block.output, width: width, height: block.height)
                }
            at = block.range.upperBound
        }
        return text + String(decoding: bytes[at...], as: UTF8.self)
    }
}

extension CellRun {
    /// Everything the cell printed, its Outputs laid out `width` cells wide (`CommandRun.output(width:)`).
    public func output(width: Int) -> String { commands.map { $0.output(width: width) }.joined() }
}
