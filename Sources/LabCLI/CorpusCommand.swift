// `lmlab corpus`: the corpora of the classic lessons — list them, and their statistics with a text Zipf plot.
//
//   $ lmlab corpus stats stories-en --top 3
//   sentences                        36444
//   tokens                           357779
//   types (vocabulary)               393
//   …
//   rank  token  count  share
//      1  .      36444  10.2%
//      2  the    25353   7.1%
//   Zipf's law: frequency ≈ C / rank^1.29   (then a log–log plot of frequency against rank)
import ArgumentParser
import ClassicLMs
import Foundation
import Lab
import TerminalUI

struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "The corpora of the classic lessons: list them, or show sizes, vocabulary, top words and Zipf's law.",
        subcommands: [List.self, Stats.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the corpora under Lessons/data.")
        @Flag(name: .long, help: "Print JSON: [{name, language, train, heldout, tokenization}].")
        var json = false

        func run() throws {
            struct Row: Encodable { let name, language, train: String; let heldout: String?; let tokenization: String }
            let rows = CorpusSpec.all.map { Row(name: $0.name, language: $0.language, train: $0.trainFile,
                                                heldout: $0.heldOutFile, tokenization: $0.tokenization.rawValue) }
            if json { print(try jsonString(rows)); return }
            print(textTable(header: ["name", "language", "tokens", "train file", "held-out file"],
                            rows: rows.map { [$0.name, $0.language, $0.tokenization, $0.train, $0.heldout ?? "—"] }))
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Sizes, vocabulary, the most frequent tokens and a Zipf plot of a corpus.",
            discussion: """
            Examples:
              lmlab corpus stats stories-en
              lmlab corpus stats stories-zh --top 30
              lmlab corpus stats luna-en --json
            """)
        @Argument(help: "Corpus name (lmlab corpus list).")
        var name: String
        @Option(name: .long, parsing: .unconditional, help: "How many of the most frequent tokens to show (1…1000).")
        var top = 15

        func validate() throws { try checkRange("--top", top, 1...1000) }
        @Flag(name: .long, help: "Print JSON (CorpusStatistics; frequencies by rank included).")
        var json = false

        func run() throws {
            let corpus = try loadCorpus(name)
            let s = CorpusStatistics(corpus, top: top)
            if json { print(try jsonString(s)); return }
            print(Self.render(s, corpus: corpus).joined(separator: "\n"))
        }

        static func render(_ s: CorpusStatistics, corpus: Corpus) -> [String] {
            var out = ["\(s.name)  (Lessons/data/\(corpus.spec.trainFile), \(corpus.spec.tokenization.rawValue))", ""]
            var facts: [[String]] = [
                ["sentences", "\(s.sentences)"], ["tokens", "\(s.tokens)"], ["bytes", "\(s.bytes)"],
                ["types (vocabulary)", "\(s.types)"],
                ["types seen once", "\(s.singletons) (\(percent(Double(s.singletons) / Double(max(s.types, 1)))))"],
            ]
            if corpus.spec.heldOutFile != nil {
                facts.append(["held-out sentences", "\(s.heldOutSentences)"])
                facts.append(["held-out tokens", "\(s.heldOutTokens)"])
                facts.append(["held-out tokens unseen in train", "\(s.heldOutUnknown)"])
            }
            out.append(textTable(header: ["", ""], rows: facts, headerRule: false))
            out.append("")
            out.append(textTable(header: ["rank", "token", "count", "share"],
                                 rows: s.top.enumerated().map { i, t in
                                     ["\(i + 1)", t.token, "\(t.count)", percent(Double(t.count) / Double(max(s.tokens, 1)))]
                                 }, rightAligned: [0, 2, 3]))
            out.append("")
            out.append(String(format: "Zipf's law: frequency ≈ C / rank^%.2f   (log–log; each • is one or more ranks)", s.zipfExponent))
            out += zipfPlot(s.frequencies)
            return out
        }
    }
}

/// A log–log plot of frequency against rank, `height` rows by `width` columns.
func zipfPlot(_ freqs: [Int], width: Int = 60, height: Int = 12) -> [String] {
    guard let maxF = freqs.first, maxF > 0, freqs.count > 1 else { return ["(too few types to plot)"] }
    let lx = log(Double(freqs.count)), ly = log(Double(maxF))
    var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
    for (i, f) in freqs.enumerated() where f > 0 {
        let x = Int((log(Double(i + 1)) / lx * Double(width - 1)).rounded())
        let y = ly > 0 ? Int((log(Double(f)) / ly * Double(height - 1)).rounded()) : 0
        grid[height - 1 - y][x] = "•"
    }
    var out: [String] = []
    for (r, row) in grid.enumerated() {
        let label = r == 0 ? String(maxF) : (r == height - 1 ? "1" : "")
        out.append(DisplayWidth.pad(label, toCells: 7, alignRight: true) + " │" + String(row))
    }
    out.append(String(repeating: " ", count: 8) + "└" + String(repeating: "─", count: width))
    out.append(String(repeating: " ", count: 9) + "rank 1" + String(repeating: " ", count: max(1, width - 6 - "\(freqs.count)".count - 5))
               + "rank \(freqs.count)")
    return out
}

/// Loads a named corpus from the project's Lessons/data.
func loadCorpus(_ name: String) throws -> Corpus {
    let spec = try CorpusSpec.named(name)
    guard let root = ProjectPaths.root() else {
        throw ValidationError("cannot find the project folder (Lessons/course.json). HINT: run lmlab from the LMLab "
            + "project folder, or set LMLAB_HOME to it.")
    }
    return try Corpus(spec, dataDirectory: root.appendingPathComponent("Lessons/data"))
}

func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }

/// A plain table aligned by display width: columns separated by two spaces, a rule under the header.
func textTable(header: [String], rows: [[String]], rightAligned: Set<Int> = [], headerRule: Bool = true) -> String {
    let all = (headerRule ? [header] : []) + rows
    var widths = Array(repeating: 0, count: header.count)
    for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
    func line(_ r: [String]) -> String {
        r.enumerated().map { i, c in DisplayWidth.pad(c, toCells: widths[i], alignRight: rightAligned.contains(i)) }
            .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    var out: [String] = []
    if headerRule {
        out.append(line(header))
        out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
    }
    out += rows.map(line)
    return out.joined(separator: "\n")
}
