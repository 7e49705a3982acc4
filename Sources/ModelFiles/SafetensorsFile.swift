// SafetensorsFile — reads a `.safetensors` checkpoint by memory-mapping it; tensor data is never copied.
//
// Layout (huggingface/safetensors, "Format"):
//
//   bytes 0..<8        n, the header length, unsigned 64-bit little-endian
//   bytes 8..<8+n      a JSON object, UTF-8, right-padded with spaces:
//                        {"__metadata__": {"format": "pt"},                      optional, string → string
//                         "model.norm.weight": {"dtype": "BF16", "shape": [1024], "data_offsets": [0, 2048]}, …}
//   bytes 8+n..<end    the data section; data_offsets are relative to its start, [begin, end)
//
// Validation is strict, because a damaged download must fail here with a message, not later as garbage logits:
// the header length must fit the file and `maxHeaderSize`; the JSON must parse with no duplicate names; every
// entry needs a known dtype, a shape of non-negative integers and two offsets with begin ≤ end ≤ data size,
// spanning exactly dtype size × ∏shape bytes; no two tensors may share bytes. Gaps between tensors are
// allowed (the format does not need them to be packed; the Python library only writes packed files).
//
// Alignment: the data section starts at 8 + n, and a tensor's begin is any byte offset, so a BF16 tensor is only
// guaranteed 2-byte alignment (files written by the Python library, and by `SafetensorsWriter`, happen to align
// each tensor to its element size). Kernels reading `SafetensorsTensor.bytes` must use unaligned loads
// (`loadUnaligned(fromByteOffset:as:)`, or SIMD loads through `UnsafeRawPointer`), never `assumingMemoryBound`.

import Foundation
import LabCore

/// Where one tensor lives in a safetensors file.
public struct SafetensorsTensorInfo: Equatable, Sendable {
    /// The checkpoint name, e.g. `model.layers.0.self_attn.q_proj.weight`.
    public let name: String
    public let dtype: SafetensorsDType
    /// Extent of each axis, outermost first (row-major); `[]` for a scalar.
    public let shape: [Int]
    /// Byte range within the data section.
    public let dataOffsets: Range<Int>

    /// ∏ shape (1 for a scalar, 0 when an axis is 0).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A tensor's bytes inside a mapped file, with its dtype and shape; it keeps the mapping alive.
public struct SafetensorsTensor: @unchecked Sendable {
    public let info: SafetensorsTensorInfo
    /// The raw little-endian bytes, zero-copy from the map. Only 2-byte alignment is guaranteed: use unaligned loads.
    /// Valid while this value (or its file) is alive.
    public let bytes: UnsafeRawBufferPointer
    /// Path of the file the tensor came from (for messages).
    public let file: String
    /// The mapping that owns `bytes`.
    let storage: MappedFile

    public var name: String { info.name }
    public var dtype: SafetensorsDType { info.dtype }
    public var shape: [Int] { info.shape }

    /// Runs `body` on the raw bytes while guaranteeing the mapping stays alive for its whole duration.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(bytes) }
    }

    /// The elements widened to Float: exact for F32, BF16 and F16; F64 is rounded to nearest.
    /// - Throws: `SafetensorsError.wrongDType` for integer tensors.
    public func floats() throws -> [Float] {
        let n = info.elementCount
        let raw = bytes
        switch dtype {
        case .f32:
            return withExtendedLifetime(storage) {
                [Float](unsafeUninitializedCapacity: n) { out, count in
                    // memcpy is alignment-agnostic: the one copy is into the caller's new array.
                    if n > 0 { memcpy(out.baseAddress!, raw.baseAddress!, n * 4) }
                    for i in 0..<n { out[i] = Float(bitPattern: UInt32(littleEndian: out[i].bitPattern)) }
                    count = n
                }
            }
        case .bf16:
            return withExtendedLifetime(storage) {
                [Float](unsafeUninitializedCapacity: n) { out, count in
                    for i in 0..<n {
                        let h = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                        out[i] = BFloat16(bitPattern: h).float
                    }
                    count = n
                }
            }
        case .f16:
            return withExtendedLifetime(storage) {
                [Float](unsafeUninitializedCapacity: n) { out, count in
                    for i in 0..<n {
                        out[i] = float16BitsToFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i,
                                                                                           as: UInt16.self)))
                    }
                    count = n
                }
            }
        case .f64:
            return withExtendedLifetime(storage) {
                (0..<n).map { i in
                    Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i,
                                                                                     as: UInt64.self))))
                }
            }
        default:
            throw SafetensorsError.wrongDType(file: file, tensor: name, dtype: dtype, wanted: "a float type")
        }
    }

    /// The elements as a LabCore `Tensor` (Float32) with this tensor's shape.
    public func toTensor() throws -> Tensor { Tensor(shape: shape, data: try floats()) }

    /// The raw 16-bit patterns of a BF16 tensor (for kernels that keep weights in bf16).
    public func bfloat16s() throws -> [BFloat16] {
        try integers(of: .bf16, UInt16.self).map { BFloat16(bitPattern: $0) }
    }

    /// An I64 tensor's elements.
    public func int64s() throws -> [Int64] { try integers(of: .i64, Int64.self) }
    /// An I32 tensor's elements.
    public func int32s() throws -> [Int32] { try integers(of: .i32, Int32.self) }
    /// A U8 tensor's elements.
    public func uint8s() throws -> [UInt8] { try integers(of: .u8, UInt8.self) }

    private func integers<T: FixedWidthInteger>(of wanted: SafetensorsDType, _: T.Type) throws -> [T] {
        guard dtype == wanted else {
            throw SafetensorsError.wrongDType(file: file, tensor: name, dtype: dtype, wanted: wanted.rawValue)
        }
        let raw = bytes
        return withExtendedLifetime(storage) {
            (0..<info.elementCount).map {
                T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))
            }
        }
    }
}

