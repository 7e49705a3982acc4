// LocaleWidth — the C library's own answer to "how many cells?" (wcwidth under the current LC_CTYPE), kept only
// to check Lab's locale-independent `EastAsianWidth` against it (Tests/TerminalUITests/EastAsianWidthTests.swift).

import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

public enum LocaleWidth {
    /// wcwidth(3) of one scalar: −1 for controls and for code points the locale does not know.
    public static func wcwidthOf(_ scalar: Unicode.Scalar) -> Int {
        Int(wcwidth(wchar_t(bitPattern: scalar.value)))
    }

    /// Switches LC_CTYPE to C.UTF-8 (glibc's built-in UTF-8 locale); false when it is missing.
    public static func useCUTF8() -> Bool {
        setlocale(LC_CTYPE, "C.UTF-8") != nil || setlocale(LC_CTYPE, "C.utf8") != nil
    }
}
