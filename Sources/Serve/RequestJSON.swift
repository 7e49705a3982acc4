// RequestJSON — a request body as a JSON tree whose values keep their JSON type, so `"echo": 1` is a number and
// not `true` (JSONSerialization on Linux hands back NSNumbers that cast to Bool either way), and typed field
// readers that turn a wrong type or value into a 400 naming the field.

import Foundation

enum RequestJSON: Decodable, Equatable {
    case object([String: RequestJSON])
    case array([RequestJSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([RequestJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: RequestJSON].self)) }
    }

    /// Parses a request body; anything but a JSON object is a 400.
    static func parse(_ body: Data) throws -> [String: RequestJSON] {
        guard !body.isEmpty else {
            throw ServeError(status: 400, "The request has no body. HINT: send a JSON object, e.g. {\"prompt\": \"Hello\"}, with Content-Type: application/json.")
        }
        let value: RequestJSON
        do { value = try JSONDecoder().decode(RequestJSON.self, from: body) } catch {
            throw ServeError(status: 400, "The request body is not valid JSON (\(body.count) bytes). "
                             + "HINT: check quotes and commas; `python -m json.tool` shows where it breaks.")
        }
        guard case .object(let fields) = value else {
            throw ServeError(status: 400, "The request body is JSON but not an object. HINT: send {\"model\": …, \"prompt\": …}.")
        }
        return fields
    }

    var typeName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}

/// Typed reads of one request's fields; a missing or null field is nil, a wrong type or range a `ServeError`.
struct RequestFields {
    let fields: [String: RequestJSON]

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
        case .number(let x)? where range.contains(x): return x
        case .number(let x)?:
            throw ServeError.field(name, "is \(x), outside \(range.lowerBound)…\(range.upperBound)",
                                   hint: "send a number from \(range.lowerBound) to \(range.upperBound).")
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
