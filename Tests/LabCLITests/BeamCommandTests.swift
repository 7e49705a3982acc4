// `lmlab beam --tree`: the drawn tree and the DOT graph (Lab's OutputBeamTree) hold every node of the search, once,
// under its parent.
import Decoding
import Foundation
import Lab
import TerminalUI
import Testing
@testable import LabCLI

private let checkpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures/with-tokenizer").standardizedFileURL.path

@Test func treeAndDotShowEveryCandidateOnce() throws {
    TerminalLocale.activate()
    let command = try BeamCommand.parse(["Hello", "--model", checkpoint, "--beams", "3", "--steps", "4", "--tree"])
    let loaded = try ModelLoader.load(checkpoint)
    let result = try BeamSearch.run(loaded.model, prompt: try command.input.spec.tokens(loaded.tokenizer),
                                    settings: command.settings())
    let piece = { (id: Int) in "t\(id)" }
    let nodes = result.tree.nodes.dropFirst()

    // The one drawing of a search (Lab's OutputBeamTree, as `beam --tree` prints it), wide enough for the long form.
    let text = PlainRenderer.render(.beamTree(OutputBeamTree.from(result.tree, root: "Hello", piece: piece)), width: 120)
    let lines = text.split(separator: "\n")
    print(text)
    #expect(lines.count == nodes.count + 2)                          // root line + one per node + legend
    for status in [BeamNodeStatus.kept, .pruned, .finished] {
        let marked = lines.dropFirst().dropLast().filter { $0.contains(status.symbol + " ") }.count
        #expect(marked == nodes.filter { $0.status == status }.count, "\(status)")
    }
    // A child is drawn one level (3 cells) deeper than its parent.
    var depth = [0: 0]
    for n in nodes { depth[n.id] = depth[n.parent ?? 0]! + 1 }
    for (line, n) in zip(lines.dropFirst(), nodes.sorted { depthFirst($0, $1, result.tree) }) {
        let indent = EastAsianWidth.cells(String(line.prefix { $0 != "├" && $0 != "└" }))
        #expect(indent == 3 * (depth[n.id]! - 1), "node \(n.id): \(line)")
    }

    let dot = OutputBeamTree.from(result.tree, root: "Hello \"quoted\"", piece: piece).dot
    #expect(dot.components(separatedBy: " -> ").count - 1 == nodes.count)
    #expect(dot.contains(#"label="Hello \"quoted\"""#))
    #expect(!dot.contains("\\\\n"), "labels use DOT's \\n, not an escaped backslash")
}

/// Order of the drawn lines: depth first, children in creation order.
private func depthFirst(_ a: BeamNode, _ b: BeamNode, _ tree: BeamTree) -> Bool {
    func path(_ n: BeamNode) -> [Int] {
        var p: [Int] = []
        var at: BeamNode? = n
        while let x = at, x.id != 0 { p.append(x.id); at = x.parent.map { tree.nodes[$0] } }
        return p.reversed()
    }
    return path(a).lexicographicallyPrecedes(path(b))
}

@Test func formatNeedsTree() {
    #expect(throws: (any Error).self) { try BeamCommand.parse(["x", "--model", "m", "--format", "dot"]) }
}
