// A library's refusal of an option's value shown as ArgumentParser shows its own: a usage error (exit 64) with the
// command's usage, also when run() meets it. The library names the option and the fix (LabCore/OptionCheck.swift).
import ArgumentParser
import LabCore
import NeuralLMs

/// Runs `check`, a library's look at the options, turning its `OptionError` (or a neural model's size out of range)
/// into a `ValidationError`; any other error passes through as it is.
func asUsage<T>(_ check: () throws -> T) throws -> T {
    do { return try check() } catch let e as OptionError {
        throw ValidationError(e.description)
    } catch let e as NeuralSizeError {
        throw ValidationError(e.description)
    }
}
