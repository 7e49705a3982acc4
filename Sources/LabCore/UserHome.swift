// UserHome — the learner's home folder and what a leading `~` in a path means: one answer for the state folder,
// `--out ~/…`, the Hugging Face cache and token, and `--model ~/…`.
//
// $HOME wins over the account's home: Foundation's NSHomeDirectory() asks the password database on Linux and ignores
// $HOME, so a learner (or a test) who sets HOME would otherwise see one folder in one place and another elsewhere.

import Foundation

public enum UserHome {
    /// The learner's home: $HOME when set and not empty, else the account's.
    public static func path(environment: [String: String] = LabEnvironment.current) -> String {
        environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    /// `path` with a leading `~` or `~/` meaning `home`; `~user/…` is that account's home, as the system says.
    /// A `~` anywhere else is a plain character.
    public static func expandingTilde(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return (path as NSString).expandingTildeInPath
    }

    /// `expandingTilde(_:home:)` with the home of `environment`.
    public static func expandingTilde(_ path: String,
                                      environment: [String: String] = LabEnvironment.current) -> String {
        expandingTilde(path, home: self.path(environment: environment))
    }
}
