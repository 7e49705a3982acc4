// Malformed safetensors files: each is built by hand in a temp dir, and must fail on open with the typed error
// for exactly that problem and a message that names the file.

import Foundation
import Testing
@testable import ModelFiles

@Suite("safetensors validation")
struct SafetensorsMalformedTests {
    /// Writes `bytes` as `<name>.safetensors`, opens it, and returns the error (recording an issue if none).
    func openError(_ bytes: [UInt8], name: String,
                   sourceLocation: SourceLocation = #_sourceLocation) -> (SafetensorsError?, String) {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let url = dir.write(bytes, to: "\(name).safetensors")
        let error = #expect(throws: SafetensorsError.self, sourceLocation: sourceLocation) {
            _ = try SafetensorsFile(url: url)
        }
        if let error {
            let message = String(describing: error)
            print("\(name): \(message)")
            #expect(message.contains("\(name).safetensors"), "message does not name the file: \(message)",
                    sourceLocation: sourceLocation)
            #expect(message.contains("HINT"), sourceLocation: sourceLocation)
            #expect(error.file == url.path, sourceLocation: sourceLocation)
        }
        return (error, url.path)
    }

    let entry = #""t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#
    let eightBytes = [UInt8](repeating: 0, count: 8)

    @Test func tooShort() {
        let (error, path) = openError([1, 2, 3, 4, 5], name: "short")
        #expect(error == .fileTooShort(file: path, size: 5))
        let (empty, emptyPath) = openError([], name: "empty")
        #expect(empty == .fileTooShort(file: emptyPath, size: 0))
    }

    @Test func headerBeyondFile() {
        let (error, path) = openError(rawSafetensors(header: "{}", declaredLength: 50), name: "truncated")
        #expect(error == .headerBeyondFile(file: path, declared: 50, fileSize: 10))
    }

    @Test("a header declared larger than the 100 MB limit is refused before anything is read")
    func hugeHeader() {
        // 200 MB declared in a 10-byte file, and 2⁶⁴−1 (would overflow any size arithmetic).
        let (error, path) = openError(rawSafetensors(header: "{}", declaredLength: 200_000_000), name: "huge")
        #expect(error == .headerTooLarge(file: path, declared: 200_000_000, limit: SafetensorsFile.maxHeaderSize))
        let (maxError, maxPath) = openError(rawSafetensors(header: "{}", declaredLength: UInt64.max), name: "max")
        #expect(maxError == .headerTooLarge(file: maxPath, declared: UInt64.max, limit: 100_000_000))
    }

    @Test func malformedJSON() {
        for (i, header) in [#"{"t":{"dtype":"F32""#, #"{"t" 1}"#, "not json", #"{"a":1} x"#, "{\"a\":\"\u{1}\"}",
                            #"{"a":[1,]}"#, #"{"a":01}"#].enumerated() {
            let (error, path) = openError(rawSafetensors(header: header), name: "syntax\(i)")
            guard case .malformedHeader(let file, _) = error else {
                Issue.record("header \(header): expected malformedHeader, got \(String(describing: error))")
                continue
            }
            #expect(file == path)
        }
        // Invalid UTF-8 inside a string.
        var bad = rawSafetensors(header: #"{"x":"ab"}"#)
        bad[8 + 6] = 0xFF
        let (utf8, _) = openError(bad, name: "utf8")
        #expect({ if case .malformedHeader = utf8 { return true }; return false }())
    }

    @Test("header that is valid JSON but not an object")
    func notAnObject() {
        let (error, path) = openError(rawSafetensors(header: "[1,2]"), name: "array")
        #expect(error == .malformedHeader(file: path, reason: "the header is an array, not an object"))
    }

    @Test("deep nesting fails cleanly instead of overflowing the stack")
    func deepNesting() {
        let header = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let (error, _) = openError(rawSafetensors(header: header), name: "deep")
        #expect({ if case .malformedHeader(_, let r) = error { return r.contains("nesting") }; return false }())
    }

    @Test func metadata() throws {
        let (error, path) = openError(rawSafetensors(header: #"{"__metadata__":{"format":1},"# + entry + "}",
                                                      data: eightBytes), name: "metaint")
        #expect(error == .badMetadata(file: path, reason: "has \"format\": a number"))
        let (arrayError, arrayPath) = openError(rawSafetensors(header: #"{"__metadata__":["pt"]}"#), name: "metaarr")
        #expect(arrayError == .badMetadata(file: arrayPath, reason: "is an array"))

        // Good metadata, escapes included, is read.
        let dir = ScratchDirectory(); defer { dir.remove() }
        let url = dir.write(rawSafetensors(header: #"{"__metadata__":{"format":"pt","note":"a\"b\u00e9"},"# + entry + "}",
                                           data: eightBytes), to: "meta.safetensors")
        #expect(try SafetensorsFile(url: url).metadata == ["format": "pt", "note": "a\"bé"])
    }

    @Test func missingFields() {
        for field in ["dtype", "shape", "data_offsets"] {
            var parts = [#""dtype":"F32""#, #""shape":[2]"#, #""data_offsets":[0,8]"#]
            parts.removeAll { $0.hasPrefix("\"\(field)\"") }
            let header = #"{"t":{"# + parts.joined(separator: ",") + "}}"
            let (error, path) = openError(rawSafetensors(header: header, data: eightBytes), name: "no_\(field)")
            #expect(error == .missingField(file: path, tensor: "t", field: field))
        }
    }

    @Test func unknownDType() {
        for dtype in ["F8_E4M3", "Q4_0", "f32"] {
            let header = #"{"t":{"dtype":"\#(dtype)","shape":[2],"data_offsets":[0,8]}}"#
            let (error, path) = openError(rawSafetensors(header: header, data: eightBytes), name: "dtype_\(dtype)")
            #expect(error == .unknownDType(file: path, tensor: "t", dtype: dtype))
        }
    }

    @Test("fields of the wrong form: negative or fractional extents, three offsets, a non-object entry")
    func badFields() {
        let cases: [(String, String)] = [
            (#"{"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, "shape"),
            (#"{"t":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}"#, "shape"),
            (#"{"t":{"dtype":"F32","shape":2,"data_offsets":[0,8]}}"#, "shape"),
            (#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}}"#, "data_offsets"),
            (#"{"t":{"dtype":7,"shape":[2],"data_offsets":[0,8]}}"#, "dtype"),
            (#"{"t":"F32"}"#, "entry"),
        ]
        for (i, (header, field)) in cases.enumerated() {
            let (error, _) = openError(rawSafetensors(header: header, data: eightBytes), name: "field\(i)")
            guard case .badField(_, "t", let got, _) = error else {
                Issue.record("\(header): expected badField, got \(String(describing: error))"); continue
            }
            #expect(got == field)
        }
    }

    @Test func offsetsOutOfRange() {
        let header = #"{"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
        let (error, path) = openError(rawSafetensors(header: header, data: eightBytes), name: "oob")
        #expect(error == .offsetsOutOfRange(file: path, tensor: "t", end: 16, dataSize: 8))
        // An offset too large for Int is rejected as a bad field, not wrapped around.
        let huge = #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,99999999999999999999999]}}"#
        let (hugeError, _) = openError(rawSafetensors(header: huge, data: eightBytes), name: "hugeoffset")
        #expect({ if case .badField(_, "t", "data_offsets", _) = hugeError { return true }; return false }())
    }

    @Test func beginAfterEnd() {
        let header = #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#
        let (error, path) = openError(rawSafetensors(header: header, data: eightBytes), name: "reversed")
        #expect(error == .offsetsReversed(file: path, tensor: "t", begin: 8, end: 0))
    }

    @Test func overlapping() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        let (error, path) = openError(rawSafetensors(header: header, data: [UInt8](repeating: 0, count: 12)),
                                      name: "overlap")
        #expect(error == .overlappingTensors(file: path, tensor: "b", other: "a"))
    }

    @Test("empty tensors may share an offset with others; gaps are allowed")
    func emptyAndGaps() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""e":{"dtype":"BF16","shape":[0],"data_offsets":[4,4]},"#
            + #""b":{"dtype":"U8","shape":[2],"data_offsets":[10,12]}}"#
        let dir = ScratchDirectory(); defer { dir.remove() }
        let url = dir.write(rawSafetensors(header: header, data: [0, 0, 128, 63, 0, 0, 0, 64, 9, 9, 5, 6]),
                            to: "gaps.safetensors")
        let file = try SafetensorsFile(url: url)
        #expect(try file.tensor("a").floats() == [1, 2])
        #expect(try file.tensor("b").uint8s() == [5, 6])
        #expect(try file.tensor("e").floats() == [])
    }

    @Test func sizeMismatch() {
        let header = #"{"t":{"dtype":"BF16","shape":[2,3],"data_offsets":[0,8]}}"#
        let (error, path) = openError(rawSafetensors(header: header, data: eightBytes), name: "size")
        #expect(error == .sizeMismatch(file: path, tensor: "t", expected: 12, actual: 8))
        // A shape whose byte count overflows Int.
        let over = #"{"t":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#
        let (overError, _) = openError(rawSafetensors(header: over, data: eightBytes), name: "overflow")
        #expect({ if case .badField(_, "t", "shape", _) = overError { return true }; return false }())
    }

    @Test("a tensor name listed twice is caught (JSON parsers silently keep one)")
    func duplicateNames() {
        let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
            + #""w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let (error, path) = openError(rawSafetensors(header: header, data: eightBytes), name: "dup")
        #expect(error == .duplicateTensor(file: path, tensor: "w"))
        // The same key spelled with an escape is the same name.
        let escaped = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
            + #""\u0077":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let (escError, escPath) = openError(rawSafetensors(header: escaped, data: eightBytes), name: "dupesc")
        #expect(escError == .duplicateTensor(file: escPath, tensor: "w"))
        // A repeated field inside one entry is a malformed header, not a duplicate tensor.
        let inner = #"{"w":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        let (innerError, _) = openError(rawSafetensors(header: inner, data: eightBytes), name: "dupfield")
        #expect({ if case .malformedHeader = innerError { return true }; return false }())
    }

    @Test func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/lmlab/model.safetensors")
        let error = #expect(throws: SafetensorsError.self) { _ = try SafetensorsFile(url: url) }
        #expect({ if case .cannotOpen(let f, _) = error { return f == url.path }; return false }())
    }
}
