// ProjectRoot — where the project's own folders (Lessons/, Models/) are at run time; one search for the lessons
// (Lab's ProjectPaths) and the shipped models (ModelFiles' ModelLocator), so a lab started outside its folder finds
// both or neither.
//
// `swift run lmlab` runs from the project folder; an installed or copied binary may not. The search order is:
// $LMLAB_HOME, then the current directory and its parents, then the executable's folder and its parents
// (a debug build lives in .build/debug/ inside the project). The first folder holding Lessons/course.json wins.
import Foundation

public enum ProjectRoot {
    /// The project root, or nil when no folder with Lessons/course.json was found.
    public static func find(environment: [String: String] = LabEnvironment.current,
                            currentDirectory: String = FileManager.default.currentDirectoryPath,
                            executable: String = CommandLine.arguments.first ?? "") -> URL? {
        var candidates: [URL] = []
        if let home = environment["LMLAB_HOME"], !home.isEmpty { candidates.append(URL(fileURLWithPath: home)) }
        candidates += ancestors(of: URL(fileURLWithPath: currentDirectory))
        if !executable.isEmpty {
            let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            candidates += ancestors(of: exe)
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("Lessons/course.json").path) }
    }

    /// The folder itself and every parent up to the file-system root.
    public static func ancestors(of url: URL) -> [URL] {
        var out: [URL] = []
        var u = url.standardizedFileURL
        while true {
            out.append(u)
            let parent = u.deletingLastPathComponent()
            if parent.path == u.path || u.path == "/" { break }
            u = parent
        }
        return out
    }
}
