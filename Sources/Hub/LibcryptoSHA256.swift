// LibcryptoSHA256 — SHA-256 through OpenSSL's libcrypto (EVP_sha256), the fast twin of SHA256.swift.
//
// Downloads hash every byte as it arrives (and a resumed one first re-hashes what is on disk), so the hash must
// keep up with the network and the disk: libcrypto uses the CPU's SHA extensions (x86 SHA-NI, ARMv8 SHA2) and
// measured 1.8 GB/s here, against about 0.2 GB/s for the plain Swift rounds of SHA256.swift (docs/PERFORMANCE.md,
// "SHA-256 of downloads"). SHA256.swift stays as the naive twin: the algorithm written out, and the reference this
// one is tested against (DownloadSHA256Tests) besides the FIPS vectors.
import CCrypto
import Foundation

/// A streaming SHA-256 over libcrypto's EVP interface. `update` any number of times, then `finalize()` once.
public final class LibcryptoSHA256: StreamingSHA256 {
    /// EVP_MD_CTX, owned: freed in deinit.
    private let context: OpaquePointer
    public private(set) var byteCount: UInt64 = 0

    public init() {
        guard let context = EVP_MD_CTX_new() else { fatalError("libcrypto: EVP_MD_CTX_new failed (out of memory)") }
        self.context = context
        precondition(EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1, "libcrypto: EVP_DigestInit_ex(sha256) failed")
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        precondition(EVP_DigestUpdate(context, base, bytes.count) == 1, "libcrypto: EVP_DigestUpdate failed")
        byteCount &+= UInt64(bytes.count)
    }

    public func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(context, &digest, &length) == 1 && length == 32, "libcrypto: EVP_DigestFinal_ex failed")
        return digest
    }
}

/// What the downloader needs of a SHA-256: bytes in pieces, then the digest. SHA256 (the naive twin) and
/// LibcryptoSHA256 (the fast one) both are one.
public protocol StreamingSHA256 {
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    /// Pads the message and returns the 32-byte digest; call once.
    mutating func finalize() -> [UInt8]
}

extension StreamingSHA256 {
    public mutating func update(_ data: Data) { data.withUnsafeBytes { update($0) } }
    public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// Hashes a file's bytes from the start up to `length` (or its end), in 4 MiB reads.
    ///
    /// - Throws: the read error, when the file cannot be opened or read.
    public mutating func update(contentsOf url: URL, length: UInt64? = nil) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var remaining = length ?? UInt64.max
        while remaining > 0 {
            let want = Int(min(remaining, 4 << 20))
            guard let chunk = try handle.read(upToCount: want), !chunk.isEmpty else { break }
            update(chunk)
            remaining -= UInt64(chunk.count)
        }
    }

    /// The digest as 64 lowercase hex digits (the form of `lfs.sha256` and of blob names in the HF cache).
    public mutating func finalizeHex() -> String { SHA256.hex(finalize()) }
}
