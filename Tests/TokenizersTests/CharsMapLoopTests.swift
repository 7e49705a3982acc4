// A stranger's precompiled_charsmap whose trie leads back to its root (review 15): the normalizer asked it for every
// prefix of the rest of the text, so from each position the walk went to the end — n²/2 steps for n bytes, with no
// way to cancel. A key is never longer than TokenLimit.maxBytes, so no walk goes further.
import Testing
@testable import Tokenizers

@Test func aCharsMapTrieThatLoopsStopsAtTheLongestKey() {
    // u[0]: the root's offset 256; u[256 ^ 'a'] = u[353]: label 'a', a leaf, offset 97 — and 353 ^ 97 = 256, the root.
    var units = [UInt32](repeating: 0, count: 354)
    units[0] = 256 << 10
    units[353] = (97 << 10) | (1 << 8) | 0x61
    let trie = DoubleArrayTrie(units: units)
    let text = [UInt8](repeating: UInt8(ascii: "a"), count: 3 * TokenLimit.maxBytes)
    var longest = 0, calls = 0
    text.withUnsafeBufferPointer { bytes in
        trie.forEachPrefix(bytes, from: 0, to: bytes.count) { length, _ in longest = max(longest, length); calls += 1 }
    }
    print("looping charsmap trie: \(calls) keys seen from position 0 of \(text.count) bytes, longest \(longest)")
    #expect(longest == TokenLimit.maxBytes && calls == TokenLimit.maxBytes)
}
