// LabEnvironment — the environment variables the lab reads, from one place a task can replace for itself.
//
// The lab finds its folders through the environment: the learner's state folder (XDG_STATE_HOME, else HOME), the
// Hugging Face cache (HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME), the project (LMLAB_HOME), the Hub's endpoint and
// token, the terminal and the editor (TERM, NO_COLOR, EDITOR). Every function that reads one takes an
// `environment:` parameter, which stays the better seam; its default is `LabEnvironment.current`: the process's
// environment, unless the task has bound `override`.
//
// Tests bind `override` instead of calling setenv: swift-testing runs them in parallel in one process, and a setenv
// (and the restore after it) reaches every test running meanwhile — one test restores another's value, a lesson
// cell trains into the learner's real state folder. A binding holds in its body and in child tasks; a Thread or a
// DispatchQueue started inside it sees the process's environment again, so compute paths before handing work to
// one. LessonCellExecutor binds its own `environment` around each cell's command, so what the cell policy checks
// and what the command reads agree.
//
// Not read from here: EngineOptions (the CLI passes the process's environment once, at start) and the language a
// process starts in (`Learner.language`'s default, computed once).

import Foundation

public enum LabEnvironment {
    /// The environment to read instead of the process's, for whatever runs in this task:
    /// `LabEnvironment.$override.withValue(env) { … }`. nil: the process's own.
    @TaskLocal public static var override: [String: String]?

    /// The environment the lab reads now: the task's override, else the process's.
    public static var current: [String: String] { override ?? ProcessInfo.processInfo.environment }
}
