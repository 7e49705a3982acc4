// A library's refusal of an option's value shown as ArgumentParser shows its own: a usage error (exit 64) with the
// command's usage. The libraries name the option and the fix (LabCore/OptionCheck.swift); `usageMessage` is the
// one list of the errors that mean "change the command line", read by `CommandFailure` wherever run() throws them.
import ArgumentParser
import Decoding
import Lab
import LabCore
import NeuralLMs

/// The message of an error the command line is to blame for — a `ValidationError`, a library's `OptionError`, a
/// vector option that does not parse — nil for any other (a runtime failure, exit 1).
func usageMessage(_ error: Error) -> String? {
    switch error {
    case let e as ValidationError: return e.message
    case let e as OptionError: return e.description
    case let e as LayerPieces.InputError: return e.description
    default: return nil
    }
}

/// Runs `check` where ArgumentParser shows only a `ValidationError` as a usage error (validate(), which runs
/// while parsing), turning a library's usage error, or a neural model's size out of range, into one; any other
/// error passes through as it is.
@discardableResult
func usage<T>(_ check: () throws -> T) throws -> T {
    do { return try check() } catch {
        guard let message = usageMessage(error) ?? (error as? NeuralSizeError)?.description else { throw error }
        throw ValidationError(message)
    }
}

/// Decoding's refusal of settings that came from options (`DecodingError`: a top-p of 0, more returns than beams)
/// as a usage error. Not for decoding itself, whose errors (a server's answer) are runtime failures.
func decodingSettings<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as DecodingError { throw ValidationError(e.description) }
}
