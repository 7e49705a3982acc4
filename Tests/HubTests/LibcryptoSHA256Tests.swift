// LibcryptoSHA256 (the fast twin, OpenSSL's libcrypto) against SHA256 (the naive twin, the algorithm written out)
// and the FIPS 180-2 examples; both throughputs printed (docs/PERFORMANCE.md quotes them; nothing is timed against
// a bound).
import Foundation
import Testing
@testable import Hub

@Suite struct LibcryptoSHA256Tests {
    @Test func fipsExamples() {
        func hex(_ s: String) -> String { var h = LibcryptoSHA256(); h.update(Array(s.utf8)); return h.finalizeHex() }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// Every length from 0 to 300 bytes (all padding cases) and long ones, fed in uneven pieces: the same digest as
    /// the naive twin.
    @Test func agreesWithTheNaiveTwinOnEveryLengthAndSplit() {
        var rng = SystemRandomNumberGenerator()
        var mismatches = 0
        for n in Array(0...300) + [4095, 4096, 65_537, 1_000_003] {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var naive = SHA256()
            naive.update(bytes)
            var fast = LibcryptoSHA256()
            var i = 0
            while i < n {                                   // pieces of 1…200 bytes
                let k = min(n - i, Int.random(in: 1...200, using: &rng))
                fast.update(Array(bytes[i..<(i + k)]))
                i += k
            }
            #expect(fast.byteCount == UInt64(n))
            if fast.finalizeHex() != naive.finalizeHex() { mismatches += 1 }
        }
        print("libcrypto vs naive SHA-256: \(mismatches) mismatches over 305 lengths")
        #expect(mismatches == 0)
    }

    /// MB/s over this thread's CPU time (as `openssl speed` divides by user time), so a busy shared machine
    /// does not halve the number; wall-clock MB/s printed beside it.
    @Test func throughputOfBothTwins() {
        let bytes = [UInt8](repeating: 0xA5, count: 64 << 20)
        func cpuSeconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        func rate(_ body: () -> Void) -> (cpu: Double, wall: Double) {
            let wall0 = DispatchTime.now().uptimeNanoseconds, cpu0 = cpuSeconds()
            body()
            let cpu = cpuSeconds() - cpu0, wall = Double(DispatchTime.now().uptimeNanoseconds - wall0) / 1e9
            return (Double(bytes.count) / cpu / 1e6, Double(bytes.count) / wall / 1e6)
        }
        var a = "", b = ""
        let fast = rate { var h = LibcryptoSHA256(); h.update(bytes); a = h.finalizeHex() }
        let naive = rate { var h = SHA256(); h.update(bytes); b = h.finalizeHex() }
        #expect(a == b)
        print(String(format: "SHA-256 of 64 MiB, MB/s of CPU time (wall): libcrypto %.0f (%.0f), Swift naive twin %.0f (%.0f)",
                     fast.cpu, fast.wall, naive.cpu, naive.wall))
    }
}
