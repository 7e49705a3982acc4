// ProtobufWire.swift — the protocol-buffers wire format, read and written by hand.
//
// A SentencePiece `.model` file is one serialized `sentencepiece.ModelProto` message
// (sentencepiece_model.proto, proto2). We need only the wire format, not a protobuf library:
//
//   message   = field*
//   field     = key value
//   key       = varint( fieldNumber << 3 | wireType )
//   wireType  0 = varint        (int32, uint64, bool, enum)
//             1 = fixed64       (double; skipped)
//             2 = length-delimited: varint length, then bytes (string, bytes, sub-message)
//             5 = fixed32       (float, little-endian IEEE-754)
//
// A varint stores 7 bits per byte, least significant group first, high bit = "more bytes follow".
// Negative int32 values are sign-extended to 64 bits, so they always take 10 bytes.
// Reference: https://protobuf.dev/programming-guides/encoding/

/// Wire types of the protobuf encoding (groups, types 3 and 4, are obsolete and rejected).
public enum ProtobufWireType: UInt8, Sendable, CustomStringConvertible {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5

    public var description: String {
        switch self {
        case .varint: return "varint"
        case .fixed64: return "fixed64"
        case .lengthDelimited: return "length-delimited"
        case .fixed32: return "fixed32"
        }
    }
}

/// A field the reader did not recognise, kept verbatim (key and value bytes) so that writing the
/// message back preserves it.
public struct ProtobufUnknownField: Equatable, Sendable {
    public var number: Int
    /// The complete encoded field: key varint followed by its value.
    public var bytes: [UInt8]
}

/// Why a protobuf message could not be read. `path` names the field as `ModelProto.pieces[3].score`.
public enum ProtobufError: Error, Equatable, CustomStringConvertible {
    /// The data ended inside a field.
    case truncated(source: String, path: String, offset: Int)
    /// A known field arrived with a wire type its declaration does not allow.
    case wrongWireType(source: String, path: String, expected: String, found: UInt8, offset: Int)
    /// A varint longer than 10 bytes, an obsolete group, or an impossible length.
    case malformed(source: String, path: String, offset: Int, reason: String)
    /// A string field holds bytes that are not UTF-8.
    case invalidUTF8(source: String, path: String, offset: Int)

    public var description: String {
        switch self {
        case let .truncated(source, path, offset):
            return "\(source): the file ends inside field \(path) (byte \(offset)). "
                + "HINT: the file is truncated or not a SentencePiece model; copy it again."
        case let .wrongWireType(source, path, expected, found, offset):
            return "\(source): field \(path) at byte \(offset) has wire type \(found), expected \(expected). "
                + "HINT: this is not a sentencepiece ModelProto, or it was written by an incompatible tool."
        case let .malformed(source, path, offset, reason):
            return "\(source): field \(path) at byte \(offset) is malformed: \(reason). "
                + "HINT: the file is corrupt or not a SentencePiece model."
        case let .invalidUTF8(source, path, offset):
            return "\(source): string field \(path) at byte \(offset) is not valid UTF-8. "
                + "HINT: the file is corrupt."
        }
    }
}

/// Reads one message's fields from a byte buffer. Sub-messages are read by a nested reader over
/// the sub-range; `path` grows as the reader descends so errors name the exact field.
public struct ProtobufReader {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    public let end: Int
    public let source: String
    public let path: String

    public init(bytes: [UInt8], source: String, path: String) {
        self.init(bytes: bytes, range: 0..<bytes.count, source: source, path: path)
    }

    init(bytes: [UInt8], range: Range<Int>, source: String, path: String) {
        self.bytes = bytes
        self.offset = range.lowerBound
        self.end = range.upperBound
        self.source = source
        self.path = path
    }

    public var isAtEnd: Bool { offset >= end }

    /// One field header: the field number and its wire type, plus where the field began.
    public struct Key {
        public var number: Int
        public var wireType: ProtobufWireType
        public var start: Int
    }

    mutating func readVarint(field: String) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while true {
            guard offset < end else { throw ProtobufError.truncated(source: source, path: field, offset: start) }
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 {
                throw ProtobufError.malformed(source: source, path: field, offset: start, reason: "varint overflows 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 {
                throw ProtobufError.malformed(source: source, path: field, offset: start, reason: "varint longer than 10 bytes")
            }
        }
    }

    /// The next field's key, or nil at the end of the message.
    public mutating func nextKey() throws -> Key? {
        guard !isAtEnd else { return nil }
        let start = offset
        let raw = try readVarint(field: "\(path).<key>")
        let number = Int(raw >> 3)
        guard number > 0, number < (1 << 29) else {
            throw ProtobufError.malformed(source: source, path: "\(path).<key>", offset: start,
                                          reason: "field number \(number) is out of range")
        }
        guard let wire = ProtobufWireType(rawValue: UInt8(raw & 7)) else {
            throw ProtobufError.malformed(source: source, path: "\(path).\(number)", offset: start,
                                          reason: "wire type \(raw & 7) (groups or invalid) is not supported")
        }
        return Key(number: number, wireType: wire, start: start)
    }

