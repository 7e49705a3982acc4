// ExerciseEditorPage — the built-in editor for an exercise file, where no $EDITOR is set: the file's lines numbered
// (a long one wrapped under itself), one selected; Enter edits it in the input line (the line editor the notebook
// uses everywhere), o opens a new line below, d deletes one, s saves and comes back to the lesson, which checks the
// file; ? shows these keys in a box. Enough for a function body; the hint on the title bar says how to use one's own
// editor instead.

import Foundation
import Lab
import LabCore

public final class ExerciseEditorPage: Page {
    public let file: URL
    public private(set) var lines: [String]
    public private(set) var cursor = 0
    public private(set) var modified = false
    private var top = 0
    private var input: InputLine?
    private var message: String?
    private var confirmDiscard = false
    private var confirmOverwrite = false
    /// The file as it was read: another editor or lab that wrote it since is not overwritten unasked.
    private var opened: String?
    private var showKeys = false
    private let language: LessonLanguage
    private let saved: () -> Void
    private var zh: Bool { language == .zh }

    /// - Parameter saved: called after `s` wrote the file (the lesson checks it).
    public init(file: URL, language: LessonLanguage, saved: @escaping () -> Void) {
        self.file = file
        self.language = language
        self.saved = saved
        do {
            let text = try String(contentsOf: file, encoding: .utf8)
            opened = text
            lines = Self.lines(of: text)
        } catch {
            lines = [""]
            message = "\(file.path): \(error.localizedDescription)"
        }
    }

    public var keyHelp: String {
        zh ? "↑↓ 选行 · Enter 编辑该行 · s 保存并检查 · o 新行 · d 删行 · ? 按键 · q 返回"
           : "↑↓ line · Enter edit line · s save & check · o new line · d delete line · ? keys · q back"
    }

    /// The box `?` opens: every key, with what the short key bar leaves out.
    var keyLines: [String] {
        zh ? [
            "按键", "",
            "↑ ↓ j k PgUp PgDn Home End   选行",
            "Enter   在输入行编辑这一行：Enter 确认，Esc 取消",
            "o   在下面插入新行（缩进同上一行）并编辑",
            "d   删除这一行",
            "s   保存，回到课程并检查",
            "q / Esc   返回；有未保存的改动时先问",
            "",
            "想用自己的编辑器：退出 lmlab，",
            "export EDITOR=nano（或 vim 等）后再启动",
            "", "按任意键关闭",
        ] : [
            "Keys", "",
            "↑ ↓ j k PgUp PgDn Home End   choose a line",
            "Enter   edit the line in the input line: Enter keeps, Esc cancels",
            "o   open a new line below (same indentation) and edit it",
            "d   delete the line",
            "s   save, go back to the lesson and check",
            "q / Esc   back; asks first when there are unsaved changes",
            "",
            "Your own editor: quit lmlab, export EDITOR=nano (or vim…),",
            "then start it again",
            "", "any key closes this",
        ]
    }

    public func draw(on screen: Screen) {
        let rows = screen.rows, cols = screen.cols, height = max(1, rows - 2)
        let title = " " + file.lastPathComponent + (modified ? " *" : "")
            + (zh ? " · 内置编辑器（设置 $EDITOR 可用你自己的）" : " · built-in editor (set $EDITOR to use your own)")
        screen.put(EastAsianWidth.pad(EastAsianWidth.truncate(title, toCells: cols), toCells: cols), row: 0, col: 0, style: [.reverse, .bold])
        // A line longer than the screen wraps under itself (a cut signature or comment hid what to write).
        let numberWidth = String(lines.count).count
        let textWidth = max(10, cols - numberWidth - 1)
        let pieces = lines.map { LessonPageLayout.wrapOutputLine(VisibleText.escapingControls($0), width: textWidth) }
        // The cursor's line in view: scroll down until the rows from `top` through it fit.
        if cursor < top { top = cursor }
        var rowsThroughCursor = pieces[top...cursor].reduce(0) { $0 + $1.count }
        while top < cursor, rowsThroughCursor > height { rowsThroughCursor -= pieces[top].count; top += 1 }
        var row = 0
        for k in top..<lines.count where row < height {
            for (i, piece) in pieces[k].enumerated() where row < height {
                let number = i > 0 ? "" : String(repeating: " ", count: numberWidth - String(k + 1).count) + "\(k + 1) "
                screen.put(number, row: row + 1, col: 0, style: .dim)
                screen.put(piece, row: row + 1, col: numberWidth + 1, style: k == cursor ? [.reverse] : .code)
                row += 1
            }
        }
        if let input {
            input.draw(on: screen, row: rows - 1)
        } else if let message {
            LessonPageLayout.putMessage(message, on: screen, above: rows, cols: cols)
        } else {
            // s is the only way to check, Enter the way to edit: at 60 columns o and d go first, then ↑↓.
            screen.put(KeyBar.fit(keyHelp, cols: cols, keep: ["s", "Enter"]), row: rows - 1, col: 0, style: .dim)
        }
        if showKeys { KeyHelpOverlay.draw(keyLines, on: screen) }
        if input == nil { screen.hideCursor() }
    }

