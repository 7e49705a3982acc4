// ConfigError — what goes wrong reading the JSON files that sit beside a checkpoint, and the one loader that
// turns Foundation's DecodingError into a message naming the file, the key and the fix.
//
// Every JSON config type of this target (ERNIEConfig, GenerationConfig, TokenizerConfig, SpecialTokensMap,
// AddedTokensFile) is read through `loadJSONConfig(_:from:)`, so a bad file always fails the same way:
// `config.json: key "rope_parameters.rope_theta": expected a number, found a string. HINT: …`.

import Foundation
import LabCore

/// A JSON configuration file that cannot be used. The message names the file and the key and ends in a HINT.
public enum ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file is missing or unreadable.
    case unreadable(file: String, reason: String)
    /// A FIFO, a device, a folder… stands where the file goes (`found` says which: "a character device").
    case notRegularFile(file: String, found: String)
    /// The bytes are not JSON, or the top level is not an object.
    case malformedJSON(file: String, reason: String)
    /// The JSON text breaks the grammar at `line`:`column` (both from 1; columns count characters).
    case syntaxError(file: String, line: Int, column: Int, problem: String)
    /// A key that has no default is absent.
    case missingKey(file: String, key: String)
    /// A key holds a value of the wrong JSON type; `found` describes it ("the string \"2\""), when known.
    case wrongType(file: String, key: String, expected: String, found: String? = nil)
    /// A value decodes but breaks an invariant (found by `validate()`).
    case invalidValue(file: String, key: String, problem: String, fix: String)

    /// The file this error is about (its last path component when read from disk).
    public var file: String {
        switch self {
        case .unreadable(let f, _), .notRegularFile(let f, _), .malformedJSON(let f, _), .syntaxError(let f, _, _, _),
             .missingKey(let f, _),
             .wrongType(let f, _, _, _), .invalidValue(let f, _, _, _):
            return f
        }
    }

    /// The message, with any control character a stranger's file put in a key or value shown escaped.
    public var description: String { VisibleText.escapingControls(message, keepingNewlines: true) }

    private var message: String {
        func q(_ key: String) -> String { VisibleText.quoted(key) }     // a key can be a stranger's token
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read the file (\(reason)). HINT: check the path and its permissions."
        case .notRegularFile(let file, let found):
            return "\(file): is \(found), not a regular file. HINT: put the real \(file) there (a plain file: "
                + "download the model again, or copy the file in)."
        case .malformedJSON(let file, let reason):
            return "\(file): cannot be read as a JSON object (\(reason)). HINT: the file is damaged or truncated; "
                + "download it again."
        case .syntaxError(let file, let line, let column, let problem):
            return "\(file): JSON syntax error at line \(line), column \(column): \(problem). HINT: mend the text "
                + "there (a missing comma, quote or bracket is the usual cause), or download the file again."
        case .missingKey(let file, let key):
            return "\(file): required key \(q(key)) is missing. HINT: add \(q(key)) or use a complete copy of the file."
        case .wrongType(let file, let key, let expected, let found):
            let hint = found.flatMap { Self.unquotingHint(found: $0, expected: expected) }
                ?? "fix the value of \(q(key)) in the file."
            return "\(file): key \(q(key)) should be \(expected)\(found.map { ", found \($0)" } ?? ""). HINT: \(hint)"
        case .invalidValue(let file, let key, let problem, let fix):
            return "\(file): key \(q(key)): \(problem). HINT: \(fix)"
        }
    }
}

extension ConfigError {
    /// For a number or boolean written as a string where one is expected ("the string \"2\"" where "an integer"
    /// goes): "remove the quotes: write 2, not \"2\"."; nil otherwise.
    static func unquotingHint(found: String, expected: String) -> String? {
        let prefix = "the string \""
        guard found.hasPrefix(prefix), found.hasSuffix("\""), found.count > prefix.count else { return nil }
        let inner = String(found.dropFirst(prefix.count).dropLast())
        let wantsNumber = ["number", "integer", "token id"].contains { expected.contains($0) }
        guard (wantsNumber && Double(inner) != nil) || (expected.contains("true or false") && Bool(inner) != nil)
        else { return nil }
        return "remove the quotes: write \(inner), not \"\(inner)\"."
    }
}

/// A decoded value a config type rejects inside its `init(from:)`, before the file name is known;
/// `decodeJSONConfig` turns it into the `ConfigError` naming the file.
enum ConfigValueError: Error {
    /// The value at `path` is not of the JSON type `expected` describes ("a number or an array of numbers").
    case wrongType(path: [String], expected: String)
    /// The value at `key` has the right type but cannot be used.
    case invalidValue(key: String, problem: String, fix: String)
}

/// The most bytes a JSON config file (config.json, tokenizer_config.json, …) is read to: ERNIE's are a few KB to a
/// few hundred KB; a stranger's 20 GB "config.json" is refused before a byte is held.
public let maxConfigFileBytes = 64 << 20