/// Anything that serves tensors by checkpoint name: one file, or a sharded checkpoint.
public protocol TensorCheckpoint: AnyObject, Sendable {
    /// Every tensor name, sorted.
    var tensorNames: [String] { get }
    /// Dtype, shape and location of `name`. - Throws: `SafetensorsError.tensorNotFound`.
    func info(_ name: String) throws -> SafetensorsTensorInfo
    /// The tensor's bytes (zero-copy). - Throws: `SafetensorsError.tensorNotFound`.
    func tensor(_ name: String) throws -> SafetensorsTensor
}

extension TensorCheckpoint {
    public func contains(_ name: String) -> Bool { (try? info(name)) != nil }
}

/// One memory-mapped safetensors file, validated on open.
public final class SafetensorsFile: TensorCheckpoint, @unchecked Sendable {
    /// The largest JSON header accepted: 100 MB, the same limit as the reference implementation
    /// (`MAX_HEADER_SIZE` in huggingface/safetensors). ERNIE-4.5-0.3B's header is ~20 KB; a larger
    /// declaration means a damaged or hostile file, refused before anything is parsed or allocated.
    public static let maxHeaderSize = 100_000_000

    public let url: URL
    /// `__metadata__` (empty when absent), e.g. ["format": "pt"].
    public let metadata: [String: String]
    /// n, the JSON header's length in bytes (including padding).
    public let headerSize: Int
    /// Every tensor by name.
    public let infos: [String: SafetensorsTensorInfo]
    public let tensorNames: [String]
    let mapped: MappedFile

    /// Maps and validates `url`.
    /// - Throws: `SafetensorsError` naming the file and the problem.
    public init(url: URL) throws {
        self.url = url
        let mapped = try MappedFile(url: url)
        self.mapped = mapped
        let file = url.path
        let all = mapped.bytes

        guard all.count >= 8 else { throw SafetensorsError.fileTooShort(file: file, size: all.count) }
        let declared = UInt64(littleEndian: all.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(Self.maxHeaderSize) else {
            throw SafetensorsError.headerTooLarge(file: file, declared: declared, limit: Self.maxHeaderSize)
        }
        guard declared <= UInt64(all.count - 8) else {
            throw SafetensorsError.headerBeyondFile(file: file, declared: declared, fileSize: all.count)
        }
        let n = Int(declared)
        headerSize = n
        let dataSize = all.count - 8 - n

        let header: JSONValue
        do {
            header = try StrictJSONParser.parse(UnsafeRawBufferPointer(rebasing: all[8..<(8 + n)]))
        } catch let e as JSONParseError {
            if let name = e.duplicateKey, e.duplicateDepth == 0 {
                throw SafetensorsError.duplicateTensor(file: file, tensor: name)
            }
            throw SafetensorsError.malformedHeader(file: file, reason: "\(e.message) at header byte \(e.offset)")
        }
        guard case .object(let entries) = header else {
            throw SafetensorsError.malformedHeader(file: file, reason: "the header is \(header.typeName), not an object")
        }

        var metadata: [String: String] = [:]
        var infos: [String: SafetensorsTensorInfo] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                metadata = try Self.parseMetadata(value, file: file)
            } else {
                infos[name] = try Self.parseEntry(name: name, value, dataSize: dataSize, file: file)
            }
        }

