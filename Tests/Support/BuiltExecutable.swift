// The executables SwiftPM built next to the test bundle, for tests that drive the real binary (its exit code,
// its stderr) rather than the library. Tests that need one skip, saying why, when it is missing.
import Foundation

/// The path of the executable `name` (e.g. "lmlab") in the build folder that holds the running test bundle, if any.
public func builtExecutable(_ name: String) -> String? {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}