    private func expect(_ key: Key, _ wire: ProtobufWireType, _ name: String) throws {
        guard key.wireType == wire else {
            throw ProtobufError.wrongWireType(source: source, path: "\(path).\(name)", expected: wire.description,
                                              found: key.wireType.rawValue, offset: key.start)
        }
    }

    public mutating func readUInt64(_ key: Key, _ name: String) throws -> UInt64 {
        try expect(key, .varint, name)
        return try readVarint(field: "\(path).\(name)")
    }

    /// int32 and enum fields: the low 32 bits of the varint, as two's complement.
    public mutating func readInt32(_ key: Key, _ name: String) throws -> Int32 {
        Int32(truncatingIfNeeded: try readUInt64(key, name))
    }

    public mutating func readBool(_ key: Key, _ name: String) throws -> Bool {
        try readUInt64(key, name) != 0
    }

    public mutating func readFloat(_ key: Key, _ name: String) throws -> Float {
        try expect(key, .fixed32, name)
        guard end - offset >= 4 else { throw ProtobufError.truncated(source: source, path: "\(path).\(name)", offset: key.start) }
        let b = bytes
        let bits = UInt32(b[offset]) | UInt32(b[offset + 1]) << 8 | UInt32(b[offset + 2]) << 16 | UInt32(b[offset + 3]) << 24
        offset += 4
        return Float(bitPattern: bits)
    }

    /// The byte range of a length-delimited field's payload (advances past it).
    public mutating func readLengthDelimited(_ key: Key, _ name: String) throws -> Range<Int> {
        try expect(key, .lengthDelimited, name)
        let length = try readVarint(field: "\(path).\(name)")
        guard length <= UInt64(end - offset) else {
            throw ProtobufError.truncated(source: source, path: "\(path).\(name)", offset: key.start)
        }
        let range = offset..<(offset + Int(length))
        offset = range.upperBound
        return range
    }

    public mutating func readBytes(_ key: Key, _ name: String) throws -> [UInt8] {
        Array(bytes[try readLengthDelimited(key, name)])
    }

    public mutating func readString(_ key: Key, _ name: String) throws -> String {
        let range = try readLengthDelimited(key, name)
        guard let s = String(validating: bytes[range], as: UTF8.self) else {
            throw ProtobufError.invalidUTF8(source: source, path: "\(path).\(name)", offset: key.start)
        }
        return s
    }

    /// A reader over a sub-message's payload.
    public mutating func readMessage(_ key: Key, _ name: String) throws -> ProtobufReader {
        let range = try readLengthDelimited(key, name)
        return ProtobufReader(bytes: bytes, range: range, source: source, path: "\(path).\(name)")
    }

    /// Skips a field this reader does not know and returns its verbatim bytes.
    public mutating func skip(_ key: Key) throws -> ProtobufUnknownField {
        let name = "\(key.number)"
        switch key.wireType {
        case .varint: _ = try readVarint(field: "\(path).\(name)")
        case .lengthDelimited: _ = try readLengthDelimited(key, name)
        case .fixed32, .fixed64:
            let n = key.wireType == .fixed32 ? 4 : 8
            guard end - offset >= n else { throw ProtobufError.truncated(source: source, path: "\(path).\(name)", offset: key.start) }
            offset += n
        }
        return ProtobufUnknownField(number: key.number, bytes: Array(bytes[key.start..<offset]))
    }
}

/// Appends fields in the wire format. Fields are written in the order the caller emits them
/// (by field number, as protobuf serializers do).
public struct ProtobufWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func key(_ number: Int, _ wire: ProtobufWireType) {
        varint(UInt64(number) << 3 | UInt64(wire.rawValue))
    }

    public mutating func writeUInt64(_ number: Int, _ value: UInt64) {
        key(number, .varint); varint(value)
    }

    /// int32/enum: negative values are sign-extended to 64 bits (10 bytes), as protobuf requires.
    public mutating func writeInt32(_ number: Int, _ value: Int32) {
        writeUInt64(number, UInt64(bitPattern: Int64(value)))
    }

    public mutating func writeBool(_ number: Int, _ value: Bool) {
        writeUInt64(number, value ? 1 : 0)
    }

    public mutating func writeFloat(_ number: Int, _ value: Float) {
        key(number, .fixed32)
        let bits = value.bitPattern
        bytes.append(contentsOf: [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24)])
    }

    public mutating func writeBytes<C: Collection>(_ number: Int, _ value: C) where C.Element == UInt8 {
        key(number, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func writeString(_ number: Int, _ value: String) {
        writeBytes(number, Array(value.utf8))
    }

    public mutating func writeMessage(_ number: Int, _ message: ProtobufWriter) {
        writeBytes(number, message.bytes)
    }

    public mutating func writeUnknown(_ fields: [ProtobufUnknownField]) {
        for f in fields { bytes.append(contentsOf: f.bytes) }
    }
}
