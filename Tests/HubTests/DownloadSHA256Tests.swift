// SHA256 against independent references: the FIPS 180-2 appendix examples (published digests), Python's hashlib
// for the padding boundaries (`python3 -c "import hashlib; print(hashlib.sha256(b'a'*n).hexdigest())"`,
// Python 3.11), and chunked updates against the one-shot digest.

import Foundation
import Testing
@testable import Hub

@Suite struct DownloadSHA256Tests {
    @Test func fipsExamples() {
        #expect(SHA256.hexDigest(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let long = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
            + "mnopqrstnopqrstu"
        #expect(SHA256.hexDigest(Array(long.utf8)) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the 55/56/64-byte padding edges, where one or two final blocks are needed.
    @Test func paddingBoundariesMatchHashlib() {
        let expected: [Int: String] = [
            55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
            64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
            65: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0",
            119: "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb",
            120: "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c",
            128: "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e",
        ]
        for (n, digest) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: n)) == digest, "length \(n)")
        }
    }

    /// Feeding the same bytes in uneven pieces (1, 3, 63, 64, 65, … bytes) gives the one-shot digest,
    /// and hashing a file's prefix from disk then the rest (what a resumed download does) gives it too.
    @Test func chunkedAndResumedEqualOneShot() throws {
        var rng = SystemRandomNumberGenerator()
        let data = (0..<10_007).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let oneShot = SHA256.hexDigest(data)
        var s = SHA256()
        var i = 0
        var step = 1
        while i < data.count {
            let end = min(data.count, i + step)
            s.update(Array(data[i..<end]))
            i = end
            step = (step * 7 + 3) % 130 + 1
        }
        #expect(s.finalizeHex() == oneShot)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-sha-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(data).write(to: file)
        var resumed = SHA256()
        try resumed.update(contentsOf: file, length: 4_321)
        resumed.update(Array(data[4_321...]))
        #expect(resumed.finalizeHex() == oneShot)
    }
}
