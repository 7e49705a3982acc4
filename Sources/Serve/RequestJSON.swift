// RequestJSON — a request body read by the lab's strict JSON parser (ModelFiles' StrictJSONParser: nesting bounded,
// a key given twice rejected, invalid UTF-8 rejected), whose values keep their JSON type, so `"echo": 1` is a number
// and not `true`; and typed field readers that turn a wrong type or value into a 400 naming the field.

import Foundation
import ModelFiles

enum RequestJSON {
    /// Parses a request body; anything but a JSON object is a 400.
    static func parse(_ body: Data) throws -> [String: JSONValue] {
        guard !body.isEmpty else {
            throw ServeError(status: 400, "The request has no body. HINT: send a JSON object, e.g. {\"prompt\": \"Hello\"}, with Content-Type: application/json.")
        }
        let value: JSONValue
        do { value = try body.withUnsafeBytes { try StrictJSONParser.parse($0) } } catch let e as JSONParseError {
            throw ServeError(status: 400, "The request body is not valid JSON: \(e.message) at byte \(e.offset). "
                             + "HINT: check quotes and commas; `python -m json.tool` shows where it breaks.")
        }
        guard let fields = value.fields else {
            throw ServeError(status: 400, "The request body is JSON but not an object. HINT: send {\"model\": …, \"prompt\": …}.")
        }
        return fields
    }
}

extension JSONValue {
    /// An object's members by key (nil for any other value).
    var fields: [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        return Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// A number's value (nil for any other value).
    var number: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }
}

/// Typed reads of one request's fields; a missing or null field is nil, a wrong type or range a `ServeError`.
struct RequestFields {
    let fields: [String: JSONValue]

    func has(_ name: String) -> Bool { fields[name].map { $0 != .null } ?? false }

    func bool(_ name: String) throws -> Bool? {
        switch fields[name] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let other?: throw ServeError.field(name, "is \(other.typeName)", hint: "send true or false.")
        }
    }

    func number(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        switch fields[name] {
        case nil, .null?: return nil
        case .number(let text)?:
            guard let x = Double(text), range.contains(x) else {
                throw ServeError.field(name, "is \(text), outside \(range.lowerBound)…\(range.upperBound)",
                                       hint: "send a number from \(range.lowerBound) to \(range.upperBound).")
            }
            return x
        case let other?: throw ServeError.field(name, "is \(other.typeName)", hint: "send a number.")
        }
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let x = try number(name, in: Double(range.lowerBound)...Double(range.upperBound)) else { return nil }
        guard let n = Int(exactly: x) else {
            throw ServeError.field(name, "is \(x), not a whole number", hint: "send a whole number.")
        }
        return n
    }

    func string(_ name: String) throws -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw ServeError.field(name, "is \(other.typeName)", hint: "send a string.")
        }
    }

    /// `stop`: a string or a list of at most `limit` non-empty strings.
    func stopStrings(limit: Int = 4) throws -> [String] {
        let hint = "send a string or a list of up to \(limit) non-empty strings."
        switch fields["stop"] {
        case nil, .null?: return []
        case .string(let s)?: return s.isEmpty ? [] : [s]
        case .array(let list)?:
            guard list.count <= limit else { throw ServeError.field("stop", "has \(list.count) entries", hint: hint) }
            return try list.map {
                guard case .string(let s) = $0, !s.isEmpty else { throw ServeError.field("stop", "holds \($0.typeName)", hint: hint) }
                return s
            }
        case let other?: throw ServeError.field("stop", "is \(other.typeName)", hint: hint)
        }
    }
}
