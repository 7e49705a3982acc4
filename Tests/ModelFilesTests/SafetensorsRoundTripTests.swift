// Writer → reader round trips for every dtype, plus the layout properties the writer promises
// (8-byte header padding, data ordered so each tensor is aligned to its element size, zero-copy views).

import Foundation
import LabCore
import Testing
@testable import ModelFiles

@Suite("safetensors round trip")
struct SafetensorsRoundTripTests {
    /// Values that exercise rounding, signs, subnormals and large magnitudes.
    static let samples: [Float] = [0, -0.0, 1, -1, 0.1, -2.5, 3.14159265, 65504, 1e-7, -1e-3, 123456.78, 6e-8]

    @Test("every float dtype reads back as the rounded value the writer stored")
    func floatDTypes() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        let shape = [3, 4]
        try writer.add("w.f32", floats: Self.samples, shape: shape, as: .f32)
        try writer.add("w.bf16", floats: Self.samples, shape: shape, as: .bf16)
        try writer.add("w.f16", floats: Self.samples, shape: shape, as: .f16)
        try writer.add("w.f64", floats: Self.samples, shape: shape, as: .f64)
        let url = dir.url.appendingPathComponent("floats.safetensors")
        try writer.write(to: url)

        let file = try SafetensorsFile(url: url)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensorNames == ["w.bf16", "w.f16", "w.f32", "w.f64"])
        // Expected values come from LabCore's independent narrowing/widening (naive twin of the stored bytes).
        let expected: [SafetensorsDType: [Float]] = [
            .f32: Self.samples,
            .bf16: Self.samples.map { BFloat16($0).float },
            .f16: Self.samples.map { float16BitsToFloat(floatToFloat16Bits($0)) },
            .f64: Self.samples,
        ]
        for (name, dtype) in [("w.f32", SafetensorsDType.f32), ("w.bf16", .bf16), ("w.f16", .f16), ("w.f64", .f64)] {
            let t = try file.tensor(name)
            #expect(t.dtype == dtype)
            #expect(t.shape == shape)
            #expect(t.bytes.count == 12 * dtype.size)
            let got = try t.floats()
            let want = expected[dtype]!
            let maxDiff = zip(got, want).map { abs($0 - $1) }.max()!
            print("round trip \(dtype.rawValue): max abs diff \(maxDiff)")
            #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(dtype.rawValue) values differ")
            #expect(try t.toTensor() == Tensor(shape: shape, data: want))
        }
        // bf16 also reads back as its raw 16-bit patterns.
        #expect(try file.tensor("w.bf16").bfloat16s() == Self.samples.map { BFloat16($0) })
    }

    @Test("integer and byte dtypes keep their exact bit patterns")
    func integerDTypes() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        var writer = SafetensorsWriter()
        let i64: [Int64] = [0, -1, Int64.max, Int64.min, 42, 1 << 40]
        let i32: [Int32] = [0, -1, Int32.max, Int32.min, 7, -123456]
        let u8: [UInt8] = [0, 1, 127, 128, 255, 9]
        try writer.add("ids.i64", int64s: i64, shape: [2, 3])
        try writer.add("ids.i32", int32s: i32, shape: [6])
        try writer.add("mask.u8", uint8s: u8, shape: [3, 2])
        // The remaining dtypes through raw bytes: the reader must hand back exactly those bytes.
        var rawByType: [SafetensorsDType: [UInt8]] = [:]
        for dtype in [SafetensorsDType.bool, .i8, .i16, .u16, .u32, .u64] {
            let bytes = (0..<(4 * dtype.size)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ dtype.size) }
            rawByType[dtype] = dtype == .bool ? bytes.map { $0 & 1 } : bytes
            try writer.add("raw.\(dtype.rawValue)", dtype: dtype, shape: [4], bytes: rawByType[dtype]!)
        }
        let url = dir.url.appendingPathComponent("ints.safetensors")
        try writer.write(to: url)

        let file = try SafetensorsFile(url: url)
        #expect(file.metadata.isEmpty)
        #expect(try file.tensor("ids.i64").int64s() == i64)
        #expect(try file.tensor("ids.i32").int32s() == i32)
        #expect(try file.tensor("mask.u8").uint8s() == u8)
        #expect(try file.tensor("mask.u8").shape == [3, 2])
        for (dtype, bytes) in rawByType {
            let t = try file.tensor("raw.\(dtype.rawValue)")
            #expect(t.dtype == dtype)
            #expect(Array(t.bytes) == bytes)
        }
        // Asking for the wrong type is a typed error naming the file.
        let error = #expect(throws: SafetensorsError.self) { try file.tensor("ids.i64").floats() }
        #expect(error == .wrongDType(file: url.path, tensor: "ids.i64", dtype: .i64, wanted: "a float type"))
        #expect(throws: SafetensorsError.tensorNotFound(file: url.path, tensor: "nope")) { try file.tensor("nope") }
    }

    @Test("scalars and empty tensors round trip")
    func scalarsAndEmpty() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        var writer = SafetensorsWriter()
        try writer.add("scalar", floats: [2.5], shape: [], as: .f32)
        try writer.add("empty", floats: [], shape: [0, 3], as: .bf16)
        let url = dir.url.appendingPathComponent("edge.safetensors")
        try writer.write(to: url)
        let file = try SafetensorsFile(url: url)
        #expect(try file.tensor("scalar").floats() == [2.5])
        #expect(try file.tensor("scalar").shape == [])
        #expect(try file.tensor("empty").floats() == [])
        #expect(try file.tensor("empty").shape == [0, 3])
    }

    @Test("layout: 8-byte header padding, data ordered by element size so every tensor is aligned")
    func layout() throws {
        var writer = SafetensorsWriter(metadata: ["format": "pt", "a": "b\"q"])
        try writer.add("b", floats: [1, 2, 3], shape: [3], as: .bf16)          // 6 bytes
        try writer.add("a", floats: [1, 2, 3], shape: [3], as: .f32)           // 12 bytes
        try writer.add("c", uint8s: [1], shape: [1])
        try writer.add("d", int64s: [5], shape: [1])
        let bytes = writer.serialized()
        let n = Int(bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) })
        #expect(n % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        let json = #"{"__metadata__":{"a":"b\"q","format":"pt"},"d":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"#
            + #""a":{"dtype":"F32","shape":[3],"data_offsets":[8,20]},"b":{"dtype":"BF16","shape":[3],"#
            + #""data_offsets":[20,26]},"c":{"dtype":"U8","shape":[1],"data_offsets":[26,27]}}"#
        #expect(header == json + String(repeating: " ", count: (8 - json.utf8.count % 8) % 8))

        // The streamed file equals the in-memory serialization, and every tensor sits at a multiple of its size.
        let dir = ScratchDirectory(); defer { dir.remove() }
        let url = dir.url.appendingPathComponent("layout.safetensors")
        try writer.write(to: url)
        #expect(Array(try Data(contentsOf: url)) == bytes)
        let file = try SafetensorsFile(url: url)
        for name in file.tensorNames {
            let info = try file.info(name)
            #expect((8 + file.headerSize + info.dataOffsets.lowerBound) % info.dtype.size == 0, "\(name) misaligned")
        }
    }

    @Test("tensor views are zero-copy: they point into the mapping and outlive the file object")
    func zeroCopy() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        var writer = SafetensorsWriter()
        try writer.add("x", floats: [1, 2, 3, 4], shape: [4], as: .f32)
        try writer.add("y", floats: [5, 6], shape: [2], as: .bf16)
        let url = dir.url.appendingPathComponent("view.safetensors")
        try writer.write(to: url)

        var view: SafetensorsTensor?
        do {
            let file = try SafetensorsFile(url: url)
            let x = try file.tensor("x")
            let mapStart = file.mapped.bytes.baseAddress!
            #expect(x.bytes.baseAddress! == mapStart + 8 + file.headerSize + x.info.dataOffsets.lowerBound)
            view = try file.tensor("y")
        }
        // The file object is gone; the view still holds the mapping.
        #expect(try view!.floats() == [5, 6])
        let first = view!.withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }
        #expect(first == BFloat16(5).bitPattern)
    }

    @Test("writer refuses duplicate names, the reserved name and byte counts that do not fit the shape")
    func writerChecks() throws {
        var writer = SafetensorsWriter()
        try writer.add("a", floats: [1], shape: [1], as: .f32)
        #expect(throws: SafetensorsError.invalidTensor(tensor: "a", reason: "added twice")) {
            try writer.add("a", floats: [1], shape: [1], as: .f32)
        }
        #expect(throws: SafetensorsError.self) { try writer.add("__metadata__", floats: [1], shape: [1], as: .f32) }
        #expect(throws: SafetensorsError.self) { try writer.add("b", dtype: .bf16, shape: [2], bytes: [0, 0, 0]) }
        #expect(throws: SafetensorsError.self) { try writer.add("c", floats: [1, 2], shape: [2], as: .i32) }
    }
}