        // No two non-empty tensors may share a byte: sort by begin and compare neighbours.
        let ranges = infos.values.filter { !$0.dataOffsets.isEmpty }
            .sorted { ($0.dataOffsets.lowerBound, $0.name) < ($1.dataOffsets.lowerBound, $1.name) }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.dataOffsets.lowerBound < a.dataOffsets.upperBound {
            throw SafetensorsError.overlappingTensors(file: file, tensor: b.name, other: a.name)
        }

        self.metadata = metadata
        self.infos = infos
        self.tensorNames = infos.keys.sorted()
    }

    /// Convenience: `SafetensorsFile(url: URL(fileURLWithPath: path))`.
    public convenience init(path: String) throws { try self.init(url: URL(fileURLWithPath: path)) }

    public func info(_ name: String) throws -> SafetensorsTensorInfo {
        guard let info = infos[name] else { throw SafetensorsError.tensorNotFound(file: url.path, tensor: name) }
        return info
    }

    public func tensor(_ name: String) throws -> SafetensorsTensor {
        let info = try info(name)
        let start = 8 + headerSize + info.dataOffsets.lowerBound
        let bytes = UnsafeRawBufferPointer(rebasing: mapped.bytes[start..<(start + info.dataOffsets.count)])
        return SafetensorsTensor(info: info, bytes: bytes, file: url.path, storage: mapped)
    }

    private static func parseMetadata(_ value: JSONValue, file: String) throws -> [String: String] {
        switch value {
        case .null: return [:]
        case .object(let pairs):
            var out: [String: String] = [:]
            for (key, v) in pairs {
                guard case .string(let s) = v else {
                    throw SafetensorsError.badMetadata(file: file, reason: "has \"\(key)\": \(v.typeName)")
                }
                out[key] = s
            }
            return out
        default:
            throw SafetensorsError.badMetadata(file: file, reason: "is \(value.typeName)")
        }
    }

    private static func parseEntry(name: String, _ value: JSONValue, dataSize: Int,
                                   file: String) throws -> SafetensorsTensorInfo {
        guard case .object(let pairs) = value else {
            throw SafetensorsError.badField(file: file, tensor: name, field: "entry",
                                            reason: "is \(value.typeName), not {dtype, shape, data_offsets}")
        }
        func field(_ key: String) throws -> JSONValue {
            guard let v = pairs.first(where: { $0.key == key })?.value else {
                throw SafetensorsError.missingField(file: file, tensor: name, field: key)
            }
            return v
        }
        func integers(_ key: String, _ v: JSONValue) throws -> [Int] {
            guard case .array(let items) = v else {
                throw SafetensorsError.badField(file: file, tensor: name, field: key,
                                                reason: "is \(v.typeName), not an array of integers")
            }
            return try items.map { item in
                guard let k = item.exactNonNegativeInt else {
                    throw SafetensorsError.badField(file: file, tensor: name, field: key,
                                                    reason: "holds \(item.brief), not a non-negative integer")
                }
                return k
            }
        }

        let dtypeValue = try field("dtype")
        guard case .string(let dtypeName) = dtypeValue else {
            throw SafetensorsError.badField(file: file, tensor: name, field: "dtype",
                                            reason: "is \(dtypeValue.typeName), not a string")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unknownDType(file: file, tensor: name, dtype: dtypeName)
        }
        let shape = try integers("shape", try field("shape"))
        let offsets = try integers("data_offsets", try field("data_offsets"))
        guard offsets.count == 2 else {
            throw SafetensorsError.badField(file: file, tensor: name, field: "data_offsets",
                                            reason: "has \(offsets.count) numbers, not [begin, end]")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else {
            throw SafetensorsError.offsetsReversed(file: file, tensor: name, begin: begin, end: end)
        }
        guard end <= dataSize else {
            throw SafetensorsError.offsetsOutOfRange(file: file, tensor: name, end: end, dataSize: dataSize)
        }
        // dtype size × ∏ shape, refusing products that overflow.
        var expected = dtype.size
        for extent in shape {
            let (p, overflow) = expected.multipliedReportingOverflow(by: extent)
            guard !overflow else {
                throw SafetensorsError.badField(file: file, tensor: name, field: "shape",
                                                reason: "\(shape) is too large to address")
            }
            expected = p
        }
        guard expected == end - begin else {
            throw SafetensorsError.sizeMismatch(file: file, tensor: name, expected: expected, actual: end - begin)
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }
}
