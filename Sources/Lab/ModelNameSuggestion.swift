// ModelNameSuggestion — a `--model` name that is a typo of one the lab knows ("tiny-erni"): the locator's error
// (where it looked) followed by the name meant, instead of only the ways to download the ERNIE checkpoints.
import Foundation
import LabCore
import ModelFiles

/// `ModelLocatorError.notFound` for an unknown name close to a known one, with that name as the fix.
public struct ModelNameSuggestion: Error, CustomStringConvertible {
    /// What the locator said: where it looked and how to get a model.
    public let error: ModelLocatorError
    /// The known name nearest to the one given.
    public let suggestion: String
    /// The suggestion as the command takes it (`inspect tiny-ernie`, `--compare tiny-ernie`); nil: `--model NAME`.
    public var fix: String?

    public var description: String {
        let fix = fix ?? "--model \(suggestion)"
        return error.description + "\n" + Learner.text("HINT: did you mean \(fix)?", "HINT：你是说 \(fix) 吗？")
    }

    /// Runs `body`; a suggestion it throws is written as `fix` writes the name meant: a model given as an argument
    /// (`inspect tiny`) or by another option is not set right by the `--model` the hint says by default.
    public static func written<T>(_ fix: (String) -> String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch var suggestion as ModelNameSuggestion {
            suggestion.fix = fix(suggestion.suggestion)
            throw suggestion
        }
    }

    /// `error` with the nearest known name (the catalog's models, the lab's own, the session's names), when
    /// `error` is a name the locator does not know and one is near it; nil otherwise.
    public static func suggesting(_ error: ModelLocatorError,
                                  known: [String] = CommandCompletion.projectModelNames()
                                      + SessionModels.shared.bindings.map(\.name)) -> ModelNameSuggestion? {
        guard case .notFound(let argument, nil, _, _) = error, !argument.contains("/"), !known.contains(argument),
              let near = CommandWords.nearest(to: argument, in: known) else { return nil }
        return ModelNameSuggestion(error: error, suggestion: near)
    }
}
