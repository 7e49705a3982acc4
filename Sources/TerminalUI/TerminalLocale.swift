// TerminalLocale — make sure the process speaks UTF-8 before anything is measured or drawn.
//
// ncursesw and wcwidth follow LC_CTYPE. Under a non-UTF-8 locale (LANG=C, POSIX, a Latin-1 locale) CJK text and
// box drawing come out as garbage, so the lab falls back to C.UTF-8 and says so (shared/PLATFORM.md).

import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum TerminalLocale {
    /// Activates the user's locale; when it is missing or not UTF-8, switches LC_CTYPE to C.UTF-8 (or en_US.UTF-8).
    /// - Returns: a notice for the learner when a fallback happened, nil when the user's locale was used as is.
    @discardableResult
    public static func activate() -> String? {
        let chosen = setlocale(LC_ALL, "").map { String(cString: $0) }
        if let name = setlocale(LC_CTYPE, nil).map({ String(cString: $0) }), isUTF8(name) { return nil }
        for fallback in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, fallback) != nil {
            return "Note: the locale \(chosen ?? "(unset)") is not UTF-8; using \(fallback) so Chinese text and lines draw correctly."
        }
        return "Note: no UTF-8 locale is available; Chinese text may not display. HINT: install one (Debian: apt-get install locales) or set LANG=C.UTF-8."
    }

    /// True when a locale name names a UTF-8 codeset.
    public static func isUTF8(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.contains("utf-8") || n.contains("utf8")
    }
}
