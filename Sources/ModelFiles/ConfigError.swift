// ConfigError — what goes wrong reading the JSON files that sit beside a checkpoint, and the one loader that
// turns Foundation's DecodingError into a message naming the file, the key and the fix.
//
// Every JSON config type of this target (ERNIEConfig, GenerationConfig, TokenizerConfig, SpecialTokensMap,
// AddedTokensFile) is read through `loadJSONConfig(_:from:)`, so a bad file always fails the same way:
// `config.json: key "rope_parameters.rope_theta": expected a number, found a string. HINT: …`.

import Foundation

/// A JSON configuration file that cannot be used. The message names the file and the key and ends in a HINT.
public enum ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file is missing or unreadable.
    case unreadable(file: String, reason: String)
    /// The bytes are not JSON, or the top level is not an object.
    case malformedJSON(file: String, reason: String)
    /// A key that has no default is absent.
    case missingKey(file: String, key: String)
    /// A key holds a value of the wrong JSON type.
    case wrongType(file: String, key: String, expected: String)
    /// A value decodes but breaks an invariant (found by `validate()`).
    case invalidValue(file: String, key: String, problem: String, fix: String)

    /// The file this error is about (its last path component when read from disk).
    public var file: String {
        switch self {
        case .unreadable(let f, _), .malformedJSON(let f, _), .missingKey(let f, _),
             .wrongType(let f, _, _), .invalidValue(let f, _, _, _):
            return f
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the file (\(reason)). HINT: check the path and its permissions."
        case .malformedJSON(let file, let reason):
            return "\(file): not a JSON object (\(reason)). HINT: the file is damaged or truncated; download it again."
        case .missingKey(let file, let key):
            return "\(file): required key \"\(key)\" is missing. HINT: add \"\(key)\" or use a complete copy of the file."
        case .wrongType(let file, let key, let expected):
            return "\(file): key \"\(key)\" should be \(expected). HINT: fix the value of \"\(key)\" in the file."
        case .invalidValue(let file, let key, let problem, let fix):
            return "\(file): key \"\(key)\": \(problem). HINT: \(fix)"
        }
    }
}

/// Decodes a JSON config file, mapping every failure to a `ConfigError` that names `url.lastPathComponent`.
///
/// - Throws: `ConfigError` (never a raw `DecodingError`).
public func loadJSONConfig<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
        throw ConfigError.unreadable(file: url.lastPathComponent, reason: error.localizedDescription)
    }
    return try decodeJSONConfig(type, from: data, file: url.lastPathComponent)
}

/// Decodes JSON bytes as `type`; `file` is the name used in error messages.
///
/// - Throws: `ConfigError`.
public func decodeJSONConfig<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws -> T {
    // The top level must be an object: check that first so "[]" or "3" get a clear message.
    let top: Any
    do { top = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
        throw ConfigError.malformedJSON(file: file, reason: "JSON syntax error: \(error.localizedDescription)")
    }
    guard top is [String: Any] else {
        throw ConfigError.malformedJSON(file: file, reason: "the top level is \(jsonTypeName(top)), not an object")
    }
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let error as ConfigError {
        throw error
    } catch let error as DecodingError {
        throw ConfigError(decoding: error, file: file)
    } catch {
        throw ConfigError.malformedJSON(file: file, reason: "\(error)")
    }
}

extension ConfigError {
    /// Translates Foundation's DecodingError into the key path ("rope_parameters.rope_theta") and what was expected.
    init(decoding error: DecodingError, file: String) {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = .missingKey(file: file, key: path(context.codingPath + [key]))
        case .typeMismatch(let type, let context):
            self = .wrongType(file: file, key: path(context.codingPath), expected: jsonTypeDescription(type))
        case .valueNotFound(let type, let context):
            self = .wrongType(file: file, key: path(context.codingPath),
                              expected: "\(jsonTypeDescription(type)), not null")
        case .dataCorrupted(let context):
            self = .invalidValue(file: file, key: path(context.codingPath), problem: context.debugDescription,
                                 fix: "correct this value in the file")
        @unknown default:
            self = .malformedJSON(file: file, reason: "\(error)")
        }
    }
}

/// "a number", "a string", … for the Swift type a decoder wanted.
func jsonTypeDescription(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Bool.Type: return "true or false"
    case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: return "an integer"
    case is Double.Type, is Float.Type: return "a number"
    case is [Any].Type: return "an array"
    case is [String: Any].Type: return "an object"
    default: return "a value of type \(type)"
    }
}

/// The JSON name of a value produced by JSONSerialization.
func jsonTypeName(_ value: Any) -> String {
    switch value {
    case is String: return "a string"
    case is NSNumber: return "a number"
    case is [Any]: return "an array"
    case is [String: Any]: return "an object"
    case is NSNull: return "null"
    default: return "\(type(of: value))"
    }
}

/// A coding key built from any string: lets a config read keys it does not name in advance
/// (ERNIE's `sys_start_token`, `header_start_token`, …) and keep them.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string; intValue = nil }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}
