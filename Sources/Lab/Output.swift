// Output — what a command, a lesson cell or an explorer shows, as a value that knows nothing of terminals.
//
// Commands return `Output`; renderers turn it into something to look at: `PlainRenderer` into plain Unicode text
// at a width (the CLI, the REPL, `lmlab lesson run`), TerminalUI's `OutputView` into a rectangle of a screen, and
// JSON is just `Codable` (`{"kind": "bars", …}`). So a command is tested through its Output, and a renderer through
// an in-memory screen (DESIGN.md, "Data flow").
//
// The kinds follow what the lessons show: prose, tables, next-token probability bars (raw vs processed), the beam
// search tree, heatmaps (attention), scatter plots (embeddings), line plots (training curves), the per-token ledger
// of P(sentence), training progress, and a group of these. The payload types live in Output*.swift files.

import Foundation

/// Anything the lab shows.
public indirect enum Output: Sendable, Equatable {
    case text(OutputText)
    case table(OutputTable)
    case bars(ProbabilityBars)
    case beamTree(OutputBeamTree)
    case heatmap(Heatmap)
    case scatter(Scatter)
    case linePlot(LinePlot)
    case ledger(Ledger)
    case progress(TrainingProgress)
    /// Several outputs shown one after the other, under an optional title.
    case group(OutputGroup)

    /// The name used as the JSON `kind` and in golden file names.
    public var kind: String {
        switch self {
        case .text: return "text"
        case .table: return "table"
        case .bars: return "bars"
        case .beamTree: return "beamTree"
        case .heatmap: return "heatmap"
        case .scatter: return "scatter"
        case .linePlot: return "linePlot"
        case .ledger: return "ledger"
        case .progress: return "progress"
        case .group: return "group"
        }
    }

    /// Plain prose, one paragraph.
    public static func text(_ s: String) -> Output { .text(OutputText(s)) }
}

/// A list of outputs under an optional title.
public struct OutputGroup: Codable, Sendable, Equatable {
    public var title: String?
    public var items: [Output]
    public init(title: String? = nil, _ items: [Output]) { self.title = title; self.items = items }
}

// MARK: - JSON: {"kind": "...", ...the payload's own fields}

extension Output: Codable {
    private enum KindKey: String, CodingKey { case kind }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: KindKey.self)
        try c.encode(kind, forKey: .kind)
        // The payload's fields go into the same JSON object as "kind".
        switch self {
        case .text(let v): try v.encode(to: encoder)
        case .table(let v): try v.encode(to: encoder)
        case .bars(let v): try v.encode(to: encoder)
        case .beamTree(let v): try v.encode(to: encoder)
        case .heatmap(let v): try v.encode(to: encoder)
        case .scatter(let v): try v.encode(to: encoder)
        case .linePlot(let v): try v.encode(to: encoder)
        case .ledger(let v): try v.encode(to: encoder)
        case .progress(let v): try v.encode(to: encoder)
        case .group(let v): try v.encode(to: encoder)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: KindKey.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "text": self = .text(try OutputText(from: decoder))
        case "table": self = .table(try OutputTable(from: decoder))
        case "bars": self = .bars(try ProbabilityBars(from: decoder))
        case "beamTree": self = .beamTree(try OutputBeamTree(from: decoder))
        case "heatmap": self = .heatmap(try Heatmap(from: decoder))
        case "scatter": self = .scatter(try Scatter(from: decoder))
        case "linePlot": self = .linePlot(try LinePlot(from: decoder))
        case "ledger": self = .ledger(try Ledger(from: decoder))
        case "progress": self = .progress(try TrainingProgress(from: decoder))
        case "group": self = .group(try OutputGroup(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription:
                "Output JSON: unknown kind \"\(kind)\". HINT: one of text, table, bars, beamTree, heatmap, scatter, "
                + "linePlot, ledger, progress, group.")
        }
    }
}