/// Decodes a JSON config file, mapping every failure to a `ConfigError` that names `url.lastPathComponent`.
///
/// - Throws: `ConfigError` (never a raw `DecodingError`).
public func loadJSONConfig<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
    let data: Data
    do { data = try readRegularFile(url, limit: maxConfigFileBytes) } catch {
        let file = url.lastPathComponent
        if case .notRegularFile(let found) = error { throw ConfigError.notRegularFile(file: file, found: found) }
        throw ConfigError.unreadable(file: file, reason: error.reason)
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
        throw jsonSyntaxError(data, file: file, foundation: error)
    }
    guard top is [String: Any] else {
        throw ConfigError.malformedJSON(file: file, reason: "the top level is \(jsonTypeName(top)), not an object")
    }
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let error as ConfigError {
        throw error
    } catch let error as ConfigValueError {
        switch error {
        case .wrongType(let path, let expected):
            throw ConfigError.wrongType(file: file, key: path.joined(separator: "."), expected: expected,
                                        found: jsonFound(in: data, at: path))
        case .invalidValue(let key, let problem, let fix):
            throw ConfigError.invalidValue(file: file, key: key, problem: problem, fix: fix)
        }
    } catch let error as DecodingError {
        throw ConfigError(decoding: error, file: file, data: data)
    } catch {
        throw ConfigError.malformedJSON(file: file, reason: "\(error)")
    }
}

/// Where and why JSON text is malformed: the strict parser (StrictJSON.swift) finds the byte offset, reported as
/// line and column; Foundation's own text is the fallback when the strict parser accepts what Foundation refused.
func jsonSyntaxError(_ data: Data, file: String, foundation: Error) -> ConfigError {
    let failure: JSONParseError? = data.withUnsafeBytes { bytes in
        do { _ = try StrictJSONParser.parse(bytes); return nil } catch { return error as? JSONParseError }
    }
    guard let failure else {
        return .malformedJSON(file: file, reason: "JSON syntax error: \(foundation.localizedDescription)")
    }
    let before = data.prefix(min(failure.offset, data.count))
    let line = before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? before.startIndex
    let column = String(decoding: before[lineStart...], as: UTF8.self).count + 1
    return .syntaxError(file: file, line: line, column: column, problem: failure.message)
}

/// What the JSON text holds at a key path (object keys, or "[i]" for array elements), for messages: "the string
/// \"2\"", "the number 192.5", "true", "null", "an array", …; nil when the path is not there.
func jsonFound(in data: Data, at path: [String]) -> String? {
    guard var value = data.withUnsafeBytes({ try? StrictJSONParser.parse($0) }) else { return nil }
    for key in path {
        switch value {
        case .array(let items):
            guard key.hasPrefix("["), key.hasSuffix("]"), let i = Int(key.dropFirst().dropLast()),
                  items.indices.contains(i) else { return nil }
            value = items[i]
        case .object(let members):
            guard let member = members.first(where: { $0.key == key }) else { return nil }
            value = member.value
        default: return nil
        }
    }
    switch value {
    case .string(let s): return "the string " + VisibleText.quoted(s, limit: 40)
    case .number(let text): return "the number \(text)"
    case .bool, .null: return value.brief
    default: return value.typeName
    }
}

extension KeyedDecodingContainer {
    /// A key that holds a whole number (a size or a token id). 192.0 reads as 192; a fraction, a number beyond
    /// Int, or another JSON type is an error naming the key and what was found (Foundation itself reports a
    /// fraction as "not valid JSON" with no key).
    /// - Throws: `ConfigValueError`, or the decoder's error for a type mismatch (which names the key).
    func decodeWholeNumberIfPresent(forKey key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let n = try? decode(Int.self, forKey: key) { return n }
        if let x = try? decode(Double.self, forKey: key) {
            let name = (codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw ConfigValueError.invalidValue(
                key: name, problem: "\(x) is not a whole number" + (abs(x) >= 9.2e18 ? " that fits in 64 bits" : ""),
                fix: "\(name) must be a whole number; use the value from the model's own config.json.")
        }
        return try decode(Int.self, forKey: key)           // another JSON type: the decoder names key and type
    }

    /// `decodeWholeNumberIfPresent` for a key without a default.
    func decodeWholeNumber(forKey key: Key) throws -> Int {
        guard contains(key) else { return try decode(Int.self, forKey: key) }    // keyNotFound, naming the key
        guard let n = try decodeWholeNumberIfPresent(forKey: key) else { return try decode(Int.self, forKey: key) }
        return n
    }

    /// A token-id key that holds one id or a list of ids (`eos_token_id`: 2 or [2, 100272]); nil when absent.
    /// - Throws: `ConfigValueError` naming the key and what both forms must look like.
    func decodeTokenIdsIfPresent(forKey key: Key) throws -> [Int]? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let many = try? decode([Int].self, forKey: key) { return many }
        if (try? decode(Double.self, forKey: key)) != nil, let one = try decodeWholeNumberIfPresent(forKey: key) {
            return [one]
        }
        throw ConfigValueError.wrongType(path: (codingPath + [key]).map(\.stringValue),
                                         expected: "a token id (a whole number) or an array of token ids")
    }
}

extension ConfigError {
    /// Translates Foundation's DecodingError into the key path ("rope_parameters.rope_theta") and what was expected.
    /// `data` (the file's text) supplies the value found at a mistyped key.
    init(decoding error: DecodingError, file: String, data: Data? = nil) {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = .missingKey(file: file, key: path(context.codingPath + [key]))
        case .typeMismatch(let type, let context):
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            self = .wrongType(file: file, key: path(context.codingPath), expected: jsonTypeDescription(type),
                              found: data.flatMap { jsonFound(in: $0, at: keys) })
        case .valueNotFound(let type, let context):
            self = .wrongType(file: file, key: path(context.codingPath),
                              expected: "\(jsonTypeDescription(type)), not null")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // The text parsed, so Foundation could not convert a number to the type its key needs (a fraction or a
            // huge number where a whole number goes); it does not say which key.
            self = .malformedJSON(file: file, reason: "a number does not fit the type its key needs (\(context.debugDescription))")
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
