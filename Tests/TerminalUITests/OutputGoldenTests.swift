import Foundation
import Testing
import Lab
@testable import TerminalUI

/// Compares a screen with Golden/<name>.txt; LMLAB_UPDATE_GOLDEN=1 writes the file instead. A missing file fails.
func expectGolden(_ screen: MemoryScreen, _ name: String, sourceFile: String = #filePath) throws {
    let dir = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().appendingPathComponent("Golden")
    let url = dir.appendingPathComponent(name + ".txt")
    let actual = screen.text + "\n"
    if ProcessInfo.processInfo.environment["LMLAB_UPDATE_GOLDEN"] == "1" {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        print("wrote \(url.path)")
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("golden screen \(name).txt is missing. HINT: run with LMLAB_UPDATE_GOLDEN=1 and review the file.")
        return
    }
    if expected != actual {
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        let first = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
        Issue.record("""
            \(name): screen differs from the golden file at line \(first + 1):
              golden: \(first < e.count ? e[first] : "(none)")
              drawn:  \(first < a.count ? a[first] : "(none)")
            HINT: if the change is intended, rerun with LMLAB_UPDATE_GOLDEN=1 and review the diff.
            """)
    }
}

@Test(arguments: [(80, 24), (200, 60)])
func everyOutputKindMatchesItsGoldenScreen(size: (cols: Int, rows: Int)) throws {
    for output in OutputSamples.all {
        let screen = MemoryScreen(rows: size.rows, cols: size.cols)
        OutputView.draw(output, on: screen, top: 0, left: 0, width: size.cols, height: size.rows)
        try expectGolden(screen, "\(output.kind)-\(size.cols)x\(size.rows)")
    }
}
