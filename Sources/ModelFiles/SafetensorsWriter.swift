// SafetensorsWriter — writes a `.safetensors` file the way the Python library does, byte for byte.
//
// The trainer saves the lab's own models with it, and tests use it to build checkpoints (good and bad).
// Layout choices copied from huggingface/safetensors (`serialize`), checked against files it writes
// (scripts/make_modelfiles_fixtures.py, ModelFilesTests/SafetensorsInteropTests):
//   • tensors ordered by element size, largest first (U64, I64, F64, F32, U32, I32, BF16, F16, U16, I16, I8, U8,
//     BOOL), then by name — so every tensor starts at a multiple of its element size;
//   • the header lists `__metadata__` first (its keys sorted here; the library's order is unspecified when there
//     are several), then the tensors in data order, as compact JSON ({"dtype","shape","data_offsets"});
//   • the header is right-padded with spaces to a multiple of 8 bytes, so the data section is 8-byte aligned.
// An empty `metadata` writes no `__metadata__` key (what the library does for metadata=None).

import Foundation
import LabCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects named tensors and writes them as one safetensors file.
public struct SafetensorsWriter: Sendable {
    /// `__metadata__`, string → string (e.g. ["format": "pt"], which transformers expects on load).
    public var metadata: [String: String]
    private var entries: [String: (dtype: SafetensorsDType, shape: [Int], bytes: [UInt8])] = [:]

    public init(metadata: [String: String] = [:]) { self.metadata = metadata }

    /// Names added so far, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// Adds a tensor from its raw little-endian bytes.
    /// - Throws: `SafetensorsError.invalidTensor` for a duplicate or reserved name, or bytes ≠ dtype size × ∏shape.
    public mutating func add(_ name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws {
        guard name != "__metadata__" else {
            throw SafetensorsError.invalidTensor(tensor: name, reason: "the name is reserved for metadata")
        }
        guard entries[name] == nil else {
            throw SafetensorsError.invalidTensor(tensor: name, reason: "added twice")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw SafetensorsError.invalidTensor(tensor: name, reason: "negative extent in shape \(shape)")
        }
        let needed = shape.reduce(dtype.size, *)
        guard needed == bytes.count else {
            throw SafetensorsError.invalidTensor(tensor: name, reason: "\(bytes.count) bytes given; \(dtype.rawValue) \(shape) needs \(needed)")
        }
        entries[name] = (dtype, shape, bytes)
    }

    /// Adds Float values stored as F32, BF16 (round to nearest even) or F16 (round to nearest even).
    /// - Throws: `SafetensorsError.invalidTensor` for other dtypes or a count that does not fill `shape`.
    public mutating func add(_ name: String, floats: [Float], shape: [Int], as dtype: SafetensorsDType) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(floats.count * dtype.size)
        switch dtype {
        case .f32: for f in floats { Self.append(f.bitPattern, to: &bytes) }
        case .bf16: for f in floats { Self.append(BFloat16(f).bitPattern, to: &bytes) }
        case .f16: for f in floats { Self.append(floatToFloat16Bits(f), to: &bytes) }
        case .f64: for f in floats { Self.append(Double(f).bitPattern, to: &bytes) }
        default:
            throw SafetensorsError.invalidTensor(tensor: name, reason: "\(dtype.rawValue) is not a float type")
        }
        try add(name, dtype: dtype, shape: shape, bytes: bytes)
    }

    /// Adds a LabCore tensor (Float32 in memory) stored as `dtype`.
    public mutating func add(_ name: String, tensor: Tensor, as dtype: SafetensorsDType = .f32) throws {
        try add(name, floats: tensor.data, shape: tensor.shape, as: dtype)
    }

    /// Adds bf16 values bit for bit.
    public mutating func add(_ name: String, bfloat16s: [BFloat16], shape: [Int]) throws {
        var bytes: [UInt8] = []
        for v in bfloat16s { Self.append(v.bitPattern, to: &bytes) }
        try add(name, dtype: .bf16, shape: shape, bytes: bytes)
    }

