// ProjectPaths — where the project's own folders (Lessons/, Models/) are at run time: LabCore's ProjectRoot
// ($LMLAB_HOME, the current directory and its parents, the executable's folder and its parents).
//
// The learner's own models live apart from the shipped ones: `lmlab train` writes <state>/models/<name>
// ($XDG_STATE_HOME/lmlab/models, default ~/.local/state/lmlab/models, beside progress.json), so training never
// replaces a model the lessons quote, and a lesson cell may write there and nowhere else unasked (LabCLI's CellPolicy).

import Foundation
import LabCore

public enum ProjectPaths {
    /// The project root, or nil when no folder with Lessons/course.json was found (LabCore's ProjectRoot).
    public static func root(environment: [String: String] = LabEnvironment.current,
                            currentDirectory: String = FileManager.default.currentDirectoryPath,
                            executable: String = CommandLine.arguments.first ?? "") -> URL? {
        ProjectRoot.find(environment: environment, currentDirectory: currentDirectory, executable: executable)
    }

    /// The fix when no project folder is found, in the learner's language.
    public static var howToFind: String { Learner.text("run lmlab from the LMLab project folder, or set LMLAB_HOME to it.", "在 LMLab 项目文件夹里运行 lmlab，或把 LMLAB_HOME 设为它。") }

    /// The project root.
    /// - Throws: `OptionError` saying how to point at it when there is none.
    public static func requiredRoot() throws(OptionError) -> URL {
        guard let root = root() else {
            throw OptionError(Learner.text("cannot find the project folder (Lessons/course.json). HINT: ",
                                           "找不到项目文件夹（Lessons/course.json）。HINT：") + howToFind)
        }
        return root
    }

    /// Where `lmlab train` puts models by default: <state>/models, beside the progress file.
    public static func trainedModels(environment: [String: String] = LabEnvironment.current) -> URL {
        ProgressStore.defaultDirectory(environment: environment).appendingPathComponent("models", isDirectory: true)
    }

    /// The project's shipped models, <root>/Models (nil outside a project).
    public static func shippedModels(environment: [String: String] = LabEnvironment.current) -> URL? {
        root(environment: environment)?.appendingPathComponent("Models", isDirectory: true)
    }

    /// True when `path` is `folder` or lies under it as the kernel will resolve it when writing (`KernelPath`: each
    /// symbolic link followed before a ".." after it, a part not created yet taken as named). Links that loop are
    /// inside nothing.
    public static func isInside(_ path: URL, _ folder: URL) -> Bool {
        KernelPath.resolve(path).map { isInside(resolved: $0, folder) } ?? false
    }

    /// `isInside` for a path `KernelPath` has resolved already (a caller that also shows or inspects the target).
    public static func isInside(resolved path: URL, _ folder: URL) -> Bool {
        KernelPath.resolve(folder).map { isInside(resolved: path, resolvedFolder: $0) } ?? false
    }

    /// `isInside` when the folder is resolved already too (a caller that asks about it for many paths).
    public static func isInside(resolved path: URL, resolvedFolder folder: URL) -> Bool {
        let (p, f) = (path.pathComponents, folder.pathComponents)
        return p.count >= f.count && Array(p.prefix(f.count)) == f
    }

    /// The file `path` names, `~` as LabCore's UserHome reads it, so `--out ~/…` and the state folder agree on where
    /// ~ is when HOME is set to another folder (Foundation's URL(fileURLWithPath:) takes the account's).
    public static func fileURL(_ path: String) -> URL { URL(fileURLWithPath: UserHome.expandingTilde(path)) }
}