    public func handle(_ key: Key) -> PageAction {
        if let line = input {
            switch line.handle(key) {
            case .editing: break
            case .cancelled: input = nil
            case .submitted(let text):
                input = nil
                if lines[cursor] != text { lines[cursor] = text; modified = true }
            }
            return .stay
        }
        if showKeys { showKeys = false; return .stay }
        message = nil
        let discarding = confirmDiscard, overwriting = confirmOverwrite
        (confirmDiscard, confirmOverwrite) = (false, false)
        switch key {
        case .up, .char("k"): cursor = max(0, cursor - 1)
        case .down, .char("j"): cursor = min(lines.count - 1, cursor + 1)
        case .pageUp: cursor = max(0, cursor - 10)
        case .pageDown: cursor = min(lines.count - 1, cursor + 10)
        case .home: cursor = 0
        case .end: cursor = lines.count - 1
        case .enter: edit()
        case .char("?"): showKeys = true
        case .char("o"):
            lines.insert(String(lines[cursor].prefix { $0 == " " }), at: cursor + 1)   // keeps the indentation
            cursor += 1
            modified = true
            edit()
        case .char("d"):
            lines.remove(at: cursor)
            if lines.isEmpty { lines = [""] }
            cursor = min(cursor, lines.count - 1)
            modified = true
        case .char("s"):
            let onDisk = try? String(contentsOf: file, encoding: .utf8)
            if let onDisk, let opened, onDisk != opened, !overwriting {
                guard modified else {                  // nothing of mine to save: check the file as it is now
                    lines = Self.lines(of: onDisk)
                    self.opened = onDisk
                    saved()
                    return .back
                }
                (confirmOverwrite, confirmDiscard) = (true, true)          // s overwrites, q leaves unsaved
                message = zh ? "\(file.lastPathComponent) 在你打开之后被别处改过（另一个编辑器或实验室）。再按 s 用你的版本"
                                + "覆盖它（那一版另存为 .bak），按 q 不保存返回。"
                             : "\(file.lastPathComponent) was changed elsewhere since you opened it (another editor or lab). "
                                + "s again saves yours over it (that version is kept as a .bak); q goes back unsaved."
                return .stay
            }
            do {
                if let onDisk, overwriting { _ = try ExerciseCatalog.keepBackup(Data(onDisk.utf8), of: file) }
                let text = lines.joined(separator: "\n") + "\n"
                try text.write(to: file, atomically: true, encoding: .utf8)
                opened = text
            } catch {
                message = "\(file.path): \(error.localizedDescription)"
                return .stay
            }
            saved()
            return .back
        case .char("q"), .escape:
            if modified && !discarding {
                confirmDiscard = true
                message = zh ? "有未保存的改动：s 保存并检查，再按 q 放弃改动。" : "Unsaved changes: s saves and checks, q again discards them."
                return .stay
            }
            return .back
        default: break
        }
        return .stay
    }

    /// A file's text as the editor's lines (without the empty one after its last newline).
    static func lines(of text: String) -> [String] {
        var lines = text.components(separatedBy: "\n")
        if lines.count > 1, lines.last == "" { lines.removeLast() }
        return lines
    }

    private func edit() {
        input = InputLine(prompt: "\(cursor + 1)> ", text: lines[cursor])
    }
}
