// Helpers shared by the ModelFiles tests: scratch directories and hand-built safetensors bytes.

import Foundation

/// A fresh directory under the system temp dir, removed by `remove()`.
struct ScratchDirectory {
    let url: URL

    init(_ label: String = "modelfiles") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lmlab-\(label)-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` inside the directory and returns its URL.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) -> URL {
        let file = url.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: file.deletingLastPathComponent(),
                                                 withIntermediateDirectories: true)
        try! Data(bytes).write(to: file)
        return file
    }

    @discardableResult
    func write(_ text: String, to name: String) -> URL { write(Array(text.utf8), to: name) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A safetensors file assembled by hand: length field (the true length unless `declaredLength` overrides it),
/// the header text, then `data`. Used to build every malformed case.
func rawSafetensors(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    let h = Array(header.utf8)
    var out: [UInt8] = []
    withUnsafeBytes(of: (declaredLength ?? UInt64(h.count)).littleEndian) { out.append(contentsOf: $0) }
    return out + h + data
}

/// Little-endian bytes of a list of fixed-width integers.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    var out: [UInt8] = []
    for v in values { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
    return out
}
