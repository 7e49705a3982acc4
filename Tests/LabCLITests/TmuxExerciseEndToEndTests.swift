// End-to-end (issue 20, the rustlings loop in the notebook): the real `lmlab` in tmux, in Chinese, a lesson with an
// exercise cell (`exercise check softmax`). EDITOR is a small script that writes an answer into the file it is given —
// first a softmax that overflows, then the reference solution. Enter on the cell hands the terminal to the editor,
// the check runs when it returns, the verdict and the next hint show under the cell; the home screen counts the
// exercise once it passes. Skipped, saying why, when tmux, swiftc or the built binary is missing.
import Foundation
import Testing
import TerminalUI
#if canImport(Glibc)
import Glibc
#endif

/// A one-lesson course whose lesson has an exercise cell, with the repository's exercises (catalog, starters,
/// harnesses, solutions) copied in, and the editor script.
private func exerciseProject() throws -> (root: URL, editorLog: URL) {
    let fm = FileManager.default
    let root = fm.temporaryDirectory.appendingPathComponent("lmlab-e2e-ex-\(UUID().uuidString)")
    let lessons = root.appendingPathComponent("Lessons")
    for lang in ["en", "zh"] { try fm.createDirectory(at: lessons.appendingPathComponent(lang), withIntermediateDirectories: true) }
    try fm.copyItem(at: projectRoot.appendingPathComponent("Lessons/exercises"), to: lessons.appendingPathComponent("exercises"))
    try """
    {"lessons": [
      {"number": 1, "file": "01-ex.md", "title": {"en": "Softmax", "zh": "软最大"},
       "summary": {"en": "An exercise.", "zh": "一个练习。"}}
    ]}
    """.write(to: lessons.appendingPathComponent("course.json"), atomically: true, encoding: .utf8)
    for (lang, title) in [("en", "Softmax"), ("zh", "软最大")] {
        try "# 1 · \(title)\n\n✎\n\n```lab id=ex-softmax\nexercise check softmax\n```\n"
            .write(to: lessons.appendingPathComponent("\(lang)/01-ex.md"), atomically: true, encoding: .utf8)
    }
    // An answer that forgets to subtract the largest logit (exp(1000) overflows), then the reference solution.
    let wrong = root.appendingPathComponent("wrong.swift")
    try """
    import Foundation

    func softmax(_ logits: [Double]) -> [Double] {
        let e = logits.map { exp($0) }
        let z = e.reduce(0, +)
        return e.map { $0 / z }
    }

    """.write(to: wrong, atomically: true, encoding: .utf8)
    let solution = lessons.appendingPathComponent("exercises/solutions/softmax.swift")
    let log = root.appendingPathComponent("editor.log")
    let editor = root.appendingPathComponent("editor.sh")
    try """
    #!/bin/sh
    # The learner's "editor": the first time writes the overflowing softmax, after that the reference solution.
    echo "$1" >> '\(log.path)'
    if [ "$(wc -l < '\(log.path)')" -le 1 ]; then cp '\(wrong.path)' "$1"; else cp '\(solution.path)' "$1"; fi
    """.write(to: editor, atomically: true, encoding: .utf8)
    chmod(editor.path, 0o755)
    return (root, log)
}

@Test func exerciseCellOpensTheEditorChecksAndHintsInTmux() throws {
    guard TmuxSession.tmuxPath != nil else { print("SKIPPED exerciseCellOpensTheEditorChecksAndHintsInTmux: tmux is not installed (apt-get install tmux; .ci/run does)."); return }
    guard let lmlab = builtLmlab() else { print("SKIPPED exerciseCellOpensTheEditorChecksAndHintsInTmux: no built lmlab next to the tests (run swift build first)."); return }
    let swiftc = ProcessInfo.processInfo.environment["LMLAB_SWIFTC"] ?? "swiftc"
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    guard swiftc.hasPrefix("/") || path.split(separator: ":").contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/swiftc") }) else {
        print("SKIPPED exerciseCellOpensTheEditorChecksAndHintsInTmux: swiftc is not on PATH (the check compiles the learner's file)."); return
    }
    _ = TerminalLocale.activate()
    let (project, editorLog) = try exerciseProject()
    defer { try? FileManager.default.removeItem(at: project) }
    let workFile = project.appendingPathComponent("Lessons/exercises/softmax.swift")
    let t = TmuxSession(command: [lmlab], environment: [
        "LMLAB_HOME": project.path, "XDG_STATE_HOME": project.appendingPathComponent("state").path,
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "tmux-256color", "HOME": project.path, "LMLAB_LANG": "zh",
        "EDITOR": project.appendingPathComponent("editor.sh").path, "PATH": path,
    ] .merging(ProcessInfo.processInfo.environment["LMLAB_SWIFTC"].map { ["LMLAB_SWIFTC": $0] } ?? [:]) { a, _ in a })

    var s = t.wait("home") { $0.contains("软最大") }
    #expect(s.contains("练习 0/2"), "home counts lesson 1's exercises (chain_rule, softmax), none passed yet:\n\(s)")
    t.keys("Enter")
    t.wait("lesson") { $0.contains("LMLab · 1 · 软最大") }
    t.keys("Tab")
    s = t.wait("exercise cell selected") { $0.contains("Enter 编辑并检查") }
    #expect(s.contains("Enter 编辑并检查"), "the exercise cell says what Enter does:\n\(s)")

    // First round: the editor writes an overflowing softmax; the check fails on [1000, 999, 998] and the hint about
    // the overflow (hint 2, not hint 1) shows inline.
    t.keys("Enter")
    s = t.wait("failed check and its hint", timeout: 240) { $0.contains("提示 2/3：") && $0.contains("✗ 还没通过") }
    print("after the first edit:\n\(s)")
    #expect(s.contains("✗ 还没通过"), "the verdict, in Chinese, under the cell")
    #expect(s.contains("提示 2/3："), "the hint about the slip the check found, inline")
    #expect((try? String(contentsOf: editorLog, encoding: .utf8)) == workFile.path + "\n",
            "the editor was given the exercise's own file (\(workFile.path))")
    #expect(try String(contentsOf: workFile, encoding: .utf8).contains("exp($0)"), "the editor's answer is what was checked")

    // Second round: the reference solution passes; no hint now, and the home screen counts it.
    t.keys("Enter")
    s = t.wait("passed check", timeout: 240) { $0.contains("✓ 通过") && $0.contains("✓ 完成") }
    print("after the second edit:\n\(s)")
    #expect(s.contains("✓ 通过") && !s.contains("提示 2/3："), "passed, and the hint gives way")
    t.keys("q")
    s = t.wait("home with the exercise counted") { $0.contains("练习 1/2") }
    #expect(s.contains("练习 1/2"), "home counts the passed exercise:\n\(s)")
    t.keys("q")
}
