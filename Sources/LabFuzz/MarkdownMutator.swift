// MarkdownMutator — structure-aware mutation of lesson notebooks (Lab/LessonDocument.swift, Lab/Quiz.swift).
//
// A lesson is split into lines; a mutation works on what the parser owns: fences (```lab with its id=
// attribute, ```quiz, an unclosed or mismatched fence, ~~~), quiz keys (kind:, choices:, answer:, reveal: naming a
// cell that does not exist), cell lines (`# ernie-only`, quotes that do not close, `lmlab ` prefixes), and the
// prose around them (heading levels past six, list numbers past Int.max, indentation hundreds deep, tables with
// ragged rows, unbalanced `**`/`` ` ``), plus lines moved, repeated or deleted and characters that stress the
// terminal (escape sequences, NUL, CR, right-to-left marks, combining marks).

import LabCore

struct MarkdownMutator {
    static let fences = [
        "```", "```lab", "```lab id=x", "```lab id=", "```lab id=a id=b", "```lab id=greedy", "```lab  id=x  extra=1",
        "```lab id=../../x", "```lab id=\u{1B}[31mx", "```lab id=cell-1", "```quiz", "```quiz id=q", "````", "````lab",
        "~~~", "~~~lab id=t", "```swift", "```text", "``` lab", "   ```lab id=indent", "```LAB id=x", "```lab\tid=tab",
    ]
    static let quizLines = [
        "id: q1", "id: q1", "id:", "kind: choice", "kind: predict", "kind: bogus", "question: Which?",
        "choices: a) x | b) y", "choices: |||", "choices: a) | a) dup", "choices: " + String(repeating: "a) x | ", count: 200),
        "answer: a", "answer: z", "answer:", "reveal: cell-1", "reveal: nope", "reveal: x", "hint: h", "explain: e",
        "unknown: 1", ": ", "hint", "id: q1\u{0}", "kind:predict",
    ]
    static let cellLines = [
        "# ernie-only", "generate \"I love\" --greedy", "generate \"unclosed", "prob 'a", "lmlab generate x", "$ ls",
        "exercise check top_p --file /tmp/evil.swift", "train tiny-ernie --steps 2", "download x", "\\", "\"\\",
        "generate \"a\" --max-new-tokens 99999999999999999999", "# comment", "",
        "generate " + String(repeating: "\"a\" ", count: 500),
    ]
    static let proseLines = [
        "#", "# Title", "###### six", "####### seven", "#no-space", "- item", "* item", "+ item", "   - nested",
        String(repeating: " ", count: 400) + "- deep", "1. one", "99999999999999999999. big", "0) zero", "-1. neg",
        "| a | b |", "|---|---|", "| a |", "|", "||||", "> quote", ">>>>>> deep", "---", "***", "**bold", "*em", "`code",
        "``", "[link](", "![img](x)", "<b>html</b>", "\\*", "\r", "\t\t", "\u{1B}[2J\u{1B}[H", "\u{202E}rtl", "e\u{301}\u{301}\u{301}",
        String(repeating: "字", count: 2000), String(repeating: "`", count: 300), String(repeating: "*", count: 300),
    ]

    func mutate(_ bytes: inout [UInt8], rng: inout SeededRNG, donor: [UInt8]) {
        if rng.chance(0.15) {
            ByteMutations.mutate(&bytes, rng: &rng, donor: donor, maxSize: 1 << 20)
            return
        }
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = rng.nextInt(below: lines.count + 1)
        let line = min(at, lines.count - 1)
        switch rng.nextInt(below: 12) {
        case 0, 1: lines.insert(rng.pick(Self.fences), at: at)
        case 2: lines.insert(rng.pick(Self.quizLines), at: at)
        case 3: lines.insert(rng.pick(Self.cellLines), at: at)
        case 4: lines.insert(rng.pick(Self.proseLines), at: at)
        case 5:                                   // a whole block from the other seed (a cell or quiz id twice, etc.)
            let other = String(decoding: donor, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            guard !other.isEmpty else { break }
            let start = rng.nextInt(below: other.count)
            lines.insert(contentsOf: other[start..<min(other.count, start + rng.smallCount(max: 40))].map(String.init), at: at)
        case 6:                                   // delete lines (a closing fence, a quiz key)
            guard line >= 0 else { break }
            lines.removeSubrange(line..<min(lines.count, line + rng.smallCount(max: 8)))
        case 7:                                   // repeat lines
            guard line >= 0 else { break }
            let block = lines[line..<min(lines.count, line + rng.smallCount(max: 30))]
            let n = rng.chance(0.05) ? rng.smallCount(max: 2000) : 1
            for _ in 0..<n { lines.insert(contentsOf: block, at: rng.nextInt(below: lines.count + 1)) }
        case 8:                                   // swap two lines
            guard lines.count >= 2 else { break }
            lines.swapAt(rng.nextInt(below: lines.count), rng.nextInt(below: lines.count))
        case 9:                                   // strange characters inside a line
            guard line >= 0 else { break }
            var chars = Array(lines[line])
            chars.insert(contentsOf: rng.pick(interestingStrings), at: rng.nextInt(below: chars.count + 1))
            lines[line] = String(chars)
        case 10:                                  // change an existing fence's info or a key's value
            let owned = lines.indices.filter { lines[$0].contains("```") || lines[$0].contains(": ") }
            guard !owned.isEmpty else { break }
            let i = rng.pick(owned)
            lines[i] = lines[i].contains("```") ? rng.pick(Self.fences)
                : String(lines[i].prefix { $0 != ":" }) + ": " + rng.pick(interestingStrings)
        default:                                  // indent or dedent a line (nested lists, indented fences)
            guard line >= 0 else { break }
            lines[line] = rng.chance(0.5) ? String(repeating: rng.pick([" ", "\t"]), count: rng.smallCount(max: 64)) + lines[line]
                : String(lines[line].drop { $0 == " " })
        }
        bytes = Array(lines.joined(separator: rng.chance(0.02) ? "\r\n" : "\n").utf8)
        if bytes.count > 1 << 20 { bytes.removeSubrange((1 << 20)...) }
    }
}