    /// Adds 64-bit integers (I64).
    public mutating func add(_ name: String, int64s: [Int64], shape: [Int]) throws {
        var bytes: [UInt8] = []
        for v in int64s { Self.append(v, to: &bytes) }
        try add(name, dtype: .i64, shape: shape, bytes: bytes)
    }

    /// Adds 32-bit integers (I32).
    public mutating func add(_ name: String, int32s: [Int32], shape: [Int]) throws {
        var bytes: [UInt8] = []
        for v in int32s { Self.append(v, to: &bytes) }
        try add(name, dtype: .i32, shape: shape, bytes: bytes)
    }

    /// Adds bytes (U8).
    public mutating func add(_ name: String, uint8s: [UInt8], shape: [Int]) throws {
        try add(name, dtype: .u8, shape: shape, bytes: uint8s)
    }

    private static func append<T: FixedWidthInteger>(_ v: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Names in data order: element size descending (the library's dtype order), then name.
    private var dataOrder: [String] {
        entries.keys.sorted {
            let (a, b) = (entries[$0]!.dtype.writeRank, entries[$1]!.dtype.writeRank)
            return a != b ? a < b : $0 < $1
        }
    }

    /// The JSON header, padded with spaces to a multiple of 8 bytes.
    public func headerBytes() -> [UInt8] {
        var json = "{"
        var first = true
        func separator() { if !first { json += "," }; first = false }
        if !metadata.isEmpty {
            separator()
            json += jsonString("__metadata__") + ":{"
            json += metadata.keys.sorted().map { jsonString($0) + ":" + jsonString(metadata[$0]!) }
                .joined(separator: ",")
            json += "}"
        }
        var offset = 0
        for name in dataOrder {
            let e = entries[name]!
            separator()
            json += jsonString(name) + ":{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":["
                + e.shape.map(String.init).joined(separator: ",")
                + "],\"data_offsets\":[\(offset),\(offset + e.bytes.count)]}"
            offset += e.bytes.count
        }
        json += "}"
        var bytes = Array(json.utf8)
        bytes.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - bytes.count % 8) % 8))
        return bytes
    }

    /// The whole file in memory (small files, tests). Large checkpoints: use `write(to:)`, which streams.
    public func serialized() -> [UInt8] {
        let header = headerBytes()
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out += header
        for name in dataOrder { out += entries[name]!.bytes }
        return out
    }

    /// Writes the file: to `<url>.partial` first, then renamed over `url`, so a crash never leaves half a checkpoint.
    /// - Throws: `SafetensorsError.cannotWrite` naming the file.
    public func write(to url: URL) throws {
        let partial = url.path + ".partial"
        let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SafetensorsError.cannotWrite(file: url.path, reason: String(cString: strerror(errno)))
        }
        var closed = false
        defer { if !closed { close(fd); unlink(partial) } }
        func put(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { buf in
                var done = 0
                while done < buf.count {
                    let k = posixWrite(fd, buf.baseAddress! + done, buf.count - done)
                    guard k > 0 else {
                        throw SafetensorsError.cannotWrite(file: url.path, reason: String(cString: strerror(errno)))
                    }
                    done += k
                }
            }
        }
        let header = headerBytes()
        try put(withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) })
        try put(header)
        for name in dataOrder where !entries[name]!.bytes.isEmpty { try put(entries[name]!.bytes) }
        closed = true
        // The bytes reach the disk before the rename publishes them (EINVAL/EROFS: nothing to flush there).
        guard fsync(fd) == 0 || errno == EINVAL || errno == EROFS, close(fd) == 0, rename(partial, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw SafetensorsError.cannotWrite(file: url.path, reason: reason)
        }
        try syncToDisk(url.deletingLastPathComponent().path, purpose: "the folder entry of \(url.lastPathComponent)")
    }
}

/// POSIX write(2) (the writer's own `write(to:)` shadows the name inside the type).
private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }

/// A JSON string literal as serde_json writes it: `"` and `\` escaped, control characters as \n \t … or \u00XX,
/// everything else (including non-ASCII) as raw UTF-8.
func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
