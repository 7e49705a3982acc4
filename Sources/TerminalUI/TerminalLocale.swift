// TerminalLocale — make sure the process speaks UTF-8 before anything is measured or drawn.
//
// ncursesw and wcwidth follow LC_CTYPE. Under a non-UTF-8 locale (LANG=C, POSIX, a Latin-1 locale) CJK text and
// box drawing come out as garbage, so the lab falls back to C.UTF-8 and says so (shared/PLATFORM.md).

import CNcursesw
import LabCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum TerminalLocale {
    /// Activates the user's locale; when it is missing or not UTF-8, switches LC_CTYPE to C.UTF-8 (or en_US.UTF-8).
    /// A UTF-8 locale that is not installed here (LANG=zh_CN.UTF-8 in a container that has only C.UTF-8) falls back
    /// without a word: the characters and their widths are the same.
    /// - Returns: a notice for the learner (in their language) when a fallback changed the character set, nil when
    ///   the user's locale, or a UTF-8 stand-in for it, is used. `language`: the notice's, if not the learner's.
    @discardableResult
    public static func activate(language: LessonLanguage? = nil) -> String? {
        Learner.$language.withValue(language ?? Learner.language) { fallBackToUTF8() }
    }

    private static func fallBackToUTF8() -> String? {
        let requested = (["LC_ALL", "LC_CTYPE", "LANG"] as [String]).lazy.compactMap { getenv($0).map { String(cString: $0) } }
            .first { !$0.isEmpty }
        setlocale(LC_ALL, "")
        if let name = setlocale(LC_CTYPE, nil).map({ String(cString: $0) }), isUTF8(name) { return nil }
        for fallback in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, fallback) != nil {
            if let requested, isUTF8(requested) { return nil }
            let name = requested ?? Learner.text("(unset)", "（未设置）")
            return Learner.text(
                "Note: the locale \(name) is not UTF-8; using \(fallback) so Chinese text and lines draw correctly.",
                "提示：locale \(name) 不是 UTF-8，改用 \(fallback)，中文和线条才能正确显示。")
        }
        return Learner.text(
            "Note: no UTF-8 locale is available; Chinese text may not display. HINT: install one (Debian: apt-get install locales) or set LANG=C.UTF-8.",
            "提示：没有可用的 UTF-8 locale，中文可能显示不出来。HINT：装一个（Debian：apt-get install locales），或设 LANG=C.UTF-8。")
    }

    /// True when a locale name names a UTF-8 codeset.
    public static func isUTF8(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.contains("utf-8") || n.contains("utf8")
    }
}
